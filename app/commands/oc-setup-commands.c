/* oc-setup-commands.c: the command-line set-up commands.
 *
 * --register/--unregister, --create-shortcut/--list-shortcuts/--remove-shortcut
 * and --setup-thunderbird change files of the user's desktop and exit. They
 * run in the process that was started, before GApplication looks for a
 * running owacal, so they never open a window nor reach another instance.
 * The work itself is in lib/ (oc-url-handler, oc-shortcut,
 * oc-thunderbird-setup); this file turns options into calls and results into
 * sentences.
 */
#include "config.h"
#include "oc-setup-commands.h"

#include "oc-settings.h"
#include "oc-shortcut.h"
#include "oc-target.h"
#include "oc-thunderbird-profile.h"
#include "oc-thunderbird-setup.h"
#include "oc-url-handler.h"

typedef enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
} ExitStatus;

static const GOptionEntry setup_options[] = {
  { "register", 0, 0, G_OPTION_ARG_NONE, NULL,
    "Make owacal open owacal: links for you (no root needed), then exit", NULL },
  { "unregister", 0, 0, G_OPTION_ARG_NONE, NULL, "Undo --register, then exit", NULL },
  { "create-shortcut", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Create a launcher that opens CALENDAR (such as a colleague’s e-mail address); with more calendars "
    "after it, one that shows them side by side", "CALENDAR" },
  { "name", 0, 0, G_OPTION_ARG_STRING, NULL,
    "With --create-shortcut: the colleague’s name, shown as “Calendar — NAME”", "NAME" },
  { "on-desktop", 0, 0, G_OPTION_ARG_NONE, NULL, "With --create-shortcut: also put it on the desktop", NULL },
  { "list-shortcuts", 0, 0, G_OPTION_ARG_NONE, NULL,
    "Print owacal’s launchers: name, calendar, file (and the desktop copy)", NULL },
  { "remove-shortcut", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Remove the launcher of CALENDAR (and of the calendars after it, for one side by side)", "CALENDAR" },
  { "setup-thunderbird", 0, 0, G_OPTION_ARG_NONE, NULL,
    "Make the LDAP directories of the Thunderbird profile (see --profile) show the calendar address as "
    "Custom1; Thunderbird must not be running", NULL },
  { "attribute", 0, 0, G_OPTION_ARG_STRING, NULL,
    "With --setup-thunderbird: the directory attribute holding the calendar address "
    "(default: the directory-attribute setting, extensionAttribute1)", "ATTRIBUTE" },
  { "website-attribute", 0, 0, G_OPTION_ARG_STRING, NULL,
    "With --setup-thunderbird: also show ATTRIBUTE, which holds an owacal: link, as the contact’s "
    "web page, a link one clicks", "ATTRIBUTE" },
  { "dry-run", 0, 0, G_OPTION_ARG_NONE, NULL, "With --setup-thunderbird: print what would change, change nothing",
    NULL },
  { NULL }
};

/* Which option goes with which command. */
static const struct {
  const char *option;
  const char *command;
} modifiers[] = {
  { "name", "create-shortcut" },
  { "on-desktop", "create-shortcut" },
  { "attribute", "setup-thunderbird" },
  { "website-attribute", "setup-thunderbird" },
  { "dry-run", "setup-thunderbird" },
};

static const char *const commands[] = {
  "register", "unregister", "create-shortcut", "list-shortcuts", "remove-shortcut", "setup-thunderbird",
};

/* Registration */

/* When the program does not run from where a package installs it, the
 * desktop would not find its icons: hand their folder over for copying. */
static char *
find_icons_to_copy (const char *executable)
{
  if (g_str_has_prefix (executable, OC_BUILD_ROOT "/"))
    return g_build_filename (OC_SOURCE_ROOT, "data", "icons", NULL);
  for (const char * const *dir = g_get_system_data_dirs (); *dir; dir++)
    {
      g_autofree char *canonical = g_canonicalize_filename (*dir, NULL);
      if (g_str_equal (canonical, OC_DATADIR))
        return NULL;
    }
  return g_build_filename (OC_DATADIR, "icons", NULL);
}

/* The mime cache helps other programs list owacal for owacal: links; GIO
 * and xdg-open already find it through mimeapps.list, so this is a bonus. */
static void
update_desktop_database (void)
{
  g_autofree char *program = g_find_program_in_path ("update-desktop-database");
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autoptr (GError) error = NULL;
  const char *argv[] = { program, "-q", dir, NULL };
  int status;

  if (program == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    return;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status,
                     &error) || !g_spawn_check_wait_status (status, &error))
    g_printerr ("owacal: note: update-desktop-database failed (%s); links work without it\n", error->message);
}

static int
run_register (void)
{
  g_autofree char *executable = oc_setup_commands_dup_executable ();
  g_autofree char *icons = find_icons_to_copy (executable);
  g_autoptr (OcUrlHandlerFiles) files = NULL;
  g_autoptr (GError) error = NULL;

  files = oc_url_handler_register (executable, icons, &error);
  if (files == NULL)
    {
      g_printerr ("owacal: %s\n", error->message);
      return EXIT_FAILED;
    }
  update_desktop_database ();
  g_print ("owacal now opens owacal: links for you (%s).\n", executable);
  g_print ("  %s\n  %s\n  %s\n", files->desktop_file, files->service_file, files->mimeapps_file);
  for (guint i = 0; i < files->icons->len; i++)
    g_print ("  %s\n", (char *) files->icons->pdata[i]);
  return EXIT_OK;
}

static int
run_unregister (void)
{
  g_autoptr (OcUrlHandlerFiles) files = NULL;
  g_autoptr (GError) error = NULL;

  files = oc_url_handler_unregister (&error);
  if (files == NULL)
    {
      g_printerr ("owacal: %s\n", error->message);
      return EXIT_FAILED;
    }
  if (files->desktop_file == NULL)
    {
      g_print ("owacal was not registered for you; owacal: links are as they were.\n");
      return EXIT_OK;
    }
  update_desktop_database ();
  g_print ("owacal no longer opens owacal: links for you. Removed:\n  %s\n  %s\n", files->desktop_file,
           files->service_file);
  for (guint i = 0; i < files->icons->len; i++)
    g_print ("  %s\n", (char *) files->icons->pdata[i]);
  return EXIT_OK;
}

/* Shortcuts */

/* The option's calendar and any after it; NULL (with a message) if one is not a calendar. */
static GPtrArray *
parse_shortcut_targets (GVariantDict *options,
                        const char   *text)
{
  g_autoptr (GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_target_free);
  g_autofree const char **more = NULL;
  g_autoptr (GError) error = NULL;
  OcTarget *target;

  if ((target = oc_target_parse (text, &error)) == NULL)
    goto refused;
  g_ptr_array_add (targets, target);
  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &more))
    for (const char **next = more; *next; next++)
      {
        if ((target = oc_target_parse (*next, &error)) == NULL)
          goto refused;
        g_ptr_array_add (targets, target);
      }
  return g_steal_pointer (&targets);

refused:
  g_printerr ("owacal: %s\n", error->message);
  return NULL;
}

static int
run_create_shortcut (GVariantDict *options,
                     const char   *text)
{
  g_autofree char *executable = oc_setup_commands_dup_executable ();
  g_autoptr (GPtrArray) targets = parse_shortcut_targets (options, text);
  g_autoptr (OcShortcut) shortcut = NULL;
  g_autoptr (GError) error = NULL;
  const char *name = NULL;
  OcShortcutChange change;
  static const char *const verbs[] = { "is already there", "created", "updated" };

  if (targets == NULL)
    return EXIT_USAGE;
  g_variant_dict_lookup (options, "name", "&s", &name);
  shortcut = oc_shortcut_create (executable, targets, name, g_variant_dict_contains (options, "on-desktop"),
                                 &change, &error);
  if (shortcut == NULL)
    {
      g_printerr ("owacal: %s\n", error->message);
      return EXIT_FAILED;
    }
  g_print ("“Calendar — %s” %s: %s\n", shortcut->name, verbs[change], shortcut->path);
  if (shortcut->desktop_path != NULL)
    g_print ("On the desktop: %s\n", shortcut->desktop_path);
  return EXIT_OK;
}

static int
run_list_shortcuts (void)
{
  g_autoptr (GPtrArray) shortcuts = NULL;
  g_autoptr (GError) error = NULL;

  shortcuts = oc_shortcut_list (&error);
  if (shortcuts == NULL)
    {
      g_printerr ("owacal: %s\n", error->message);
      return EXIT_FAILED;
    }
  for (guint i = 0; i < shortcuts->len; i++)
    {
      OcShortcut *shortcut = shortcuts->pdata[i];
      g_autofree char *targets = g_strjoinv (" ", shortcut->targets);
      g_print ("%s\t%s\t%s%s%s\n", shortcut->name, targets, shortcut->path,
               shortcut->desktop_path ? "\t" : "", shortcut->desktop_path ? shortcut->desktop_path : "");
    }
  return EXIT_OK;
}

static int
run_remove_shortcut (GVariantDict *options,
                     const char   *text)
{
  g_autoptr (GPtrArray) targets = parse_shortcut_targets (options, text);
  g_autoptr (OcShortcut) removed = NULL;
  g_autoptr (GError) error = NULL;

  if (targets == NULL)
    return EXIT_USAGE;
  removed = oc_shortcut_remove (targets, &error);
  if (removed == NULL)
    {
      g_printerr ("owacal: %s\n", error->message);
      return EXIT_FAILED;
    }
  g_print ("Removed “Calendar — %s”.\n", removed->name);
  return EXIT_OK;
}

/* Thunderbird */

/* The thunderbird-profile and directory-attribute settings, when the schema is found. */
static char *
dup_setting (const char *key)
{
  g_autoptr (GSettings) settings = oc_settings_open ();
  g_autofree char *value = settings ? g_settings_get_string (settings, key) : NULL;

  return value != NULL && *value != '\0' ? g_steal_pointer (&value) : NULL;
}

static void
print_plan (const OcThunderbirdSetup *setup)
{
  g_print ("Thunderbird profile: %s\n", setup->profile_dir);
  for (guint i = 0; i < setup->directories->len; i++)
    {
      OcThunderbirdDirectory *directory = setup->directories->pdata[i];
      g_print ("LDAP directory “%s” (%s)\n", directory->description, directory->id);
    }
  for (guint i = 0; i < setup->lines->len; i++)
    g_print ("  %s\n", (char *) setup->lines->pdata[i]);
}

static int
run_setup_thunderbird (GVariantDict *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcThunderbirdSetup) setup = NULL;
  g_autofree char *wanted = dup_setting ("thunderbird-profile");
  g_autofree char *default_attribute = dup_setting ("directory-attribute");
  g_autofree char *profile = NULL;
  const char *text = NULL, *attribute = NULL, *website_attribute = NULL;
  gboolean dry_run = g_variant_dict_contains (options, "dry-run");

  if (g_variant_dict_lookup (options, "profile", "^&ay", &text))
    {
      g_free (wanted);
      wanted = g_strdup (text);
    }
  if (!g_variant_dict_lookup (options, "attribute", "&s", &attribute))
    attribute = default_attribute ? default_attribute : "extensionAttribute1";
  g_variant_dict_lookup (options, "website-attribute", "&s", &website_attribute);

  profile = oc_thunderbird_profile_find (NULL, wanted, &error);
  if (profile != NULL)
    setup = oc_thunderbird_setup_plan (profile, attribute, website_attribute, &error);
  if (setup == NULL)
    {
      g_printerr ("owacal: %s\n", error->message);
      return g_error_matches (error, OC_THUNDERBIRD_SETUP_ERROR, OC_THUNDERBIRD_SETUP_ERROR_INVALID) ?
             EXIT_USAGE : EXIT_FAILED;
    }
  print_plan (setup);
  if (!oc_thunderbird_setup_is_needed (setup))
    {
      g_print ("%s already says so; nothing to do.\n", setup->user_js);
      return EXIT_OK;
    }
  if (dry_run)
    {
      if (!oc_thunderbird_setup_check_not_running (profile, &error))
        g_print ("Note: %s\n", error->message);
      g_print ("Dry run: would write these lines to %s; nothing was changed.\n", setup->user_js);
      return EXIT_OK;
    }
  if (!oc_thunderbird_setup_apply (setup, &error))
    {
      g_printerr ("owacal: %s\n", error->message);
      return EXIT_FAILED;
    }
  g_print ("Wrote them to %s. Thunderbird reads it when it starts.\n", setup->user_js);
  return EXIT_OK;
}

/* Dispatch */

static gboolean
check_usage (GVariantDict *options,
             const char  **out_command)
{
  const char *command = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_variant_dict_contains (options, commands[i]))
      {
        if (command != NULL)
          {
            g_printerr ("owacal: give --%s or --%s, not both\n", command, commands[i]);
            return FALSE;
          }
        command = commands[i];
      }
  for (gsize i = 0; i < G_N_ELEMENTS (modifiers); i++)
    if (g_variant_dict_contains (options, modifiers[i].option) && g_strcmp0 (command, modifiers[i].command) != 0)
      {
        g_printerr ("owacal: --%s goes with --%s\n", modifiers[i].option, modifiers[i].command);
        return FALSE;
      }
  /* A shortcut may name more calendars after the option's own. */
  if (command != NULL && ((g_variant_dict_contains (options, G_OPTION_REMAINING) &&
                           !g_str_has_suffix (command, "-shortcut")) ||
                          g_variant_dict_contains (options, "demo")))
    {
      g_printerr ("owacal: --%s opens no calendar: give it alone, without a calendar\n", command);
      return FALSE;
    }
  *out_command = command;
  return TRUE;
}

/**
 * oc_setup_commands_add_options:
 * @application: owacal
 *
 * Adds the set-up commands' options to the command line.
 */
void
oc_setup_commands_add_options (GApplication *application)
{
  g_application_add_main_option_entries (application, setup_options);
}

/**
 * oc_setup_commands_run:
 * @options: the parsed command line
 *
 * Returns: the exit status when @options asked for a set-up command (or
 *   misused one), -1 when they did not
 */
int
oc_setup_commands_run (GVariantDict *options)
{
  const char *command = NULL;
  const char *text = NULL;

  if (!check_usage (options, &command))
    return EXIT_USAGE;
  if (command == NULL)
    return -1;
  if (g_str_equal (command, "register"))
    return run_register ();
  if (g_str_equal (command, "unregister"))
    return run_unregister ();
  if (g_str_equal (command, "list-shortcuts"))
    return run_list_shortcuts ();
  if (g_str_equal (command, "setup-thunderbird"))
    return run_setup_thunderbird (options);
  g_variant_dict_lookup (options, command, "&s", &text);
  if (g_str_equal (command, "create-shortcut"))
    return run_create_shortcut (options, text);
  return run_remove_shortcut (options, text);
}

/**
 * oc_setup_commands_dup_executable:
 *
 * What launchers and D-Bus should start: this very program, by its absolute
 * path, so that a build in the user's home works as well as /usr/bin/owacal.
 *
 * Returns: (transfer full): the path of the running owacal
 */
char *
oc_setup_commands_dup_executable (void)
{
  g_autofree char *path = g_file_read_link ("/proc/self/exe", NULL);

  return path != NULL ? g_steal_pointer (&path) : g_strdup (BINDIR "/owacal");
}

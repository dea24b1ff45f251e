/* Shortcuts: launchers that desktop-file-validate accepts and that start
 * exactly `owacal -- <calendar>`, whatever the name and the address hold. */
#include "config.h"

#include "oc-desktop-entry.h"
#include "oc-shortcut.h"

#include <gio/gdesktopappinfo.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

typedef struct {
  char *dir;
  char *recorder;   /* a fake owacal that writes its arguments down */
} Fixture;

/* Names as users and directories have them. */
static const char *const hostile_names[] = {
  "Alice Example",
  "O'Brien \"Bob\" `id` $(touch /tmp/owned) $HOME; rm -rf ~ & echo",
  "100% %u %f %U %F %% %c %k %i",
  "Line one\nExec=/bin/sh -c evil\nName=Evil",
  "Tab\there\r\nand\\back\\slash\\\\",
  "Zoë Ångström — 日本語 🎉",
  "   ",
  "[Desktop Entry]",
  "-v --help",
};

/* Calendars whose addresses hold the characters shells and launchers care about. */
static const char *const hostile_targets[] = {
  "alice@example.com",
  "-alice@example.com",
  "o'brien+calendar@example.com",
  "https://mail.example.com/owa/?a=1&b=%41'$x;|~*?#frag",
  "https://mail.example.com/owa/bob@example.com/?cmd=contents&module=calendar&view=weekly",
  "webcals://cal.example.com/team%20calendar.ics",
  "owacal:demo",
};

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *script = NULL;

  /* GLib finds the desktop folder from $HOME, which test isolation leaves
   * alone, and caches it: point both at this test's home. */
  g_setenv ("HOME", g_get_home_dir (), TRUE);
  g_reload_user_special_dirs_cache ();
  fixture->dir = g_build_filename (g_get_home_dir (), "bin", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0755), ==, 0);
  /* A path with a space and a quote: the program's own path is quoted too. */
  fixture->recorder = g_build_filename (fixture->dir, "fake 'owacal'", NULL);
  script = g_strdup_printf ("#!/bin/sh\nfor a in \"$@\"; do printf '%%s\\0' \"$a\"; done > \"$0.args\"\n");
  g_assert_true (g_file_set_contents (fixture->recorder, script, -1, NULL));
  g_assert_cmpint (g_chmod (fixture->recorder, 0755), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->dir);
  g_free (fixture->recorder);
}

static void
record_pid_cb (GDesktopAppInfo *info,
               GPid             pid,
               gpointer         user_data)
{
  *(GPid *) user_data = pid;
}

/* Launches @path the way a desktop does and returns the arguments the program got. */
static GStrv
launch_and_record (Fixture    *fixture,
                   const char *path)
{
  g_autoptr (GDesktopAppInfo) info = g_desktop_app_info_new_from_filename (path);
  g_autoptr (GError) error = NULL;
  g_autofree char *args_path = g_strconcat (fixture->recorder, ".args", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  GPid pid = 0;
  int status;
  gsize len;

  g_assert_nonnull (info);
  g_unlink (args_path);
  g_assert_true (g_desktop_app_info_launch_uris_as_manager (info, NULL, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                                            NULL, NULL, record_pid_cb, &pid, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_true (g_file_get_contents (args_path, &contents, &len, NULL));
  for (gsize start = 0; start < len; start += strlen (contents + start) + 1)
    g_ptr_array_add (args, g_strdup (contents + start));
  g_ptr_array_add (args, NULL);
  return (GStrv) g_ptr_array_steal (args, NULL);
}

static void
assert_desktop_file_valid (const char *path)
{
  g_autofree char *validator = g_find_program_in_path ("desktop-file-validate");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { validator, path, NULL };
  int status;

  if (validator == NULL)
    g_error ("desktop-file-validate is needed (Debian package desktop-file-utils)");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, NULL));
  if (!g_spawn_check_wait_status (status, NULL) || *out != '\0' || *err != '\0')
    g_error ("desktop-file-validate rejects %s:\n%s%s", path, out, err);
}

static void
assert_only_expected_keys (const char *path)
{
  static const char *const expected[] = {
    "Type", "Name", "Comment", "Icon", "TryExec", "Exec", "Terminal", "StartupNotify",
    "Categories", "Keywords", "X-Owacal-Target", "X-Owacal-Name", NULL,
  };
  g_autoptr (GKeyFile) entry = g_key_file_new ();
  g_auto (GStrv) groups = NULL;
  g_auto (GStrv) keys = NULL;

  g_assert_true (g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, NULL));
  groups = g_key_file_get_groups (entry, NULL);
  g_assert_cmpuint (g_strv_length (groups), ==, 1);
  keys = g_key_file_get_keys (entry, G_KEY_FILE_DESKTOP_GROUP, NULL, NULL);
  for (char **key = keys; *key; key++)
    if (!g_strv_contains (expected, *key))
      g_error ("%s has an unexpected key %s", path, *key);
  g_assert_cmpuint (g_strv_length (keys), ==, g_strv_length ((char **) expected));
}

/* A shortcut's calendars: @target alone. */
static GPtrArray *
alone (const OcTarget *target)
{
  GPtrArray *targets = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_target_free);

  g_ptr_array_add (targets, oc_target_copy (target));
  return targets;
}

static void
test_hostile (Fixture       *fixture,
              gconstpointer  data)
{
  for (gsize t = 0; t < G_N_ELEMENTS (hostile_targets); t++)
    for (gsize n = 0; n < G_N_ELEMENTS (hostile_names); n++)
      {
        g_autoptr (GError) error = NULL;
        g_autoptr (OcTarget) target = oc_target_parse (hostile_targets[t], &error);
        g_autoptr (GPtrArray) targets = alone (target);
        g_autoptr (OcShortcut) shortcut = NULL;
        g_autoptr (GDesktopAppInfo) info = NULL;
        g_autofree char *argument = NULL;
        g_autofree char *label = oc_desktop_entry_clean_label (hostile_names[n]);
        g_autofree char *expected_name = NULL;
        g_auto (GStrv) args = NULL;

        g_assert_no_error (error);
        argument = oc_target_to_argument (target);
        shortcut = oc_shortcut_create (fixture->recorder, targets, hostile_names[n], FALSE, NULL, &error);
        g_assert_no_error (error);
        g_test_message ("%s / %s -> %s", hostile_targets[t], hostile_names[n], shortcut->path);

        assert_desktop_file_valid (shortcut->path);
        assert_only_expected_keys (shortcut->path);

        /* The name is one clean line; a blank one falls back to the default. */
        info = g_desktop_app_info_new_from_filename (shortcut->path);
        g_assert_nonnull (info);
        g_assert_null (strpbrk (g_app_info_get_name (G_APP_INFO (info)), "\n\r\t"));
        expected_name = g_strdup_printf ("Calendar — %s", *label ? label : shortcut->name);
        g_assert_cmpstr (g_app_info_get_name (G_APP_INFO (info)), ==, expected_name);

        /* Launched, it runs the program with exactly two arguments. */
        args = launch_and_record (fixture, shortcut->path);
        g_assert_cmpuint (g_strv_length (args), ==, 2);
        g_assert_cmpstr (args[0], ==, "--");
        g_assert_cmpstr (args[1], ==, argument);
        g_assert_cmpint (g_unlink (shortcut->path), ==, 0);
      }
}

static void
test_quote_arg (void)
{
  static const struct { const char *arg, *quoted; } rows[] = {
    { "alice@example.com", "alice@example.com" },
    { "", "\"\"" },
    { "a b", "\"a b\"" },
    { "50%", "50%%" },
    { "%u", "%%u" },
    { "$HOME", "\"\\$HOME\"" },
    { "a\"b", "\"a\\\"b\"" },
    { "back\\slash", "\"back\\\\slash\"" },
    { "`id`", "\"\\`id\\`\"" },
    { "it's", "\"it's\"" },
    { "Zoë", "Zoë" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *quoted = oc_desktop_entry_quote_arg (rows[i].arg);
      g_assert_cmpstr (quoted, ==, rows[i].quoted);
    }
}

static void
test_idempotent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr (OcTarget) alice = oc_target_parse ("Alice@Example.com", NULL);
  g_autoptr (OcTarget) bob = oc_target_parse ("bob@example.com", NULL);
  g_autoptr (GPtrArray) target = alone (alice);
  g_autoptr (GPtrArray) other = alone (bob);
  g_autoptr (OcShortcut) first = NULL, again = NULL, renamed = NULL, removed = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  OcShortcutChange change;
  struct stat info;

  first = oc_shortcut_create (fixture->recorder, target, "Alice Example", FALSE, &change, &error);
  g_assert_no_error (error);
  g_assert_cmpint (change, ==, OC_SHORTCUT_CREATED);
  g_assert_null (first->desktop_path);
  g_assert_true (g_file_get_contents (first->path, &before, NULL, NULL));

  again = oc_shortcut_create (fixture->recorder, target, "Alice Example", FALSE, &change, &error);
  g_assert_no_error (error);
  g_assert_cmpint (change, ==, OC_SHORTCUT_UNCHANGED);
  g_assert_cmpstr (again->path, ==, first->path);
  g_assert_true (g_file_get_contents (again->path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);

  /* A new name renames the same shortcut; the desktop copy follows it. */
  renamed = oc_shortcut_create (fixture->recorder, target, "Alice E.", TRUE, &change, &error);
  g_assert_no_error (error);
  g_assert_cmpint (change, ==, OC_SHORTCUT_UPDATED);
  g_assert_cmpstr (renamed->path, ==, first->path);
  g_assert_nonnull (renamed->desktop_path);
  {
    g_autofree char *folder = g_path_get_dirname (renamed->desktop_path);
    g_assert_cmpstr (folder, ==, g_get_user_special_dir (G_USER_DIRECTORY_DESKTOP));
  }
  g_assert_cmpint (stat (renamed->desktop_path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0755);
  g_clear_pointer (&renamed, oc_shortcut_free);
  renamed = oc_shortcut_create (fixture->recorder, target, "Alice", FALSE, &change, &error);
  g_assert_nonnull (renamed->desktop_path);
  {
    g_autoptr (GDesktopAppInfo) copy = g_desktop_app_info_new_from_filename (renamed->desktop_path);
    g_assert_cmpstr (g_app_info_get_name (G_APP_INFO (copy)), ==, "Calendar — Alice");
  }

  g_clear_pointer (&again, oc_shortcut_free);
  again = oc_shortcut_create (fixture->recorder, other, NULL, FALSE, NULL, &error);
  list = oc_shortcut_list (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((OcShortcut *) list->pdata[0])->name, ==, "Alice");
  g_assert_cmpstrv (((OcShortcut *) list->pdata[0])->targets, ((const char *[]) { "alice@example.com", NULL }));
  g_assert_nonnull (((OcShortcut *) list->pdata[0])->desktop_path);
  g_assert_cmpstr (((OcShortcut *) list->pdata[1])->name, ==, "bob@example.com");
  g_assert_null (((OcShortcut *) list->pdata[1])->desktop_path);

  removed = oc_shortcut_remove (target, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (removed->name, ==, "Alice");
  g_assert_false (g_file_test (first->path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (removed->desktop_path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&removed, oc_shortcut_free);
  removed = oc_shortcut_remove (target, &error);
  g_assert_null (removed);
  g_assert_error (error, OC_SHORTCUT_ERROR, OC_SHORTCUT_ERROR_NOT_FOUND);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = oc_shortcut_list (NULL);
  g_assert_cmpuint (list->len, ==, 1);
}

/* A team's calendars side by side: one shortcut that starts owacal with all of them. */
static void
test_several_calendars (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char *const texts[] = { "alice@example.com", "Bob@Example.com",
                                       "webcal://mail.example.com/owa/calendar/x@example.com/c/calendar.ics" };
  static const char *const arguments[] = { "alice@example.com", "bob@example.com",
                                           "webcal://mail.example.com/owa/calendar/x@example.com/c/calendar.ics",
                                           NULL };
  g_autoptr (GPtrArray) team = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_target_free);
  g_autoptr (GPtrArray) alice_alone = NULL;
  g_autoptr (OcShortcut) shortcut = NULL, single = NULL, removed = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    g_ptr_array_add (team, oc_target_parse (texts[i], NULL));
  shortcut = oc_shortcut_create (fixture->recorder, team, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  assert_desktop_file_valid (shortcut->path);
  assert_only_expected_keys (shortcut->path);
  g_assert_cmpstr (shortcut->name, ==, "alice@example.com, bob@example.com, x@example.com");
  g_assert_cmpstrv (shortcut->targets, arguments);
  args = launch_and_record (fixture, shortcut->path);
  g_assert_cmpstr (args[0], ==, "--");
  g_assert_cmpstrv (args + 1, arguments);

  /* Alice alone has a shortcut of her own beside the team's. */
  alice_alone = alone (team->pdata[0]);
  single = oc_shortcut_create (fixture->recorder, alice_alone, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (single->path, !=, shortcut->path);
  list = oc_shortcut_list (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstrv (((OcShortcut *) list->pdata[1])->targets, arguments);

  removed = oc_shortcut_remove (team, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (shortcut->path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (single->path, G_FILE_TEST_EXISTS));
}

static void
test_default_names (void)
{
  static const struct { const char *target, *name; } rows[] = {
    { "Alice@Example.com", "alice@example.com" },
    { "https://mail.example.com/owa/Bob@Example.com/?cmd=contents", "bob@example.com" },
    { "https://mail.example.com/owa/carol%40example.com/", "carol@example.com" },
    { "http://exch2003.example.com/exchange/dave/Calendar/", "exch2003.example.com" },
    { "owacal:demo", "Demo" },
    { "/home/u/Team Calendar.ics", "Team Calendar" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (OcTarget) target = oc_target_parse (rows[i].target, NULL);
      g_autofree char *name = oc_shortcut_default_name (target);
      g_assert_cmpstr (name, ==, rows[i].name);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/oc/shortcut/quote-arg", test_quote_arg);
  g_test_add_func ("/oc/shortcut/default-names", test_default_names);
  g_test_add ("/oc/shortcut/hostile", Fixture, NULL, fixture_set_up, test_hostile, fixture_tear_down);
  g_test_add ("/oc/shortcut/idempotent", Fixture, NULL, fixture_set_up, test_idempotent, fixture_tear_down);
  g_test_add ("/oc/shortcut/several-calendars", Fixture, NULL, fixture_set_up, test_several_calendars,
              fixture_tear_down);
  return g_test_run ();
}

/* oc-snapshot-command.c: owacal --snapshot FILE.png TARGET…, the command.
 *
 * Loads the target unseen (oc-snapshot.c does the page), after looking up an
 * e-mail address or gathering several published calendars side by side, and
 * answers on the calling command line: the title on stdout, an error on
 * stderr, the exit status.
 */
#include "config.h"
#include "oc-snapshot-command.h"

#include <stdio.h>

#include "oc-calendar-group.h"
#include "oc-calendar-handler.h"
#include "oc-lookup.h"
#include "oc-lookup-autodiscover.h"
#include "oc-snapshot.h"

/* What to call a published calendar found for an address: an option of the command's own. */
#define LABEL_KEY "oc-calendar-label"
#define DEFAULT_SNAPSHOT_WIDTH 1280
#define DEFAULT_SNAPSHOT_HEIGHT 900

typedef struct {
  OcSnapshotHost host;
  GApplicationCommandLine *command_line;
} SnapshotCall;

static void
snapshot_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SnapshotCall *call = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *script_result = NULL;
  gboolean ok = oc_snapshot_run_finish (result, &title, &script_result, &error);

  if (title != NULL)
    g_application_command_line_print (call->command_line, "%s\n", title);
  if (script_result != NULL)
    g_application_command_line_print (call->command_line, "%s\n", script_result);
  if (!ok)
    g_application_command_line_printerr (call->command_line, "owacal: %s\n", error->message);
  call->host.set_exit_status (call->host.application, ok ? 0 : 1);
  g_application_command_line_set_exit_status (call->command_line, ok ? 0 : 1);
  g_application_release (call->host.application);
  g_object_unref (call->command_line);
  g_free (call);
}

static int run_snapshot (const OcSnapshotHost    *host, GApplicationCommandLine *command_line, GVariantDict *options,
                         GPtrArray *targets);

/* --snapshot with several published calendars (or addresses): looked up, then one page side by side. */
typedef struct {
  OcSnapshotHost host;
  GApplicationCommandLine *command_line;
  GVariantDict *options;
} GroupSnapshot;

static void
snapshot_group_resolved_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  GroupSnapshot *call = user_data;
  g_autoptr (OcCalendarGroup) group = oc_calendar_group_resolve_finish (result);
  g_autoptr (GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_target_free);
  int status = 1;

  for (guint i = 0; i < group->others->len; i++)
    {
      g_autofree char *text = oc_target_to_string (g_ptr_array_index (group->others, i));
      g_application_command_line_printerr (call->command_line, "owacal: note: not a published calendar, "
                                           "left out: %s\n", text);
    }
  if (group->sources->len > 0)
    {
      g_autofree char *url = call->host.open_calendars (call->host.application, group->sources);
      g_ptr_array_add (page, oc_target_new (OC_TARGET_KIND_WEB, url));
      status = run_snapshot (&call->host, call->command_line, call->options, page);
    }
  else
    g_application_command_line_printerr (call->command_line, "owacal: %s\n",
                                         group->errors->len ? (char *) g_ptr_array_index (group->errors, 0)
                                                            : "none of these is a published calendar");
  /* A snapshot that started holds the application and sets the status itself. */
  if (status != 0)
    {
      call->host.set_exit_status (call->host.application, status);
      g_application_command_line_set_exit_status (call->command_line, status);
    }
  g_application_release (call->host.application);
  g_object_unref (call->command_line);
  g_variant_dict_unref (call->options);
  g_free (call);
}

static int
snapshot_group (const OcSnapshotHost    *host,
                GApplicationCommandLine *command_line,
                GVariantDict            *options,
                GPtrArray               *targets)
{
  GroupSnapshot *call = g_new0 (GroupSnapshot, 1);
  g_autoptr (OcResolver) resolver = NULL;
  g_autoptr (GError) error = NULL;

  if (!oc_lookup_resolver_for_command_line (command_line, options, targets,
                                            OC_CREDENTIALS_PROVIDER (host->password_provider), &resolver, &error))
    {
      g_application_command_line_printerr (command_line, "owacal: %s\n", error->message);
      g_free (call);
      return 2;
    }
  call->host = *host;
  call->command_line = g_object_ref (command_line);
  call->options = g_variant_dict_ref (options);
  g_application_hold (host->application);
  oc_calendar_group_resolve_async (targets, resolver, snapshot_group_resolved_cb, call);
  return 0;
}

static int
run_snapshot (const OcSnapshotHost    *host,
              GApplicationCommandLine *command_line,
              GVariantDict            *options,
              GPtrArray               *targets)
{
  const char *png = NULL, *script = NULL, *size = NULL, *label = NULL;
  int width = DEFAULT_SNAPSHOT_WIDTH, height = DEFAULT_SNAPSHOT_HEIGHT, timeout = 60;
  g_autoptr (GError) error = NULL;
  g_autofree char *web_url = NULL;
  g_autoptr (GFile) png_file = NULL;
  g_autofree char *png_path = NULL;
  SnapshotCall *call;

  g_variant_dict_lookup (options, "snapshot", "^&ay", &png);
  g_variant_dict_lookup (options, "eval", "&s", &script);
  g_variant_dict_lookup (options, "timeout", "i", &timeout);
  if (g_variant_dict_lookup (options, "window-size", "&s", &size) &&
      (sscanf (size, "%dx%d", &width, &height) != 2 || width < 100 || height < 100))
    {
      g_application_command_line_printerr (command_line, "owacal: --window-size wants WIDTHxHEIGHT, "
                                                         "such as 1280x900\n");
      return 2;
    }
  if (targets->len != 1 && !oc_calendar_group_wanted (targets))
    {
      g_application_command_line_printerr (command_line, "owacal: --snapshot takes exactly one calendar, "
                                                         "or several published calendars side by side\n");
      return 2;
    }
  if (targets->len > 1)
    return snapshot_group (host, command_line, options, targets);
  g_variant_dict_lookup (options, LABEL_KEY, "&s", &label);
  web_url = host->resolve_target (host->application, g_ptr_array_index (targets, 0), label, &error);
  if (web_url == NULL)
    {
      g_application_command_line_printerr (command_line, "owacal: %s\n", error->message);
      return 1;
    }
  if (((OcTarget *) g_ptr_array_index (targets, 0))->kind == OC_TARGET_KIND_WEB &&
      !oc_calendar_handler_is_calendar_url (web_url))
    host->trust_site_of (host->application, web_url);
  png_file = g_application_command_line_create_file_for_arg (command_line, png);
  png_path = g_file_get_path (png_file);
  /* Unattended: passwords come from the command line or the keyring, never a dialog. */
  oc_password_provider_set_interactive (host->password_provider, FALSE);

  call = g_new0 (SnapshotCall, 1);
  call->host = *host;
  call->command_line = g_object_ref (command_line);
  g_application_hold (host->application);
  if (!oc_calendar_handler_is_calendar_url (web_url))
    oc_scheme_handler_prefetch (host->scheme_handler, web_url);
  /* A page may make several requests in a row, each allowed --timeout of silence. */
  oc_snapshot_run_async (host->web_context, host->scheme_handler, web_url, png_path, script, width,
                         height, (guint) MAX (timeout, 1) * 2 + 10, snapshot_done_cb, call);
  return 0;
}

/* --snapshot ADDRESS: the address is looked up first, in a worker thread. */
typedef struct {
  OcSnapshotHost host;
  GApplicationCommandLine *command_line;
  GVariantDict *options;
} EmailSnapshot;

static void
snapshot_email_resolved_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  EmailSnapshot *call = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OcResolution) resolution = oc_lookup_resolve_finish (result, NULL, &error);
  g_autoptr (GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_target_free);
  int status = 1;

  if (resolution != NULL)
    {
      for (char **note = resolution->notes; *note; note++)
        g_application_command_line_printerr (call->command_line, "owacal: note: %s\n", *note);
      g_ptr_array_add (targets, oc_target_copy (resolution->target));
      status = run_snapshot (&call->host, call->command_line, call->options, targets);
    }
  else
    g_application_command_line_printerr (call->command_line, "owacal: %s\n", error->message);
  /* A snapshot that started holds the application and sets the status itself. */
  if (status != 0)
    {
      call->host.set_exit_status (call->host.application, status);
      g_application_command_line_set_exit_status (call->command_line, status);
    }
  g_application_release (call->host.application);
  g_object_unref (call->command_line);
  g_variant_dict_unref (call->options);
  g_free (call);
}

static int
snapshot_email (const OcSnapshotHost    *host,
                GApplicationCommandLine *command_line,
                GVariantDict            *options,
                OcResolver              *resolver,
                const char              *email)
{
  EmailSnapshot *call = g_new0 (EmailSnapshot, 1);

  call->host = *host;
  call->command_line = g_object_ref (command_line);
  call->options = g_variant_dict_ref (options);
  /* A published calendar found for the address is called by it. */
  g_variant_dict_insert (call->options, LABEL_KEY, "s", email);
  g_application_hold (host->application);
  oc_lookup_resolve_async (resolver, email, NULL, snapshot_email_resolved_cb, call);
  return 0;
}

/**
 * oc_snapshot_command_run:
 * @host: what the command needs of the application
 * @command_line: the invocation with --snapshot
 * @options: its options
 * @targets: (element-type OcTarget): what it names
 * @resolver: (nullable): a resolver when @targets has an e-mail address
 *
 * Returns: the exit status so far: 0 when the snapshot started (it sets the
 *   final status itself), else 1 (failed) or 2 (wrong usage)
 */
int
oc_snapshot_command_run (const OcSnapshotHost    *host,
                         GApplicationCommandLine *command_line,
                         GVariantDict            *options,
                         GPtrArray               *targets,
                         OcResolver              *resolver)
{
  if (oc_calendar_group_wanted (targets))
    return snapshot_group (host, command_line, options, targets);
  if (resolver != NULL && targets->len == 1)
    return snapshot_email (host, command_line, options, resolver,
                           ((OcTarget *) g_ptr_array_index (targets, 0))->value);
  return run_snapshot (host, command_line, options, targets);
}

/* owacal-provision.c: the administrator's half of owacal.
 *
 * Fills extensionAttribute1 of every Exchange mailbox user with the URL of that
 * person's calendar, so that owacal (and Thunderbird, through its LDAP address
 * book) can open a colleague's calendar from an address.  It replaces the classic
 * AD script, safely: it only shows what it would do unless --apply is given, it
 * writes an undo file before changing anything, and it never replaces a value
 * that is not a calendar URL of the same person unless --force is given.
 *
 * The work is in lib/: oc-ldap-connection.c (sign in, paged search, modify),
 * oc-calendar-url.c (the URL per Exchange version, and recognising owacal's own
 * values), oc-provision-selection.c (-f, --only, --exclude), oc-provision.c (the
 * plan: table, LDIF, undo), oc-ldif.c.  This file is
 * options, passwords, files and output; oc-provision-cli.c holds the help text.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "oc-calendar-url.h"
#include "oc-ldap-connection.h"
#include "oc-ldif.h"
#include "oc-mailbox.h"
#include "oc-provision.h"
#include "oc-provision-cli.h"
#include "oc-provision-selection.h"

/* Passwords */

/* The first line of @path ("-": standard input), without its line end. */
static char *
read_password_file (const char *path,
                    GError    **error)
{
  g_autofree char *contents = NULL;

  if (strcmp (path, "-") == 0)
    {
      char line[1024];

      if (fgets (line, sizeof line, stdin) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No password on standard input");
          return NULL;
        }
      contents = g_strdup (line);
      explicit_bzero (line, sizeof line);
    }
  else if (!g_file_get_contents (path, &contents, NULL, error))
    {
      g_prefix_error (error, "Reading the password: ");
      return NULL;
    }
  contents[strcspn (contents, "\r\n")] = '\0';
  return g_steal_pointer (&contents);
}

/* While the password is typed the terminal does not echo.  A signal that ends the
 * program meanwhile (Ctrl-C, a closed terminal, kill) must not leave it that way:
 * the handler puts the settings back, then lets the signal do what it would have
 * done.  A signal the caller ignores (nohup) stays ignored. */
static const int prompt_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static struct sigaction prompt_previous[G_N_ELEMENTS (prompt_signals)];
static struct termios prompt_saved;
static volatile sig_atomic_t prompt_fd = -1;

static void
prompt_signalled_cb (int signum)
{
  if (prompt_fd >= 0)
    {
      tcsetattr (prompt_fd, TCSANOW, &prompt_saved);
      if (write (prompt_fd, "\n", 1) < 0)
        {
          /* Nothing to do: the terminal is gone. */
        }
    }
  for (gsize i = 0; i < G_N_ELEMENTS (prompt_signals); i++)
    if (prompt_signals[i] == signum)
      sigaction (signum, &prompt_previous[i], NULL);
  raise (signum);  /* delivered, as before the prompt, when the handler returns */
}

static void
catch_prompt_signals (int fd)
{
  struct sigaction caught = { 0 };

  caught.sa_handler = prompt_signalled_cb;
  sigemptyset (&caught.sa_mask);
  prompt_fd = fd;
  for (gsize i = 0; i < G_N_ELEMENTS (prompt_signals); i++)
    {
      sigaction (prompt_signals[i], &caught, &prompt_previous[i]);
      if (prompt_previous[i].sa_handler == SIG_IGN)
        sigaction (prompt_signals[i], &prompt_previous[i], NULL);
    }
}

static void
release_prompt_signals (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (prompt_signals); i++)
    sigaction (prompt_signals[i], &prompt_previous[i], NULL);
  prompt_fd = -1;
}

/* Asks on the terminal with echo off; never through argv or the environment.
 * Echo goes off before the prompt appears, so nothing typed after it shows. */
static char *
prompt_password (const char *bind_dn,
                 GError    **error)
{
  struct termios quiet;
  char line[1024];
  FILE *tty = fopen ("/dev/tty", "r+");
  gboolean got;
  char *password;

  if (tty == NULL || tcgetattr (fileno (tty), &prompt_saved) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "No terminal to ask for the password of %s: give it with --password-file FILE (or - for standard input)",
                   bind_dn);
      g_clear_pointer (&tty, fclose);
      return NULL;
    }
  catch_prompt_signals (fileno (tty));
  quiet = prompt_saved;
  quiet.c_lflag &= ~ECHO;
  tcsetattr (fileno (tty), TCSAFLUSH, &quiet);
  fprintf (tty, "Password for %s: ", bind_dn);
  fflush (tty);
  got = fgets (line, sizeof line, tty) != NULL;
  tcsetattr (fileno (tty), TCSAFLUSH, &prompt_saved);
  release_prompt_signals ();
  fputc ('\n', tty);
  fclose (tty);
  if (!got)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No password given");
      return NULL;
    }
  line[strcspn (line, "\r\n")] = '\0';
  password = g_strdup (line);
  explicit_bzero (line, sizeof line);
  return password;
}

static void
free_password (char *password)
{
  if (password != NULL)
    explicit_bzero (password, strlen (password));
  g_free (password);
}

/* Connecting */

static OcLdapConnection *
connect_to_directory (const OcProvisionOptions *o,
                      GError       **error)
{
  OcLdapOptions ldap = { 0 };
  char *password = NULL;
  OcLdapConnection *connection;

  ldap.uri = o->uri;
  ldap.starttls = o->starttls;
  ldap.ca_file = o->ca_file;
  ldap.bind = o->gssapi ? OC_LDAP_BIND_GSSAPI : o->bind_dn != NULL ? OC_LDAP_BIND_SIMPLE : OC_LDAP_BIND_ANONYMOUS;
  if (ldap.bind == OC_LDAP_BIND_SIMPLE)
    {
      password = o->password_file != NULL ? read_password_file (o->password_file, error)
                                          : prompt_password (o->bind_dn, error);
      if (password == NULL)
        return NULL;
      ldap.bind_dn = o->bind_dn;
      ldap.password = password;
    }
  connection = oc_ldap_connection_open_sync (&ldap, NULL, error);
  free_password (password);
  return connection;
}

/* The undo file */

/* owacal-undo-DATE-TIME.ldif in the current directory, or -2, -3, ... when a run
 * in the same second left one. */
static char *
default_undo_path (guint attempt)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  if (attempt == 0)
    return g_strdup_printf ("owacal-undo-%s.ldif", stamp);
  return g_strdup_printf ("owacal-undo-%s-%u.ldif", stamp, attempt + 1);
}

/* Written completely and flushed to disk before the first change; never over an
 * existing file (an earlier run's undo file must not be lost). */
static gboolean
write_undo_file (const char            *path,
                 const OcProvisionPlan *plan,
                 const char            *uri,
                 const char            *base,
                 GError               **error)
{
  g_autoptr (GString) ldif = g_string_new (NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format_iso8601 (now);
  g_autofree char *header = NULL;
  OcProvisionSummary summary = oc_provision_plan_get_summary (plan);
  gsize written = 0;
  int fd;

  header = g_strdup_printf ("owacal-provision undo file: the values before the change of %u entries\n"
                            "in %s (base %s), %s.\n"
                            "Put them back with: owacal-provision --undo %s -H %s [-Y | -D DN]\n"
                            "Each record only applies while the value is still the one owacal wrote.",
                            summary.changed, uri, base, when, path, uri);
  oc_ldif_append_comment (ldif, header);
  g_string_append_c (ldif, '\n');
  oc_provision_plan_append_ldif (plan, ldif, TRUE);

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Could not create the undo file %s: %s%s",
                   path, g_strerror (saved), saved == EEXIST ? " (it exists; give another with --undo-file)" : "");
      return FALSE;
    }
  while (written < ldif->len)
    {
      gssize n = write (fd, ldif->str + written, ldif->len - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        break;
      written += n;
    }
  if (written < ldif->len || fsync (fd) != 0)
    {
      int saved = errno;

      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Could not write the undo file %s: %s",
                   path, g_strerror (saved));
      return FALSE;
    }
  return close (fd) == 0;
}

/* Modes */

static int
run_provision (const OcProvisionOptions *o)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcCalendarUrl) url = NULL;
  g_autoptr (OcLdapConnection) connection = NULL;
  g_autoptr (OcProvisionPlan) plan = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *filter = NULL;
  g_autofree char *identity = NULL;
  g_autofree char *description = NULL;
  g_autofree char *table = NULL;
  g_autofree char *undo_path = NULL;
  g_auto (GStrv) unmatched_only = NULL;
  g_auto (GStrv) unmatched_exclude = NULL;
  const char *attributes[] = { OC_MAILBOX_ATTRIBUTES, o->attribute, o->link_attribute, NULL };
  const char *check[] = { o->attribute, o->link_attribute, NULL };
  OcLdapSearch search = { o->base, OC_LDAP_SCOPE_SUBTREE, NULL, attributes, o->page_size, 0 };
  OcProvisionSummary summary;
  guint n_pages = 0;
  gboolean unmatched;

  if (o->url_template != NULL)
    url = oc_calendar_url_new_for_template (o->url_template, o->owa_host, &error);
  else
    url = oc_calendar_url_new_for_exchange (o->exchange, !o->http, o->owa_host, &error);
  if (url == NULL)
    return oc_provision_cli_fail (OC_PROVISION_EXIT_USAGE, error);
  filter = oc_provision_build_filter (o->filter, (const char * const *) o->only, (const char * const *) o->exclude,
                                      &error);
  if (filter == NULL)
    return oc_provision_cli_fail (OC_PROVISION_EXIT_USAGE, error);
  search.filter = filter;

  connection = connect_to_directory (o, &error);
  if (connection == NULL)
    return oc_provision_cli_fail (OC_PROVISION_EXIT_CONNECT, error);
  identity = oc_ldap_connection_whoami_sync (connection, NULL, NULL);

  for (const char **name = check; *name != NULL; name++)
    {
      gboolean defined = TRUE;
      g_autoptr (GError) schema_error = NULL;

      if (!oc_ldap_connection_has_attribute_type_sync (connection, *name, &defined, NULL, &schema_error))
        g_printerr ("owacal-provision: warning: could not check the schema for %s: %s\n", *name, schema_error->message);
      else if (!defined)
        return oc_provision_cli_fail_message (OC_PROVISION_EXIT_DIRECTORY,
                                              "The directory's schema has no attribute %s, so there is nowhere to write "
                                              "the calendar URLs. In Active Directory, extensionAttribute1 to 15 come with "
                                              "Exchange's schema extension; or choose another attribute (--attribute, "
                                              "--link-attribute). Nothing was changed.", *name);
    }

  entries = oc_ldap_connection_search_sync (connection, &search, &n_pages, NULL, &error);
  if (entries == NULL)
    return oc_provision_cli_fail_search (o, error);
  /* Every --only and --exclude value must match someone: a misspelt one is
   * named, and --apply writes nothing (oc-provision-selection.c says why). */
  unmatched_only = oc_provision_find_unmatched_sync (connection, o->base, o->filter, (const char * const *) o->only,
                                                     NULL, &error);
  if (unmatched_only != NULL)
    unmatched_exclude = oc_provision_find_unmatched_sync (connection, o->base, o->filter,
                                                          (const char * const *) o->exclude, NULL, &error);
  if (unmatched_exclude == NULL)
    return oc_provision_cli_fail_search (o, error);
  unmatched = unmatched_only[0] != NULL || unmatched_exclude[0] != NULL;
  if (unmatched && o->apply)
    {
      oc_provision_cli_report_unmatched (o, (const char * const *) unmatched_only,
                                         (const char * const *) unmatched_exclude);
      return OC_PROVISION_EXIT_UNMATCHED;
    }
  plan = oc_provision_plan_new (url, o->attribute, o->link_attribute, o->force);
  for (guint i = 0; i < entries->len; i++)
    oc_provision_plan_add (plan, entries->pdata[i]);
  summary = oc_provision_plan_get_summary (plan);

  description = oc_calendar_url_describe (url);
  oc_provision_cli_append_header (out, o->apply, o->uri, identity, o->base, filter, n_pages, description,
                                  o->attribute, o->link_attribute);
  if (o->exchange != NULL && o->owa_host != NULL && oc_calendar_url_version_has_no_web_parts (o->exchange))
    g_string_append_printf (out, "# --owa-host %s is not used: owacal: links name no server (owacal finds it itself)\n",
                            o->owa_host);
  if (o->apply && summary.changed > 0)
    {
      gboolean written;

      undo_path = o->undo_file != NULL ? g_strdup (o->undo_file) : default_undo_path (0);
      written = write_undo_file (undo_path, plan, o->uri, o->base, &error);
      for (guint attempt = 1; !written && o->undo_file == NULL && attempt < 100 &&
                              g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS); attempt++)
        {
          g_clear_error (&error);
          g_free (undo_path);
          undo_path = default_undo_path (attempt);
          written = write_undo_file (undo_path, plan, o->uri, o->base, &error);
        }
      if (!written)
        {
          g_prefix_error (&error, "Nothing was changed. ");
          return oc_provision_cli_fail (OC_PROVISION_EXIT_DIRECTORY, error);
        }
      g_string_append_printf (out, "# Undo file (written before any change): %s\n", undo_path);
      oc_provision_plan_apply_sync (plan, connection, NULL);
    }
  else if (o->apply)
    g_string_append (out, "# Nothing to change, so no undo file was written.\n");

  table = oc_provision_plan_format_table (plan);
  oc_ldif_append_comment (out, "");
  oc_ldif_append_comment (out, table);  /* its last line end makes the empty comment line after it */
  oc_provision_plan_append_ldif (plan, out, FALSE);
  oc_provision_cli_append_summary (out, plan, o->apply);
  fputs (out->str, stdout);
  fflush (stdout);

  oc_provision_cli_print_failures (plan);
  if (oc_provision_cli_report_unmatched (o, (const char * const *) unmatched_only,
                                         (const char * const *) unmatched_exclude))
    return OC_PROVISION_EXIT_UNMATCHED;
  return oc_provision_plan_get_summary (plan).failed > 0 ? OC_PROVISION_EXIT_PARTIAL : OC_PROVISION_EXIT_OK;
}

static int
run_undo (const OcProvisionOptions *o)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcLdapConnection) connection = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  g_autofree char *text = NULL;
  guint changed = 0, skipped = 0, failed = 0;

  if (!g_file_get_contents (o->undo, &text, NULL, &error))
    return oc_provision_cli_fail (OC_PROVISION_EXIT_USAGE, error);
  changes = oc_ldif_parse_changes (text, &error);
  if (changes == NULL)
    {
      g_prefix_error (&error, "%s is not an undo file owacal-provision can apply: ", o->undo);
      return oc_provision_cli_fail (OC_PROVISION_EXIT_USAGE, error);
    }
  connection = connect_to_directory (o, &error);
  if (connection == NULL)
    return oc_provision_cli_fail (OC_PROVISION_EXIT_CONNECT, error);

  for (guint i = 0; i < changes->len; i++)
    {
      const OcLdifChange *change = changes->pdata[i];
      g_autoptr (GError) change_error = NULL;

      if (oc_ldap_connection_modify_sync (connection, change->dn, (const OcLdapMod *) change->mods->data,
                                          change->mods->len, NULL, &change_error))
        {
          printf ("# restored %s\n", change->dn);
          changed++;
        }
      else if (g_error_matches (change_error, OC_LDAP_ERROR, OC_LDAP_ERROR_NO_SUCH_VALUE))
        {
          /* The change this record undoes failed, or someone changed the value since. */
          printf ("# left as it is: %s (its value is no longer the one owacal wrote)\n", change->dn);
          skipped++;
        }
      else
        {
          g_printerr ("owacal-provision: %s:%u: %s\n", o->undo, change->line, change_error->message);
          failed++;
        }
    }
  printf ("# Summary: examined %u, changed %u, skipped %u, failed %u (undo of %s)\n",
          changes->len, changed, skipped, failed, o->undo);
  return failed > 0 ? OC_PROVISION_EXIT_PARTIAL : OC_PROVISION_EXIT_OK;
}

int
main (int   argc,
      char *argv[])
{
  g_auto (OcProvisionOptions) o = { 0 };
  g_autoptr (GError) error = NULL;

  setlocale (LC_ALL, "");
  g_set_prgname ("owacal-provision");
  if (!oc_provision_cli_parse (&o, &argc, &argv, &error))
    return oc_provision_cli_fail (OC_PROVISION_EXIT_USAGE, error);

  if (o.thunderbird_id != NULL)
    {
      g_autofree char *lines = oc_provision_cli_thunderbird_lines (&o);

      fputs (lines, stdout);
      return OC_PROVISION_EXIT_OK;
    }
  if (o.undo != NULL)
    return run_undo (&o);
  return run_provision (&o);
}

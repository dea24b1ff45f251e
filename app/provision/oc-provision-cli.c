/* oc-provision-cli.c: owacal-provision's command line: options and their checks,
 * the --help text, and the lines it prints.  No directory access here. */
#include "config.h"
#include "oc-provision-cli.h"

#include <stdio.h>
#include <string.h>

#include "oc-provision.h"
#include "oc-provision-selection.h"

#define SUMMARY \
  "Writes the address of each Exchange mailbox user's calendar (an OWA URL up to\n" \
  "Exchange 2013, an owacal: link from 2016 on) into the directory\n" \
  "(extensionAttribute1 in Active Directory), where owacal and Thunderbird find it.\n" \
  "\n" \
  "Without --apply nothing is written: it prints a table (person, current value,\n" \
  "new value, action) and the LDIF it would apply, as LDIF comments and records."

#define DESCRIPTION \
  "Signing in: -Y uses your Kerberos ticket (kinit first); -D DN signs in with a\n" \
  "password read from --password-file or asked on the terminal, never from the command\n" \
  "line. Without -Y or -D the search is anonymous (enough for a dry run if the\n" \
  "directory allows it). TLS: ldaps://, or -Z for StartTLS on ldap://; --ca-file for a\n" \
  "private certificate authority (else ldap.conf's TLS_CACERT).\n" \
  "\n" \
  "Who is searched: -b BASE and -f FILTER, by default Exchange mailbox users:\n" \
  "  " OC_PROVISION_DEFAULT_FILTER "\n" \
  "narrowed by --only and --exclude (an e-mail address matches mail or any smtp:\n" \
  "proxy address; anything in parentheses is an LDAP filter). A value of --only or\n" \
  "--exclude that matches none of the people searched is named on standard error,\n" \
  "and nothing is changed (exit status 5): a misspelt --exclude would otherwise\n" \
  "change the very person it names. The search is paged (Active Directory sends at\n" \
  "most 1000 entries per page).\n" \
  "\n" \
  "Which URL: --exchange 2003 gives http(s)://HOST/exchange/<mailNickname>/Calendar/\n" \
  "?Cmd=contents&View=Weekly; 2007, 2010 and 2013 give OWA's calendar web part,\n" \
  "https://HOST/owa/<primary SMTP>/?cmd=contents&module=calendar&view=weekly.\n" \
  "Exchange 2016, 2019 and SE (--exchange 2016, 2019 or se) have no web parts any\n" \
  "more: a web-part URL ends on OWA's error page there. For them owacal-provision\n" \
  "writes the link owacal:<primary SMTP>, which owacal opens through Exchange Web\n" \
  "Services with what the colleague shares (free/busy by default); --owa-host and\n" \
  "--http are not needed, and a web-part URL an earlier run wrote for the same\n" \
  "person is replaced by the link without --force. The primary SMTP address is the\n" \
  "upper-case SMTP: entry of proxyAddresses, else mail. --template builds URLs from\n" \
  "{mail} (or {email}), {alias} and {host} instead.\n" \
  "\n" \
  "What is never overwritten: a value that is not a calendar address of the same\n" \
  "person (an http(s) URL whose path is /owa/<one of their addresses>/ or\n" \
  "/exchange/<alias or address>/Calendar/, an owacal: link to one of their\n" \
  "addresses, or what this run would write). Such values are kept and listed as\n" \
  "\"keep\" unless --force is given; so is someone else's URL or link. An owacal:\n" \
  "link in --link-attribute counts as owacal's when it names one of the person's\n" \
  "addresses.\n" \
  "\n" \
  "Undo: --apply first writes an undo LDIF of the previous values (--undo-file, by\n" \
  "default owacal-undo-DATE-TIME.ldif in the current directory), then changes each\n" \
  "entry, continuing past entries the directory refuses. --undo FILE puts the values\n" \
  "back, but only where they are still what owacal wrote (ldapmodify -c -f FILE does too).\n" \
  "\n" \
  "Exit status:\n" \
  "  0  done: a dry run, or every change made\n" \
  "  1  some entries could not be changed (listed on standard error); the rest were\n" \
  "  2  wrong usage\n" \
  "  3  could not connect to the directory or sign in\n" \
  "  4  the directory refused the work (attribute missing from its schema, search\n" \
  "     failed or hit a size or time limit, undo file not written); nothing was changed\n" \
  "  5  an --only or --exclude value matches nobody (named on standard error); nothing\n" \
  "     was changed, and a dry run shows what the rest would change\n" \
  "\n" \
  "Example:\n" \
  "  kinit admin@EXAMPLE.COM\n" \
  "  owacal-provision -H ldaps://dc1.example.com -Y -b dc=example,dc=com \\\n" \
  "      --exchange 2019                                         # look first\n" \
  "  owacal-provision ... --apply                                # then write\n" \
  "  owacal-provision --thunderbird-attrmap CorpAD               # for users' Thunderbird"

/**
 * oc_provision_options_clear:
 * @o: options
 */
void
oc_provision_options_clear (OcProvisionOptions *o)
{
  g_free (o->uri);
  g_free (o->ca_file);
  g_free (o->bind_dn);
  g_free (o->password_file);
  g_free (o->base);
  g_free (o->filter);
  g_free (o->exchange);
  g_free (o->url_template);
  g_free (o->owa_host);
  g_free (o->attribute);
  g_free (o->link_attribute);
  g_strfreev (o->only);
  g_strfreev (o->exclude);
  g_free (o->undo_file);
  g_free (o->undo);
  g_free (o->thunderbird_id);
}

static gboolean
usage_error (GError    **error,
             const char *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, message);
  return FALSE;
}

static gboolean
is_thunderbird_id (const char *id)
{
  if (*id == '\0')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._-", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* Options that make no sense together, or are missing. */
static gboolean
check (OcProvisionOptions *o,
       GError            **error)
{
  if (o->attribute == NULL)
    o->attribute = g_strdup ("extensionAttribute1");
  if (o->link_attribute != NULL && g_ascii_strcasecmp (o->link_attribute, o->attribute) == 0)
    return usage_error (error, "--link-attribute must differ from --attribute");
  if (o->thunderbird_id != NULL)
    return is_thunderbird_id (o->thunderbird_id) ||
           usage_error (error, "--thunderbird-attrmap takes the directory's id from prefs.js "
                               "(ldap_2.servers.<id>.uri): letters, digits, '.', '_' and '-'");
  if (o->uri == NULL)
    return usage_error (error, "Give the directory's address with -H ldap://HOST or -H ldaps://HOST");
  if (o->starttls && g_str_has_prefix (o->uri, "ldaps://"))
    return usage_error (error, "-Z (StartTLS) is for ldap:// addresses; ldaps:// already uses TLS");
  if (o->gssapi && o->bind_dn != NULL)
    return usage_error (error, "Choose one way to sign in: -Y (Kerberos) or -D DN (password)");
  if (o->password_file != NULL && o->bind_dn == NULL)
    return usage_error (error, "--password-file goes with -D DN");
  if (o->undo != NULL)
    {
      if (o->apply || o->exchange != NULL || o->url_template != NULL || o->undo_file != NULL)
        return usage_error (error, "--undo FILE applies the undo file by itself: leave out --apply, --exchange, "
                                   "--template and --undo-file");
      return TRUE;
    }
  if (o->base == NULL)
    return usage_error (error, "Give the search base with -b DN (for example dc=example,dc=com)");
  /* Whether --exchange needs --owa-host depends on the version: the version's
   * own check (oc_calendar_url_new_for_exchange) says so, and names it. */
  if ((o->exchange == NULL) == (o->url_template == NULL))
    return usage_error (error, "Choose the URL: --exchange VERSION (with --owa-host HOST up to 2013) or "
                               "--template TEMPLATE");
  if (o->page_size < 0)
    return usage_error (error, "--page-size must be 0 (no paging) or more");
  if (o->undo_file != NULL && !o->apply)
    return usage_error (error, "--undo-file goes with --apply (a dry run changes nothing to undo)");
  return TRUE;
}

/**
 * oc_provision_cli_parse:
 * @o: filled in
 * @argc: (inout): argument count
 * @argv: (inout): arguments; parsed ones are removed
 * @error: return location for a usage error
 *
 * Returns: whether the options are complete and consistent
 */
gboolean
oc_provision_cli_parse (OcProvisionOptions *o,
                        int                *argc,
                        char             ***argv,
                        GError            **error)
{
  const GOptionEntry entries[] = {
    { "uri", 'H', 0, G_OPTION_ARG_STRING, &o->uri, "Directory: ldap://HOST[:PORT] or ldaps://HOST[:PORT]", "URI" },
    { "starttls", 'Z', 0, G_OPTION_ARG_NONE, &o->starttls, "StartTLS on ldap://; stop if the server cannot", NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &o->ca_file, "Trust the CA certificates in FILE (PEM)", "FILE" },
    { "gssapi", 'Y', 0, G_OPTION_ARG_NONE, &o->gssapi, "Sign in with your Kerberos ticket (SASL GSSAPI)", NULL },
    { "bind-dn", 'D', 0, G_OPTION_ARG_STRING, &o->bind_dn, "Sign in as DN with a password (simple bind)", "DN" },
    { "password-file", 'y', 0, G_OPTION_ARG_FILENAME, &o->password_file,
      "Read the password from FILE's first line (- for standard input) instead of asking", "FILE" },
    { "base", 'b', 0, G_OPTION_ARG_STRING, &o->base, "Search below DN", "DN" },
    { "filter", 'f', 0, G_OPTION_ARG_STRING, &o->filter, "Which entries (default: Exchange mailbox users)", "FILTER" },
    { "page-size", 0, 0, G_OPTION_ARG_INT, &o->page_size, "Entries per page (default 1000; 0: no paging)", "N" },
    { "exchange", 0, 0, G_OPTION_ARG_STRING, &o->exchange, "Exchange version: 2003, 2007, 2010, 2013, 2016, 2019, se",
      "VERSION" },
    { "owa-host", 0, 0, G_OPTION_ARG_STRING, &o->owa_host, "The OWA server's name, optionally :PORT (up to 2013)", "HOST" },
    { "http", 0, 0, G_OPTION_ARG_NONE, &o->http, "Make http:// URLs (default https://; up to 2013)", NULL },
    { "template", 0, 0, G_OPTION_ARG_STRING, &o->url_template, "Make URLs from TEMPLATE ({mail}, {alias}, {host})",
      "TEMPLATE" },
    { "attribute", 0, 0, G_OPTION_ARG_STRING, &o->attribute, "Write the URL into ATTR (default extensionAttribute1)",
      "ATTR" },
    { "link-attribute", 0, 0, G_OPTION_ARG_STRING, &o->link_attribute,
      "Also write an owacal:ADDRESS link into ATTR (e.g. extensionAttribute2)", "ATTR" },
    { "only", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->only, "Only this address or (filter); repeatable", "WHO" },
    { "exclude", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->exclude, "Leave out this address or (filter); repeatable", "WHO" },
    { "apply", 0, 0, G_OPTION_ARG_NONE, &o->apply, "Write the changes (without it nothing is written)", NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &o->force, "Also replace values owacal did not write", NULL },
    { "undo-file", 0, 0, G_OPTION_ARG_FILENAME, &o->undo_file, "Where --apply writes the undo LDIF first", "FILE" },
    { "undo", 0, 0, G_OPTION_ARG_FILENAME, &o->undo, "Put back the values an --apply changed, from its undo FILE",
      "FILE" },
    { "thunderbird-attrmap", 0, 0, G_OPTION_ARG_STRING, &o->thunderbird_id,
      "Print the Thunderbird settings for the LDAP directory ID and exit", "ID" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);

  o->page_size = 1000;
  g_option_context_set_summary (context, SUMMARY);
  g_option_context_set_description (context, DESCRIPTION);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (*argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Unexpected argument “%s” (passwords go in --password-file or the prompt)", (*argv)[1]);
      return FALSE;
    }
  return check (o, error);
}

/**
 * oc_provision_cli_fail:
 * @status: the exit status to return
 * @error: what went wrong
 *
 * Returns: @status, after printing @error on standard error
 */
int
oc_provision_cli_fail (int           status,
                       const GError *error)
{
  g_printerr ("owacal-provision: %s\n", error->message);
  if (status == OC_PROVISION_EXIT_USAGE)
    g_printerr ("Try “owacal-provision --help”.\n");
  return status;
}

/**
 * oc_provision_cli_fail_message:
 * @status: the exit status to return
 * @format: printf-style message
 *
 * Returns: @status, after printing the message on standard error
 */
int
oc_provision_cli_fail_message (int         status,
                               const char *format,
                               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("owacal-provision: %s\n", message);
  return status;
}

/**
 * oc_provision_cli_fail_search:
 * @o: the options of the run
 * @error: why the search of the people ended early
 *
 * A search that ends early leaves a partial list, and a plan made from part of
 * the directory would look complete: nothing is changed then.  For the
 * directory's limits this also says what to do about them.
 *
 * Returns: %OC_PROVISION_EXIT_DIRECTORY, after printing on standard error
 */
int
oc_provision_cli_fail_search (const OcProvisionOptions *o,
                              const GError             *error)
{
  const char *in_parts = "or do the work in parts that each stay below the limit: a narrower -b BASE, --filter, or "
                         "--only/--exclude.";
  g_autofree char *advice = NULL;

  if (g_error_matches (error, OC_LDAP_ERROR, OC_LDAP_ERROR_SIZE_LIMIT) && o->page_size == 0)
    advice = g_strdup ("The search asked for all entries at once (--page-size 0): leave that out, and the search goes "
                       "page by page past the limit (Active Directory sends at most 1000 entries without paging).");
  else if (g_error_matches (error, OC_LDAP_ERROR, OC_LDAP_ERROR_SIZE_LIMIT))
    advice = g_strconcat ("Ask the directory's administrator for a higher size limit for the account you sign in "
                          "with, ", in_parts, NULL);
  else if (g_error_matches (error, OC_LDAP_ERROR, OC_LDAP_ERROR_TIME_LIMIT))
    advice = g_strconcat ("Try again when the directory is less busy, ask its administrator for a higher time limit "
                          "for the account you sign in with, ", in_parts, NULL);
  else if (g_error_matches (error, OC_LDAP_ERROR, OC_LDAP_ERROR_ADMIN_LIMIT) && o->page_size > 0)
    advice = g_strdup_printf ("If the directory does not allow pages of %d entries, ask for smaller ones with "
                              "--page-size N (Active Directory allows up to 1000).", o->page_size);
  return oc_provision_cli_fail_message (OC_PROVISION_EXIT_DIRECTORY,
                                        "%s. Nothing was changed: owacal-provision works from the whole list of "
                                        "people, never from part of it.%s%s", error->message,
                                        advice != NULL ? " " : "", advice != NULL ? advice : "");
}

/**
 * oc_provision_cli_report_unmatched:
 * @o: the options of the run
 * @unmatched_only: (nullable): --only values that match nobody
 * @unmatched_exclude: (nullable): --exclude values that match nobody
 *
 * Names each value that matches nobody, on standard error, and what happens
 * now: nothing is written, and a dry run shows what the rest would change.
 *
 * Returns: whether there was any such value (the run then exits
 *   %OC_PROVISION_EXIT_UNMATCHED)
 */
gboolean
oc_provision_cli_report_unmatched (const OcProvisionOptions *o,
                                   const char * const       *unmatched_only,
                                   const char * const       *unmatched_exclude)
{
  const char *filter = o->filter != NULL ? o->filter : "the default filter (Exchange mailbox users)";
  guint n = 0;

  for (gsize i = 0; unmatched_only != NULL && unmatched_only[i] != NULL; i++, n++)
    g_printerr ("owacal-provision: --only %s matches nobody below %s that %s selects\n", unmatched_only[i], o->base,
                filter);
  for (gsize i = 0; unmatched_exclude != NULL && unmatched_exclude[i] != NULL; i++, n++)
    g_printerr ("owacal-provision: --exclude %s matches nobody below %s that %s selects, so it leaves "
                "nobody out\n", unmatched_exclude[i], o->base, filter);
  if (n == 0)
    return FALSE;
  if (o->apply)
    g_printerr ("owacal-provision: Nothing was changed: correct or leave out what matches nobody, then run again.\n");
  else
    g_printerr ("owacal-provision: The dry run above shows the others; --apply changes nothing until what matches "
                "nobody is corrected or left out.\n");
  return TRUE;
}

/**
 * oc_provision_cli_thunderbird_lines:
 * @o: options with thunderbird_id and the attributes
 *
 * Returns: (transfer full): user.js lines mapping Thunderbird's Custom1 (and the
 *   Website field, which shows owacal: links as links) to the attributes
 */
char *
oc_provision_cli_thunderbird_lines (const OcProvisionOptions *o)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out,
                          "// For Thunderbird's LDAP directory \"%s\" (ldap_2.servers.%s.uri in prefs.js): put these\n"
                          "// lines into user.js in the profile, or set them in Settings > Config Editor.\n"
                          "// Custom1 holds the calendar URL that owacal opens for a contact.\n",
                          o->thunderbird_id, o->thunderbird_id);
  g_string_append_printf (out, "user_pref(\"ldap_2.servers.%s.attrmap.Custom1\", \"%s\");\n",
                          o->thunderbird_id, o->attribute);
  if (o->link_attribute != NULL)
    g_string_append_printf (out,
                            "// The Website field shows the owacal: link as a link that opens the calendar.\n"
                            "user_pref(\"ldap_2.servers.%s.attrmap.WebPage1\", \"%s\");\n",
                            o->thunderbird_id, o->link_attribute);
  return g_string_free (out, FALSE);
}

/**
 * oc_provision_cli_append_header:
 * @out: the output
 * @apply: whether changes are being written
 * @uri: the directory
 * @identity: (nullable): who we are signed in as ("dn:...", "" for anonymous)
 * @base: the search base
 * @filter: the whole search filter
 * @n_pages: how many pages the search took
 * @url_description: how the URLs are made
 * @attribute: where the URL goes
 * @link_attribute: (nullable): where the link goes
 *
 * Appends the comment lines that say what this run is about.
 */
void
oc_provision_cli_append_header (GString    *out,
                                gboolean    apply,
                                const char *uri,
                                const char *identity,
                                const char *base,
                                const char *filter,
                                guint       n_pages,
                                const char *url_description,
                                const char *attribute,
                                const char *link_attribute)
{
  if (apply)
    g_string_append (out, "# owacal-provision: applying the changes below\n");
  else
    g_string_append (out, "# owacal-provision: dry run, nothing was written (add --apply to write these changes)\n");
  g_string_append_printf (out, "# Directory: %s, signed in as %s\n", uri,
                          identity == NULL ? "(unknown)" : *identity == '\0' ? "anonymous" : identity);
  g_string_append_printf (out, "# Search: base %s, filter %s, %u page%s\n", base, filter, n_pages,
                          n_pages == 1 ? "" : "s");
  g_string_append_printf (out, "# Calendar URLs: %s, into %s\n", url_description, attribute);
  if (link_attribute != NULL)
    g_string_append_printf (out, "# owacal: links into %s\n", link_attribute);
}

/**
 * oc_provision_cli_append_summary:
 * @out: the output
 * @plan: the plan, applied or not
 * @apply: whether it was applied
 *
 * Appends the summary comment line.
 */
void
oc_provision_cli_append_summary (GString               *out,
                                 const OcProvisionPlan *plan,
                                 gboolean               apply)
{
  OcProvisionSummary s = oc_provision_plan_get_summary (plan);

  if (apply)
    g_string_append_printf (out, "# Summary: examined %u, changed %u, unchanged %u, skipped %u, failed %u\n",
                            s.examined, s.changed, s.unchanged, s.skipped, s.failed);
  else
    g_string_append_printf (out, "# Summary (dry run, nothing written): examined %u, would change %u, unchanged %u, "
                            "skipped %u, failed %u\n", s.examined, s.changed, s.unchanged, s.skipped, s.failed);
}

/**
 * oc_provision_cli_print_failures:
 * @plan: an applied plan
 *
 * Prints one line per entry the directory refused, on standard error.
 */
void
oc_provision_cli_print_failures (const OcProvisionPlan *plan)
{
  for (guint i = 0; i < oc_provision_plan_get_n_entries (plan); i++)
    {
      const OcProvisionEntry *entry = oc_provision_plan_get_entry (plan, i);

      if (entry->result == OC_PROVISION_RESULT_FAILED)
        g_printerr ("owacal-provision: could not change %s: %s\n", entry->person, entry->error->message);
    }
}

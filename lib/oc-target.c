/* oc-target.c: turn what the user typed or clicked into something to open.
 *
 * owacal is started from shells, desktop files, mail clients and D-Bus, so the
 * same person's calendar arrives in many spellings: a plain URL, an owacal:
 * link, a mailto: link, a bare address, a webcal: link or a path. Anything that
 * would make owacal fetch something other than a web page (file:, data:,
 * javascript:) is refused here, before any network or UI work. Only the
 * command line (or a file manager) names local calendar files: an owacal: link,
 * which any web page or chat can carry, never does (not as file:, nor as a path).
 */
#include "config.h"
#include "oc-target.h"

#include <string.h>

G_DEFINE_QUARK (oc-target-error-quark, oc_target_error)
G_DEFINE_BOXED_TYPE (OcTarget, oc_target, oc_target_copy, oc_target_free)

static OcTarget *parse_text (const char *text, gboolean in_link, GError **error);

static gboolean
has_prefix_ci (const char *text,
               const char *prefix)
{
  return g_ascii_strncasecmp (text, prefix, strlen (prefix)) == 0;
}

static gboolean
contains_space_or_control (const char *text)
{
  for (const char *p = text; *p; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return TRUE;
  return FALSE;
}

static gboolean
is_local_part_char (char c)
{
  return g_ascii_isalnum (c) || strchr (".!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

/**
 * oc_is_email_address:
 * @text: a string
 *
 * A deliberately plain check (local@domain, DNS labels), enough to tell an
 * address from a URL or a typo. Intranet domains without a dot are allowed.
 *
 * Returns: whether @text looks like an e-mail address
 */
gboolean
oc_is_email_address (const char *text)
{
  const char *at;
  gboolean label_start = TRUE;

  g_return_val_if_fail (text != NULL, FALSE);

  at = strchr (text, '@');
  if (at == NULL || at == text || strchr (at + 1, '@') != NULL || at[1] == '\0')
    return FALSE;
  if (text[0] == '.' || at[-1] == '.')
    return FALSE;
  for (const char *p = text; p < at; p++)
    if (!is_local_part_char (*p) || (p[0] == '.' && p[1] == '.'))
      return FALSE;
  for (const char *p = at + 1; *p; p++)
    {
      if (*p == '.')
        {
          if (label_start || p[-1] == '-')
            return FALSE;
          label_start = TRUE;
          continue;
        }
      if (!(g_ascii_isalnum (*p) || (*p == '-' && !label_start)))
        return FALSE;
      label_start = FALSE;
    }
  return !label_start;
}

/* GUri decodes the host: "l.%3F" is "l.?", which no URL made of it keeps.
 * A name, an address (IPv6 without its brackets) or an IDN's UTF-8. */
static gboolean
is_host_name (const char *host)
{
  if (strchr (host, ':') != NULL)
    return g_hostname_is_ip_address (host);
  for (const char *p = host; *p; p++)
    if (!g_ascii_isalnum (*p) && (guchar) *p < 0x80 && strchr ("-._", *p) == NULL)
      return FALSE;
  return TRUE;
}

static OcTarget *
parse_web_url (const char   *text,
               OcTargetKind  kind,
               GError      **error)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *scheme;
  const char *path;

  if (contains_space_or_control (text))
    {
      g_set_error (error, OC_TARGET_ERROR, OC_TARGET_ERROR_INVALID,
                   "“%s” is not a valid web address: it contains spaces", text);
      return NULL;
    }

  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, &local_error);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      !is_host_name (g_uri_get_host (uri)))
    {
      g_set_error (error, OC_TARGET_ERROR, OC_TARGET_ERROR_INVALID,
                   "“%s” is not a valid web address: %s", text,
                   local_error ? local_error->message : "it names no server");
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
    {
      g_set_error (error, OC_TARGET_ERROR, OC_TARGET_ERROR_UNSUPPORTED_SCHEME,
                   "“%s” is not an http or https address", text);
      return NULL;
    }

  /* A published calendar is iCalendar whatever link brought it. */
  path = g_uri_get_path (uri);
  if (kind == OC_TARGET_KIND_WEB && g_str_has_suffix (path, ".ics"))
    kind = OC_TARGET_KIND_ICALENDAR;

  if (*path == '\0')
    {
      g_autoptr (GUri) with_root = g_uri_build (G_URI_FLAGS_ENCODED, scheme,
                                                g_uri_get_userinfo (uri),
                                                g_uri_get_host (uri),
                                                g_uri_get_port (uri), "/",
                                                g_uri_get_query (uri),
                                                g_uri_get_fragment (uri));
      g_autofree char *normalized = g_uri_to_string (with_root);
      return oc_target_new (kind, normalized);
    }
  {
    g_autofree char *normalized = g_uri_to_string (uri);
    return oc_target_new (kind, normalized);
  }
}

static OcTarget *
parse_mailto (const char  *text,
              GError     **error)
{
  g_autofree char *address = NULL;
  const char *query;

  query = strchr (text, '?');
  address = g_uri_unescape_segment (text, query, NULL);
  if (address != NULL)
    g_strstrip (address);
  if (address == NULL || !oc_is_email_address (address))
    {
      g_set_error (error, OC_TARGET_ERROR, OC_TARGET_ERROR_INVALID,
                   "“mailto:%s” does not hold one e-mail address", text);
      return NULL;
    }
  {
    g_autofree char *lower = g_ascii_strdown (address, -1);
    return oc_target_new (OC_TARGET_KIND_EMAIL, lower);
  }
}

/* "host.example.com/…" or "host:8443/…": a server name (with a dot, or
 * localhost), an optional port, then a path. Not "alice@example.com/". */
static gboolean
looks_like_host_then_path (const char *text)
{
  const char *end = text + strcspn (text, ":/");
  const char *p;
  g_autofree char *host = g_strndup (text, end - text);

  if (*end == '\0' || !g_ascii_isalnum (text[0]))
    return FALSE;
  for (p = host; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '.' || *p == '-'))
      return FALSE;
  if (strchr (host, '.') == NULL && g_ascii_strcasecmp (host, "localhost") != 0)
    return FALSE;
  if (*end == ':')
    {
      for (p = end + 1; g_ascii_isdigit (*p); p++)
        ;
      if (p == end + 1 || (*p != '/' && *p != '\0'))
        return FALSE;
    }
  return TRUE;
}

static OcTarget *
parse_owacal_link (const char  *rest,
                   GError     **error)
{
  g_autofree char *unescaped = NULL;

  /* Desktops and mail clients turn owacal:x into owacal://x, sometimes with
   * the inner URL's "//" reduced or percent-encoded. */
  while (*rest == '/')
    rest++;
  if (g_ascii_strcasecmp (rest, "demo") == 0 || g_ascii_strcasecmp (rest, "demo/") == 0)
    return oc_target_new (OC_TARGET_KIND_DEMO, NULL);
  if (has_prefix_ci (rest, "https//") || has_prefix_ci (rest, "http//"))
    {
      g_autofree char *fixed = NULL;
      const char *sep = strstr (rest, "//");
      fixed = g_strdup_printf ("%.*s://%s", (int) (sep - rest), rest, sep + 2);
      return parse_text (fixed, TRUE, error);
    }
  if (strchr (rest, '%') != NULL)
    {
      unescaped = g_uri_unescape_string (rest, NULL);
      if (unescaped != NULL)
        rest = unescaped;
    }
  if (has_prefix_ci (rest, "https:/") && !has_prefix_ci (rest, "https://"))
    {
      g_autofree char *fixed = g_strconcat ("https://", rest + 7, NULL);
      return parse_text (fixed, TRUE, error);
    }
  if (has_prefix_ci (rest, "http:/") && !has_prefix_ci (rest, "http://"))
    {
      g_autofree char *fixed = g_strconcat ("http://", rest + 6, NULL);
      return parse_text (fixed, TRUE, error);
    }
  if (looks_like_host_then_path (rest))
    {
      /* "owacal://mail.example.com/owa/…" names the server itself, as
       * "webcal://host/…" does; owacal: links only ever mean https. */
      g_autofree char *fixed = g_strconcat ("https://", rest, NULL);
      return parse_text (fixed, TRUE, error);
    }
  {
    g_autofree char *trimmed = g_strdup (rest);
    /* "owacal://alice@example.com/" comes back with a trailing slash. */
    if (strchr (trimmed, ':') == NULL)
      {
        gsize len = strlen (trimmed);
        while (len > 0 && trimmed[len - 1] == '/')
          trimmed[--len] = '\0';
      }
    return parse_text (trimmed, TRUE, error);
  }
}

static gboolean
looks_like_host_and_path (const char *text)
{
  const char *slash = strchr (text, '/');
  const char *dot = strchr (text, '.');

  return dot != NULL && (slash == NULL || dot < slash) && g_ascii_isalnum (text[0]) &&
         !contains_space_or_control (text);
}

/* Whether @text (without a scheme) names a file rather than a person: it
 * starts as a path does, or it is an .ics name with a directory in it. Only
 * outside a link does a file that exists count too (a bare "team.ics"): a
 * link's text is never looked up on disk. This comes before the e-mail check,
 * whose local part allows '/': "/home/u/alice@x.com.ics" is a file. */
static gboolean
looks_like_path (const char *text,
                 gboolean    in_link)
{
  if (text[0] == '/' || text[0] == '.' || g_str_has_prefix (text, "~/"))
    return TRUE;
  if (!g_str_has_suffix (text, ".ics"))
    return FALSE;
  return strchr (text, '/') != NULL || (!in_link && g_file_test (text, G_FILE_TEST_EXISTS));
}

/* An absolute path without "." and ".." (and "~/" read as the home directory,
 * where no shell expanded it: a launcher, D-Bus). */
static char *
canonical_path (const char *text)
{
  if (g_str_has_prefix (text, "~/"))
    return g_canonicalize_filename (text + 2, g_get_home_dir ());
  return g_canonicalize_filename (text, NULL);
}

static OcTarget *
parse_local_path (const char  *text,
                  gboolean     in_link,
                  GError     **error)
{
  g_autofree char *path = NULL;

  /* A web page, a chat or a mail can carry an owacal: link: it must not make
   * owacal read a file of this computer. Only the command line may. */
  if (in_link)
    {
      g_set_error (error, OC_TARGET_ERROR, OC_TARGET_ERROR_LOCAL_FILE,
                   "A link cannot open a file on this computer (“%s”): open the file itself instead", text);
      return NULL;
    }
  if (!g_str_has_suffix (text, ".ics"))
    {
      g_set_error (error, OC_TARGET_ERROR, OC_TARGET_ERROR_INVALID,
                   "“%s” is not a calendar file (.ics), a web address or an e-mail address", text);
      return NULL;
    }
  path = canonical_path (text);
  return oc_target_new (OC_TARGET_KIND_ICALENDAR_FILE, path);
}

/* A file manager opens an .ics file as file:///…/x.ics. Anything else
 * (another file, another host's file) is %NULL. */
static OcTarget *
parse_file_uri (const char *text)
{
  g_autofree char *hostname = NULL;
  g_autofree char *path = g_filename_from_uri (text, &hostname, NULL);
  g_autofree char *canonical = NULL;

  if (path == NULL || !g_str_has_suffix (path, ".ics") ||
      (hostname != NULL && g_ascii_strcasecmp (hostname, "localhost") != 0))
    return NULL;
  canonical = g_canonicalize_filename (path, NULL);
  return oc_target_new (OC_TARGET_KIND_ICALENDAR_FILE, canonical);
}

/* @in_link: @text came inside an owacal: link, which a web page may carry:
 * no further link prefix, no file: URI and no local path then. */
static OcTarget *
parse_text (const char *text,
            gboolean    in_link,
            GError    **error)
{
  g_autofree char *scheme = NULL;

  if (*text == '\0')
    {
      g_set_error_literal (error, OC_TARGET_ERROR, OC_TARGET_ERROR_EMPTY,
                           "Nothing to open: give a calendar address or an e-mail address");
      return NULL;
    }

  /* Not g_uri_peek_scheme(): it interns every scheme it sees, for the life of
   * the process, and links and directory values bring any text. */
  scheme = g_uri_parse_scheme (text);
  if (scheme != NULL)
    {
      char *lower = g_ascii_strdown (scheme, -1);
      g_free (scheme);
      scheme = lower;
    }
  if (scheme == NULL)
    {
      if (looks_like_path (text, in_link))
        return parse_local_path (text, in_link, error);
      if (oc_is_email_address (text))
        {
          g_autofree char *lower = g_ascii_strdown (text, -1);
          return oc_target_new (OC_TARGET_KIND_EMAIL, lower);
        }
      if (looks_like_host_and_path (text))
        g_set_error (error, OC_TARGET_ERROR, OC_TARGET_ERROR_INVALID,
                     "“%s” is not a full web address. Did you mean “https://%s”?", text, text);
      else
        g_set_error (error, OC_TARGET_ERROR, OC_TARGET_ERROR_INVALID,
                     "“%s” is neither a web address nor an e-mail address", text);
      return NULL;
    }

  if (g_str_equal (scheme, "http") || g_str_equal (scheme, "https"))
    return parse_web_url (text, OC_TARGET_KIND_WEB, error);

  if (g_str_equal (scheme, "webcal") || g_str_equal (scheme, "webcals"))
    {
      g_autofree char *http = g_strconcat (g_str_equal (scheme, "webcals") ? "https" : "http",
                                           text + strlen (scheme), NULL);
      g_autoptr (GError) local_error = NULL;
      OcTarget *target = parse_web_url (http, OC_TARGET_KIND_ICALENDAR, &local_error);

      /* Say what the user gave, not the http(s) address it stands for. */
      if (target == NULL)
        g_set_error (error, local_error->domain, local_error->code, "“%s” is not a valid calendar address: %s",
                     text, strstr (local_error->message, ": ") ? strstr (local_error->message, ": ") + 2
                                                                : local_error->message);
      return target;
    }

  if (g_str_equal (scheme, "mailto"))
    return parse_mailto (text + strlen ("mailto:"), error);

  /* Not from an owacal: link, which a web page may carry: a page must not
   * open local files. */
  if (g_str_equal (scheme, "file") && !in_link)
    {
      OcTarget *target = parse_file_uri (text);
      if (target != NULL)
        return target;
    }

  if (g_str_equal (scheme, "owacal") && !in_link)
    return parse_owacal_link (text + strlen ("owacal:"), error);

  if (looks_like_host_and_path (text) && g_ascii_isdigit (text[strlen (scheme) + 1]))
    {
      /* "mail.example.com:8443/owa" parses as scheme "mail.example.com". */
      g_set_error (error, OC_TARGET_ERROR, OC_TARGET_ERROR_INVALID,
                   "“%s” is not a full web address. Did you mean “https://%s”?", text, text);
      return NULL;
    }

  g_set_error (error, OC_TARGET_ERROR, OC_TARGET_ERROR_UNSUPPORTED_SCHEME,
               "owacal opens web (http, https), webcal and owacal links and e-mail addresses, "
               "not “%s:” links", scheme);
  return NULL;
}

/**
 * oc_target_parse:
 * @text: a URL, an owacal:, mailto: or webcal: link, an e-mail address, or a path to an .ics file
 * @error: return location for a #GError in the %OC_TARGET_ERROR domain
 *
 * Returns: (transfer full) (nullable): the target, or %NULL with @error set
 */
OcTarget *
oc_target_parse (const char  *text,
                 GError     **error)
{
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  return parse_text (trimmed, FALSE, error);
}

/**
 * oc_target_new:
 * @kind: the kind
 * @value: (nullable): the value, see #OcTarget
 *
 * Returns: (transfer full): a new target
 */
OcTarget *
oc_target_new (OcTargetKind  kind,
               const char   *value)
{
  OcTarget *target = g_new0 (OcTarget, 1);

  target->kind = kind;
  target->value = g_strdup (value);
  return target;
}

OcTarget *
oc_target_copy (const OcTarget *target)
{
  g_return_val_if_fail (target != NULL, NULL);
  return oc_target_new (target->kind, target->value);
}

void
oc_target_free (OcTarget *target)
{
  if (target == NULL)
    return;
  g_free (target->value);
  g_free (target);
}

/**
 * oc_target_to_string:
 * @target: a target
 *
 * Returns: (transfer full): a short, human-readable form, for messages and tests
 */
char *
oc_target_to_string (const OcTarget *target)
{
  static const char *const names[] = { "web", "email", "icalendar", "icalendar-file", "demo", "exchange" };

  g_return_val_if_fail (target != NULL, NULL);
  return g_strdup_printf ("%s %s", names[target->kind], target->value ? target->value : "");
}

/**
 * oc_target_to_argument:
 * @target: a target
 *
 * The form to hand to owacal again, as a command-line argument or in a
 * launcher: oc_target_parse() turns it back into an equal target, and it is
 * valid UTF-8. A published calendar keeps its webcal: or webcals: scheme,
 * which an http(s) URL without ".ics" would lose; a file whose name is not
 * UTF-8 becomes a file: URI.
 *
 * Returns: (transfer full): the argument
 */
char *
oc_target_to_argument (const OcTarget *target)
{
  g_return_val_if_fail (target != NULL, NULL);

  switch (target->kind)
    {
    case OC_TARGET_KIND_DEMO:
      return g_strdup ("owacal:demo");
    case OC_TARGET_KIND_ICALENDAR:
      if (has_prefix_ci (target->value, "https://"))
        return g_strconcat ("webcals://", target->value + strlen ("https://"), NULL);
      if (has_prefix_ci (target->value, "http://"))
        return g_strconcat ("webcal://", target->value + strlen ("http://"), NULL);
      return g_strdup (target->value);
    case OC_TARGET_KIND_ICALENDAR_FILE:
      /* A file name is bytes; a launcher's Exec= line is UTF-8 text. */
      if (!g_utf8_validate (target->value, -1, NULL))
        return g_filename_to_uri (target->value, NULL, NULL);
      return g_strdup (target->value);
    case OC_TARGET_KIND_EXCHANGE:
      /* The person: looked up again, she is found on Exchange again. */
    case OC_TARGET_KIND_EMAIL:
      /* An address whose local part starts like a path ("/@t", "~/x@y": legal
       * local parts) would be read back as a file. */
      if (looks_like_path (target->value, TRUE))
        {
          g_autofree char *escaped = g_uri_escape_string (target->value, "@", FALSE);
          return g_strconcat ("mailto:", escaped, NULL);
        }
      return g_strdup (target->value);
    case OC_TARGET_KIND_WEB:
    default:
      return g_strdup (target->value);
    }
}

/* oc-logon-form.c: Outlook Web Access's sign-in page, read and filled in.
 *
 * With forms-based authentication (optional on Exchange 2003, the default
 * from 2007 on), OWA answers an unauthenticated GET with a redirect to its
 * sign-in page (/exchweb/bin/auth/owalogon.asp on 2003, /owa/auth/logon.aspx
 * later), whose form posts to owaauth.dll (2003, 2007) or auth.owa (2010+).
 * The pages differ by version and by customisation, so owacal reads the
 * form instead of assuming it: its action, its hidden fields (destination,
 * flags, forcedownlevel, isUtf8, ...), and which inputs take the user name
 * and the password. Only the few pieces of HTML a form needs are parsed;
 * script and style contents and comments are skipped, as they may hold
 * "<form" in strings.
 */
#include "config.h"
#include "oc-logon-form.h"

#include <string.h>
#include <gio/gio.h>

#include "oc-http-error.h"

typedef struct {
  char *type;                  /* lower case; "text" when absent */
  char *name;
  char *value;
  gboolean checked;
} Input;

struct _OcLogonForm {
  char *action;                /* absolute */
  GPtrArray *inputs;           /* Input */
};

static void
input_free (Input *input)
{
  g_free (input->type);
  g_free (input->name);
  g_free (input->value);
  g_free (input);
}

/* Reading HTML */

static void
append_entity (GString     *out,
               const char **p)
{
  static const struct { const char *name; const char *text; } named[] = {
    { "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" }, { "quot;", "\"" }, { "apos;", "'" },
  };
  const char *s = *p + 1;

  for (gsize i = 0; i < G_N_ELEMENTS (named); i++)
    if (g_ascii_strncasecmp (s, named[i].name, strlen (named[i].name)) == 0)
      {
        g_string_append (out, named[i].text);
        *p = s + strlen (named[i].name);
        return;
      }
  if (*s == '#')
    {
      gboolean hex = s[1] == 'x' || s[1] == 'X';
      char *end = NULL;
      guint64 code = g_ascii_strtoull (s + (hex ? 2 : 1), &end, hex ? 16 : 10);

      if (end != NULL && *end == ';' && code > 0 && code <= 0x10FFFF && g_unichar_validate ((gunichar) code))
        {
          g_string_append_unichar (out, (gunichar) code);
          *p = end + 1;
          return;
        }
    }
  g_string_append_c (out, '&');
  *p = s;
}

static char *
decode_entities (const char *text,
                 gsize       length)
{
  GString *out = g_string_sized_new (length);
  const char *end = text + length;

  for (const char *p = text; p < end;)
    {
      if (*p == '&')
        append_entity (out, &p);
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* Reads the attributes of a tag from just after its name to its ">";
 * returns where the tag ends. Names are lower-cased, values decoded. */
static const char *
read_attributes (const char *p,
                 const char *end,
                 GHashTable *attributes)
{
  while (p < end && *p != '>')
    {
      const char *name;
      g_autofree char *key = NULL;
      char *value = NULL;

      if (g_ascii_isspace (*p) || *p == '/')
        {
          p++;
          continue;
        }
      name = p;
      while (p < end && !g_ascii_isspace (*p) && *p != '=' && *p != '>' && *p != '/')
        p++;
      key = g_ascii_strdown (name, p - name);
      while (p < end && g_ascii_isspace (*p))
        p++;
      if (p < end && *p == '=')
        {
          const char *start;

          p++;
          while (p < end && g_ascii_isspace (*p))
            p++;
          if (p < end && (*p == '"' || *p == '\''))
            {
              char quote = *p++;
              start = p;
              while (p < end && *p != quote)
                p++;
              value = decode_entities (start, p - start);
              if (p < end)
                p++;
            }
          else
            {
              start = p;
              while (p < end && !g_ascii_isspace (*p) && *p != '>')
                p++;
              value = decode_entities (start, p - start);
            }
        }
      g_hash_table_replace (attributes, g_steal_pointer (&key), value ? value : g_strdup (""));
    }
  return p < end ? p + 1 : end;
}

/* Skips a comment, or the raw text of a script or style element. */
static const char *
skip_raw (const char *p,
          const char *end)
{
  static const char *const raw[][2] = {
    { "<!--", "-->" }, { "<script", "</script" }, { "<style", "</style" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (raw); i++)
    if ((gsize) (end - p) >= strlen (raw[i][0]) && g_ascii_strncasecmp (p, raw[i][0], strlen (raw[i][0])) == 0)
      {
        const char *closing = raw[i][1];
        for (p += strlen (raw[i][0]); p < end; p++)
          if ((gsize) (end - p) >= strlen (closing) && g_ascii_strncasecmp (p, closing, strlen (closing)) == 0)
            return p + strlen (closing);
        return end;
      }
  return NULL;
}

static gboolean
form_has_password (GPtrArray *inputs)
{
  for (guint i = 0; i < inputs->len; i++)
    if (g_str_equal (((Input *) g_ptr_array_index (inputs, i))->type, "password"))
      return TRUE;
  return FALSE;
}

static Input *
input_new (GHashTable *attributes)
{
  Input *input = g_new0 (Input, 1);
  const char *type = g_hash_table_lookup (attributes, "type");

  input->type = g_ascii_strdown (type && *type ? type : "text", -1);
  input->name = g_strdup (g_hash_table_lookup (attributes, "name"));
  input->value = g_strdup (g_hash_table_lookup (attributes, "value"));
  input->checked = g_hash_table_contains (attributes, "checked");
  return input;
}

/* Public API */

/**
 * oc_logon_form_parse:
 * @html: the sign-in page
 * @length: the length of @html, or -1 if it is nul-terminated
 * @page_url: the page's address, against which the form's action resolves
 * @error: return location for a #GError
 *
 * Finds the first form that holds a password field.
 *
 * Returns: (transfer full) (nullable): the form, or %NULL if the page has none
 */
OcLogonForm *
oc_logon_form_parse (const char  *html,
                     gssize       length,
                     const char  *page_url,
                     GError     **error)
{
  const char *end = html + (length < 0 ? strlen (html) : (gsize) length);
  g_autoptr (GPtrArray) inputs = NULL;
  g_autofree char *action = NULL;
  const char *p = html;

  while (p < end && (p = memchr (p, '<', end - p)) != NULL)
    {
      const char *skipped = skip_raw (p, end);
      const char *name = p + 1;
      g_autoptr (GHashTable) attributes = NULL;
      g_autofree char *tag = NULL;

      if (skipped != NULL)
        {
          p = skipped;
          continue;
        }
      while (name < end && (g_ascii_isalnum (*name) || *name == '/'))
        name++;
      tag = g_ascii_strdown (p + 1, name - p - 1);
      attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      p = read_attributes (name, end, attributes);

      if (g_str_equal (tag, "form"))
        {
          g_clear_pointer (&inputs, g_ptr_array_unref);
          inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) input_free);
          g_free (action);
          action = g_strdup (g_hash_table_lookup (attributes, "action"));
        }
      else if (g_str_equal (tag, "input") && inputs != NULL)
        g_ptr_array_add (inputs, input_new (attributes));
      else if (g_str_equal (tag, "/form") && inputs != NULL)
        {
          if (form_has_password (inputs))
            break;
          g_clear_pointer (&inputs, g_ptr_array_unref);
        }
    }

  if (inputs == NULL || !form_has_password (inputs))
    {
      g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED,
                   "The sign-in page of %s has no password form owacal understands.", page_url);
      return NULL;
    }
  {
    OcLogonForm *self = g_new0 (OcLogonForm, 1);
    /* An empty or missing action posts back to the page itself. */
    self->action = g_uri_resolve_relative (page_url, action && *action ? action : page_url,
                                           G_URI_FLAGS_ENCODED, NULL);
    self->inputs = g_steal_pointer (&inputs);
    if (self->action == NULL)
      {
        g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED,
                     "The sign-in form of %s posts to an address owacal cannot read.", page_url);
        oc_logon_form_free (self);
        return NULL;
      }
    return self;
  }
}

void
oc_logon_form_free (OcLogonForm *self)
{
  g_free (self->action);
  g_ptr_array_unref (self->inputs);
  g_free (self);
}

/**
 * oc_logon_form_get_action:
 * @self: a form
 *
 * Returns: the absolute address the form posts to
 */
const char *
oc_logon_form_get_action (OcLogonForm *self)
{
  return self->action;
}

static void
add_field (GString    *body,
           const char *name,
           const char *value)
{
  g_autofree char *n = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *v = g_uri_escape_string (value ? value : "", NULL, FALSE);

  g_string_append_printf (body, "%s%s=%s", body->len ? "&" : "", n, v);
}

/* OWA's radio group "trusted" says whether this is a public (0) or a
 * private (4) computer; private gets the longer session, and OWA's own
 * script then also sets bit 4 in the hidden "flags". owacal runs on the
 * user's own computer. */
static const char *
choose_radio (GPtrArray  *inputs,
              const char *group)
{
  const char *checked = NULL;

  for (guint i = 0; i < inputs->len; i++)
    {
      Input *input = g_ptr_array_index (inputs, i);
      if (!g_str_equal (input->type, "radio") || g_strcmp0 (input->name, group) != 0)
        continue;
      if (g_ascii_strcasecmp (group, "trusted") == 0 && g_strcmp0 (input->value, "4") == 0)
        return input->value;
      if (input->checked && checked == NULL)
        checked = input->value ? input->value : "on";
    }
  return checked;
}

/**
 * oc_logon_form_encode:
 * @self: a form
 * @user: the user name, for the form's first text field
 * @password: the password, for its password field
 * @destination: (nullable): where to land afterwards, if the form has no
 *   "destination" field of its own
 *
 * Fills the form in as a browser would submit it: hidden fields as given,
 * checked boxes and radio buttons, the first named submit button.
 *
 * Returns: (transfer full): an application/x-www-form-urlencoded body
 */
GBytes *
oc_logon_form_encode (OcLogonForm *self,
                      const char  *user,
                      const char  *password,
                      const char  *destination)
{
  g_autoptr (GHashTable) radios_done = g_hash_table_new (g_str_hash, g_str_equal);
  GString *body = g_string_new (NULL);
  const char *trusted = choose_radio (self->inputs, "trusted");
  gboolean user_done = FALSE, password_done = FALSE, submit_done = FALSE, has_destination = FALSE;

  for (guint i = 0; i < self->inputs->len; i++)
    {
      Input *input = g_ptr_array_index (self->inputs, i);
      const char *type = input->type;

      if (input->name == NULL || *input->name == '\0')
        continue;
      has_destination |= g_ascii_strcasecmp (input->name, "destination") == 0;
      if (g_str_equal (type, "password"))
        {
          if (!password_done)
            add_field (body, input->name, password);
          password_done = TRUE;
        }
      else if (g_str_equal (type, "text") || g_str_equal (type, "email"))
        {
          add_field (body, input->name, user_done ? input->value : user);
          user_done = TRUE;
        }
      else if (g_str_equal (type, "radio"))
        {
          const char *value = choose_radio (self->inputs, input->name);
          if (value != NULL && !g_hash_table_contains (radios_done, input->name))
            add_field (body, input->name, value);
          g_hash_table_add (radios_done, input->name);
        }
      else if (g_str_equal (type, "checkbox"))
        {
          if (input->checked)
            add_field (body, input->name, input->value ? input->value : "on");
        }
      else if (g_str_equal (type, "submit") || g_str_equal (type, "image"))
        {
          if (!submit_done)
            add_field (body, input->name, input->value);
          submit_done = TRUE;
        }
      else if (g_str_equal (type, "hidden"))
        {
          if (g_ascii_strcasecmp (input->name, "flags") == 0 && g_strcmp0 (trusted, "4") == 0)
            {
              g_autofree char *flags = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                        g_ascii_strtoull (input->value ? input->value : "0",
                                                                          NULL, 10) | 4);
              add_field (body, input->name, flags);
            }
          else
            add_field (body, input->name, input->value);
        }
    }
  if (!has_destination && destination != NULL)
    add_field (body, "destination", destination);
  return g_string_free_to_bytes (body);
}

static gboolean
path_ends_with (const char *path,
                const char *suffix)
{
  gsize path_len = strlen (path), suffix_len = strlen (suffix);

  return path_len >= suffix_len && g_ascii_strcasecmp (path + path_len - suffix_len, suffix) == 0;
}

/**
 * oc_logon_form_is_logon_url:
 * @url: an http(s) URL
 *
 * Returns: whether @url is OWA's sign-in page (2003 or 2007 and later)
 */
gboolean
oc_logon_form_is_logon_url (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  const char *path = uri ? g_uri_get_path (uri) : NULL;

  return path != NULL && (path_ends_with (path, "/auth/logon.aspx") ||
                          path_ends_with (path, "/exchweb/bin/auth/owalogon.asp"));
}

/**
 * oc_logon_form_guess_logon_url:
 * @url: an address of OWA that answered 440 Login Timeout
 *
 * A 440 names no sign-in page; OWA's own scripts know where it is. Pages
 * under /exchange and /public are Exchange 2003's, the rest /owa's.
 *
 * Returns: (transfer full) (nullable): the sign-in page that leads back to @url
 */
char *
oc_logon_form_guess_logon_url (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  gboolean exchange_2003;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  exchange_2003 = g_ascii_strncasecmp (g_uri_get_path (uri), "/exchange", 9) == 0 ||
                  g_ascii_strncasecmp (g_uri_get_path (uri), "/public", 7) == 0;
  escaped = g_uri_escape_string (url, NULL, FALSE);
  path = g_strdup_printf ("%s?url=%s&reason=0",
                          exchange_2003 ? "/exchweb/bin/auth/owalogon.asp" : "/owa/auth/logon.aspx", escaped);
  return g_uri_resolve_relative (url, path, G_URI_FLAGS_ENCODED, NULL);
}

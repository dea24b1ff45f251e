/* oc-logon-form.c: Outlook Web Access's sign-in page, read and filled in.
 *
 * With forms-based authentication (optional on Exchange 2003, the default
 * from 2007 on), OWA answers an unauthenticated GET with a redirect to its
 * sign-in page (/exchweb/bin/auth/owalogon.asp on 2003, /owa/auth/logon.aspx
 * later), whose form posts to owaauth.dll (2003, 2007) or auth.owa (2010+).
 * The pages differ by version and by customisation, so owacal reads the
 * form instead of assuming it: its action, its hidden fields (destination,
 * flags, forcedownlevel, isUtf8, ...), and which inputs take the user name
 * and the password.
 *
 * The page is whatever the server (or a proxy's error page) sent, so it is
 * read by libxml2's HTML parser, which copes with what browsers cope with:
 * unclosed and upper-case tags, unquoted attributes, entities, and script,
 * style and comments that may hold "<form" in strings. It reads exactly the
 * body's bytes: an answer has a length and no terminating NUL.
 */
#include "config.h"
#include "oc-logon-form.h"

#include <string.h>
#include <gio/gio.h>
#include <libxml/HTMLparser.h>

#include "oc-http-error.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

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

/* An attribute's value, entities decoded, in GLib's memory; NULL when absent. */
static char *
dup_attribute (xmlNode    *element,
               const char *name)
{
  xmlChar *value = xmlGetProp (element, (const xmlChar *) name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

static gboolean
is_element (xmlNode    *node,
            const char *name)
{
  /* The HTML parser lower-cases element names. */
  return node->type == XML_ELEMENT_NODE && g_str_equal ((const char *) node->name, name);
}

/* The node after @node in document order within @root's subtree, or NULL;
 * a loop rather than recursion, as a hostile page may nest deeply. */
static xmlNode *
next_in_document (xmlNode *node,
                  xmlNode *root)
{
  if (node->children != NULL)
    return node->children;
  for (; node != NULL && node != root; node = node->parent)
    if (node->next != NULL)
      return node->next;
  return NULL;
}

static Input *
input_new (xmlNode *element)
{
  Input *input = g_new0 (Input, 1);
  g_autofree char *type = dup_attribute (element, "type");

  input->type = g_ascii_strdown (type && *type ? type : "text", -1);
  input->name = dup_attribute (element, "name");
  input->value = dup_attribute (element, "value");
  input->checked = xmlHasProp (element, (const xmlChar *) "checked") != NULL;
  return input;
}

/* The inputs inside @form, in document order, or NULL when none of them
 * takes a password. */
static GPtrArray *
read_password_form (xmlNode *form)
{
  g_autoptr (GPtrArray) inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) input_free);
  gboolean has_password = FALSE;

  for (xmlNode *node = form->children; node != NULL; node = next_in_document (node, form))
    if (is_element (node, "input"))
      {
        Input *input = input_new (node);

        has_password |= g_str_equal (input->type, "password");
        g_ptr_array_add (inputs, input);
      }
  return has_password ? g_steal_pointer (&inputs) : NULL;
}

/* Public API */

/* The form's action as an absolute http(s) URL, or %NULL: the password goes
 * nowhere else. An absolute action is parsed, not resolved: GLib 2.74
 * resolving one such as "http:/.//a" fails an assertion. */
static char *
resolve_action (const char *page_url,
                const char *action)
{
  g_autofree char *scheme = g_uri_parse_scheme (action);
  g_autoptr (GUri) uri = NULL;

  if (scheme == NULL)
    return g_uri_resolve_relative (page_url, action, G_URI_FLAGS_ENCODED, NULL);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return NULL;
  uri = g_uri_parse (action, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;
  return g_uri_to_string (uri);
}

/**
 * oc_logon_form_parse:
 * @html: (array length=length): the sign-in page, as the server sent it
 * @length: the length of @html in bytes, or -1 if it is nul-terminated
 * @page_url: the page's address, against which the form's action resolves
 * @error: return location for a #GError
 *
 * Finds the first form, in document order, that holds a password field.
 * Only the @length bytes of @html are read.
 *
 * Returns: (transfer full) (nullable): the form, or %NULL if the page has none
 */
OcLogonForm *
oc_logon_form_parse (const char  *html,
                     gssize       length,
                     const char  *page_url,
                     GError     **error)
{
  const int options = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER;
  gsize size = length < 0 ? strlen (html) : (gsize) length;
  g_autoptr (xmlDoc) doc = NULL;
  g_autoptr (GPtrArray) inputs = NULL;
  g_autofree char *action = NULL;
  xmlNode *root;
  OcLogonForm *self;

  g_return_val_if_fail (html != NULL || length == 0, NULL);
  g_return_val_if_fail (page_url != NULL, NULL);

  /* No encoding is given: a <meta charset> the page declares is honoured,
   * UTF-8 is assumed otherwise; either way the tree holds UTF-8. An empty
   * page gives no document at all. */
  if (size <= G_MAXINT)
    doc = htmlReadMemory (html != NULL ? html : "", (int) size, NULL, NULL, options);
  root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  for (xmlNode *node = root; node != NULL && inputs == NULL; node = next_in_document (node, root))
    if (is_element (node, "form") && (inputs = read_password_form (node)) != NULL)
      action = dup_attribute (node, "action");

  if (inputs == NULL)
    {
      g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED,
                   "The sign-in page of %s has no password form owacal understands.", page_url);
      return NULL;
    }
  self = g_new0 (OcLogonForm, 1);
  /* An empty or missing action posts back to the page itself. */
  self->action = resolve_action (page_url, action && *action ? action : page_url);
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

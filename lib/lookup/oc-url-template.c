/* oc-url-template.c: a calendar address made from an e-mail address.
 *
 * The last resort of the lookup, for sites where every calendar lives at a
 * predictable address: https://mail.example.com/owa/{email}/?cmd=contents.
 * The address is percent-encoded except for '@', so that a local part with
 * '/', '?', '#', '&' or '%' in it (all legal in e-mail) stays one path
 * segment or query value instead of changing the URL's shape.
 */
#include "config.h"
#include "oc-url-template.h"

#include <string.h>

#include "oc-target.h"

static const struct {
  const char *name;
  int part;  /* 0 whole address, 1 local part, 2 domain */
} placeholders[] = {
  { "{email}", 0 },
  { "{local}", 1 },
  { "{domain}", 2 },
};

static char *
encode (const char *text)
{
  return g_uri_escape_string (text, "@", FALSE);
}

/**
 * oc_url_template_expand:
 * @url_template: a URL with {email}, {local} and {domain} placeholders
 * @email: an e-mail address
 * @error: return location for a #GError in %OC_TARGET_ERROR
 *
 * Returns: (transfer full) (nullable): the URL, or %NULL with @error set if
 *   @email is not an address or @url_template names an unknown placeholder
 */
char *
oc_url_template_expand (const char  *url_template,
                        const char  *email,
                        GError     **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *local = NULL;
  const char *at;
  const char *p = url_template;

  g_return_val_if_fail (url_template != NULL && email != NULL, NULL);

  at = strrchr (email, '@');
  if (!oc_is_email_address (email) || at == NULL)
    {
      g_set_error (error, OC_TARGET_ERROR, OC_TARGET_ERROR_INVALID, "“%s” is not an e-mail address", email);
      return NULL;
    }
  local = g_strndup (email, at - email);

  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      gboolean replaced = FALSE;

      if (open == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, open - p);
      for (gsize i = 0; i < G_N_ELEMENTS (placeholders) && !replaced; i++)
        if (g_str_has_prefix (open, placeholders[i].name))
          {
            const char *value = placeholders[i].part == 0 ? email : placeholders[i].part == 1 ? local : at + 1;
            g_autofree char *encoded = encode (value);
            g_string_append (out, encoded);
            p = open + strlen (placeholders[i].name);
            replaced = TRUE;
          }
      if (!replaced)
        {
          const char *close = strchr (open, '}');
          g_set_error (error, OC_TARGET_ERROR, OC_TARGET_ERROR_INVALID,
                       "The calendar address template “%s” has an unknown placeholder “%.*s”; "
                       "use {email}, {local} or {domain}", url_template,
                       close ? (int) (close - open + 1) : (int) strlen (open), open);
          return NULL;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

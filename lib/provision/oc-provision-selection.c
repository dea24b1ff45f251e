/* oc-provision-selection.c: whom owacal-provision works on.
 *
 * The whole selection goes to the directory as one filter, so that it sends
 * only the entries concerned.  That filter cannot say which of its parts matched
 * nobody, and a part that matches nobody is almost always a mistake worth
 * stopping for: a misspelt --only leaves someone out, and a misspelt --exclude
 * changes the very person the administrator wanted left alone.  So each --only
 * and --exclude value is also looked up on its own, as cheaply as the directory
 * allows (one entry at most, no attributes).
 */
#include "config.h"
#include "oc-provision-selection.h"

#include <string.h>

/* Helpers */

/* "(...)" is a filter, "someone@example.com" an address; anything else is refused. */
static char *
selection_to_filter (const char *text,
                     GError    **error)
{
  int depth = 0;

  if (text[0] == '(')
    {
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '(')
            depth++;
          else if (*p == ')' && --depth < 0)
            break;
        }
      if (depth != 0 || text[strlen (text) - 1] != ')')
        {
          g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_INVALID_ARGUMENT,
                       "“%s” is not a valid LDAP filter: its parentheses do not match", text);
          return NULL;
        }
      return g_strdup (text);
    }
  if (strchr (text, '@') != NULL && strchr (text, ' ') == NULL)
    {
      g_autofree char *escaped = oc_ldap_escape_filter_value (text);

      /* proxyAddresses matches without case, so smtp: finds the primary SMTP: too. */
      return g_strdup_printf ("(|(mail=%s)(proxyAddresses=smtp:%s))", escaped, escaped);
    }
  g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_INVALID_ARGUMENT,
               "“%s” is neither an e-mail address nor an LDAP filter in parentheses", text);
  return NULL;
}

static gboolean
append_any_of (GString            *out,
               const char * const *selections,
               GError            **error)
{
  g_string_append (out, "(|");
  for (gsize i = 0; selections[i] != NULL; i++)
    {
      g_autofree char *filter = selection_to_filter (selections[i], error);

      if (filter == NULL)
        return FALSE;
      g_string_append (out, filter);
    }
  g_string_append_c (out, ')');
  return TRUE;
}

/* Whether anyone below @base matches @filter: at most one entry is asked for, and
 * a directory that stops at that limit has found more than one. */
static gboolean
matches_anyone (OcLdapConnection *connection,
                const char       *base,
                const char       *filter,
                gboolean         *out_matches,
                GCancellable     *cancellable,
                GError          **error)
{
  static const char * const no_attributes[] = { "1.1", NULL };  /* RFC 4511: no attributes */
  OcLdapSearch search = { base, OC_LDAP_SCOPE_SUBTREE, filter, no_attributes, 0, 1 };
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) local_error = NULL;

  entries = oc_ldap_connection_search_sync (connection, &search, NULL, cancellable, &local_error);
  if (entries == NULL && g_error_matches (local_error, OC_LDAP_ERROR, OC_LDAP_ERROR_SIZE_LIMIT))
    {
      *out_matches = TRUE;
      return TRUE;
    }
  if (entries == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *out_matches = entries->len > 0;
  return TRUE;
}

/* Public API */

/**
 * oc_provision_build_filter:
 * @filter: (nullable): the base filter; %NULL for %OC_PROVISION_DEFAULT_FILTER
 * @only: (nullable) (array zero-terminated=1): addresses or filters; entries must match one
 * @exclude: (nullable) (array zero-terminated=1): addresses or filters; entries must match none
 * @error: return location for %OC_LDAP_ERROR_INVALID_ARGUMENT
 *
 * Returns: (transfer full) (nullable): one filter for the whole selection, so
 *   the directory sends only the entries concerned
 */
char *
oc_provision_build_filter (const char         *filter,
                           const char * const *only,
                           const char * const *exclude,
                           GError            **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *base = NULL;
  gboolean has_only = only != NULL && only[0] != NULL;
  gboolean has_exclude = exclude != NULL && exclude[0] != NULL;

  base = selection_to_filter (filter != NULL ? filter : OC_PROVISION_DEFAULT_FILTER, error);
  if (base == NULL)
    return NULL;
  if (!has_only && !has_exclude)
    return g_steal_pointer (&base);
  g_string_append_printf (out, "(&%s", base);
  if (has_only && !append_any_of (out, only, error))
    return NULL;
  if (has_exclude)
    {
      g_string_append (out, "(!");
      if (!append_any_of (out, exclude, error))
        return NULL;
      g_string_append_c (out, ')');
    }
  g_string_append_c (out, ')');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * oc_provision_find_unmatched_sync:
 * @connection: a signed-in connection
 * @base: the search base
 * @filter: (nullable): the base filter; %NULL for %OC_PROVISION_DEFAULT_FILTER
 * @selections: (nullable) (array zero-terminated=1): --only or --exclude values
 *   (addresses or filters)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an %OC_LDAP_ERROR
 *
 * Looks each of @selections up on its own, among the entries below @base that
 * match @filter: one search per value, for one entry without attributes.
 *
 * Returns: (transfer full) (nullable): the values of @selections that match
 *   nobody there, in their order (empty when each matches someone), or %NULL
 *   when a search failed
 */
GStrv
oc_provision_find_unmatched_sync (OcLdapConnection   *connection,
                                  const char         *base,
                                  const char         *filter,
                                  const char * const *selections,
                                  GCancellable       *cancellable,
                                  GError            **error)
{
  g_autoptr (GStrvBuilder) unmatched = g_strv_builder_new ();
  g_autofree char *base_filter = NULL;

  g_return_val_if_fail (OC_IS_LDAP_CONNECTION (connection) && base != NULL, NULL);

  base_filter = selection_to_filter (filter != NULL ? filter : OC_PROVISION_DEFAULT_FILTER, error);
  if (base_filter == NULL)
    return NULL;
  for (gsize i = 0; selections != NULL && selections[i] != NULL; i++)
    {
      g_autofree char *one = selection_to_filter (selections[i], error);
      g_autofree char *both = NULL;
      gboolean matches = FALSE;

      if (one == NULL)
        return NULL;
      both = g_strdup_printf ("(&%s%s)", base_filter, one);
      if (!matches_anyone (connection, base, both, &matches, cancellable, error))
        {
          g_prefix_error (error, "Looking for “%s” on its own: ", selections[i]);
          return NULL;
        }
      if (!matches)
        g_strv_builder_add (unmatched, selections[i]);
    }
  return g_strv_builder_end (unmatched);
}

/* oc-ews-autodiscover-cache.c: Autodiscover's answers kept in a key file between runs.
 *
 * One group per domain ([example.com]) with the EWS address, what kind of
 * Exchange answered, where it was found, whether its host may have the
 * user's credentials and when it was found. Whether an entry is still young
 * enough is the caller's question. The file holds no secret; it is written
 * atomically, readable by the user only, because it tells which servers
 * the user's company runs.
 */
#include "config.h"
#include "oc-ews-autodiscover-cache.h"

#include <errno.h>
#include <glib/gstdio.h>

#define KEY_URL "ews-url"
#define KEY_KIND "kind"
#define KEY_WHERE "where"
#define KEY_TRUSTED "trusted"
#define KEY_FOUND "found"

static OcEwsAutodiscoverKind
kind_from_string (const char *text)
{
  return g_strcmp0 (text, oc_ews_autodiscover_kind_to_string (OC_EWS_AUTODISCOVER_KIND_MICROSOFT_365)) == 0
           ? OC_EWS_AUTODISCOVER_KIND_MICROSOFT_365 : OC_EWS_AUTODISCOVER_KIND_EXCHANGE;
}

/**
 * oc_ews_autodiscover_cache_read:
 * @path: the cache file
 * @domain: the domain asked about
 * @error: return location for a #GError (a file that cannot be read; a
 *   missing file or domain is no error)
 *
 * Returns: (transfer full) (nullable): what was found for @domain, however old
 */
OcEwsAutodiscoverResult *
oc_ews_autodiscover_cache_read (const char  *path,
                                const char  *domain,
                                GError     **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  g_autoptr (OcEwsAutodiscoverResult) result = g_new0 (OcEwsAutodiscoverResult, 1);
  g_autofree char *kind = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "Reading %s: ", path);
      return NULL;
    }
  if (!g_key_file_has_group (file, domain))
    return NULL;
  result->domain = g_strdup (domain);
  result->ews_url = g_key_file_get_string (file, domain, KEY_URL, NULL);
  result->where = g_key_file_get_string (file, domain, KEY_WHERE, NULL);
  kind = g_key_file_get_string (file, domain, KEY_KIND, NULL);
  result->kind = kind_from_string (kind);
  result->trusted = g_key_file_get_boolean (file, domain, KEY_TRUSTED, NULL);
  result->found_at = g_key_file_get_int64 (file, domain, KEY_FOUND, NULL);
  result->cached = TRUE;
  /* A damaged entry is as good as none: Autodiscover asks again. */
  if (result->ews_url == NULL || result->where == NULL || result->found_at <= 0)
    return NULL;
  return g_steal_pointer (&result);
}

/**
 * oc_ews_autodiscover_cache_write:
 * @path: the cache file; its directory is made if need be
 * @result: what was found (its domain is the group)
 * @error: return location for a #GError
 *
 * Returns: whether the file was written
 */
gboolean
oc_ews_autodiscover_cache_write (const char                    *path,
                                 const OcEwsAutodiscoverResult *result,
                                 GError                       **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;
  gsize length = 0;

  /* Other domains' entries stay; a damaged file is replaced. */
  g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  g_key_file_set_string (file, result->domain, KEY_URL, result->ews_url);
  g_key_file_set_string (file, result->domain, KEY_KIND, oc_ews_autodiscover_kind_to_string (result->kind));
  g_key_file_set_string (file, result->domain, KEY_WHERE, result->where);
  g_key_file_set_boolean (file, result->domain, KEY_TRUSTED, result->trusted);
  g_key_file_set_int64 (file, result->domain, KEY_FOUND, result->found_at);
  text = g_key_file_to_data (file, &length, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "Making %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  if (!g_file_set_contents_full (path, text, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    {
      g_prefix_error (error, "Writing %s: ", path);
      return FALSE;
    }
  return TRUE;
}

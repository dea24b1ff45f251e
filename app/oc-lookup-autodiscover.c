/* oc-lookup-autodiscover.c: an address nobody knew, found on Exchange by Autodiscover.
 *
 * The resolver looks in address books, directories and the ews-url setting;
 * when none of them knows the address and no EWS address is set, the
 * "exchange" source is Autodiscover: if it finds Exchange for the address's
 * domain, the address opens as a colleague on Exchange, exactly as with
 * ews-url. When Autodiscover finds nothing either, the error lists where
 * the resolver looked and where Autodiscover did.
 *
 * One Autodiscover client serves the process (the application's, whose
 * cache OcExchangeAccess reads when the calendar opens; --print-url sets
 * its own), so a domain is asked once.
 */
#include "config.h"
#include "oc-lookup-autodiscover.h"

#include "oc-ews-error.h"
#include "oc-target.h"

#include <string.h>

static OcEwsAutodiscover *process_autodiscover;

typedef struct {
  char *email;
  OcResolver *resolver;
  GError *not_found;           /* the resolver's, with where it looked */
  OcEwsAutodiscoverResult *found;
} Resolving;

static void
resolving_free (Resolving *resolving)
{
  g_free (resolving->email);
  g_object_unref (resolving->resolver);
  g_clear_error (&resolving->not_found);
  g_clear_pointer (&resolving->found, oc_ews_autodiscover_result_free);
  g_free (resolving);
}

static OcResolution *
resolution_from_autodiscover (const char                    *email,
                              const OcEwsAutodiscoverResult *found)
{
  OcResolution *resolution = g_new0 (OcResolution, 1);
  char *trail[] = { g_strdup_printf ("Autodiscover: %s at %s", oc_ews_autodiscover_kind_to_string (found->kind),
                                     found->ews_url), NULL };
  char *none[] = { NULL };

  resolution->target = oc_target_new (OC_TARGET_KIND_EXCHANGE, email);
  resolution->source = g_strdup ("Autodiscover");
  resolution->detail = g_strdup (found->where);
  resolution->trail = g_strdupv (trail);
  resolution->notes = g_strdupv (none);
  g_free (trail[0]);
  return resolution;
}

/* "Autodiscover found no … \nAutodiscover looked in:\n  a\n  b" → "Autodiscover: a\n  Autodiscover: b". */
static char *
autodiscover_places (const char *message)
{
  const char *list = strstr (message, "looked in:\n  ");
  g_auto (GStrv) places = NULL;
  g_autoptr (GString) text = g_string_new (NULL);

  if (list == NULL)
    return g_strdup_printf ("Autodiscover: %s", message);
  places = g_strsplit (list + strlen ("looked in:\n  "), "\n  ", -1);
  for (char **place = places; *place; place++)
    g_string_append_printf (text, "%sAutodiscover: %s", place == places ? "" : "\n  ", *place);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Callbacks */

static void
discovered_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Resolving *resolving = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *places = NULL;

  resolving->found = oc_ews_autodiscover_find_finish (OC_EWS_AUTODISCOVER (source), result, &error);
  if (resolving->found != NULL)
    {
      g_task_return_pointer (task, resolution_from_autodiscover (resolving->email, resolving->found),
                             (GDestroyNotify) oc_resolution_free);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Both lists of places, as one "not found": Autodiscover's places continue the resolver's. */
  places = autodiscover_places (error->message);
  g_task_return_new_error (task, OC_RESOLVER_ERROR, OC_RESOLVER_ERROR_NOT_FOUND, "%s\n  %s",
                           resolving->not_found->message, places);
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Resolving *resolving = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  OcResolution *resolution = oc_resolver_resolve_finish (OC_RESOLVER (source), result, &error);

  if (resolution != NULL)
    {
      g_task_return_pointer (task, resolution, (GDestroyNotify) oc_resolution_free);
      return;
    }
  /* With ews-url set the resolver finds everyone itself; without the
   * "exchange" source the user asked not to look there. */
  if (!g_error_matches (error, OC_RESOLVER_ERROR, OC_RESOLVER_ERROR_NOT_FOUND) || process_autodiscover == NULL ||
      !oc_resolver_has_source (resolving->resolver, OC_RESOLVER_SOURCE_EXCHANGE) ||
      oc_resolver_get_exchange_url (resolving->resolver) != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  resolving->not_found = g_steal_pointer (&error);
  oc_ews_autodiscover_find_async (process_autodiscover, resolving->email, resolving->resolver,
                                  g_task_get_cancellable (task), discovered_cb, g_object_ref (task));
}

/* Public API */

/**
 * oc_lookup_set_autodiscover:
 * @autodiscover: (nullable): the Autodiscover client lookups use from now on
 */
void
oc_lookup_set_autodiscover (OcEwsAutodiscover *autodiscover)
{
  g_set_object (&process_autodiscover, autodiscover);
}

/**
 * oc_lookup_resolve_async:
 * @resolver: a resolver
 * @email: the address to look up
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the caller's main context
 * @user_data: for @callback
 *
 * oc_resolver_resolve_async(), then Autodiscover (with the resolver's
 * directory for service connection points) if nobody knew @email.
 */
void
oc_lookup_resolve_async (OcResolver          *resolver,
                         const char          *email,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Resolving *resolving = g_new0 (Resolving, 1);

  g_task_set_source_tag (task, oc_lookup_resolve_async);
  resolving->email = g_strdup (email);
  resolving->resolver = g_object_ref (resolver);
  g_task_set_task_data (task, resolving, (GDestroyNotify) resolving_free);
  oc_resolver_resolve_async (resolver, email, cancellable, resolved_cb, g_steal_pointer (&task));
}

/**
 * oc_lookup_resolve_finish:
 * @result: the result
 * @out_found: (out) (optional) (transfer full) (nullable): what Autodiscover
 *   found, when the address was found that way
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): see oc_resolver_resolve_sync()
 */
OcResolution *
oc_lookup_resolve_finish (GAsyncResult             *result,
                          OcEwsAutodiscoverResult **out_found,
                          GError                  **error)
{
  Resolving *resolving;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_lookup_resolve_async, NULL);
  resolving = g_task_get_task_data (G_TASK (result));
  if (out_found != NULL)
    *out_found = resolving->found && !g_task_had_error (G_TASK (result))
                   ? oc_ews_autodiscover_result_copy (resolving->found) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* oc-ews-autodiscover.c: where a domain's Exchange Web Services are, found from an address.
 *
 * First what the user has: the EWS address of the user's own Thunderbird
 * Exchange account of the same domain (Thunderbird 145 and later; see
 * oc-thunderbird-accounts.c). Then the places are asked in the order of
 * [MS-OXDSCLI] 3.1.5: the Autodiscover service connection points that Exchange registers in Active Directory
 * (searched through owacal's own directory, under CN=Configuration of its
 * domain), then https://<domain>/autodiscover/autodiscover.xml and
 * https://autodiscover.<domain>/…, then the host of the DNS SRV record
 * _autodiscover._tcp.<domain>. Each is asked with POX; where POX is not
 * served (404, 405, no POX answer) the same host's SOAP service is asked.
 * An answer may send owacal elsewhere (Action redirectAddr or redirectUrl,
 * or an HTTP redirect): at most OC_EWS_AUTODISCOVER_MAX_REDIRECTS times,
 * and only ever over https.
 *
 * Credentials: the hosts of the service connection points and the domain's
 * own two Autodiscover hosts are trusted (the company's directory and DNS
 * name them). Anything an answer or the SRV record sends owacal to is not:
 * OcHttpClient gives such hosts no credentials, and the EWS host found
 * there is not trusted either (result->trusted).
 *
 * Exchange Online answers for many companies (outlook.office365.com); it is
 * reported as Microsoft 365, for the app to use Microsoft Graph there.
 *
 * Answers are kept per domain, in memory and, when set, in a key file
 * (oc-ews-autodiscover-cache.c), for their lifetime. A failure's message
 * lists every place asked and what each said.
 */
#include "config.h"
#include "oc-ews-autodiscover.h"

#include "oc-ews-autodiscover-cache.h"
#include "oc-ews-autodiscover-xml.h"
#include "oc-ews-error.h"

#include <string.h>

struct _OcEwsAutodiscover {
  GObject parent_instance;

  OcHttpClient *http;
  GHashTable *cache;       /* domain → OcEwsAutodiscoverResult */
  char *cache_path;        /* nullable: memory only */
  guint lifetime;          /* seconds */
};

G_DEFINE_FINAL_TYPE (OcEwsAutodiscover, oc_ews_autodiscover, G_TYPE_OBJECT)

/* One URL to ask. */
typedef struct {
  char *url;
  char *origin;            /* how owacal came to it, in words */
  gboolean soap;
} Candidate;

typedef struct {
  char *email;             /* as asked, or as a redirectAddr named */
  char *domain;            /* of the address first asked about: the cache's key */
  OcResolver *directory;   /* nullable */
  GPtrArray *candidates;   /* Candidate */
  guint next;
  guint redirects;
  gboolean srv_asked;
  GHashTable *trusted;     /* hosts the company named: SCPs, <domain>, autodiscover.<domain> */
  GPtrArray *places;       /* what each place said, for the failure */
} Job;

static void try_next (GTask *task);

static void
candidate_free (Candidate *candidate)
{
  g_free (candidate->url);
  g_free (candidate->origin);
  g_free (candidate);
}

static void
job_free (Job *job)
{
  g_free (job->email);
  g_free (job->domain);
  g_clear_object (&job->directory);
  g_ptr_array_unref (job->candidates);
  g_hash_table_unref (job->trusted);
  g_ptr_array_unref (job->places);
  g_free (job);
}

static char *
dup_host (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  return uri != NULL && g_uri_get_host (uri) != NULL ? g_ascii_strdown (g_uri_get_host (uri), -1) : NULL;
}

static const char *
domain_of (const char *email)
{
  const char *at = strrchr (email, '@');

  return at != NULL && at[1] != '\0' ? at + 1 : NULL;
}

G_GNUC_PRINTF (2, 3) static void
add_place (Job        *job,
           const char *format,
           ...)
{
  va_list args;
  char *line;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  /* One place, one line: technical details after a newline join it with a colon. */
  for (char *newline = strchr (line, '\n'); newline != NULL; newline = strchr (newline, '\n'))
    *newline = ' ';
  g_ptr_array_add (job->places, line);
}

/* Inserted where the next one is taken from (a redirect goes first), or appended. */
static void
add_candidate (Job        *job,
               gboolean    first,
               const char *url,
               const char *origin,
               gboolean    soap)
{
  Candidate *candidate = g_new0 (Candidate, 1);

  candidate->url = g_strdup (url);
  candidate->origin = g_strdup (origin);
  candidate->soap = soap;
  if (first)
    g_ptr_array_insert (job->candidates, (int) job->next, candidate);
  else
    g_ptr_array_add (job->candidates, candidate);
}

static void
add_domain_candidates (Job        *job,
                       const char *domain,
                       gboolean    trusted)
{
  g_autofree char *plain = g_strdup_printf ("https://%s/autodiscover/autodiscover.xml", domain);
  g_autofree char *named = g_strdup_printf ("https://autodiscover.%s/autodiscover/autodiscover.xml", domain);
  g_autofree char *origin = g_strdup_printf ("the Autodiscover address of %s", domain);

  if (trusted)
    {
      g_hash_table_add (job->trusted, g_ascii_strdown (domain, -1));
      g_hash_table_add (job->trusted, g_strdup_printf ("autodiscover.%s", domain));
    }
  add_candidate (job, FALSE, plain, origin, FALSE);
  add_candidate (job, FALSE, named, origin, FALSE);
}

static gboolean
is_trusted_url (Job        *job,
                const char *url)
{
  g_autofree char *host = dup_host (url);

  return g_str_has_prefix (url, "https://") && host != NULL && g_hash_table_contains (job->trusted, host);
}

/* The end */

static void
succeed (GTask                   *task,
         const char              *answered_by,
         const char              *origin,
         OcEwsAutodiscoverAnswer *answer)
{
  OcEwsAutodiscover *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr (OcEwsAutodiscoverResult) result = g_new0 (OcEwsAutodiscoverResult, 1);
  g_autoptr (GError) error = NULL;

  result->domain = g_strdup (job->domain);
  result->ews_url = g_strdup (answer->ews_url);
  result->kind = answer->microsoft_online || oc_ews_autodiscover_is_microsoft_365 (answered_by) ||
                 oc_ews_autodiscover_is_microsoft_365 (answer->ews_url)
                   ? OC_EWS_AUTODISCOVER_KIND_MICROSOFT_365 : OC_EWS_AUTODISCOVER_KIND_EXCHANGE;
  result->where = g_strdup_printf ("%s: %s", origin, answered_by);
  /* The EWS host may have the user's credentials only if the company itself named the one who answered. */
  result->trusted = result->kind == OC_EWS_AUTODISCOVER_KIND_EXCHANGE && is_trusted_url (job, answered_by) &&
                    g_str_has_prefix (result->ews_url, "https://");
  result->found_at = g_get_real_time () / G_USEC_PER_SEC;
  g_hash_table_replace (self->cache, g_strdup (job->domain), oc_ews_autodiscover_result_copy (result));
  /* A cache that cannot be written costs the next run a few requests, nothing more. */
  if (self->cache_path != NULL)
    oc_ews_autodiscover_cache_write (self->cache_path, result, &error);
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) oc_ews_autodiscover_result_free);
}

static void
fail (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  g_autofree char *looked = NULL;

  g_ptr_array_add (job->places, NULL);
  looked = g_strjoinv ("\n  ", (char **) job->places->pdata);
  g_task_return_new_error (task, OC_EWS_ERROR, OC_EWS_ERROR_NOT_FOUND,
                           "Autodiscover found no Exchange server for %s\nAutodiscover looked in:\n  %s",
                           job->domain, looked);
}

/* Redirects */

static gboolean
count_redirect (GTask      *task,
                const char *url)
{
  Job *job = g_task_get_task_data (task);

  if (++job->redirects <= OC_EWS_AUTODISCOVER_MAX_REDIRECTS)
    return TRUE;
  add_place (job, "%s: sent owacal on more than %d times; owacal stopped following", url,
             OC_EWS_AUTODISCOVER_MAX_REDIRECTS);
  return FALSE;
}

static void
follow_url (GTask      *task,
            Candidate  *from,
            const char *to)
{
  Job *job = g_task_get_task_data (task);
  g_autofree char *origin = g_strdup_printf ("%s, redirected by %s", from->origin, from->url);

  add_place (job, "%s: sent owacal to %s", from->url, to);
  if (count_redirect (task, from->url))
    add_candidate (job, TRUE, to, origin, from->soap);
}

static void
follow_address (GTask      *task,
                Candidate  *from,
                const char *address)
{
  Job *job = g_task_get_task_data (task);
  const char *domain = domain_of (address);
  g_autofree char *origin = NULL;

  add_place (job, "%s: asked owacal to ask for %s instead", from->url, address);
  if (domain == NULL || !count_redirect (task, from->url))
    return;
  g_free (job->email);
  job->email = g_strdup (address);
  /* Autodiscover starts again for the new address: the same server first
   * (hybrid set-ups answer there), then the new domain's places. */
  g_ptr_array_set_size (job->candidates, job->next);
  origin = g_strdup_printf ("%s, for %s", from->origin, address);
  add_candidate (job, FALSE, from->url, origin, from->soap);
  add_domain_candidates (job, domain, FALSE);
  job->srv_asked = FALSE;
}

/* Callbacks */

static void
answer_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  Candidate *candidate = g_ptr_array_index (job->candidates, job->next - 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcHttpResponse) response = oc_http_client_send_finish (OC_HTTP_CLIENT (source), result, &error);
  g_autoptr (OcEwsAutodiscoverAnswer) answer = NULL;
  const char *location;
  guint status;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (response == NULL)
    {
      add_place (job, "%s: %s", candidate->url, error->message);
      try_next (task);
      return;
    }
  status = oc_http_response_get_status (response);
  location = oc_http_response_get_header (response, "Location");
  if (status >= 300 && status < 400 && location != NULL)
    {
      g_autoptr (GUri) base = g_uri_parse (candidate->url, G_URI_FLAGS_ENCODED, NULL);
      g_autoptr (GUri) to = base ? g_uri_parse_relative (base, location, G_URI_FLAGS_ENCODED, NULL) : NULL;
      g_autofree char *to_text = to ? g_uri_to_string (to) : g_strdup (location);

      follow_url (task, candidate, to_text);
      try_next (task);
      return;
    }
  if (status == 200)
    answer = candidate->soap ? oc_ews_autodiscover_parse_soap (oc_http_response_get_body (response), &error)
                             : oc_ews_autodiscover_parse_pox (oc_http_response_get_body (response), &error);
  else if (status == 401 && !oc_http_client_is_trusted_url (OC_HTTP_CLIENT (source), candidate->url))
    g_set_error (&error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED,
                 "asks to sign in; owacal gives no credentials to a host your company did not name");
  else
    oc_http_response_check (response, &error);

  if (answer != NULL && answer->action == OC_EWS_AUTODISCOVER_SETTINGS)
    {
      succeed (task, candidate->url, candidate->origin, answer);
      return;
    }
  if (answer != NULL && answer->action == OC_EWS_AUTODISCOVER_REDIRECT_URL)
    follow_url (task, candidate, answer->redirect);
  else if (answer != NULL)
    follow_address (task, candidate, answer->redirect);
  else
    {
      g_assert (error != NULL);
      add_place (job, "%s: %s", candidate->url, error->message);
      /* No POX here (404, 405, or no POX answer): the same server's SOAP service may answer. */
      if (!candidate->soap && (status == 404 || status == 405 || g_error_matches (error, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML)))
        {
          g_autofree char *soap = oc_ews_autodiscover_soap_url (candidate->url);
          if (soap != NULL)
            add_candidate (job, TRUE, soap, candidate->origin, TRUE);
        }
    }
  try_next (task);
}

static void
srv_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GList *targets = g_resolver_lookup_service_finish (G_RESOLVER (source), result, &error);
  g_autofree char *record = g_strdup_printf ("_autodiscover._tcp.%s", domain_of (job->email));

  if (g_task_return_error_if_cancelled (task))
    {
      g_resolver_free_targets (targets);
      return;
    }
  if (targets == NULL)
    add_place (job, "DNS SRV record %s: %s", record, error ? error->message : "none");
  /* The record's hosts are not the domain's own names: they get no credentials. */
  for (GList *l = targets; l != NULL; l = l->next)
    {
      guint16 port = g_srv_target_get_port (l->data);
      g_autofree char *url = port == 443 || port == 0
        ? g_strdup_printf ("https://%s/autodiscover/autodiscover.xml", g_srv_target_get_hostname (l->data))
        : g_strdup_printf ("https://%s:%u/autodiscover/autodiscover.xml", g_srv_target_get_hostname (l->data), port);
      g_autofree char *origin = g_strdup_printf ("the DNS SRV record %s", record);

      add_candidate (job, FALSE, url, origin, FALSE);
    }
  g_resolver_free_targets (targets);
  try_next (task);
}

static void
send_candidate (GTask     *task,
                Candidate *candidate)
{
  OcEwsAutodiscover *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr (OcHttpRequest) request = oc_http_request_new ("POST", candidate->url);
  g_autoptr (GBytes) body = candidate->soap ? oc_ews_autodiscover_build_soap (job->email, candidate->url)
                                            : oc_ews_autodiscover_build_pox (job->email);
  g_autofree char *host = dup_host (candidate->url);

  if (is_trusted_url (job, candidate->url))
    oc_http_client_trust_host (self->http, host);
  oc_http_request_add_header (request, "Content-Type", "text/xml; charset=utf-8");
  oc_http_request_add_header (request, "Accept", "text/xml");
  oc_http_request_set_body (request, body);
  oc_http_client_send_async (self->http, request, g_task_get_cancellable (task), answer_cb, g_object_ref (task));
}

static void
try_next (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  while (job->next < job->candidates->len)
    {
      Candidate *candidate = g_ptr_array_index (job->candidates, job->next++);
      g_autoptr (GError) error = NULL;

      if (oc_ews_autodiscover_check_url (candidate->url, &error))
        {
          send_candidate (task, candidate);
          return;
        }
      add_place (job, "%s (%s): %s", candidate->url, candidate->origin, error->message);
    }
  if (!job->srv_asked && domain_of (job->email) != NULL)
    {
      g_autoptr (GResolver) resolver = g_resolver_get_default ();

      job->srv_asked = TRUE;
      g_resolver_lookup_service_async (resolver, "autodiscover", "tcp", domain_of (job->email),
                                       g_task_get_cancellable (task), srv_cb, g_object_ref (task));
      return;
    }
  fail (task);
}

/* Service connection points, in a worker thread */

static GStrv
find_scp_urls (OcResolver    *directory,
               char         **out_base,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *domain_dn = oc_ldap_directory_dup_domain_dn (oc_resolver_get_directory (directory));
  const char *const attributes[] = { "serviceBindingInformation", NULL };
  OcLdapSearch search = { NULL, OC_LDAP_SCOPE_SUBTREE,
                          "(&(objectClass=serviceConnectionPoint)(keywords=" OC_EWS_AUTODISCOVER_SCP_KEYWORD "))",
                          attributes, 0, 0 };
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);

  if (domain_dn == NULL)
    {
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_NOT_FOUND,
                   "its base names no domain (DC=…), so owacal does not know where its configuration is");
      return NULL;
    }
  *out_base = g_strdup_printf ("CN=Configuration,%s", domain_dn);
  search.base = *out_base;
  entries = oc_resolver_search_directory_sync (directory, &search, cancellable, error);
  if (entries == NULL)
    return NULL;
  for (guint i = 0; i < entries->len; i++)
    {
      const char *const *values = oc_ldap_entry_get_values (g_ptr_array_index (entries, i),
                                                            "serviceBindingInformation");
      for (gsize v = 0; values != NULL && values[v] != NULL; v++)
        if (g_ptr_array_find_with_equal_func (urls, values[v], g_str_equal, NULL) == FALSE)
          g_ptr_array_add (urls, g_strdup (values[v]));
    }
  g_ptr_array_add (urls, NULL);
  return (GStrv) g_ptr_array_steal (urls, NULL);
}

/* What the user's own set-up knows, in a worker thread: Thunderbird's
 * Exchange account of the domain, else the directory's service connection
 * points. */

typedef struct {
  char *thunderbird_url;    /* nullable: EWS, as the user's Thunderbird knows it */
  char *thunderbird_where;
  gboolean scp_asked;
  GStrv urls;               /* the service connection points' URLs */
  char *base;
  GError *error;
} KnownPlaces;

static void
known_places_free (KnownPlaces *found)
{
  g_free (found->thunderbird_url);
  g_free (found->thunderbird_where);
  g_strfreev (found->urls);
  g_free (found->base);
  g_clear_error (&found->error);
  g_free (found);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KnownPlaces, known_places_free)

static void
known_places_in_thread_cb (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  /* The job is only read here; the main thread leaves it alone until this returns. */
  const Job *job = task_data;
  KnownPlaces *found = g_new0 (KnownPlaces, 1);

  found->thunderbird_url = oc_resolver_dup_thunderbird_ews_url (job->directory, job->email, &found->thunderbird_where);
  if (found->thunderbird_url == NULL && oc_resolver_get_directory (job->directory) != NULL)
    {
      found->scp_asked = TRUE;
      found->urls = find_scp_urls (job->directory, &found->base, cancellable, &found->error);
    }
  g_task_return_pointer (task, found, (GDestroyNotify) known_places_free);
}

/* Not cached: the profile is read again in no time, and the account may change. */
static void
succeed_from_thunderbird (GTask       *task,
                          KnownPlaces *found)
{
  Job *job = g_task_get_task_data (task);
  OcEwsAutodiscoverResult *result = g_new0 (OcEwsAutodiscoverResult, 1);

  result->domain = g_strdup (job->domain);
  result->ews_url = g_strdup (found->thunderbird_url);
  result->kind = oc_ews_autodiscover_is_microsoft_365 (result->ews_url) ? OC_EWS_AUTODISCOVER_KIND_MICROSOFT_365
                                                                         : OC_EWS_AUTODISCOVER_KIND_EXCHANGE;
  result->where = g_strdup (found->thunderbird_where);
  /* The user's own mail client signs in there already. */
  result->trusted = result->kind == OC_EWS_AUTODISCOVER_KIND_EXCHANGE && g_str_has_prefix (result->ews_url, "https://");
  result->found_at = g_get_real_time () / G_USEC_PER_SEC;
  g_task_return_pointer (task, result, (GDestroyNotify) oc_ews_autodiscover_result_free);
}

static void
known_places_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr (KnownPlaces) found = g_task_propagate_pointer (G_TASK (result), NULL);
  const char *uri = NULL;
  g_autofree char *origin = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (found->thunderbird_url != NULL)
    {
      succeed_from_thunderbird (task, found);
      return;
    }
  add_place (job, "Thunderbird: no Exchange account of %s", job->domain);
  if (!found->scp_asked)
    add_place (job, "Service connection points: no directory is set (--directory, directory-uri)");
  else
    {
      uri = oc_ldap_directory_get_url (oc_resolver_get_directory (job->directory));
      origin = g_strdup_printf ("the service connection point in %s (%s)", uri, found->base ? found->base : "");
      if (found->urls == NULL)
        add_place (job, "Service connection points in %s: %s", uri, found->error->message);
      else if (found->urls[0] == NULL)
        add_place (job, "Service connection points in %s under %s: none", uri, found->base);
    }
  for (char **url = found->urls; url != NULL && *url != NULL; url++)
    {
      g_autofree char *host = dup_host (*url);
      /* The company's own directory names these hosts. */
      if (host != NULL && g_str_has_prefix (*url, "https://"))
        g_hash_table_add (job->trusted, g_steal_pointer (&host));
      add_candidate (job, FALSE, *url, origin, FALSE);
    }
  add_domain_candidates (job, job->domain, TRUE);
  try_next (task);
}

/* GObject */

static void
oc_ews_autodiscover_finalize (GObject *object)
{
  OcEwsAutodiscover *self = OC_EWS_AUTODISCOVER (object);

  g_clear_object (&self->http);
  g_hash_table_unref (self->cache);
  g_free (self->cache_path);
  G_OBJECT_CLASS (oc_ews_autodiscover_parent_class)->finalize (object);
}

static void
oc_ews_autodiscover_class_init (OcEwsAutodiscoverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_ews_autodiscover_finalize;
}

static void
oc_ews_autodiscover_init (OcEwsAutodiscover *self)
{
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) oc_ews_autodiscover_result_free);
  self->lifetime = OC_EWS_AUTODISCOVER_DEFAULT_LIFETIME;
}

/* Public API */

/**
 * oc_ews_autodiscover_new:
 * @http: the client every request goes through (sign-in, trust, proxies)
 *
 * Returns: (transfer full): a new Autodiscover client, caching in memory only
 */
OcEwsAutodiscover *
oc_ews_autodiscover_new (OcHttpClient *http)
{
  OcEwsAutodiscover *self;

  g_return_val_if_fail (OC_IS_HTTP_CLIENT (http), NULL);
  self = g_object_new (OC_TYPE_EWS_AUTODISCOVER, NULL);
  self->http = g_object_ref (http);
  return self;
}

/**
 * oc_ews_autodiscover_set_cache:
 * @self: an Autodiscover client
 * @path: (nullable): a key file to keep answers in between runs
 *   (owacal's is $XDG_CACHE_HOME/owacal/autodiscover.ini), or %NULL
 * @lifetime_seconds: how long an answer is used before it is asked again
 *   (0: %OC_EWS_AUTODISCOVER_DEFAULT_LIFETIME)
 */
void
oc_ews_autodiscover_set_cache (OcEwsAutodiscover *self,
                               const char        *path,
                               guint              lifetime_seconds)
{
  g_return_if_fail (OC_IS_EWS_AUTODISCOVER (self));
  g_free (self->cache_path);
  self->cache_path = g_strdup (path);
  self->lifetime = lifetime_seconds > 0 ? lifetime_seconds : OC_EWS_AUTODISCOVER_DEFAULT_LIFETIME;
}

/**
 * oc_ews_autodiscover_lookup_cached:
 * @self: an Autodiscover client
 * @domain: a domain
 *
 * Returns: (transfer full) (nullable): what was found for @domain within the
 *   lifetime, from memory or the cache file
 */
OcEwsAutodiscoverResult *
oc_ews_autodiscover_lookup_cached (OcEwsAutodiscover *self,
                                   const char        *domain)
{
  g_autofree char *key = NULL;
  OcEwsAutodiscoverResult *known;
  g_autoptr (OcEwsAutodiscoverResult) stored = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (OC_IS_EWS_AUTODISCOVER (self), NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  key = g_ascii_strdown (domain, -1);
  known = g_hash_table_lookup (self->cache, key);
  if (known != NULL && now - known->found_at < self->lifetime)
    {
      OcEwsAutodiscoverResult *copy = oc_ews_autodiscover_result_copy (known);
      copy->cached = TRUE;
      return copy;
    }
  /* A cache file that cannot be read is as good as none. */
  if (self->cache_path != NULL)
    stored = oc_ews_autodiscover_cache_read (self->cache_path, key, NULL);
  if (stored == NULL || now - stored->found_at >= self->lifetime || stored->found_at > now)
    return NULL;
  g_hash_table_replace (self->cache, g_strdup (key), oc_ews_autodiscover_result_copy (stored));
  return g_steal_pointer (&stored);
}

/**
 * oc_ews_autodiscover_find_async:
 * @self: an Autodiscover client
 * @email: the address whose Exchange is wanted
 * @directory: (nullable): a resolver: its Thunderbird profile's Exchange
 *   accounts are asked first, then its own directory's service connection points
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Finds the EWS endpoint of @email's domain, from the cache if it is young
 * enough. Hosts named by the directory's service connection points and the
 * domain's own Autodiscover hosts are trusted with the user's credentials
 * (on @self's client); redirects elsewhere are followed without them.
 */
void
oc_ews_autodiscover_find_async (OcEwsAutodiscover  *self,
                                const char         *email,
                                OcResolver         *directory,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  OcEwsAutodiscoverResult *cached;
  const char *domain;
  Job *job;

  g_return_if_fail (OC_IS_EWS_AUTODISCOVER (self));
  g_return_if_fail (email != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oc_ews_autodiscover_find_async);
  domain = domain_of (email);
  if (domain == NULL)
    {
      g_task_return_new_error (task, OC_EWS_ERROR, OC_EWS_ERROR_NOT_FOUND,
                               "“%s” has no domain for Autodiscover to ask about", email);
      return;
    }
  if ((cached = oc_ews_autodiscover_lookup_cached (self, domain)) != NULL)
    {
      g_task_return_pointer (task, cached, (GDestroyNotify) oc_ews_autodiscover_result_free);
      return;
    }
  job = g_new0 (Job, 1);
  job->email = g_strdup (email);
  job->domain = g_ascii_strdown (domain, -1);
  job->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  job->trusted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  job->places = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);

  if (directory != NULL)
    {
      /* Reading the profile and LDAP block: a worker thread does, the rest is here. */
      g_autoptr (GTask) known = g_task_new (NULL, cancellable, known_places_done_cb, g_object_ref (task));

      job->directory = g_object_ref (directory);
      g_task_set_task_data (known, job, NULL);
      g_task_run_in_thread (known, known_places_in_thread_cb);
      return;
    }
  add_place (job, "Service connection points: no directory is set (--directory, directory-uri)");
  add_domain_candidates (job, job->domain, TRUE);
  try_next (task);
}

/**
 * oc_ews_autodiscover_find_finish:
 * @self: an Autodiscover client
 * @result: the result given to the callback
 * @error: return location for a #GError (%OC_EWS_ERROR_NOT_FOUND, whose
 *   message lists every place asked)
 *
 * Returns: (transfer full) (nullable): where the domain's Exchange is
 */
OcEwsAutodiscoverResult *
oc_ews_autodiscover_find_finish (OcEwsAutodiscover  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_ews_autodiscover_find_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oc_ews_autodiscover_check_url:
 * @url: an Autodiscover address, as found or as a redirect named it
 * @error: return location for a #GError
 *
 * Autodiscover's answers tell where the user's credentials go next: only
 * answers over https count.
 *
 * Returns: whether owacal asks @url
 */
gboolean
oc_ews_autodiscover_check_url (const char  *url,
                               GError     **error)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_FAILED, "not a web address");
      return FALSE;
    }
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    {
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_FAILED,
                   "not asked: Autodiscover is asked over https only, not %s", g_uri_get_scheme (uri));
      return FALSE;
    }
  return TRUE;
}

/**
 * oc_ews_autodiscover_is_microsoft_365:
 * @url: (nullable): an Autodiscover or EWS address
 *
 * Returns: whether @url is Exchange Online's (outlook.office365.com and the
 *   other hosts Microsoft answers Autodiscover for Microsoft 365 on)
 */
gboolean
oc_ews_autodiscover_is_microsoft_365 (const char *url)
{
  g_autofree char *host = url ? dup_host (url) : NULL;
  const char *const hosts[] = { "outlook.office365.com", "autodiscover-s.outlook.com", "outlook.office.com" };

  for (gsize i = 0; host != NULL && i < G_N_ELEMENTS (hosts); i++)
    if (g_str_equal (host, hosts[i]))
      return TRUE;
  return FALSE;
}

/**
 * oc_ews_autodiscover_soap_url:
 * @pox_url: a POX Autodiscover address (…/autodiscover.xml)
 *
 * Returns: (transfer full) (nullable): the SOAP service beside it
 *   (…/autodiscover.svc), or %NULL if @pox_url is no POX address
 */
char *
oc_ews_autodiscover_soap_url (const char *pox_url)
{
  gsize length = strlen (pox_url);
  const char *suffix = "autodiscover.xml";

  if (length < strlen (suffix) || g_ascii_strcasecmp (pox_url + length - strlen (suffix), suffix) != 0)
    return NULL;
  return g_strdup_printf ("%.*sautodiscover.svc", (int) (length - strlen (suffix)), pox_url);
}

OcEwsAutodiscoverResult *
oc_ews_autodiscover_result_copy (const OcEwsAutodiscoverResult *result)
{
  OcEwsAutodiscoverResult *copy = g_memdup2 (result, sizeof *result);

  copy->domain = g_strdup (result->domain);
  copy->ews_url = g_strdup (result->ews_url);
  copy->where = g_strdup (result->where);
  return copy;
}

void
oc_ews_autodiscover_result_free (OcEwsAutodiscoverResult *result)
{
  if (result == NULL)
    return;
  g_free (result->domain);
  g_free (result->ews_url);
  g_free (result->where);
  g_free (result);
}

/**
 * oc_ews_autodiscover_kind_to_string:
 * @kind: a kind of Exchange
 *
 * Returns: its name in words: "Exchange" or "Microsoft 365"
 */
const char *
oc_ews_autodiscover_kind_to_string (OcEwsAutodiscoverKind kind)
{
  return kind == OC_EWS_AUTODISCOVER_KIND_MICROSOFT_365 ? "Microsoft 365" : "Exchange";
}

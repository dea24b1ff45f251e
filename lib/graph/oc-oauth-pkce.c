/* oc-oauth-pkce.c: one interactive sign-in (OAuth 2.0 authorization code flow
 * with PKCE, RFC 7636, as the Microsoft identity platform's v2 endpoints take it).
 *
 * owacal is a public client: it has no secret. PKCE stands in for one: the
 * authorize URL carries SHA-256 of a random verifier, and only who holds the
 * verifier can redeem the code the redirect brings. The redirect itself is
 * never loaded; the window that shows Microsoft's pages hands its URL here.
 */
#include "config.h"
#include "oc-oauth-pkce.h"

#include <string.h>
#include <sys/random.h>

#include "oc-graph-error.h"

G_DEFINE_BOXED_TYPE (OcOAuthPkce, oc_oauth_pkce, oc_oauth_pkce_copy, oc_oauth_pkce_free)

/* BASE64URL-ENCODE of RFC 7636 appendix A: base64 with '-' and '_', no '='. */
static char *
base64url (const guchar *data,
           gsize         len)
{
  char *text = g_base64_encode (data, len);

  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  text[strcspn (text, "=")] = '\0';
  return text;
}

static char *
random_base64url (gsize n_bytes)
{
  guchar bytes[64];
  gsize got = 0;

  g_assert (n_bytes <= sizeof bytes);
  /* The kernel's CSPRNG: a verifier or state from GRand could be guessed. */
  while (got < n_bytes)
    {
      ssize_t n = getrandom (bytes + got, n_bytes - got, 0);
      if (n > 0)
        got += n;
    }
  return base64url (bytes, n_bytes);
}

/**
 * oc_oauth_pkce_new_verifier:
 *
 * Returns: (transfer full): a code_verifier of 43 characters carrying 256
 *   random bits, as RFC 7636 section 4.1 recommends
 */
char *
oc_oauth_pkce_new_verifier (void)
{
  return random_base64url (32);
}

/**
 * oc_oauth_pkce_challenge_s256:
 * @verifier: a code_verifier
 *
 * Returns: (transfer full): its S256 code_challenge,
 *   BASE64URL-ENCODE(SHA256(ASCII(verifier)))
 */
char *
oc_oauth_pkce_challenge_s256 (const char *verifier)
{
  g_autoptr (GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_return_val_if_fail (verifier != NULL, NULL);
  g_checksum_update (sha, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (sha, digest, &len);
  return base64url (digest, len);
}

/**
 * oc_oauth_pkce_new_state:
 *
 * Returns: (transfer full): a fresh unguessable state value
 */
char *
oc_oauth_pkce_new_state (void)
{
  return random_base64url (16);
}

static void
add_param (GString    *url,
           const char *name,
           const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (url, "%c%s=%s", strchr (url->str, '?') ? '&' : '?', name, escaped);
}

/**
 * oc_oauth_pkce_new_with:
 * @config: where and as whom to sign in
 * @login_hint: (nullable): the address to fill in on the sign-in page
 * @verifier: the code_verifier to use
 * @state: the state to use
 *
 * For tests, which need known values; owacal uses oc_oauth_pkce_new().
 *
 * Returns: (transfer full): the sign-in
 */
OcOAuthPkce *
oc_oauth_pkce_new_with (const OcOAuthConfig *config,
                        const char          *login_hint,
                        const char          *verifier,
                        const char          *state)
{
  OcOAuthPkce *pkce = g_new0 (OcOAuthPkce, 1);
  g_autofree char *endpoint = oc_oauth_config_dup_endpoint (config, "authorize");
  g_autoptr (GString) url = g_string_new (endpoint);

  pkce->verifier = g_strdup (verifier);
  pkce->challenge = oc_oauth_pkce_challenge_s256 (verifier);
  pkce->state = g_strdup (state);
  pkce->redirect_uri = g_strdup (config->redirect_uri);
  add_param (url, "client_id", config->client_id);
  add_param (url, "response_type", "code");
  add_param (url, "redirect_uri", config->redirect_uri);
  add_param (url, "response_mode", "query");
  add_param (url, "scope", config->scope);
  add_param (url, "state", state);
  add_param (url, "code_challenge", pkce->challenge);
  add_param (url, "code_challenge_method", "S256");
  if (login_hint != NULL && *login_hint != '\0')
    add_param (url, "login_hint", login_hint);
  pkce->authorize_url = g_string_free (g_steal_pointer (&url), FALSE);
  return pkce;
}

/**
 * oc_oauth_pkce_new:
 * @config: where and as whom to sign in
 * @login_hint: (nullable): the address to fill in on the sign-in page
 *
 * Returns: (transfer full): a sign-in with a new verifier and state; load
 *   its authorize_url in the sign-in window
 */
OcOAuthPkce *
oc_oauth_pkce_new (const OcOAuthConfig *config,
                   const char          *login_hint)
{
  g_autofree char *verifier = oc_oauth_pkce_new_verifier ();
  g_autofree char *state = oc_oauth_pkce_new_state ();

  return oc_oauth_pkce_new_with (config, login_hint, verifier, state);
}

OcOAuthPkce *
oc_oauth_pkce_copy (const OcOAuthPkce *pkce)
{
  OcOAuthPkce *copy = g_new0 (OcOAuthPkce, 1);

  copy->verifier = g_strdup (pkce->verifier);
  copy->challenge = g_strdup (pkce->challenge);
  copy->state = g_strdup (pkce->state);
  copy->redirect_uri = g_strdup (pkce->redirect_uri);
  copy->authorize_url = g_strdup (pkce->authorize_url);
  return copy;
}

void
oc_oauth_pkce_free (OcOAuthPkce *pkce)
{
  if (pkce == NULL)
    return;
  if (pkce->verifier != NULL)
    memset (pkce->verifier, 0, strlen (pkce->verifier));
  g_free (pkce->verifier);
  g_free (pkce->challenge);
  g_free (pkce->state);
  g_free (pkce->redirect_uri);
  g_free (pkce->authorize_url);
  g_free (pkce);
}

static gboolean
is_loopback (const char *host)
{
  return g_strcmp0 (host, "localhost") == 0 || g_strcmp0 (host, "127.0.0.1") == 0;
}

/**
 * oc_oauth_pkce_is_redirect:
 * @pkce: a sign-in
 * @uri: a URI the sign-in window is about to load
 *
 * Returns: whether @uri is the redirect that ends the sign-in (the same
 *   scheme, host and path; a loopback redirect may come on any port)
 */
gboolean
oc_oauth_pkce_is_redirect (const OcOAuthPkce *pkce,
                           const char        *uri)
{
  g_autoptr (GUri) want = g_uri_parse (pkce->redirect_uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr (GUri) got = uri ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *want_path, *got_path;

  if (want == NULL || got == NULL)
    return FALSE;
  want_path = *g_uri_get_path (want) ? g_uri_get_path (want) : "/";
  got_path = *g_uri_get_path (got) ? g_uri_get_path (got) : "/";
  return g_ascii_strcasecmp (g_uri_get_scheme (want), g_uri_get_scheme (got)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (want), g_uri_get_host (got)) == 0 &&
         (g_uri_get_port (want) == g_uri_get_port (got) || is_loopback (g_uri_get_host (want))) &&
         strcmp (want_path, got_path) == 0;
}

/**
 * oc_oauth_pkce_parse_redirect:
 * @pkce: the sign-in the redirect ends
 * @uri: the redirect URI, as the sign-in window was sent to it
 * @client_id: (nullable): the client ID, for error messages
 * @error: return location for a #GError in %OC_GRAPH_ERROR: the identity
 *   platform's error (consent missing, Conditional Access, …), a state that
 *   does not match, no code at all
 *
 * Reads `code` and `state` (or `error` and `error_description`) from the
 * query, or from the fragment with response_mode=fragment.
 *
 * Returns: (transfer full) (nullable): the authorization code
 */
char *
oc_oauth_pkce_parse_redirect (const OcOAuthPkce  *pkce,
                              const char         *uri,
                              const char         *client_id,
                              GError            **error)
{
  g_autoptr (GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr (GHashTable) params = NULL;
  const char *text;

  if (parsed == NULL || !oc_oauth_pkce_is_redirect (pkce, uri))
    {
      g_set_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_INVALID_RESPONSE,
                   "The sign-in ended at an unexpected address, not at %s.", pkce->redirect_uri);
      return NULL;
    }
  text = g_uri_get_query (parsed);
  if (text == NULL || *text == '\0')
    text = g_uri_get_fragment (parsed);
  params = text ? g_uri_parse_params (text, -1, "&", G_URI_PARAMS_WWW_FORM, NULL) : NULL;
  if (params == NULL)
    params = g_hash_table_new (g_str_hash, g_str_equal);

  /* The state comes first: an error or code that answers another sign-in is
   * not ours to act on (RFC 6749 section 10.12). */
  if (g_strcmp0 (g_hash_table_lookup (params, "state"), pkce->state) != 0)
    {
      g_set_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_STATE_MISMATCH,
                   "The sign-in answer belongs to another sign-in (its state does not match). Sign in again.");
      return NULL;
    }
  if (g_hash_table_contains (params, "error"))
    {
      g_propagate_error (error, oc_graph_error_new_aad (g_hash_table_lookup (params, "error"),
                                                        g_hash_table_lookup (params, "error_description"),
                                                        client_id));
      return NULL;
    }
  if (g_hash_table_lookup (params, "code") == NULL || *(char *) g_hash_table_lookup (params, "code") == '\0')
    {
      g_set_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_INVALID_RESPONSE,
                   "The sign-in ended without an authorization code.");
      return NULL;
    }
  return g_strdup (g_hash_table_lookup (params, "code"));
}

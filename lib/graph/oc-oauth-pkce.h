/* oc-oauth-pkce.h: one interactive sign-in: the authorize URL with its PKCE
 * challenge and state, and what the redirect brought back. */
#pragma once

#include <glib-object.h>

#include "oc-oauth-config.h"

G_BEGIN_DECLS

typedef struct {
  char *verifier;        /* RFC 7636 code_verifier: secret, sent only to the token endpoint */
  char *challenge;       /* BASE64URL(SHA256(verifier)) */
  char *state;           /* the authorize request's state, checked on the redirect */
  char *redirect_uri;
  char *authorize_url;   /* what the sign-in window loads */
} OcOAuthPkce;

#define OC_TYPE_OAUTH_PKCE (oc_oauth_pkce_get_type ())
GType        oc_oauth_pkce_get_type        (void) G_GNUC_CONST;

char        *oc_oauth_pkce_new_verifier    (void);
char        *oc_oauth_pkce_challenge_s256  (const char          *verifier);
char        *oc_oauth_pkce_new_state       (void);

OcOAuthPkce *oc_oauth_pkce_new             (const OcOAuthConfig *config,
                                            const char          *login_hint);
OcOAuthPkce *oc_oauth_pkce_new_with        (const OcOAuthConfig *config,
                                            const char          *login_hint,
                                            const char          *verifier,
                                            const char          *state);
OcOAuthPkce *oc_oauth_pkce_copy            (const OcOAuthPkce   *pkce);
void         oc_oauth_pkce_free            (OcOAuthPkce         *pkce);

gboolean     oc_oauth_pkce_is_redirect     (const OcOAuthPkce   *pkce,
                                            const char          *uri);
char        *oc_oauth_pkce_parse_redirect  (const OcOAuthPkce   *pkce,
                                            const char          *uri,
                                            const char          *client_id,
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcOAuthPkce, oc_oauth_pkce_free)

G_END_DECLS

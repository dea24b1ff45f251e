/* test-support.h: what the integration tests share. */
#pragma once

#include "oc-http-client.h"

G_BEGIN_DECLS

const char *test_require_env (const char *name);
guint       test_count_log   (const char *log_env,
                              const char *key,
                              const char *value);
gboolean    test_body_contains (OcHttpResponse *response,
                                const char     *needle);
OcHttpResponse *test_send    (OcHttpClient  *client,
                              OcHttpRequest *request,
                              GCancellable  *cancellable,
                              GError       **error);

/* A credentials provider that answers from a script and writes down every
 * question ("[proxy ]host user none|rejected attempt") and every accepted
 * answer ("host user", and in accepted_passwords "host password"). */
#define TEST_TYPE_PROVIDER (test_provider_get_type ())
G_DECLARE_FINAL_TYPE (TestProvider, test_provider, TEST, PROVIDER, GObject)

struct _TestProvider {
  GObject parent_instance;
  GPtrArray *answers;          /* OcCredentials, or NULL for "declined" */
  GPtrArray *questions;
  GPtrArray *accepted;
  GPtrArray *accepted_passwords;
};

TestProvider *test_provider_new    (void);
void          test_provider_answer (TestProvider *self,
                                    const char   *user,
                                    const char   *password);

G_END_DECLS

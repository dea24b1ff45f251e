/* test-support.c: what the integration tests share: a credentials provider that
 * answers from a script and writes down every question, the testbed's variables,
 * its servers' logs. */
#include "config.h"

#include <string.h>

#include "test-support.h"

/* The testbed starts the servers and says where they are; a test never skips. */
const char *
test_require_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run this test through tests/testbed/testbed.py", name);
  return value;
}

/* Counts the log lines of a server that carry a note ("forms": "login-ok"). */
/**
 * test_count_log:
 * Counts the lines of the JSON log named by @log_env that hold "key": "value".
 */
guint
test_count_log (const char *log_env, const char *key, const char *value)
{
  g_autofree char *contents = NULL;
  g_autofree char *needle = g_strdup_printf ("\"%s\": \"%s\"", key, value);
  guint n = 0;

  g_assert_true (g_file_get_contents (test_require_env (log_env), &contents, NULL, NULL));
  for (const char *p = contents; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

typedef struct {
  GMainLoop *loop;
  OcHttpResponse *response;
  GError **error;
} Sending;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sending *sending = user_data;

  sending->response = oc_http_client_send_finish (OC_HTTP_CLIENT (source), result, sending->error);
  g_main_loop_quit (sending->loop);
}

/**
 * test_send:
 * Sends @request with @client and runs the main loop until it is answered.
 * Returns: the response, or %NULL with @error set
 */
OcHttpResponse *
test_send (OcHttpClient   *client,
           OcHttpRequest  *request,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Sending sending = { loop, NULL, error };

  oc_http_client_send_async (client, request, cancellable, sent_cb, &sending);
  g_main_loop_run (loop);
  return sending.response;
}

static void test_provider_iface_init (OcCredentialsProviderInterface *iface);
G_DEFINE_FINAL_TYPE_WITH_CODE (TestProvider, test_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OC_TYPE_CREDENTIALS_PROVIDER, test_provider_iface_init))

static void
test_provider_ask_async (OcCredentialsProvider *provider, const OcCredentialsQuestion *question,
                         GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  TestProvider *self = TEST_PROVIDER (provider);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  OcCredentials *answer;

  g_ptr_array_add (self->questions, g_strdup_printf ("%s%s %s %s %u", question->proxy ? "proxy " : "", question->host,
                                                     question->user ? question->user : "-",
                                                     question->reason == OC_CREDENTIALS_REASON_REJECTED ? "rejected" : "none",
                                                     question->attempt));
  if (self->answers->len == 0)
    g_error ("the client asked more often than the test expected: %s",
             (char *) g_ptr_array_index (self->questions, self->questions->len - 1));
  answer = g_ptr_array_steal_index (self->answers, 0);
  /* Answer from the main loop, as a dialog or the keyring would. */
  if (answer != NULL)
    g_task_return_pointer (task, answer, (GDestroyNotify) oc_credentials_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The user cancelled the sign-in");
}

static OcCredentials *
test_provider_ask_finish (OcCredentialsProvider *provider, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_provider_accepted (OcCredentialsProvider *provider, const char *host, OcCredentials *credentials)
{
  g_ptr_array_add (TEST_PROVIDER (provider)->accepted, g_strdup_printf ("%s %s", host, oc_credentials_get_user (credentials)));
  g_ptr_array_add (TEST_PROVIDER (provider)->accepted_passwords,
                   g_strdup_printf ("%s %s", host, oc_credentials_get_password (credentials)));
}

static void
test_provider_iface_init (OcCredentialsProviderInterface *iface)
{
  iface->ask_async = test_provider_ask_async;
  iface->ask_finish = test_provider_ask_finish;
  iface->accepted = test_provider_accepted;
}

static void
test_provider_finalize (GObject *object)
{
  TestProvider *self = TEST_PROVIDER (object);

  g_ptr_array_unref (self->answers);
  g_ptr_array_unref (self->questions);
  g_ptr_array_unref (self->accepted);
  g_ptr_array_unref (self->accepted_passwords);
  G_OBJECT_CLASS (test_provider_parent_class)->finalize (object);
}

static void
test_provider_class_init (TestProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_provider_finalize;
}

static void
test_provider_init (TestProvider *self)
{
  self->answers = g_ptr_array_new ();
  self->questions = g_ptr_array_new_with_free_func (g_free);
  self->accepted = g_ptr_array_new_with_free_func (g_free);
  self->accepted_passwords = g_ptr_array_new_with_free_func (g_free);
}

TestProvider *
test_provider_new (void)
{
  return g_object_new (TEST_TYPE_PROVIDER, NULL);
}

/* Queues an answer: credentials, or a declined question when @password is NULL. */
void
test_provider_answer (TestProvider *self,
                      const char   *user,
                      const char   *password)
{
  g_ptr_array_add (self->answers, password ? oc_credentials_new (user, password) : NULL);
}

/* A body has a length and no NUL after it: search it as bytes. */
gboolean
test_body_contains (OcHttpResponse *response,
                    const char     *needle)
{
  GBytes *body = oc_http_response_get_body (response);
  gsize length = 0;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;

  return data != NULL && g_strstr_len (data, length, needle) != NULL;
}

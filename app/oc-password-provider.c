/* oc-password-provider.c: passwords from the keyring, or from the user.
 *
 * The HTTP client asks when a trusted server wants a password it has not
 * got (see lib/credentials/oc-credentials-provider.c). The keyring is tried first; when
 * it has nothing for the server, or the server just refused what it had,
 * the sign-in dialog asks the user, unless owacal runs unattended
 * (--snapshot), where a missing password is an error. A password the user
 * typed with "Remember password" ticked goes into the keyring once the
 * server has accepted it, not before: a mistyped password is never kept.
 */
#include "config.h"
#include "oc-password-provider.h"

#include "oc-keyring.h"
#include "oc-sign-in-dialog.h"

struct _OcPasswordProvider {
  GObject parent_instance;

  GtkApplication *application;     /* weak: the application owns the provider */
  gboolean interactive;
};

static void oc_password_provider_iface_init (OcCredentialsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OcPasswordProvider, oc_password_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OC_TYPE_CREDENTIALS_PROVIDER,
                                                      oc_password_provider_iface_init))

/* A question on its way: the task's data. */
typedef struct {
  char *host;
  char *user;
  OcCredentialsReason reason;
  guint attempt;
  gboolean proxy;
} Question;

static void
question_free (Question *question)
{
  g_free (question->host);
  g_free (question->user);
  g_free (question);
}

/* Callbacks */

static void
dialog_answered_cb (GtkDialog *dialog,
                    int        response,
                    gpointer   user_data)
{
  g_autoptr (GTask) task = user_data;

  g_debug ("Sign-in dialog for %s answered: %s", ((Question *) g_task_get_task_data (task))->host,
           response == GTK_RESPONSE_OK ? "sign in" : "cancel");
  if (response == GTK_RESPONSE_OK)
    g_task_return_pointer (task, oc_sign_in_dialog_dup_credentials (OC_SIGN_IN_DIALOG (dialog)),
                           (GDestroyNotify) oc_credentials_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "You cancelled the sign-in.");
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
ask_user (GTask *task)
{
  OcPasswordProvider *self = g_task_get_source_object (task);
  Question *question = g_task_get_task_data (task);
  OcCredentialsQuestion shown = { question->host, question->user, question->reason, question->attempt,
                                  question->proxy };
  GtkWidget *dialog;

  if (!self->interactive)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "owacal has no password for %s%s%s in the keyring. Open the calendar once in "
                               "owacal’s window and tick “Remember password”, or give a password file "
                               "(--password-file; --directory-password-file for a directory).",
                               question->user ? question->user : "", question->user ? " on " : "", question->host);
      return;
    }
  g_debug ("Sign-in dialog %u for %s: %s", question->attempt, question->host,
           question->reason == OC_CREDENTIALS_REASON_REJECTED ? "the password was rejected" : "none stored");
  dialog = oc_sign_in_dialog_new (self->application ? gtk_application_get_active_window (self->application) : NULL,
                                  &shown);
  g_signal_connect (dialog, "response", G_CALLBACK (dialog_answered_cb), g_object_ref (task));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
keyring_answered_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  OcCredentials *credentials = oc_keyring_lookup_finish (result, &error);

  /* No keyring on this desktop is no reason not to sign in: ask instead. */
  if (error != NULL)
    g_message ("The keyring could not be read, so owacal asks for the password: %s", error->message);
  if (credentials != NULL)
    {
      g_debug ("The keyring has the password of %s", ((Question *) g_task_get_task_data (task))->host);
      g_task_return_pointer (task, credentials, (GDestroyNotify) oc_credentials_unref);
      return;
    }
  ask_user (task);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GError) error = NULL;

  if (!oc_keyring_store_finish (result, &error))
    g_warning ("%s", error->message);
}

/* OcCredentialsProvider */

static void
oc_password_provider_ask_async (OcCredentialsProvider       *provider,
                                const OcCredentialsQuestion *asked,
                                GCancellable                *cancellable,
                                GAsyncReadyCallback          callback,
                                gpointer                     user_data)
{
  OcPasswordProvider *self = OC_PASSWORD_PROVIDER (provider);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  Question *question = g_new0 (Question, 1);

  question->host = g_strdup (asked->host);
  question->user = g_strdup (asked->user);
  question->reason = asked->reason;
  question->attempt = asked->attempt;
  question->proxy = asked->proxy;
  g_task_set_task_data (task, question, (GDestroyNotify) question_free);
  g_task_set_source_tag (task, oc_password_provider_ask_async);

  /* A refused password: whatever the keyring holds is what was refused. */
  if (asked->reason == OC_CREDENTIALS_REASON_REJECTED)
    {
      ask_user (task);
      return;
    }
  oc_keyring_lookup_async (asked->host, asked->user, cancellable, keyring_answered_cb, g_steal_pointer (&task));
}

static OcCredentials *
oc_password_provider_ask_finish (OcCredentialsProvider  *provider,
                                 GAsyncResult           *result,
                                 GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
oc_password_provider_accepted (OcCredentialsProvider *provider,
                               const char            *host,
                               OcCredentials         *credentials)
{
  if (oc_credentials_get_remember (credentials))
    oc_keyring_store_async (host, credentials, NULL, stored_cb, NULL);
}

static void
oc_password_provider_iface_init (OcCredentialsProviderInterface *iface)
{
  iface->ask_async = oc_password_provider_ask_async;
  iface->ask_finish = oc_password_provider_ask_finish;
  iface->accepted = oc_password_provider_accepted;
}

/* GObject */

static void
oc_password_provider_dispose (GObject *object)
{
  OcPasswordProvider *self = OC_PASSWORD_PROVIDER (object);

  g_clear_weak_pointer (&self->application);
  G_OBJECT_CLASS (oc_password_provider_parent_class)->dispose (object);
}

static void
oc_password_provider_class_init (OcPasswordProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = oc_password_provider_dispose;
}

static void
oc_password_provider_init (OcPasswordProvider *self)
{
  self->interactive = TRUE;
}

/* Public API */

/**
 * oc_password_provider_new:
 * @application: whose active window the sign-in dialog belongs to
 *
 * Returns: (transfer full): a provider that asks the keyring, then the user
 */
OcPasswordProvider *
oc_password_provider_new (GtkApplication *application)
{
  OcPasswordProvider *self = g_object_new (OC_TYPE_PASSWORD_PROVIDER, NULL);

  g_set_weak_pointer (&self->application, application);
  return self;
}

/**
 * oc_password_provider_set_interactive:
 * @self: a provider
 * @interactive: %FALSE to answer from the keyring only (--snapshot)
 */
void
oc_password_provider_set_interactive (OcPasswordProvider *self,
                                      gboolean            interactive)
{
  self->interactive = interactive;
}

/* oc-certificate-bar.c: offers to trust an untrusted server certificate, above the page.
 *
 * When a calendar's server presents a certificate owacal does not trust, the
 * page says so and shows the certificate (lib/oc-error-page.c). Trusting it
 * is the user's decision, so it is offered here, in GTK above the page, where
 * the page's scripts cannot click: "Trust This Certificate…", then a
 * confirmation that names the server and the fingerprint, with Cancel as the
 * default. Trusting pins that certificate for that server only (host and
 * port); the bar then emits "trusted" and the tab loads the page again.
 */
#include "config.h"
#include "oc-certificate-bar.h"


#define RESPONSE_TRUST 1

struct _OcCertificateBar {
  GtkInfoBar parent_instance;

  GtkWidget *label;
  OcCertificate *certificate;
};

G_DEFINE_FINAL_TYPE (OcCertificateBar, oc_certificate_bar, GTK_TYPE_INFO_BAR)

enum {
  TRUSTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Callbacks */

static void
confirmed_cb (GtkDialog *dialog,
              int        response,
              gpointer   user_data)
{
  g_autoptr (OcCertificateBar) self = user_data;
  g_autoptr (OcCertificate) certificate = g_object_steal_data (G_OBJECT (dialog), "oc-certificate");
  GApplication *application = g_application_get_default ();

  gtk_widget_destroy (GTK_WIDGET (dialog));
  if (response != RESPONSE_TRUST || certificate == NULL)
    return;
  /* The application keeps what is trusted (app.trust-certificate). */
  if (application != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (application), "trust-certificate",
                                    oc_certificate_to_variant (certificate));
  if (self->certificate == NULL ||
      !g_str_equal (oc_certificate_get_fingerprint (self->certificate), oc_certificate_get_fingerprint (certificate)))
    return;
  gtk_widget_hide (GTK_WIDGET (self));
  g_signal_emit (self, signals[TRUSTED], 0);
}

static void
responded_cb (GtkInfoBar *bar,
              int         response,
              gpointer    user_data)
{
  OcCertificateBar *self = OC_CERTIFICATE_BAR (bar);
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  g_autofree char *server = NULL;
  GtkWidget *dialog;

  if (response != RESPONSE_TRUST || self->certificate == NULL)
    return;
  server = g_strdup_printf ("%s:%u", oc_certificate_get_host (self->certificate),
                            oc_certificate_get_port (self->certificate));
  dialog = gtk_message_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_WARNING,
                                   GTK_BUTTONS_NONE, "Trust the certificate of %s?", server);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            "owacal will accept this certificate, and only this one, from %s "
                                            "from now on. Do this only if your administrator confirmed its "
                                            "SHA-256 fingerprint:\n\n%s\n\nIssued to: %s\nIssued by: %s",
                                            server, oc_certificate_get_fingerprint (self->certificate),
                                            oc_certificate_get_subject (self->certificate),
                                            oc_certificate_get_issuer (self->certificate));
  gtk_window_set_title (GTK_WINDOW (dialog), "Trust This Certificate?");
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), "_Cancel", GTK_RESPONSE_CANCEL, "_Trust", RESPONSE_TRUST, NULL);
  /* The safe answer is the one Return gives. */
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  /* The certificate asked about, even if the page changes meanwhile. */
  g_object_set_data_full (G_OBJECT (dialog), "oc-certificate", oc_certificate_ref (self->certificate),
                          (GDestroyNotify) oc_certificate_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (confirmed_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
oc_certificate_bar_finalize (GObject *object)
{
  OcCertificateBar *self = OC_CERTIFICATE_BAR (object);

  g_clear_pointer (&self->certificate, oc_certificate_unref);
  G_OBJECT_CLASS (oc_certificate_bar_parent_class)->finalize (object);
}

static void
oc_certificate_bar_class_init (OcCertificateBarClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_certificate_bar_finalize;

  /**
   * OcCertificateBar::trusted:
   *
   * The user trusted the certificate; the page may be loaded again.
   */
  signals[TRUSTED] = g_signal_new ("trusted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                   NULL, G_TYPE_NONE, 0);
}

static void
oc_certificate_bar_init (OcCertificateBar *self)
{
  GtkWidget *button;

  gtk_info_bar_set_message_type (GTK_INFO_BAR (self), GTK_MESSAGE_WARNING);
  self->label = gtk_label_new (NULL);
  gtk_label_set_line_wrap (GTK_LABEL (self->label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0.0);
  gtk_container_add (GTK_CONTAINER (gtk_info_bar_get_content_area (GTK_INFO_BAR (self))), self->label);
  button = gtk_info_bar_add_button (GTK_INFO_BAR (self), "_Trust This Certificate…", RESPONSE_TRUST);
  atk_object_set_description (gtk_widget_get_accessible (button),
                              "Trust this server’s certificate after confirming its fingerprint");
  gtk_widget_show (self->label);
  gtk_widget_set_no_show_all (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "response", G_CALLBACK (responded_cb), NULL);
}

/* Public API */

GtkWidget *
oc_certificate_bar_new (void)
{
  return g_object_new (OC_TYPE_CERTIFICATE_BAR, NULL);
}

/**
 * oc_certificate_bar_show:
 * @self: a bar
 * @certificate: (nullable): the certificate the page's server presented and
 *   owacal did not trust, or %NULL to hide the bar
 */
void
oc_certificate_bar_show (OcCertificateBar *self,
                         OcCertificate    *certificate)
{
  g_autofree char *text = NULL;

  g_clear_pointer (&self->certificate, oc_certificate_unref);
  if (certificate == NULL)
    {
      gtk_widget_hide (GTK_WIDGET (self));
      return;
    }
  self->certificate = oc_certificate_ref (certificate);
  text = g_strdup_printf ("owacal does not trust the certificate of %s:%u. Check its fingerprint with your "
                          "administrator before you trust it.", oc_certificate_get_host (certificate),
                          oc_certificate_get_port (certificate));
  gtk_label_set_text (GTK_LABEL (self->label), text);
  gtk_widget_show (GTK_WIDGET (self));
}

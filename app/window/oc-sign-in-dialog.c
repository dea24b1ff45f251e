/* oc-sign-in-dialog.c: asks the user for a server's user name and password.
 *
 * Shown when a trusted server wants a password that neither the command
 * line nor the keyring had, or refused the one owacal sent. It says which
 * server asks and why, takes "DOMAIN\user" or "user@domain" and the
 * password, and offers to remember them (in the keyring, once the server
 * has accepted them). The window title says the reason too, so that it
 * shows in the task switcher. Every control has an accessible name.
 */
#include "config.h"
#include "oc-sign-in-dialog.h"

struct _OcSignInDialog {
  GtkDialog parent_instance;

  GtkWidget *user_entry;
  GtkWidget *password_entry;
  GtkWidget *remember_check;
};

G_DEFINE_FINAL_TYPE (OcSignInDialog, oc_sign_in_dialog, GTK_TYPE_DIALOG)

/* Callbacks */

static void
entries_changed_cb (GtkEditable    *editable,
                    OcSignInDialog *self)
{
  gboolean complete = *gtk_entry_get_text (GTK_ENTRY (self->user_entry)) != '\0' &&
                      *gtk_entry_get_text (GTK_ENTRY (self->password_entry)) != '\0';

  gtk_dialog_set_response_sensitive (GTK_DIALOG (self), GTK_RESPONSE_OK, complete);
}

/* Construction */

static GtkWidget *
add_labelled_entry (GtkGrid    *grid,
                    int         row,
                    const char *mnemonic,
                    const char *accessible_name)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);
  GtkWidget *entry = gtk_entry_new ();

  gtk_widget_set_halign (label, GTK_ALIGN_END);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_widget_set_hexpand (entry, TRUE);
  atk_object_set_name (gtk_widget_get_accessible (entry), accessible_name);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, entry, 1, row, 1, 1);
  return entry;
}

static GtkWidget *
create_explanation (const OcCredentialsQuestion *question)
{
  g_autofree char *host = g_markup_escape_text (question->host, -1);
  g_autofree char *markup = NULL;
  GtkWidget *label;

  if (question->reason == OC_CREDENTIALS_REASON_REJECTED)
    markup = g_strdup_printf ("%s<b>%s</b> rejected the password. Check your user name and password, "
                              "then try again.", question->proxy ? "The proxy server " : "", host);
  else if (question->proxy)
    markup = g_strdup_printf ("The proxy server <b>%s</b> asks for your Windows user name and password "
                              "before it lets owacal through to the calendar.", host);
  else
    markup = g_strdup_printf ("<b>%s</b> asks for your Windows user name and password to open the "
                              "calendar.", host);
  label = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  return label;
}

static void
oc_sign_in_dialog_class_init (OcSignInDialogClass *klass)
{
}

static void
oc_sign_in_dialog_init (OcSignInDialog *self)
{
}

/* Public API */

/**
 * oc_sign_in_dialog_new:
 * @parent: (nullable): the window the question is about
 * @question: which server asks, and why
 *
 * Returns: (transfer floating): a dialog; it answers GTK_RESPONSE_OK or
 *   GTK_RESPONSE_CANCEL (or DELETE_EVENT)
 */
GtkWidget *
oc_sign_in_dialog_new (GtkWindow                   *parent,
                       const OcCredentialsQuestion *question)
{
  OcSignInDialog *self = g_object_new (OC_TYPE_SIGN_IN_DIALOG, "use-header-bar", TRUE, NULL);
  GtkWidget *content = gtk_dialog_get_content_area (GTK_DIALOG (self));
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *sign_in;
  g_autofree char *title = g_strdup_printf ("%s — %s", question->reason == OC_CREDENTIALS_REASON_REJECTED
                                              ? "Password Rejected" : "Sign In", question->host);

  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_window_set_resizable (GTK_WINDOW (self), FALSE);
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
      gtk_window_set_modal (GTK_WINDOW (self), TRUE);
    }
  gtk_dialog_add_button (GTK_DIALOG (self), "_Cancel", GTK_RESPONSE_CANCEL);
  sign_in = gtk_dialog_add_button (GTK_DIALOG (self), "_Sign In", GTK_RESPONSE_OK);
  gtk_style_context_add_class (gtk_widget_get_style_context (sign_in), GTK_STYLE_CLASS_SUGGESTED_ACTION);
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_OK);

  gtk_container_set_border_width (GTK_CONTAINER (content), 18);
  gtk_box_set_spacing (GTK_BOX (content), 12);
  gtk_container_add (GTK_CONTAINER (content), create_explanation (question));
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  self->user_entry = add_labelled_entry (GTK_GRID (grid), 0, "_User name", "User name");
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->user_entry), "DOMAIN\\user or user@domain");
  atk_object_set_description (gtk_widget_get_accessible (self->user_entry),
                              "Your Windows user name, as DOMAIN\\user or user@domain");
  self->password_entry = add_labelled_entry (GTK_GRID (grid), 1, "_Password", "Password");
  gtk_entry_set_visibility (GTK_ENTRY (self->password_entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (self->password_entry), GTK_INPUT_PURPOSE_PASSWORD);
  self->remember_check = gtk_check_button_new_with_mnemonic ("_Remember password");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->remember_check), TRUE);
  atk_object_set_description (gtk_widget_get_accessible (self->remember_check),
                              "Keep the password in your keyring, so that owacal does not ask again");
  gtk_grid_attach (GTK_GRID (grid), self->remember_check, 1, 2, 1, 1);
  gtk_container_add (GTK_CONTAINER (content), grid);

  g_signal_connect (self->user_entry, "changed", G_CALLBACK (entries_changed_cb), self);
  g_signal_connect (self->password_entry, "changed", G_CALLBACK (entries_changed_cb), self);
  if (question->user != NULL)
    gtk_entry_set_text (GTK_ENTRY (self->user_entry), question->user);
  entries_changed_cb (NULL, self);
  gtk_widget_show_all (content);
  gtk_widget_grab_focus (question->user != NULL ? self->password_entry : self->user_entry);
  return GTK_WIDGET (self);
}

/**
 * oc_sign_in_dialog_dup_credentials:
 * @self: a dialog the user answered with GTK_RESPONSE_OK
 *
 * Returns: (transfer full): what the user typed; remember is set as ticked
 */
OcCredentials *
oc_sign_in_dialog_dup_credentials (OcSignInDialog *self)
{
  g_autofree char *user = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (self->user_entry))));
  OcCredentials *credentials = oc_credentials_new (user, gtk_entry_get_text (GTK_ENTRY (self->password_entry)));

  oc_credentials_set_remember (credentials,
                               gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->remember_check)));
  return credentials;
}

/* oc-preferences-dialog.c: owacal's settings, for people who do not use gsettings.
 *
 * Each field is bound to its GSettings key, so a change is saved as it is
 * typed and the running owacal follows it: the trusted domains and the
 * User-Agent at once, the lookup settings for the next address looked up.
 */
#include "config.h"
#include "oc-preferences-dialog.h"

#include "oc-settings.h"

/* A list of domains is typed as "a.example, b.example". */
static gboolean
list_to_text (GValue   *value,
              GVariant *variant,
              gpointer  user_data)
{
  g_autofree const char **items = g_variant_get_strv (variant, NULL);
  g_autofree char *text = g_strjoinv (", ", (char **) items);

  g_value_set_string (value, text);
  return TRUE;
}

static GVariant *
text_to_list (const GValue       *value,
              const GVariantType *type,
              gpointer            user_data)
{
  g_auto (GStrv) items = g_strsplit_set (g_value_get_string (value), ", ", -1);
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();

  for (char **item = items; *item; item++)
    if (**item != '\0')
      g_ptr_array_add (kept, *item);
  return g_variant_new_strv ((const char *const *) kept->pdata, kept->len);
}

static gboolean
mechanism_to_switch (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  g_value_set_boolean (value, g_str_equal (g_variant_get_string (variant, NULL), "GSSAPI"));
  return TRUE;
}

static GVariant *
switch_to_mechanism (const GValue       *value,
                     const GVariantType *type,
                     gpointer            user_data)
{
  return g_variant_new_string (g_value_get_boolean (value) ? "GSSAPI" : "");
}

static void
add_heading (GtkGrid    *grid,
             int         row,
             const char *text)
{
  GtkWidget *heading = gtk_label_new (text);

  gtk_style_context_add_class (gtk_widget_get_style_context (heading), "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_set_margin_top (heading, row > 0 ? 18 : 0);
  gtk_grid_attach (grid, heading, 0, row, 2, 1);
}

/* A labelled field bound to @key; @hint (greyed) says what an empty field means. */
static GtkWidget *
add_entry (GtkGrid    *grid,
           int         row,
           GSettings  *settings,
           const char *key,
           const char *label_text,
           const char *hint)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), hint);
  gtk_entry_set_width_chars (GTK_ENTRY (entry), 48);
  gtk_widget_set_hexpand (entry, TRUE);
  if (g_str_equal (key, "trusted-domains"))
    g_settings_bind_with_mapping (settings, key, entry, "text", G_SETTINGS_BIND_DEFAULT,
                                  list_to_text, text_to_list, NULL, NULL);
  else
    g_settings_bind (settings, key, entry, "text", G_SETTINGS_BIND_DEFAULT);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, entry, 1, row, 1, 1);
  return entry;
}

/**
 * oc_preferences_dialog_present:
 * @parent: the window
 *
 * Shows the preferences; without owacal's settings schema (an uninstalled
 * build without its data) it says so instead.
 */
void
oc_preferences_dialog_present (GtkWindow *parent)
{
  g_autoptr (GSettings) settings = oc_settings_open ();
  GtkWidget *dialog, *grid, *first, *kerberos, *kerberos_label;
  int row = 0;

  if (settings == NULL)
    {
      GtkWidget *message = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                                   "No Preferences to Show");
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (message),
                                                "owacal’s settings schema is not installed. Install owacal "
                                                "(meson install), or use the command-line options.");
      g_signal_connect (message, "response", G_CALLBACK (gtk_widget_destroy), NULL);
      gtk_widget_show (message);
      return;
    }

  dialog = g_object_new (GTK_TYPE_DIALOG, "title", "Preferences", "transient-for", parent,
                         "destroy-with-parent", TRUE, "use-header-bar", TRUE, NULL);
  grid = gtk_grid_new ();
  g_object_set (grid, "margin", 18, "row-spacing", 8, "column-spacing", 12, NULL);

  add_heading (GTK_GRID (grid), row++, "Finding a colleague’s calendar");
  first = add_entry (GTK_GRID (grid), row++, settings, "url-template", "Calendar address _template",
                     "https://mail.example.com/owa/{email}/?cmd=contents&module=calendar");
  add_entry (GTK_GRID (grid), row++, settings, "directory-uri", "Company _directory",
             "ldaps://dc.example.com/dc=example,dc=com??sub");
  add_entry (GTK_GRID (grid), row++, settings, "directory-attribute", "Directory _attribute", "extensionAttribute1");
  add_entry (GTK_GRID (grid), row++, settings, "directory-bind-dn", "Sign in to the directory _as",
             "nobody: an anonymous search");
  kerberos_label = gtk_label_new_with_mnemonic ("Sign in to the directory with _Kerberos");
  gtk_label_set_xalign (GTK_LABEL (kerberos_label), 1);
  kerberos = gtk_switch_new ();
  gtk_widget_set_halign (kerberos, GTK_ALIGN_START);
  gtk_label_set_mnemonic_widget (GTK_LABEL (kerberos_label), kerberos);
  g_settings_bind_with_mapping (settings, "directory-sasl-mechanism", kerberos, "active", G_SETTINGS_BIND_DEFAULT,
                                mechanism_to_switch, switch_to_mechanism, NULL, NULL);
  gtk_grid_attach (GTK_GRID (grid), kerberos_label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), kerberos, 1, row++, 1, 1);
  add_entry (GTK_GRID (grid), row++, settings, "thunderbird-profile", "Thunderbird _profile",
             "the one Thunderbird starts with");

  add_heading (GTK_GRID (grid), row++, "Signing in");
  add_entry (GTK_GRID (grid), row++, settings, "trusted-domains", "T_rusted domains",
             "example.com, intranet.example (empty: the calendar’s own server)");
  add_entry (GTK_GRID (grid), row++, settings, "ca-file", "Extra _certificate authorities",
             "the system’s only (a PEM file)");
  add_entry (GTK_GRID (grid), row++, settings, "user-agent", "_User-Agent",
             "Chrome on Linux, for Exchange’s full web app");

  gtk_container_add (GTK_CONTAINER (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), grid);
  gtk_widget_show_all (dialog);
  gtk_widget_grab_focus (first);
}

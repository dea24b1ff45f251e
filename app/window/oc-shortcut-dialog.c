/* oc-shortcut-dialog.c: "Add a Shortcut for This Calendar", asking for the colleague's name.
 * For calendars side by side, one shortcut opens them all.
 *
 * The same launcher as `owacal --create-shortcut` (lib/desktop/oc-shortcut.c), from
 * the window's menu: the name is filled in with what owacal can tell (the
 * e-mail address) for the user to turn into a person's name.
 */
#include "config.h"
#include "oc-shortcut-dialog.h"

#include "oc-setup-commands.h"
#include "oc-shortcut.h"
#include "oc-target.h"

typedef struct {
  GPtrArray *targets;
  GtkWidget *entry;
  GtkWidget *on_desktop;
} DialogData;

static void
dialog_data_free (gpointer  user_data,
                  GClosure *closure)
{
  DialogData *data = user_data;

  g_ptr_array_unref (data->targets);
  g_free (data);
}

static void
show_failure (GtkWindow    *parent,
              const GError *error)
{
  GtkWidget *message = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                               GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                               "Could Not Add the Shortcut");

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (message), "%s", error->message);
  g_signal_connect (message, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_widget_show (message);
}

/* Callbacks */

static void
response_cb (GtkDialog  *dialog,
             int         response,
             DialogData *data)
{
  g_autofree char *executable = NULL;
  g_autoptr (OcShortcut) shortcut = NULL;
  g_autoptr (GError) error = NULL;
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      executable = oc_setup_commands_dup_executable ();
      shortcut = oc_shortcut_create (executable, data->targets, gtk_entry_get_text (GTK_ENTRY (data->entry)),
                                     gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (data->on_desktop)),
                                     NULL, &error);
      if (shortcut == NULL)
        show_failure (parent, error);
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

/* Public API */

/**
 * oc_shortcut_dialog_present:
 * @parent: the window
 * @calendars: the calendar of the current tab, or the calendars it shows side by
 *   side, as oc_target_parse() reads them
 *
 * Asks for the colleague's (or the team's) name and creates the shortcut;
 * returns at once.
 */
void
oc_shortcut_dialog_present (GtkWindow         *parent,
                            const char *const *calendars)
{
  g_autoptr (GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_target_free);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  GtkWidget *dialog, *grid, *label, *explanation;
  DialogData *data;

  for (const char *const *calendar = calendars; *calendar; calendar++)
    {
      g_autoptr (GError) error = NULL;
      OcTarget *target = oc_target_parse (*calendar, &error);

      if (target == NULL)
        {
          show_failure (parent, error);
          return;
        }
      g_ptr_array_add (targets, target);
      g_ptr_array_add (names, oc_shortcut_default_name (target));
    }
  g_ptr_array_add (names, NULL);
  name = g_strjoinv (", ", (char **) names->pdata);
  dialog = gtk_dialog_new_with_buttons ("Add a Shortcut", parent,
                                        GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT |
                                        GTK_DIALOG_USE_HEADER_BAR,
                                        "_Cancel", GTK_RESPONSE_CANCEL, "_Add", GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (
                                 gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT)),
                               "suggested-action");

  grid = gtk_grid_new ();
  g_object_set (grid, "margin", 18, "row-spacing", 12, "column-spacing", 12, NULL);
  explanation = gtk_label_new (targets->len > 1 ? "A shortcut opens these calendars side by side from your "
                                                  "applications, as “Calendar — Name”."
                                                : "A shortcut opens this calendar from your applications, "
                                                  "as “Calendar — Name”.");
  gtk_label_set_line_wrap (GTK_LABEL (explanation), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (explanation), 40);
  gtk_label_set_xalign (GTK_LABEL (explanation), 0);
  gtk_grid_attach (GTK_GRID (grid), explanation, 0, 0, 2, 1);

  data = g_new0 (DialogData, 1);
  data->targets = g_steal_pointer (&targets);
  label = gtk_label_new_with_mnemonic ("_Name");
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  data->entry = gtk_entry_new ();
  gtk_entry_set_text (GTK_ENTRY (data->entry), name);
  gtk_entry_set_activates_default (GTK_ENTRY (data->entry), TRUE);
  gtk_widget_set_hexpand (data->entry, TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), data->entry);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), data->entry, 1, 1, 1, 1);
  data->on_desktop = gtk_check_button_new_with_mnemonic ("Also put it on the _desktop");
  gtk_grid_attach (GTK_GRID (grid), data->on_desktop, 1, 2, 1, 1);
  gtk_container_add (GTK_CONTAINER (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), grid);

  g_signal_connect_data (dialog, "response", G_CALLBACK (response_cb), data,
                         dialog_data_free, 0);
  gtk_widget_show_all (dialog);
  gtk_widget_grab_focus (data->entry);
}

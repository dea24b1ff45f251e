/* oc-tab-report.c: owacal --list-tabs [--eval SCRIPT].
 *
 * One line per tab of the running owacal (number, title, address) and, with a
 * script, its value on each tab's page: for scripts and tests that drive a
 * running owacal and read its real pages.
 */
#include "config.h"
#include "oc-tab-report.h"

#include "oc-tab.h"
#include "oc-window.h"

typedef struct {
  GApplicationCommandLine *command_line;
  GList *tabs;
  GList *next;
  char *script;
  int n;
} TabReport;

static void report_next_tab (TabReport *report);

static void
tab_script_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TabReport *report = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JSCValue) value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source),
                                                                                      result, &error);
  g_autofree char *text = value ? jsc_value_to_string (value) : g_strdup_printf ("error: %s", error->message);
  g_autofree char *title = oc_tab_dup_title (report->next->data);
  g_autofree char *url = oc_tab_dup_web_url (report->next->data);

  g_application_command_line_print (report->command_line, "%d\t%s\t%s\t%s\n", report->n, title,
                                    url ? url : "", text);
  report->next = report->next->next;
  report_next_tab (report);
}

static void
report_next_tab (TabReport *report)
{
  while (report->next != NULL)
    {
      OcTab *tab = report->next->data;
      report->n++;
      if (report->script != NULL)
        {
          g_autofree char *body = g_strdup_printf ("const value = await (%s);\n"
                                                   "return typeof value === 'string' ? value : JSON.stringify(value);",
                                                   report->script);
          webkit_web_view_call_async_javascript_function (oc_tab_get_web_view (tab), body, -1, NULL, NULL,
                                                          NULL, NULL, tab_script_done_cb, report);
          return;
        }
      {
        g_autofree char *title = oc_tab_dup_title (tab);
        g_autofree char *url = oc_tab_dup_web_url (tab);
        g_application_command_line_print (report->command_line, "%d\t%s\t%s\n", report->n, title,
                                          url ? url : "");
      }
      report->next = report->next->next;
    }
  g_application_command_line_set_exit_status (report->command_line, 0);
  g_object_unref (report->command_line);
  g_list_free_full (report->tabs, g_object_unref);
  g_free (report->script);
  g_free (report);
}

/**
 * oc_tab_report_run:
 * @application: the running owacal
 * @command_line: the invocation with --list-tabs; its exit status is set when done
 * @script: (nullable): JavaScript to evaluate on each tab's page
 */
void
oc_tab_report_run (GtkApplication          *application,
                   GApplicationCommandLine *command_line,
                   const char              *script)
{
  TabReport *report = g_new0 (TabReport, 1);

  report->command_line = g_object_ref (command_line);
  report->script = g_strdup (script);
  /* Tabs may close while their scripts run: hold them. */
  for (GList *w = gtk_application_get_windows (application); w; w = w->next)
    if (OC_IS_WINDOW (w->data))
      {
        g_autoptr (GList) tabs = oc_window_list_tabs (w->data);
        for (GList *t = tabs; t; t = t->next)
          report->tabs = g_list_append (report->tabs, g_object_ref (t->data));
      }
  report->next = report->tabs;
  report_next_tab (report);
}

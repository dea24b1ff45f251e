/* oc-calendar-group.c: the calendars of one command line, resolved for one tab.
 *
 * `owacal alice.ics bob.ics carol.ics`, or three colleagues' addresses whose
 * calendars are published, is a request to compare them: they open as one
 * tab with a column each. Addresses are looked up first (each in the
 * resolver's worker thread); one that leads to an OWA web page rather than a
 * published calendar opens in a tab of its own, as it would alone.
 */
#include "config.h"
#include "oc-calendar-group.h"

#include <stdio.h>
#include <string.h>

#include "oc-calendar-source.h"
#include "oc-lookup-autodiscover.h"
#include "oc-schedule-source.h"

typedef struct {
  GPtrArray *targets;
  OcResolver *resolver;
  OcCalendarGroup *group;
  GPtrArray *slots;            /* OcCalendarSource or NULL, in the command line's order */
  GPtrArray *other_slots;      /* OcTarget or NULL, likewise: tabs open in the order asked for */
  guint pending;
} Resolving;

/**
 * oc_target_is_calendar:
 * @target: a target
 *
 * Returns: whether @target is a calendar owacal draws itself: a published
 *   calendar (an .ics address, webcal: link or file) or a colleague on Exchange
 */
gboolean
oc_target_is_calendar (const OcTarget *target)
{
  return target->kind == OC_TARGET_KIND_ICALENDAR || target->kind == OC_TARGET_KIND_ICALENDAR_FILE ||
         target->kind == OC_TARGET_KIND_EXCHANGE;
}

/**
 * oc_calendar_group_wanted:
 * @targets: (element-type OcTarget): a command line's targets
 *
 * Returns: whether @targets are several calendars or addresses to show side by side
 */
gboolean
oc_calendar_group_wanted (GPtrArray *targets)
{
  if (targets->len < 2)
    return FALSE;
  for (guint i = 0; i < targets->len; i++)
    {
      OcTarget *target = g_ptr_array_index (targets, i);
      if (!oc_target_is_calendar (target) && target->kind != OC_TARGET_KIND_EMAIL)
        return FALSE;
    }
  return TRUE;
}

/**
 * oc_calendar_source_for_target:
 * @target: a published calendar, or a colleague on Exchange
 * @label: (nullable): what to call it (the address it was found for)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): an OcCalendarSource, or an
 *   OcScheduleSource for a colleague on Exchange
 */
GObject *
oc_calendar_source_for_target (const OcTarget  *target,
                               const char      *label,
                               GError         **error)
{
  g_autofree char *uri = NULL;

  if (target->kind == OC_TARGET_KIND_EXCHANGE)
    return G_OBJECT (oc_schedule_source_new (target->value, label));
  if (target->kind == OC_TARGET_KIND_ICALENDAR_FILE)
    {
      uri = g_filename_to_uri (target->value, NULL, error);
      if (uri == NULL)
        return NULL;
    }
  else
    uri = g_strdup (target->value);
  return G_OBJECT (oc_calendar_source_new (uri, label));
}

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
resolving_free (Resolving *resolving)
{
  g_ptr_array_unref (resolving->targets);
  g_clear_object (&resolving->resolver);
  g_clear_pointer (&resolving->group, oc_calendar_group_free);
  g_ptr_array_unref (resolving->slots);
  g_ptr_array_unref (resolving->other_slots);
  g_free (resolving);
}

static void
complete (GTask *task)
{
  Resolving *resolving = g_task_get_task_data (task);

  for (guint i = 0; i < resolving->slots->len; i++)
    {
      if (g_ptr_array_index (resolving->slots, i) != NULL)
        g_ptr_array_add (resolving->group->sources, g_object_ref (g_ptr_array_index (resolving->slots, i)));
      if (g_ptr_array_index (resolving->other_slots, i) != NULL)
        g_ptr_array_add (resolving->group->others, oc_target_copy (g_ptr_array_index (resolving->other_slots, i)));
    }
  g_task_return_pointer (task, g_steal_pointer (&resolving->group), (GDestroyNotify) oc_calendar_group_free);
}

typedef struct {
  GTask *task;
  guint slot;
  char *email;
} Lookup;

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr (GTask) task = lookup->task;
  Resolving *resolving = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcResolution) resolution = oc_lookup_resolve_finish (result, NULL, &error);

  if (resolution == NULL)
    {
      g_autofree char *reason = g_strdup (error->message);
      char *newline = strchr (reason, '\n');
      if (newline != NULL)
        *newline = '\0';
      g_ptr_array_add (resolving->group->errors, g_strdup (error->message));
      g_ptr_array_index (resolving->slots, lookup->slot) = oc_calendar_source_new_missing (lookup->email, reason);
    }
  else if (oc_target_is_calendar (resolution->target))
    g_ptr_array_index (resolving->slots, lookup->slot) =
      oc_calendar_source_for_target (resolution->target, lookup->email, NULL);
  else
    g_ptr_array_index (resolving->other_slots, lookup->slot) = oc_target_copy (resolution->target);
  g_free (lookup->email);
  g_free (lookup);
  if (--resolving->pending == 0)
    complete (task);
}

/**
 * oc_calendar_group_resolve_async:
 * @targets: (element-type OcTarget): published calendars and e-mail addresses
 * @resolver: (nullable): looks addresses up; needed when @targets has any
 * @callback: called when every address is looked up
 * @user_data: for @callback
 */
void
oc_calendar_group_resolve_async (GPtrArray           *targets,
                                 OcResolver          *resolver,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, NULL, callback, user_data);
  Resolving *resolving = g_new0 (Resolving, 1);

  resolving->targets = g_ptr_array_ref (targets);
  resolving->resolver = resolver ? g_object_ref (resolver) : NULL;
  resolving->group = g_new0 (OcCalendarGroup, 1);
  resolving->group->sources = g_ptr_array_new_with_free_func (g_object_unref);
  resolving->group->others = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_target_free);
  resolving->group->errors = g_ptr_array_new_with_free_func (g_free);
  /* A slot stays empty when its person's lookup failed or led elsewhere. */
  resolving->slots = g_ptr_array_new_full (targets->len, unref_if_set);
  g_ptr_array_set_size (resolving->slots, targets->len);
  resolving->other_slots = g_ptr_array_new_full (targets->len, (GDestroyNotify) oc_target_free);
  g_ptr_array_set_size (resolving->other_slots, targets->len);
  g_task_set_task_data (task, resolving, (GDestroyNotify) resolving_free);

  resolving->pending = 1;
  for (guint i = 0; i < targets->len; i++)
    {
      OcTarget *target = g_ptr_array_index (targets, i);
      g_autoptr (GError) error = NULL;

      if (oc_target_is_calendar (target))
        {
          GObject *source = oc_calendar_source_for_target (target, NULL, &error);
          g_ptr_array_index (resolving->slots, i) = source;
          if (source == NULL)
            g_ptr_array_add (resolving->group->errors, g_strdup (error->message));
        }
      else if (target->kind == OC_TARGET_KIND_EMAIL && resolver != NULL)
        {
          Lookup *lookup = g_new0 (Lookup, 1);
          lookup->task = g_object_ref (task);
          lookup->slot = i;
          lookup->email = g_strdup (target->value);
          resolving->pending++;
          oc_lookup_resolve_async (resolver, target->value, NULL, resolved_cb, lookup);
        }
      else
        g_ptr_array_index (resolving->other_slots, i) = oc_target_copy (target);
    }
  if (--resolving->pending == 0)
    complete (task);
}

/**
 * oc_calendar_group_resolve_finish:
 * @result: the result
 *
 * Returns: (transfer full): what the targets resolved to
 */
OcCalendarGroup *
oc_calendar_group_resolve_finish (GAsyncResult *result)
{
  return g_task_propagate_pointer (G_TASK (result), NULL);
}

void
oc_calendar_group_free (OcCalendarGroup *group)
{
  if (group == NULL)
    return;
  g_ptr_array_unref (group->sources);
  g_ptr_array_unref (group->others);
  g_ptr_array_unref (group->errors);
  g_free (group);
}

/**
 * oc_calendar_parse_start_options:
 * @options: the command line's options (--view, --date)
 * @out_view: (out): the view calendars open in
 * @out_date: (out): the day they open at; left invalid for today
 * @error: return location for a #GError
 *
 * Returns: whether the options were valid
 */
gboolean
oc_calendar_parse_start_options (GVariantDict    *options,
                                 OcCalendarView  *out_view,
                                 GDate           *out_date,
                                 GError         **error)
{
  const char *view = NULL, *date = NULL;
  int year, month, day;

  *out_view = OC_CALENDAR_VIEW_WEEK;
  g_date_clear (out_date, 1);
  if (g_variant_dict_lookup (options, "view", "&s", &view) && !oc_calendar_view_from_string (view, out_view))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--view wants day, week, month or agenda, not “%s”", view);
      return FALSE;
    }
  if (g_variant_dict_lookup (options, "date", "&s", &date))
    {
      if (sscanf (date, "%4d-%2d-%2d", &year, &month, &day) != 3 ||
          !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--date wants a day as YYYY-MM-DD, such as 2024-03-11, not “%s”", date);
          return FALSE;
        }
      g_date_set_dmy (out_date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
    }
  return TRUE;
}

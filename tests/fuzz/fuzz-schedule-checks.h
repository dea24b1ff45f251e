/* fuzz-schedule-checks.h: what must hold of any schedule a server's answer
 * becomes (EWS in fuzz-ews-answer.c, Microsoft Graph in fuzz-graph-answer.c):
 * text that reaches the page is UTF-8, an occurrence does not end before it
 * starts, working hours are within a day, a failure says something. */
#pragma once

#include "fuzz-common.h"
#include "oc-schedule.h"

static inline void
check_text (const char *text)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    fuzz_fail ("not UTF-8: %s", text);
}

/* Whatever failed says so in words. */
static inline void
check_error (const GError *error)
{
  g_assert (error != NULL);
  g_assert (error->message != NULL && error->message[0] != '\0');
  check_text (error->message);
}

static inline void
check_instance (const OcIcalInstance *instance)
{
  g_assert (instance != NULL);
  if (instance->end < instance->start)
    fuzz_fail ("an occurrence ends before it starts: %" G_GINT64_FORMAT " < %" G_GINT64_FORMAT,
               instance->end, instance->start);
  check_text (instance->uid);
  check_text (instance->recurrence_id);
  check_text (instance->summary);
  check_text (instance->location);
  check_text (instance->description);
  check_text (instance->organizer_name);
  check_text (instance->organizer_email);
  for (guint i = 0; instance->attendees != NULL && i < instance->attendees->len; i++)
    {
      const OcIcalAttendee *attendee = g_ptr_array_index (instance->attendees, i);
      check_text (attendee->name);
      check_text (attendee->email);
      check_text (attendee->role);
      check_text (attendee->partstat);
    }
}

static inline void
check_schedule (const OcSchedule *schedule)
{
  g_assert (schedule != NULL);
  check_text (schedule->email);
  check_text (schedule->display_name);
  if (schedule->error != NULL)
    check_error (schedule->error);
  for (guint i = 0; schedule->instances != NULL && i < schedule->instances->len; i++)
    check_instance (g_ptr_array_index (schedule->instances, i));
  if (schedule->working_hours != NULL)
    {
      g_assert (schedule->working_hours->start_minute >= 0 && schedule->working_hours->start_minute <= 24 * 60);
      g_assert (schedule->working_hours->end_minute >= 0 && schedule->working_hours->end_minute <= 24 * 60);
    }
}

/* oc-ical-private.h: what the calendar knows about its events, for the expander. */
#pragma once

#include <libical/ical.h>

#include "oc-ical-calendar.h"
#include "oc-ical-instance.h"
#include "oc-ical-zone.h"

G_BEGIN_DECLS

/* A DATE or DATE-TIME as written: wall-clock fields and the zone they are in. */
typedef struct {
  struct icaltimetype time;    /* zone-less; time.is_date for a DATE */
  OcIcalZone *zone;            /* NULL for a DATE or a floating time */
  gboolean valid;
} OcIcalWhen;

typedef struct {
  OcIcalWhen start;
  OcIcalWhen end;              /* of a PERIOD value; start.valid && !end.valid otherwise */
} OcIcalRdate;

typedef struct {
  icalcomponent *component;    /* owned by the calendar's tree */
  char *uid;
  guint line;                  /* BEGIN:VEVENT */
  OcIcalWhen start;
  OcIcalWhen end;              /* DTEND, or invalid */
  struct icaldurationtype duration; /* DURATION, when there is no DTEND */
  gboolean has_duration;
  gboolean all_day;
  gboolean is_override;        /* has a RECURRENCE-ID */
  OcIcalWhen recurrence_id;
  gboolean this_and_future;    /* RANGE=THISANDFUTURE */
  int sequence;
  gboolean cancelled;          /* STATUS:CANCELLED */
  GArray *rrules;              /* struct icalrecurrencetype */
  GArray *rdates;              /* OcIcalRdate */
  GArray *exdates;             /* OcIcalWhen */
  OcBusyStatus busy;
  OcPrivacy privacy;
  GPtrArray *overrides;        /* of a master: its OcIcalEvents with a RECURRENCE-ID */
  gint64 *rule_ends;           /* per RRULE, the wall-clock start of its last occurrence (COUNT), or
                                * G_MAXINT64; computed by the first expansion that needs it */
} OcIcalEvent;

typedef struct {
  OcIcalWhen start;
  OcIcalWhen end;
  OcBusyStatus busy;
  guint line;
} OcIcalFreeBusy;

/* A METHOD:CANCEL of a whole series (no recurrence id) or of one occurrence. */
typedef struct {
  char *uid;
  OcIcalWhen recurrence_id;
} OcIcalCancel;

/* Turns properties into OcIcalWhen; reports zones it cannot place. */
typedef OcIcalZone *(*OcIcalZoneLookup) (const char *tzid, icalproperty *property, gpointer user_data);

OcIcalEvent *oc_ical_event_new          (icalcomponent    *component,
                                         guint             line,
                                         OcIcalZoneLookup  lookup,
                                         gpointer          user_data);
void         oc_ical_event_free         (OcIcalEvent      *event);
OcIcalWhen   oc_ical_when_from_property (icalproperty     *property,
                                         struct icaltimetype time,
                                         OcIcalZoneLookup  lookup,
                                         gpointer          user_data);
void         oc_ical_when_clear         (OcIcalWhen       *when);
gint64       oc_ical_when_to_utc        (const OcIcalWhen *when,
                                         OcIcalZone       *floating_zone);
void         oc_ical_event_fill_details (const OcIcalEvent *event,
                                         OcIcalInstance    *instance);

GPtrArray   *oc_ical_calendar_get_events        (OcIcalCalendar *self);
GArray      *oc_ical_calendar_get_freebusy      (OcIcalCalendar *self);
GArray      *oc_ical_calendar_get_cancels       (OcIcalCalendar *self);
OcIcalZone  *oc_ical_calendar_get_floating_zone (OcIcalCalendar *self);

G_END_DECLS

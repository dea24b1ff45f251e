/* oc-ical-instance.h: one occurrence of an event, as shown in a calendar view. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  OC_BUSY_FREE,
  OC_BUSY_WORKING_ELSEWHERE,
  OC_BUSY_TENTATIVE,
  OC_BUSY_BUSY,
  OC_BUSY_OUT_OF_OFFICE,
} OcBusyStatus;

typedef enum {
  OC_PRIVACY_PUBLIC,
  OC_PRIVACY_PRIVATE,
  OC_PRIVACY_CONFIDENTIAL,
} OcPrivacy;

typedef struct {
  char *name;                  /* CN, or NULL */
  char *email;                 /* from a mailto: address, or NULL */
  char *role;                  /* CHAIR, REQ-PARTICIPANT, OPT-PARTICIPANT, NON-PARTICIPANT */
  char *partstat;              /* ACCEPTED, DECLINED, TENTATIVE, NEEDS-ACTION, … */
} OcIcalAttendee;

typedef struct {
  char *uid;
  char *recurrence_id;         /* the occurrence's original start (UTC, or a DATE), "" for single events */
  gint64 start;                /* UTC, seconds since 1970 */
  gint64 end;                  /* UTC, exclusive; == start for an event without duration */
  GDateTime *local_start;      /* in the view's zone */
  GDateTime *local_end;
  gboolean all_day;            /* start and end are midnights of the view's zone */
  gboolean recurring;          /* one of a series */
  gboolean exception;          /* an occurrence of a series, changed on its own */
  gboolean meeting;            /* has attendees besides the organizer (Exchange says so) */
  gboolean from_freebusy;      /* a VFREEBUSY period: no details at all */
  gboolean details_on_request; /* the server tells its notes and attendees when asked (EWS GetItem) */
  OcBusyStatus busy;
  OcPrivacy privacy;
  /* NULL when private or unknown; the renderer says "Busy" or "Private". */
  char *summary;
  char *location;
  char *description;
  char *organizer_name;
  char *organizer_email;
  GPtrArray *attendees;        /* OcIcalAttendee, empty when private */
  guint line;                  /* where the event begins in the file, 0 for none */
} OcIcalInstance;

#define OC_TYPE_ICAL_INSTANCE (oc_ical_instance_get_type ())
GType           oc_ical_instance_get_type  (void) G_GNUC_CONST;

OcIcalInstance *oc_ical_instance_new       (void);
OcIcalInstance *oc_ical_instance_copy      (const OcIcalInstance *instance);
void            oc_ical_instance_free      (OcIcalInstance       *instance);
int             oc_ical_instance_compare   (const OcIcalInstance *a,
                                            const OcIcalInstance *b);
void            oc_ical_instance_set_range (OcIcalInstance       *instance,
                                            gint64                start,
                                            gint64                end,
                                            GTimeZone            *zone);
const char     *oc_busy_status_to_string   (OcBusyStatus          busy);
const char     *oc_privacy_to_string       (OcPrivacy             privacy);

void            oc_ical_attendee_free      (OcIcalAttendee       *attendee);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcIcalInstance, oc_ical_instance_free)

G_END_DECLS

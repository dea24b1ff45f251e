"""GetUserAvailability ([MS-OXWSAVAIL]) for the EWS test server: per mailbox the most
detail the viewer may have (FreeBusy, FreeBusyMerged, Detailed, DetailedMerged), times
in the request's time zone, the owner's working hours in the owner's zone, and
Exchange's limits (42 days, 100 mailboxes) and per-mailbox errors.
"""

import datetime
import math
import xml.etree.ElementTree as ET

from ews_calendar import level_at_least
from ews_items import ORDER
from ews_soap import T, bool_text, m, response_message, sub, t
from ews_time import UTC_ZONE, TimeZone, format_local

MAX_DAYS = 42
MAX_MAILBOXES = 100
# MergedFreeBusy digits, and which status wins when several items share an interval.
DIGITS = {"Free": "0", "Tentative": "1", "Busy": "2", "OOF": "3", "WorkingElsewhere": "4", "NoData": "5"}
PRIORITY = ("Free", "WorkingElsewhere", "Tentative", "Busy", "OOF")


class AvailabilityFault(Exception):
    """A whole-request failure, sent as a SOAP fault (HTTP 500)."""

    def __init__(self, code: str, text: str):
        super().__init__(text)
        self.code = code
        self.text = text


def _zone_element(parent, zone: TimeZone, tag="TimeZone"):
    """A SerializableTimeZone element (WorkingHours' TimeZone)."""
    element = sub(parent, t(tag))
    sub(element, t("Bias"), zone.bias)
    for name, rule in (("StandardTime", zone.standard), ("DaylightTime", zone.daylight)):
        r = sub(element, t(name))
        sub(r, t("Bias"), rule.bias)
        sub(r, t("Time"), rule.time)
        sub(r, t("DayOrder"), rule.day_order)
        sub(r, t("Month"), rule.month)
        sub(r, t("DayOfWeek"), rule.day_of_week)
    return element


def _granted_view(requested: str, level: str) -> str:
    """The view the viewer gets: what was asked for, cut down to what the owner shares."""
    detailed = requested in ("Detailed", "DetailedMerged")
    merged = requested.endswith("Merged") or requested == "MergedOnly"
    if detailed and not level_at_least(level, "FreeBusyTimeAndSubjectAndLocation"):
        detailed = False
    if detailed:
        return "DetailedMerged" if merged else "Detailed"
    return "FreeBusyMerged" if merged else "FreeBusy"


def get_user_availability(op, ctx):
    """Returns (response element, log facts); raises AvailabilityFault for the request's limits."""
    zone_element = op.find(t("TimeZone"))
    zone = TimeZone.from_element(zone_element, T) if zone_element is not None else UTC_ZONE
    options = op.find(t("FreeBusyViewOptions"))
    boxes = [box.findtext(f"{t('Email')}/{t('Address')}", "").strip().lower()
             for box in op.find(m("MailboxDataArray"))]
    facts = {"mailboxes": boxes, "codes": [], "view": None, "window": None}
    if not boxes:
        raise AvailabilityFault("ErrorMailboxDataArrayEmpty", "MailboxDataArray must contain at least one entry.")
    if len(boxes) > MAX_MAILBOXES:
        raise AvailabilityFault("ErrorMailboxDataArrayTooBig",
                                f"Microsoft.Exchange.InfoWorker.Common.Availability.IdentityArrayTooBigException: "
                                f"Too many mailboxes were requested: {len(boxes)}. The maximum allowed is "
                                f"{MAX_MAILBOXES}.")
    if options is None:
        raise AvailabilityFault("ErrorInvalidRequest", "FreeBusyViewOptions is required: this server gives no "
                                                       "meeting suggestions.")
    start_local = datetime.datetime.fromisoformat(options.findtext(f"{t('TimeWindow')}/{t('StartTime')}").strip()
                                                  .replace("Z", "")[:19])
    end_local = datetime.datetime.fromisoformat(options.findtext(f"{t('TimeWindow')}/{t('EndTime')}").strip()
                                                .replace("Z", "")[:19])
    requested = (options.findtext(t("RequestedView")) or "FreeBusy").strip()
    interval = int(options.findtext(t("MergedFreeBusyIntervalInMinutes")) or 30)
    facts["view"] = requested
    facts["window"] = [start_local.isoformat(), end_local.isoformat()]
    if end_local <= start_local:
        raise AvailabilityFault("ErrorInvalidTimeInterval", "The start time must be earlier than the end time.")
    days = math.ceil((end_local - start_local).total_seconds() / 86400)
    if days > MAX_DAYS:
        raise AvailabilityFault("ErrorTimeIntervalTooBig",
                                f"The requested time duration specified for FreeBusyViewOptions.TimeWindow is too "
                                f"long. The allowed limit = {MAX_DAYS} days; the actual limit = {days} days.")
    if not 5 <= interval <= 1440:
        raise AvailabilityFault("ErrorInvalidMergedFreeBusyInterval",
                                "The MergedFreeBusyIntervalInMinutes must be between 5 and 1440.")
    start_utc, end_utc = zone.to_utc(start_local), zone.to_utc(end_local)

    response = ET.Element(m("GetUserAvailabilityResponse"))
    array = sub(response, m("FreeBusyResponseArray"))
    for address in boxes:
        entry = sub(array, m("FreeBusyResponse"))
        person = ctx.directory.get(address)
        level = person.level_for(ctx.viewer) if person else "None"
        if person is None:
            code = "ErrorMailRecipientNotFound"
            text = (f"Microsoft.Exchange.InfoWorker.Common.Availability.MailRecipientNotFoundException: Unable to "
                    f"resolve e-mail address {address} to an Active Directory object.")
        elif level == "None":
            code = "ErrorNoFreeBusyAccess"
            text = ("Microsoft.Exchange.InfoWorker.Common.Availability.NoFreeBusyAccessException: No free/busy "
                    "access for the requesting user.")
        else:
            code = None
        facts["codes"].append(code or "NoError")
        if code:
            response_message(entry, "ResponseMessage", code, text)
            sub(sub(entry, m("FreeBusyView")), t("FreeBusyViewType"), "None")
            continue
        response_message(entry, "ResponseMessage")
        view = _granted_view(requested, level)
        occurrences = person.occurrences(start_utc, end_utc)
        free_busy = sub(entry, m("FreeBusyView"))
        sub(free_busy, t("FreeBusyViewType"), view)
        if view.endswith("Merged"):
            sub(free_busy, t("MergedFreeBusy"), _merged(occurrences, start_utc, end_utc, interval))
        events = sub(free_busy, t("CalendarEventArray"))
        for occ in occurrences:
            status = occ.get("status", "Busy")
            if status == "WorkingElsewhere" and ctx.version == "2010SP2":
                status = "Busy"
            if status == "Free" and not view.startswith("Detailed"):
                continue
            event = sub(events, t("CalendarEvent"))
            sub(event, t("StartTime"), format_local(zone.to_local(occ.start)))
            sub(event, t("EndTime"), format_local(zone.to_local(occ.end)))
            sub(event, t("BusyType"), status)
            if view.startswith("Detailed"):
                _details(event, occ, level)
        _working_hours(free_busy, person)
    return response, facts


def _details(event, occ, level):
    """CalendarEventDetails: subject and location with limited details, the id too for
    Reviewer; a private item shows only that it is private (to anyone but the owner)."""
    hidden = occ.private and level != "Owner"
    values = {
        "ID": lambda e: level_at_least(level, "Reviewer") and sub(e, t("ID"), occ.item_id),
        "Subject": lambda e: not hidden and sub(e, t("Subject"), occ.get("subject", "")),
        "Location": lambda e: not hidden and sub(e, t("Location"), occ.get("location", "")),
        "IsMeeting": lambda e: sub(e, t("IsMeeting"), bool_text(occ.is_meeting)),
        "IsRecurring": lambda e: sub(e, t("IsRecurring"), bool_text(occ.recurring)),
        "IsException": lambda e: sub(e, t("IsException"), bool_text(occ.kind == "Exception")),
        "IsReminderSet": lambda e: sub(e, t("IsReminderSet"), "false"),
        "IsPrivate": lambda e: sub(e, t("IsPrivate"), bool_text(occ.private)),
    }
    details = sub(event, t("CalendarEventDetails"))
    for name in ORDER.children("CalendarEventDetails"):
        values[name](details)


def _merged(occurrences, start, end, interval) -> str:
    slots = math.ceil((end - start).total_seconds() / 60 / interval)
    digits = []
    for i in range(slots):
        a = start + datetime.timedelta(minutes=i * interval)
        b = a + datetime.timedelta(minutes=interval)
        best = "Free"
        for occ in occurrences:
            status = occ.get("status", "Busy")
            if occ.start < b and occ.end > a and PRIORITY.index(status) > PRIORITY.index(best):
                best = status
        digits.append(DIGITS[best])
    return "".join(digits)


def _working_hours(parent, person):
    hours = sub(parent, t("WorkingHours"))
    _zone_element(hours, person.zone)
    periods = sub(hours, t("WorkingPeriodArray"))
    period = sub(periods, t("WorkingPeriod"))
    spec = person.working_hours

    def minutes(hhmm):
        h, mm = hhmm.split(":")
        return int(h) * 60 + int(mm)
    sub(period, t("DayOfWeek"), " ".join(spec["days"]))
    sub(period, t("StartTimeInMinutes"), minutes(spec["start"]))
    sub(period, t("EndTimeInMinutes"), minutes(spec["end"]))

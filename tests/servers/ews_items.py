"""Calendar items and folders as EWS writes them ([MS-OXWSCORE], [MS-OXWSMTGS]): which
properties a shape asks for, what a viewer may see of a private item, and the
t:CalendarItem / t:CalendarFolder elements in the order types.xsd gives.
"""

import base64

from ews_calendar import level_at_least
from ews_schema import SchemaOrder
from ews_soap import bool_text, sub, t
from ews_time import format_utc

ORDER = SchemaOrder()

# BaseShape Default for calendar items (FindItem's and GetItem's first answer).
DEFAULT_FIELDS = ("ItemId", "ParentFolderId", "ItemClass", "Subject", "Sensitivity", "HasAttachments",
                  "IsAssociated", "Start", "End", "IsAllDayEvent", "LegacyFreeBusyStatus", "Location",
                  "IsMeeting", "IsCancelled", "IsRecurring", "CalendarItemType", "MyResponseType", "Organizer")
ALL_FIELDS = DEFAULT_FIELDS + ("Body", "DateTimeCreated", "Culture", "UID", "RecurrenceId", "OriginalStart",
                               "RequiredAttendees", "OptionalAttendees", "TimeZone", "AppointmentState")
# FindItem cannot return these (Exchange answers ErrorInvalidPropertyRequest): GetItem can.
GET_ITEM_ONLY = {"Body", "RequiredAttendees", "OptionalAttendees", "Resources", "UniqueBody", "TextBody"}
# Hidden from everyone but the owner when an item is private.
PRIVATE_FIELDS = {"Subject", "Location", "Body", "RequiredAttendees", "OptionalAttendees", "Resources", "UID"}


def folder_id(owner: str) -> str:
    return base64.b64encode(b"OCEWSF\x00" + owner.encode()).decode()


def decode_folder_id(value: str):
    try:
        raw = base64.b64decode(value, validate=True)
    except ValueError:
        return None
    return raw[7:].decode("utf-8", "replace") if raw.startswith(b"OCEWSF\x00") else None


class Shape:
    """An ItemShape or FolderShape: the base shape plus additional FieldURIs."""

    def __init__(self, element, default_fields, all_fields):
        base = element.findtext(t("BaseShape")) if element is not None else "Default"
        self.base = (base or "Default").strip()
        self.body_type = (element.findtext(t("BodyType")) if element is not None else None) or "Best"
        self.extra = []
        if element is not None:
            for field in element.iter(t("FieldURI")):
                self.extra.append(field.get("FieldURI", "").split(":")[-1])
        fields = {"IdOnly": ("ItemId", "FolderId"), "Default": default_fields,
                  "AllProperties": all_fields}.get(self.base, default_fields)
        self.fields = set(fields) | set(self.extra)


def mailbox(parent, person_or_address, directory, tag="Mailbox"):
    person = directory.get(person_or_address) if isinstance(person_or_address, str) else person_or_address
    box = sub(parent, t(tag))
    sub(box, t("Name"), person.name if person else person_or_address)
    sub(box, t("EmailAddress"), person.email if person else person_or_address)
    sub(box, t("RoutingType"), "SMTP")
    sub(box, t("MailboxType"), "Mailbox" if person else "OneOff")
    return box


def calendar_item(parent, occ, shape: Shape, level: str, directory, version: str):
    """Writes one t:CalendarItem with the fields of @shape that @level may see."""
    hidden = occ.private and level != "Owner"
    organizer = occ.get("organizer") or occ.person.email
    status = occ.get("status", "Busy")
    if status == "WorkingElsewhere" and version in ("2010SP2",):
        status = "Busy"  # Exchange 2010 knows no WorkingElsewhere
    values = {
        "ItemId": lambda e: sub(e, t("ItemId"), Id=occ.item_id, ChangeKey=occ.change_key),
        "ParentFolderId": lambda e: sub(e, t("ParentFolderId"), Id=folder_id(occ.person.email),
                                        ChangeKey="AgAAAA=="),
        "ItemClass": lambda e: sub(e, t("ItemClass"), "IPM.Appointment"),
        "Subject": lambda e: sub(e, t("Subject"), occ.get("subject", "")),
        "Sensitivity": lambda e: sub(e, t("Sensitivity"), occ.get("sensitivity", "Normal")),
        "Body": lambda e: sub(e, t("Body"), occ.get("body", ""),
                              BodyType="HTML" if shape.body_type == "HTML" else "Text"),
        "DateTimeCreated": lambda e: sub(e, t("DateTimeCreated"), "2024-01-02T08:00:00Z"),
        "HasAttachments": lambda e: sub(e, t("HasAttachments"), "false"),
        "Culture": lambda e: sub(e, t("Culture"), "en-US"),
        "IsAssociated": lambda e: sub(e, t("IsAssociated"), "false"),
        "UID": lambda e: sub(e, t("UID"), f"{occ.event['uid']}@example.test"),
        "RecurrenceId": lambda e: occ.original_start and sub(e, t("RecurrenceId"), format_utc(occ.original_start)),
        "Start": lambda e: sub(e, t("Start"), format_utc(occ.start)),
        "End": lambda e: sub(e, t("End"), format_utc(occ.end)),
        "OriginalStart": lambda e: occ.original_start and sub(e, t("OriginalStart"),
                                                              format_utc(occ.original_start)),
        "IsAllDayEvent": lambda e: sub(e, t("IsAllDayEvent"), bool_text(occ.get("all_day"))),
        "LegacyFreeBusyStatus": lambda e: sub(e, t("LegacyFreeBusyStatus"), status),
        "Location": lambda e: sub(e, t("Location"), occ.get("location", "")),
        "IsMeeting": lambda e: sub(e, t("IsMeeting"), bool_text(occ.is_meeting)),
        "IsCancelled": lambda e: sub(e, t("IsCancelled"), "false"),
        # As Exchange does: true for occurrences and exceptions, false for a recurring master.
        "IsRecurring": lambda e: sub(e, t("IsRecurring"), bool_text(occ.kind in ("Occurrence", "Exception"))),
        "CalendarItemType": lambda e: sub(e, t("CalendarItemType"), occ.kind),
        "MyResponseType": lambda e: sub(e, t("MyResponseType"),
                                        "Organizer" if organizer == occ.person.email else "Accept"),
        "Organizer": lambda e: mailbox(sub(e, t("Organizer")), organizer, directory),
        "RequiredAttendees": lambda e: attendees(e, "RequiredAttendees", occ.get("required"), directory),
        "OptionalAttendees": lambda e: attendees(e, "OptionalAttendees", occ.get("optional"), directory),
        "TimeZone": lambda e: sub(e, t("TimeZone"), occ.person.zone.name),
        "AppointmentState": lambda e: sub(e, t("AppointmentState"),
                                          0 if not occ.is_meeting else 1 if organizer == occ.person.email else 3),
    }
    item = sub(parent, t("CalendarItem"))
    for name in ORDER.children("CalendarItemType"):
        if name in values and (name in shape.fields or name == "ItemId"):
            if hidden and name in PRIVATE_FIELDS:
                continue
            values[name](item)
    return item


def attendees(parent, tag, addresses, directory):
    if not addresses:
        return
    group = sub(parent, t(tag))
    for address in addresses:
        attendee = sub(group, t("Attendee"))
        mailbox(attendee, address, directory)
        sub(attendee, t("ResponseType"), "Accept")


def calendar_folder(parent, person, shape: Shape, level: str, count: int):
    """t:CalendarFolder with EffectiveRights as @level gives them."""
    values = {
        "FolderId": lambda e: sub(e, t("FolderId"), Id=folder_id(person.email), ChangeKey="AgAAAA=="),
        "ParentFolderId": lambda e: sub(e, t("ParentFolderId"),
                                        Id=base64.b64encode(b"OCEWSR\x00" + person.email.encode()).decode(),
                                        ChangeKey="AQAAAA=="),
        "FolderClass": lambda e: sub(e, t("FolderClass"), "IPF.Appointment"),
        "DisplayName": lambda e: sub(e, t("DisplayName"), "Calendar"),
        "TotalCount": lambda e: sub(e, t("TotalCount"), count),
        "ChildFolderCount": lambda e: sub(e, t("ChildFolderCount"), 0),
        "EffectiveRights": lambda e: effective_rights(e, level),
    }
    folder = sub(parent, t("CalendarFolder"))
    for name in ORDER.children("CalendarFolderType"):
        if name in values and (name in shape.fields or name == "FolderId"):
            values[name](folder)
    return folder


def effective_rights(parent, level: str):
    rights = sub(parent, t("EffectiveRights"))
    owner = level == "Owner"
    for name in ORDER.children("EffectiveRightsType"):
        if name == "Read":
            sub(rights, t(name), bool_text(level_at_least(level, "Reviewer")))
        else:
            sub(rights, t(name), bool_text(owner))

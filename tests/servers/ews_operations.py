"""The folder and item operations of the EWS test server: FindItem (with a CalendarView:
server-expanded occurrences), GetItem, GetFolder ([MS-OXWSCORE], [MS-OXWSFOLD]) and
ResolveNames ([MS-OXWSRSLNM]).  Each takes the request's operation element and the
context, and returns the response element plus what the log should say.
"""

import datetime
import xml.etree.ElementTree as ET

from ews_calendar import decode_item_id, level_at_least
from ews_items import (ALL_FIELDS, DEFAULT_FIELDS, GET_ITEM_ONLY, ORDER, Shape, calendar_folder,
                       calendar_item, decode_folder_id, mailbox)
from ews_soap import m, response_message, sub, t
from ews_time import UTC, parse_datetime

# Exchange's texts for the codes this server gives.
TEXTS = {
    "ErrorAccessDenied": "Access is denied. Check credentials and try again.",
    "ErrorNonExistentMailbox": "The SMTP address has no mailbox associated with it.",
    "ErrorFolderNotFound": "The specified folder could not be found in the store.",
    "ErrorItemNotFound": "The specified object was not found in the store.",
    "ErrorInvalidIdMalformed": "Id is malformed.",
    "ErrorInvalidPropertyRequest": "This property was requested, but it isn't supported.",
    "ErrorCalendarViewRangeTooBig": "The calendar view range is too big.",
    "ErrorCalendarEndDateIsEarlierThanStartDate": "EndDate is earlier than StartDate",
    "ErrorNameResolutionNoResults": "No results were found.",
    "ErrorNameResolutionMultipleResults": "Multiple results were found.",
}
# CalendarView: Start to End may span at most two years (ErrorCalendarViewRangeTooBig).
MAX_CALENDAR_VIEW = datetime.timedelta(days=2 * 365 + 1)


class Context:
    """What an operation needs: the mailboxes, who asks, and the server version."""

    def __init__(self, directory, viewer: str, version: str):
        self.directory = directory
        self.viewer = viewer
        self.version = version


class Outcome:
    """An operation's answer and the facts the request log records."""

    def __init__(self, element, mailboxes=(), codes=(), window=None, view=None):
        self.element = element
        self.mailboxes = list(mailboxes)
        self.codes = list(codes)
        self.window = window
        self.view = view


def error_message(parent, name, code):
    return response_message(parent, name, code, TEXTS.get(code, code))


def target_of(folder, ctx):
    """(address, error code) of a DistinguishedFolderId/FolderId naming a calendar."""
    if folder.tag == t("DistinguishedFolderId"):
        address = folder.findtext(f"{t('Mailbox')}/{t('EmailAddress')}") or ctx.viewer
        return address.strip().lower(), None if folder.get("Id") == "calendar" else "ErrorFolderNotFound"
    owner = decode_folder_id(folder.get("Id", ""))
    return (owner, None) if owner else (None, "ErrorInvalidIdMalformed")


# --- FindItem ------------------------------------------------------------------------

def find_item(op, ctx: Context) -> Outcome:
    shape = Shape(op.find(m("ItemShape")), DEFAULT_FIELDS, DEFAULT_FIELDS + ("UID", "RecurrenceId", "OriginalStart",
                                                                          "DateTimeCreated", "TimeZone"))
    view = op.find(m("CalendarView"))
    response = ET.Element(m("FindItemResponse"))
    messages = sub(response, m("ResponseMessages"))
    outcome = Outcome(response)
    window = None
    if view is not None:
        window = (parse_datetime(view.get("StartDate")), parse_datetime(view.get("EndDate")))
        window = tuple(w if w.tzinfo else w.replace(tzinfo=UTC) for w in window)
        outcome.window = [w.isoformat() for w in window]
        outcome.view = "CalendarView"
    for folder in op.find(m("ParentFolderIds")):
        address, code = target_of(folder, ctx)
        outcome.mailboxes.append(address)
        person = ctx.directory.get(address) if address else None
        level = person.level_for(ctx.viewer) if person else "None"
        if code is None and person is None:
            code = "ErrorNonExistentMailbox"
        elif code is None and not level_at_least(level, "Reviewer"):
            code = "ErrorAccessDenied"
        elif code is None and set(shape.extra) & GET_ITEM_ONLY:
            code = "ErrorInvalidPropertyRequest"
        elif code is None and window and window[1] < window[0]:
            code = "ErrorCalendarEndDateIsEarlierThanStartDate"
        elif code is None and window and window[1] - window[0] > MAX_CALENDAR_VIEW:
            code = "ErrorCalendarViewRangeTooBig"
        outcome.codes.append(code or "NoError")
        if code:
            error_message(messages, "FindItemResponseMessage", code)
            continue
        items = person.occurrences(*window) if window else person.masters()
        total = len(items)
        limit = view.get("MaxEntriesReturned") if view is not None else None
        if limit is not None:
            items = items[:int(limit)]
        message = response_message(messages, "FindItemResponseMessage")
        # More items than MaxEntriesReturned: the first ones, and IncludesLastItemInRange="false".
        root = sub(message, m("RootFolder"), TotalItemsInView=total,
                   IncludesLastItemInRange="true" if len(items) == total else "false")
        container = sub(root, t("Items"))
        for occ in items:
            calendar_item(container, occ, shape, level, ctx.directory, ctx.version)
    return outcome


# --- GetItem -------------------------------------------------------------------------

def get_item(op, ctx: Context) -> Outcome:
    shape = Shape(op.find(m("ItemShape")), ALL_FIELDS, ALL_FIELDS)
    response = ET.Element(m("GetItemResponse"))
    messages = sub(response, m("ResponseMessages"))
    outcome = Outcome(response)
    for ref in op.find(m("ItemIds")):
        if ref.tag == t("RecurringMasterItemId"):
            decoded = decode_item_id(ref.get("OccurrenceId", ""))
            decoded = decoded and (decoded[0], decoded[1], None)
        else:
            decoded = decode_item_id(ref.get("Id", ""))
        if decoded is None:
            outcome.codes.append("ErrorInvalidIdMalformed")
            error_message(messages, "GetItemResponseMessage", "ErrorInvalidIdMalformed")
            continue
        owner, uid, start = decoded
        outcome.mailboxes.append(owner)
        person = ctx.directory.get(owner)
        level = person.level_for(ctx.viewer) if person else "None"
        occ = person.find(uid, start) if person else None
        code = None
        if occ is None:
            code = "ErrorItemNotFound"
        elif not level_at_least(level, "Reviewer"):
            code = "ErrorAccessDenied"
        outcome.codes.append(code or "NoError")
        if code:
            error_message(messages, "GetItemResponseMessage", code)
            continue
        message = response_message(messages, "GetItemResponseMessage")
        calendar_item(sub(message, m("Items")), occ, shape, level, ctx.directory, ctx.version)
    return outcome


# --- GetFolder -----------------------------------------------------------------------

FOLDER_DEFAULT = ("FolderId", "DisplayName", "TotalCount", "ChildFolderCount")
FOLDER_ALL = FOLDER_DEFAULT + ("ParentFolderId", "FolderClass", "EffectiveRights")


def get_folder(op, ctx: Context) -> Outcome:
    shape = Shape(op.find(m("FolderShape")), FOLDER_DEFAULT, FOLDER_ALL)
    response = ET.Element(m("GetFolderResponse"))
    messages = sub(response, m("ResponseMessages"))
    outcome = Outcome(response)
    for folder in op.find(m("FolderIds")):
        address, code = target_of(folder, ctx)
        outcome.mailboxes.append(address)
        person = ctx.directory.get(address) if address else None
        level = person.level_for(ctx.viewer) if person else "None"
        if code is None and person is None:
            code = "ErrorNonExistentMailbox"
        elif code is None and not level_at_least(level, "Reviewer"):
            # Free/busy rights do not make the folder visible: only the availability service reads it.
            code = "ErrorAccessDenied"
        outcome.codes.append(code or "NoError")
        if code:
            error_message(messages, "GetFolderResponseMessage", code)
            continue
        message = response_message(messages, "GetFolderResponseMessage")
        calendar_folder(sub(message, m("Folders")), person, shape, level, len(person.events))
    return outcome


# --- ResolveNames --------------------------------------------------------------------

def resolve_names(op, ctx: Context) -> Outcome:
    entry = (op.findtext(m("UnresolvedEntry")) or "").strip()
    full = op.get("ReturnFullContactData", "false") == "true"
    found = ctx.directory.resolve(entry)
    response = ET.Element(m("ResolveNamesResponse"))
    messages = sub(response, m("ResponseMessages"))
    if not found:
        code = "ErrorNameResolutionNoResults"
        error_message(messages, "ResolveNamesResponseMessage", code)
        return Outcome(response, [entry], [code])
    code = "NoError" if len(found) == 1 else "ErrorNameResolutionMultipleResults"
    message = response_message(messages, "ResolveNamesResponseMessage", code, TEXTS.get(code),
                               "Success" if len(found) == 1 else "Warning")
    results = sub(message, m("ResolutionSet"), TotalItemsInView=len(found), IncludesLastItemInRange="true")
    for person in found:
        resolution = sub(results, t("Resolution"))
        mailbox(resolution, person, ctx.directory)
        if full:
            contact_of(sub(resolution, t("Contact")), person)
    return Outcome(response, [entry], [code])


def contact_of(contact, person):
    given, _, surname = person.name.partition(" ")
    values = {
        "DisplayName": lambda e: sub(e, t("DisplayName"), person.name),
        "GivenName": lambda e: sub(e, t("GivenName"), given),
        "EmailAddresses": lambda e: sub(sub(e, t("EmailAddresses")), t("Entry"), f"SMTP:{person.email}",
                                        Key="EmailAddress1"),
        "ContactSource": lambda e: sub(e, t("ContactSource"), "ActiveDirectory"),
        "Surname": lambda e: sub(e, t("Surname"), surname),
    }
    for name in ORDER.children("ContactItemType"):
        if name in values:
            values[name](contact)


OPERATIONS = {"FindItem": find_item, "GetItem": get_item, "GetFolder": get_folder, "ResolveNames": resolve_names}

"""The mailboxes of the EWS test server (tests/fixtures/ews/calendars.json): who they
are, what each viewer may see of them, and their calendar items with recurring ones
expanded into occurrences, as Exchange's CalendarView and availability service do.
"""

import base64
import datetime
import hashlib
import json
import os

from ews_time import UTC, TimeZone, parse_datetime

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "ews", "calendars.json")

# Exchange's calendar permission levels, from least to most; only their order matters here.
LEVELS = ("None", "FreeBusyTimeOnly", "FreeBusyTimeAndSubjectAndLocation", "Reviewer", "Owner")


def level_at_least(level: str, wanted: str) -> bool:
    return LEVELS.index(level) >= LEVELS.index(wanted)


class Occurrence:
    """One calendar item as a view shows it: a single item, an occurrence or an
    exception of a recurring one, or (unexpanded) the recurring master."""

    def __init__(self, person, event, start, end, kind, original_start=None, overrides=None):
        self.person = person
        self.event = event
        self.start = start
        self.end = end
        self.kind = kind  # Single | Occurrence | Exception | RecurringMaster
        self.original_start = original_start
        self.overrides = overrides or {}

    def get(self, key, default=None):
        return self.overrides.get(key, self.event.get(key, default))

    @property
    def recurring(self) -> bool:
        return self.kind != "Single"

    @property
    def private(self) -> bool:
        return self.get("sensitivity", "Normal") == "Private"

    @property
    def is_meeting(self) -> bool:
        return bool(self.get("required") or self.get("optional"))

    @property
    def item_id(self) -> str:
        instance = self.original_start.strftime("%Y%m%dT%H%M%SZ") if self.original_start else ""
        raw = "\x1f".join((self.person.email, self.event["uid"], instance)).encode()
        return base64.b64encode(b"OCEWS\x00" + raw).decode()

    @property
    def change_key(self) -> str:
        digest = hashlib.sha1(json.dumps([self.event, self.overrides], sort_keys=True).encode()).digest()
        return base64.b64encode(b"DwAAABYA" + digest[:12]).decode()


def decode_item_id(item_id: str):
    """(owner, uid, original start or None) of an id made by Occurrence.item_id, or None."""
    try:
        raw = base64.b64decode(item_id, validate=True)
    except ValueError:
        return None
    if not raw.startswith(b"OCEWS\x00"):
        return None
    parts = raw[6:].decode("utf-8", "replace").split("\x1f")
    if len(parts) != 3:
        return None
    start = datetime.datetime.strptime(parts[2], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) if parts[2] else None
    return parts[0], parts[1], start


class Person:
    def __init__(self, spec: dict, zones: dict, working_hours: dict):
        self.email = spec["email"].lower()
        self.name = spec["name"]
        self.alias = spec["alias"]
        self.zone = zones[spec["zone"]]
        self.rights = {k.lower(): v for k, v in spec["rights"].items()}
        self.events = spec["events"]
        self.working_hours = working_hours
        self.zones = zones

    def level_for(self, viewer: str) -> str:
        if viewer and viewer.lower() == self.email:
            return "Owner"
        return self.rights.get((viewer or "").lower(), self.rights.get("default", "None"))

    def occurrences(self, start: datetime.datetime, end: datetime.datetime) -> list:
        """Every item (recurring ones expanded) that overlaps [start, end), by start time."""
        found = []
        for event in self.events:
            for occ in self._expand(event, end):
                if occ.end > start and occ.start < end or (occ.start == occ.end and start <= occ.start < end):
                    found.append(occ)
        return sorted(found, key=lambda o: (o.start, o.end, o.event["uid"]))

    def masters(self) -> list:
        """Single items and recurring masters, unexpanded (FindItem without a CalendarView)."""
        items = []
        for event in self.events:
            kind = "RecurringMaster" if "recurrence" in event else "Single"
            items.append(Occurrence(self, event, parse_datetime(event["start"]), parse_datetime(event["end"]), kind))
        return items

    def find(self, uid: str, original_start):
        """The item an id names: a single item, a master (no start) or one occurrence."""
        for event in self.events:
            if event["uid"] != uid:
                continue
            if "recurrence" not in event:
                return None if original_start else self.masters()[self.events.index(event)]
            if original_start is None:
                return self.masters()[self.events.index(event)]
            for occ in self._expand(event, original_start + datetime.timedelta(days=1)):
                if occ.original_start == original_start:
                    return occ
        return None

    def _expand(self, event: dict, until_utc: datetime.datetime):
        start = parse_datetime(event["start"])
        end = parse_datetime(event["end"])
        rule = event.get("recurrence")
        if not rule:
            yield Occurrence(self, event, start, end, "Single")
            return
        zone = self.zones[rule["zone"]]
        first_local = zone.to_local(start)
        duration = end - start
        last_day = datetime.date.fromisoformat(rule["until"])
        weekdays = [("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday").index(d)
                    for d in rule["weekly"]]
        moved = rule.get("moved", {})
        cancelled = set(rule.get("cancelled", []))
        day = first_local.date()
        while day <= last_day:
            local = datetime.datetime.combine(day, first_local.time())
            original = zone.to_utc(local)
            if original >= until_utc + datetime.timedelta(days=7):
                return
            if day.weekday() in weekdays and day.isoformat() not in cancelled:
                change = moved.get(day.isoformat())
                if change:
                    yield Occurrence(self, event, parse_datetime(change["start"]), parse_datetime(change["end"]),
                                     "Exception", original, {k: v for k, v in change.items()
                                                             if k not in ("start", "end")})
                else:
                    yield Occurrence(self, event, original, original + duration, "Occurrence", original)
            day += datetime.timedelta(days=1)


def generated_people(count: int, dns_domain: str = "example.test") -> list:
    """@count more colleagues, colleague01@… onwards, for benchmarks of a team side by side:
    everyone sees their free/busy, and each has a weekly meeting and a few single items in
    the weeks of 2024-03-11 and 2024-03-25, at hours that differ from one to the next."""
    people = []
    for n in range(1, count + 1):
        hour = 7 + n % 6  # 07:00 to 12:00 UTC: 08:00 to 13:00 in Berlin
        day = 11 + n % 5  # Monday 11 March to Friday 15 March
        events = [
            {"uid": f"colleague{n:02d}-weekly", "subject": f"Weekly {n:02d}", "location": f"Room {100 + n}",
             "status": "Busy", "start": f"2024-01-{1 + n % 5 + 7:02d}T{hour:02d}:00:00Z",
             "end": f"2024-01-{1 + n % 5 + 7:02d}T{hour:02d}:45:00Z",
             "recurrence": {"weekly": [("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")[n % 5]],
                            "zone": "Europe/Berlin", "until": "2024-06-28"}},
        ]
        for week in (0, 14):
            events += [
                {"uid": f"colleague{n:02d}-focus-{week}", "subject": "Focus time", "location": "",
                 "status": "Tentative", "start": f"2024-03-{day + week:02d}T{(hour + 2) % 24:02d}:00:00Z",
                 "end": f"2024-03-{day + week:02d}T{(hour + 4) % 24:02d}:00:00Z"},
                {"uid": f"colleague{n:02d}-visit-{week}", "subject": "Customer visit", "location": "Customer",
                 "status": "OOF", "start": f"2024-03-{11 + (n + 2) % 5 + week:02d}T12:00:00Z",
                 "end": f"2024-03-{11 + (n + 2) % 5 + week:02d}T15:30:00Z"},
            ]
        people.append({"email": f"colleague{n:02d}@{dns_domain}", "name": f"Colleague {n:02d}",
                       "alias": f"colleague{n:02d}", "zone": "Europe/Berlin",
                       "rights": {"default": "FreeBusyTimeOnly"}, "events": events})
    return people


class Directory:
    """Everyone the server knows, by address; @extra_people generated colleagues
    (generated_people()) after the fixture's."""

    def __init__(self, path: str = FIXTURE, extra_people: int = 0, dns_domain: str = "example.test"):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        self.zones = {name: TimeZone.from_json(name, spec) for name, spec in data["zones"].items()}
        self.people = {}
        for spec in data["people"] + generated_people(extra_people, dns_domain):
            person = Person(spec, self.zones, data["working_hours"])
            self.people[person.email] = person

    def get(self, address: str):
        address = (address or "").strip().lower()
        if address.startswith("smtp:"):
            address = address[5:]
        return self.people.get(address)

    def resolve(self, text: str) -> list:
        """ResolveNames: people whose address, alias or a word of whose name starts with @text."""
        needle = text.strip().lower()
        if needle.startswith("smtp:"):
            needle = needle[5:]
        exact = self.get(needle)
        if exact:
            return [exact]
        return [p for p in self.people.values()
                if needle and (p.email.startswith(needle) or p.alias.startswith(needle)
                               or any(w.lower().startswith(needle) for w in p.name.split())
                               or p.name.lower().startswith(needle))]

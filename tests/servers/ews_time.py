"""Times as Exchange Web Services writes them: xs:dateTime values and the
SerializableTimeZone of [MS-OXWSAVAIL] (a bias plus one standard and one daylight
transition rule), which GetUserAvailability requests carry and WorkingHours answers.

A rule says: on the DayOrder-th DayOfWeek of Month (DayOrder 5 = the last one), at
Time on the wall clock then in force, the clock switches to this period.  Offsets are
minutes *west* of UTC: UTC = local + Bias + the period's Bias.
"""

import datetime

UTC = datetime.timezone.utc
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse_datetime(text: str) -> datetime.datetime:
    """An xs:dateTime; with an offset or Z it becomes aware (UTC), without one it stays naive."""
    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    value = datetime.datetime.fromisoformat(text)
    return value.astimezone(UTC) if value.tzinfo else value


def format_utc(value: datetime.datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_local(value: datetime.datetime) -> str:
    """A wall-clock time without offset, as GetUserAvailability answers StartTime/EndTime."""
    return value.strftime("%Y-%m-%dT%H:%M:%S")


class Rule:
    """One transition of a SerializableTimeZone (StandardTime or DaylightTime)."""

    def __init__(self, bias=0, time="00:00:00", day_order=0, month=0, day_of_week="Sunday"):
        self.bias = int(bias)
        self.time = time
        self.day_order = int(day_order)
        self.month = int(month)
        self.day_of_week = day_of_week

    def wall_clock(self, year: int) -> datetime.datetime:
        """The local date and time of this transition in @year."""
        weekday = DAYS.index(self.day_of_week)
        if self.day_order >= 5:
            last = datetime.date(year + (self.month == 12), self.month % 12 + 1, 1) - datetime.timedelta(days=1)
            day = last - datetime.timedelta(days=(last.weekday() - weekday) % 7)
        else:
            first = datetime.date(year, self.month, 1)
            day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (self.day_order - 1))
        h, m, s = (int(x) for x in self.time.split(":"))
        return datetime.datetime(day.year, day.month, day.day, h, m, s)


class TimeZone:
    """A SerializableTimeZone: converts between UTC and its wall clock."""

    def __init__(self, bias=0, standard=None, daylight=None, name="UTC"):
        self.bias = int(bias)
        self.standard = standard or Rule()
        self.daylight = daylight or Rule()
        self.name = name

    @classmethod
    def from_json(cls, name: str, spec: dict) -> "TimeZone":
        def rule(r):
            return Rule(r["bias"], r["time"], r["day_order"], r["month"], r["day_of_week"])
        return cls(spec["bias"], rule(spec["standard"]), rule(spec["daylight"]), name)

    @classmethod
    def from_element(cls, element, t_ns: str) -> "TimeZone":
        """From a t:TimeZone element (SerializableTimeZone) of a request."""
        def text(parent, name, default):
            child = parent.find(f"{{{t_ns}}}{name}") if parent is not None else None
            return child.text.strip() if child is not None and child.text else default

        def rule(name):
            r = element.find(f"{{{t_ns}}}{name}")
            return Rule(text(r, "Bias", "0"), text(r, "Time", "00:00:00"), text(r, "DayOrder", "0"),
                        text(r, "Month", "0"), text(r, "DayOfWeek", "Sunday"))
        return cls(text(element, "Bias", "0"), rule("StandardTime"), rule("DaylightTime"), "request")

    def has_daylight(self) -> bool:
        return self.standard.month != 0 and self.daylight.month != 0

    def _in_daylight(self, utc: datetime.datetime) -> bool:
        if not self.has_daylight():
            return False
        naive = utc.astimezone(UTC).replace(tzinfo=None)
        # The switch to daylight time happens on the standard wall clock, and back on the daylight one.
        to_daylight = self.daylight.wall_clock(naive.year) + datetime.timedelta(
            minutes=self.bias + self.standard.bias)
        to_standard = self.standard.wall_clock(naive.year) + datetime.timedelta(
            minutes=self.bias + self.daylight.bias)
        if to_daylight < to_standard:  # northern hemisphere
            return to_daylight <= naive < to_standard
        return not (to_standard <= naive < to_daylight)

    def offset_minutes_west(self, utc: datetime.datetime) -> int:
        return self.bias + (self.daylight.bias if self._in_daylight(utc) else self.standard.bias)

    def to_local(self, utc: datetime.datetime) -> datetime.datetime:
        naive = utc.astimezone(UTC).replace(tzinfo=None)
        return naive - datetime.timedelta(minutes=self.offset_minutes_west(utc))

    def to_utc(self, local: datetime.datetime) -> datetime.datetime:
        """A wall-clock time of this zone in UTC (a time skipped by the spring change counts as standard)."""
        guess = (local + datetime.timedelta(minutes=self.bias + self.standard.bias)).replace(tzinfo=UTC)
        if self._in_daylight(guess):
            daylight = (local + datetime.timedelta(minutes=self.bias + self.daylight.bias)).replace(tzinfo=UTC)
            if self._in_daylight(daylight):
                return daylight
        return guess


UTC_ZONE = TimeZone()

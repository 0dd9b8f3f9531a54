"""iCalendar (.ics) export of follow-ups, event plans and birthdays for Outlook, Google and others.

What the clients need (RFC 5545 plus their quirks): one VCALENDAR with METHOD:PUBLISH (Outlook
takes only the first event of a REQUEST), UTF-8 without a BOM, CRLF line ends, lines folded at
75 octets without splitting a character or an escape, VEVENTs (Google and Outlook drop VTODO),
all-day items as VALUE=DATE, timed items in UTC (never floating, never TZID=UTC, never Windows
zone names), at most one VALARM (Outlook keeps one), and stable UIDs with a growing SEQUENCE so
that importing a newer file updates entries instead of duplicating them.

The per-item lines are written by the small serializer below: building icalendar's component
objects costs about 0.4 ms per item (over 4 s for 11,000), four times the export's time budget.
icalendar renders the value types with rules of their own (recurrence rules, durations) and is
the parser the tests read every file back with, next to vobject.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import vDuration, vRecur

from planner import APP_NAME, __version__
from planner.core.reminders import (
    BirthdayReminder,
    EventReminder,
    FollowUpReminder,
    ReminderSet,
)
from planner.core.vocab import CHANNELS, EVENT_STATUSES, EVENT_TYPES
from planner.safefiles import write_atomically

log = logging.getLogger(__name__)

PRODID = f"-//Networking Planner//{APP_NAME} {__version__}//EN"
UID_DOMAIN = "networking-planner"
CALENDAR_NAME = APP_NAME
# A timed follow-up is a short slot in the calendar.
FOLLOWUP_MINUTES = 30
# An event plan with no (or a broken) end time.
EVENT_DEFAULT_MINUTES = 60
# Google Calendar's reported import limit; the dialog warns above it.
GOOGLE_IMPORT_LIMIT_BYTES = 1_000_000
# Birthdays start in a fixed recent leap year: a 29 February has a real first date, and the
# start never moves between exports (a moved start with the same SEQUENCE confuses clients).
BIRTHDAY_FIRST_YEAR = 2020
# Birthdays have no sequence column: minutes since this moment of the contact's last change
# give a number that grows with every edit and fits iCalendar's 32-bit INTEGER.
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)
_MONTHS = (
    "January February March April May June July August September October November December"
).split()

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_URL_OK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")


@dataclass(frozen=True)
class IcsOptions:
    """How to write: alarm lead time (None: no alarm), follow-ups as tasks, calendar name."""

    alarm_minutes: int | None = 30
    tasks: bool = False
    calendar_name: str = CALENDAR_NAME
    # DTSTAMP of every item; None means now.
    stamp: datetime | None = None
    # IANA zone for items with no or an unknown zone; "" means the computer's local time.
    fallback_zone: str = ""
    # All-day items ring this many minutes after the start of their day (negative: the day
    # before), e.g. 540 = 09:00 on the day; None counts alarm_minutes back from midnight.
    # Only when alarms are on (alarm_minutes is not None).
    all_day_alarm_offset: int | None = 9 * 60

    def __post_init__(self) -> None:
        if self.alarm_minutes is not None and not 0 <= self.alarm_minutes <= 40 * 24 * 60:
            raise ValueError("The reminder lead time must be between 0 and 40 days.")
        offset = self.all_day_alarm_offset
        if offset is not None and not -24 * 60 < offset < 24 * 60:
            raise ValueError("An all-day reminder must ring on the day or the day before.")


@dataclass(frozen=True)
class IcsExport:
    """What an export wrote."""

    path: Path
    items: int
    size: int
    counts: dict[str, int] = field(default_factory=dict)


def followup_uid(uuid: str) -> str:
    return f"{uuid}@{UID_DOMAIN}"


def event_uid(uuid: str) -> str:
    return f"{uuid}@{UID_DOMAIN}"


def birthday_uid(contact_uuid: str) -> str:
    return f"{contact_uuid}-birthday@{UID_DOMAIN}"


# --- value formatting ---------------------------------------------------------------------


def escape_text(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and line breaks escaped; controls dropped."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> bytes:
    """One content line as UTF-8, folded at 75 octets (continuations start with a space).

    Cuts never split a character's bytes, nor a backslash from the character it escapes.
    """
    data = line.encode("utf-8", "replace")
    size = len(data)
    if size <= 75:
        return data
    parts: list[bytes] = []
    pos = 0
    limit = 75
    while size - pos > limit:
        cut = pos + limit
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the lead byte
            cut -= 1
        if data[cut - 1] == 0x5C:  # a backslash: an odd run means it starts an escape
            run = 1
            while cut - 1 - run > pos and data[cut - 1 - run] == 0x5C:
                run += 1
            if run % 2:
                cut -= 1
        parts.append(data[pos:cut])
        pos = cut
        limit = 74  # the leading space of a continuation counts
    parts.append(data[pos:])
    return b"\r\n ".join(parts)


def _utc_text(moment: datetime) -> str:
    u = moment.astimezone(timezone.utc) if moment.tzinfo is not None else moment
    return (
        f"{u.year:04d}{u.month:02d}{u.day:02d}T{u.hour:02d}{u.minute:02d}{u.second:02d}Z"
    )  # fmt: skip


def _date_text(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _human_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@lru_cache(maxsize=256)
def _zone(name: str) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("Unknown time zone %r; using the fallback zone", name)
        return None


def to_utc(local: datetime, zone_name: str, fallback_zone: str = "") -> datetime:
    """A wall-clock time in an IANA zone -> aware UTC. DST gaps and overlaps take the earlier
    offset (fold=0); no zone means the fallback zone, else the computer's local time."""
    zone = _zone(zone_name) or _zone(fallback_zone)
    naive = local.replace(tzinfo=None)
    aware = naive.astimezone() if zone is None else naive.replace(tzinfo=zone)
    return aware.astimezone(timezone.utc)


@lru_cache(maxsize=64)
def _trigger(minutes: int) -> str:
    if minutes == 0:
        return "-PT0M"  # at the start, still written as a negative (before-start) offset
    raw: bytes = vDuration(timedelta(minutes=-minutes)).to_ical()  # type: ignore[no-untyped-call]
    return raw.decode("ascii")


def _offset_trigger(minutes: int) -> str:
    """A signed offset from the start: "PT9H" (09:00 on the day), "-PT6H" (18:00 before)."""
    raw: bytes = vDuration(timedelta(minutes=minutes)).to_ical()  # type: ignore[no-untyped-call]
    return raw.decode("ascii")


@lru_cache(maxsize=4)
def _birthday_rule(leap_day: bool) -> str:
    # 29 February: the last day of February, so non-leap years show it on the 28th.
    rule = {"FREQ": "YEARLY", "BYMONTH": 2, "BYMONTHDAY": -1} if leap_day else {"FREQ": "YEARLY"}
    raw: bytes = vRecur(rule).to_ical()  # type: ignore[no-untyped-call]
    return raw.decode("ascii")


def _sequence_from_time(moment: datetime | None) -> int:
    if moment is None:
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0, min(2**31 - 1, int((moment - _SEQUENCE_EPOCH).total_seconds() // 60)))


def _url(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if "://" not in value and re.match(r"^[\w.-]+\.[A-Za-z]{2,}(/\S*)?$", value):
        value = "https://" + value
    return value if _URL_OK.match(value) else ""


# --- components ---------------------------------------------------------------------------


class _Lines:
    """Collects unfolded content lines; folding happens once at the end."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)

    def text(self, name: str, value: str) -> None:
        self.lines.append(f"{name}:{escape_text(value)}")

    def identity(
        self,
        uid: str,
        stamp: str,
        created: datetime | None,
        modified: datetime | None,
        sequence: int,
    ) -> None:
        self.lines.append(f"UID:{uid}")
        self.lines.append(f"DTSTAMP:{stamp}")
        self.lines.append(f"CREATED:{_utc_text(created) if created else stamp}")
        self.lines.append(f"LAST-MODIFIED:{_utc_text(modified) if modified else stamp}")
        self.lines.append(f"SEQUENCE:{max(0, int(sequence))}")

    def alarm(
        self,
        minutes: int | None,
        summary: str,
        related_end: bool = False,
        day_offset: int | None = None,
    ) -> None:
        """An alarm `minutes` before, or for an all-day item `day_offset` minutes after the
        start of its day (a DATE value starts at midnight)."""
        if minutes is None:
            return
        self.lines.append("BEGIN:VALARM")
        self.lines.append("ACTION:DISPLAY")
        self.text("DESCRIPTION", summary or "Reminder")
        related = ";RELATED=END" if related_end else ""
        trigger = _trigger(minutes) if day_offset is None else _offset_trigger(day_offset)
        self.lines.append(f"TRIGGER{related}:{trigger}")
        self.lines.append("END:VALARM")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def followup_summary(item: FollowUpReminder) -> str:
    """'Follow up: Zoë Achterberg — thank her for the intro'; without a contact, the purpose."""
    purpose = _one_line(item.purpose)
    name = _one_line(item.contact_name)
    if item.contact_id is None or not name:
        return purpose or "Follow-up"
    return f"Follow up: {name} — {purpose}" if purpose else f"Follow up: {name}"


def followup_description(item: FollowUpReminder) -> str:
    lines = []
    if item.organisation:
        lines.append(f"Organisation: {item.organisation}")
    if item.role:
        lines.append(f"Role: {item.role}")
    if item.email:
        lines.append(f"E-mail: {item.email}")
    if item.phone:
        lines.append(f"Phone: {item.phone}")
    if item.channel:
        lines.append(f"How: {CHANNELS.get(item.channel, item.channel)}")
    if item.contact_id is not None:
        last = _human_date(item.last_touch_on) if item.last_touch_on else "none recorded"
        lines.append(f"Last touch: {last}")
    if item.notes.strip():
        if lines:
            lines.append("")
        lines.append("Notes:")
        lines.append(item.notes.strip())
    return "\n".join(lines)


def _write_followup(out: _Lines, item: FollowUpReminder, options: IcsOptions, stamp: str) -> None:
    summary = followup_summary(item)
    component = "VTODO" if options.tasks else "VEVENT"
    out.add(f"BEGIN:{component}")
    out.identity(followup_uid(item.uuid), stamp, item.created_at, item.updated_at, item.sequence)
    out.text("SUMMARY", summary)
    if item.due_time is None:
        if options.tasks:
            out.add(f"DUE;VALUE=DATE:{_date_text(item.due_date)}")
        else:
            out.add(f"DTSTART;VALUE=DATE:{_date_text(item.due_date)}")
            out.add(f"DTEND;VALUE=DATE:{_date_text(item.due_date + timedelta(days=1))}")
            out.add("TRANSP:TRANSPARENT")
    else:
        start = to_utc(
            datetime.combine(item.due_date, item.due_time), item.time_zone, options.fallback_zone
        )
        if options.tasks:
            out.add(f"DUE:{_utc_text(start)}")
        else:
            out.add(f"DTSTART:{_utc_text(start)}")
            out.add(f"DTEND:{_utc_text(start + timedelta(minutes=FOLLOWUP_MINUTES))}")
    description = followup_description(item)
    if description:
        out.text("DESCRIPTION", description)
    out.add("CATEGORIES:Follow-up")
    out.add("CLASS:PRIVATE")
    if options.tasks:
        out.add("STATUS:NEEDS-ACTION")
    # A task without DTSTART can only have an alarm relative to its DUE.
    all_day = options.all_day_alarm_offset if item.due_time is None else None
    out.alarm(options.alarm_minutes, summary, related_end=options.tasks, day_offset=all_day)
    out.add(f"END:{component}")


def event_description(item: EventReminder) -> str:
    lines = []
    if item.event_type:
        lines.append(f"Type: {EVENT_TYPES.get(item.event_type, item.event_type)}")
    if item.status:
        lines.append(f"Status: {EVENT_STATUSES.get(item.status, item.status)}")
    if item.venue:
        lines.append(f"Where: {item.venue}")
    if item.url:
        # Outlook drops the URL property on import; the description keeps the link.
        lines.append(f"Link: {item.url.strip()}")
    if item.description.strip():
        if lines:
            lines.append("")
        lines.append(item.description.strip())
    return "\n".join(lines)


def _write_event(out: _Lines, item: EventReminder, options: IcsOptions, stamp: str) -> None:
    summary = _one_line(item.name) or "Event"
    out.add("BEGIN:VEVENT")
    out.identity(event_uid(item.uuid), stamp, item.created_at, item.updated_at, item.sequence)
    out.text("SUMMARY", summary)
    start_day = item.starts_local.date()
    if item.all_day:
        end_day = item.ends_local.date() if item.ends_local is not None else start_day
        end_day = max(end_day, start_day)
        out.add(f"DTSTART;VALUE=DATE:{_date_text(start_day)}")
        out.add(f"DTEND;VALUE=DATE:{_date_text(end_day + timedelta(days=1))}")
    else:
        start = to_utc(item.starts_local, item.time_zone, options.fallback_zone)
        end = None
        if item.ends_local is not None and item.ends_local > item.starts_local:
            end = to_utc(item.ends_local, item.time_zone, options.fallback_zone)
        if end is None or end <= start:
            end = start + timedelta(minutes=EVENT_DEFAULT_MINUTES)
        out.add(f"DTSTART:{_utc_text(start)}")
        out.add(f"DTEND:{_utc_text(end)}")
    if item.venue.strip():
        out.text("LOCATION", _one_line(item.venue))
    url = _url(item.url)
    if url:
        out.add(f"URL:{url}")
    description = event_description(item)
    if description:
        out.text("DESCRIPTION", description)
    out.add("STATUS:TENTATIVE" if item.status == "idea" else "STATUS:CONFIRMED")
    out.add("CATEGORIES:Event")
    out.add("CLASS:PRIVATE")
    all_day = options.all_day_alarm_offset if item.all_day else None
    out.alarm(options.alarm_minutes, summary, day_offset=all_day)
    out.add("END:VEVENT")


def birthday_summary(item: BirthdayReminder) -> str:
    return f"Birthday: {_one_line(item.name) or 'a contact'}"


def _write_birthday(out: _Lines, item: BirthdayReminder, options: IcsOptions, stamp: str) -> None:
    summary = birthday_summary(item)
    leap_day = item.month == 2 and item.day == 29
    first = date(BIRTHDAY_FIRST_YEAR, item.month, item.day)
    out.add("BEGIN:VEVENT")
    out.identity(
        birthday_uid(item.contact_uuid),
        stamp,
        item.created_at,
        item.updated_at,
        _sequence_from_time(item.updated_at),
    )
    out.text("SUMMARY", summary)
    out.add(f"DTSTART;VALUE=DATE:{_date_text(first)}")
    out.add(f"DTEND;VALUE=DATE:{_date_text(first + timedelta(days=1))}")
    out.add(f"RRULE:{_birthday_rule(leap_day)}")
    out.add("TRANSP:TRANSPARENT")
    details = []
    if item.year is not None:
        details.append(f"Born {item.year}")
    if leap_day:
        details.append("Born on 29 February: shown on 28 February in other years.")
    if item.organisation:
        details.append(f"Organisation: {item.organisation}")
    if details:
        out.text("DESCRIPTION", "\n".join(details))
    out.add("CATEGORIES:Birthday")
    out.add("CLASS:PRIVATE")
    out.alarm(options.alarm_minutes, summary, day_offset=options.all_day_alarm_offset)
    out.add("END:VEVENT")


# --- the file -----------------------------------------------------------------------------


def render(reminders: ReminderSet, options: IcsOptions | None = None) -> bytes:
    """The whole calendar as UTF-8 bytes (no BOM), CRLF line ends, folded lines."""
    options = options or IcsOptions()
    stamp = _utc_text(options.stamp or datetime.now(timezone.utc))
    out = _Lines()
    out.add("BEGIN:VCALENDAR")
    out.add("VERSION:2.0")
    out.text("PRODID", PRODID)
    out.add("CALSCALE:GREGORIAN")
    out.add("METHOD:PUBLISH")
    out.text("X-WR-CALNAME", _one_line(options.calendar_name) or CALENDAR_NAME)
    for _uid, item, write in _items(reminders):
        write(out, item, options, stamp)
    out.add("END:VCALENDAR")
    return b"\r\n".join([fold_line(line) for line in out.lines]) + b"\r\n"


def _items(
    reminders: ReminderSet,
) -> Iterator[tuple[str, object, Callable[[_Lines, Any, IcsOptions, str], None]]]:
    """(UID, item, writer) for every item, in the file's order."""
    for followup in reminders.followups:
        yield followup_uid(followup.uuid), followup, _write_followup
    for event in reminders.events:
        yield event_uid(event.uuid), event, _write_event
    for birthday in reminders.birthdays:
        yield birthday_uid(birthday.contact_uuid), birthday, _write_birthday


@dataclass(frozen=True)
class CalendarResource:
    """One item as a CalDAV calendar object resource (one UID per resource, RFC 4791 4.1)."""

    uid: str
    data: bytes


def render_resources(
    reminders: ReminderSet, options: IcsOptions | None = None
) -> list[CalendarResource]:
    """Each item on its own, with the same component text as `render` writes into the file.

    A resource on a CalDAV server must not carry METHOD (RFC 4791 4.1) and names no calendar;
    everything inside BEGIN:VEVENT ... END:VEVENT is written by the same writers as the file,
    so the file and the server always agree.
    """
    options = options or IcsOptions()
    stamp = _utc_text(options.stamp or datetime.now(timezone.utc))
    head = [
        fold_line(line)
        for line in ("BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{escape_text(PRODID)}",
                     "CALSCALE:GREGORIAN")
    ]  # fmt: skip
    tail = fold_line("END:VCALENDAR")
    resources = []
    for uid, item, write in _items(reminders):
        out = _Lines()
        write(out, item, options, stamp)
        body = b"\r\n".join([*head, *(fold_line(line) for line in out.lines), tail])
        resources.append(CalendarResource(uid, body + b"\r\n"))
    return resources


def write_ics(path: Path, reminders: ReminderSet, options: IcsOptions | None = None) -> IcsExport:
    """Render and write atomically; raises OSError (with the reason) when it cannot."""
    data = render(reminders, options)
    write_atomically(Path(path), data)
    log.info("Exported %s items (%s bytes) to %s", reminders.total, len(data), path)
    return IcsExport(
        path=Path(path),
        items=reminders.total,
        size=len(data),
        counts={
            "followups": len(reminders.followups),
            "events": len(reminders.events),
            "birthdays": len(reminders.birthdays),
        },
    )

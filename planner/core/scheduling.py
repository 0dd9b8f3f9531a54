"""Follow-up scheduling rules as plain functions: due dates, snoozes, overdue, losing touch.

Follow-ups keep their *wall-clock* date and time plus an IANA zone; instants are derived
when needed, so a DST change or a zone-rule update never moves what the user wrote down.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from planner.core.cadence import next_touch_due

SNOOZE_TOMORROW = "tomorrow"
SNOOZE_NEXT_WEEK = "next_week"
SNOOZE_CHOICES: dict[str, str] = {
    SNOOZE_TOMORROW: "Tomorrow",
    SNOOZE_NEXT_WEEK: "Next week",
}
GRID_WEEKS = 6


def zone(name: str) -> ZoneInfo | None:
    """The IANA zone, or None for an empty or unknown name (then the local zone applies)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def is_known_zone(name: str) -> bool:
    return zone(name) is not None


def next_due_from_touch(
    last_touch: date | None, added_on: date, cadence_days: int | None
) -> date | None:
    """The contact's next keep-in-touch date; never before the last touch (cadence >= 1)."""
    return next_touch_due(last_touch, added_on, cadence_days)


def next_cadence_followup(
    completed_on: date, cadence_days: int | None, last_touch: date | None = None
) -> date | None:
    """Due date of the follow-up a cadence schedules after one is completed on `completed_on`.

    Counts from the later of the completion day and the last touch, so a touch logged with a
    future date (a planned meeting) never gets a follow-up before it.
    """
    if not cadence_days or cadence_days <= 0:
        return None
    start = completed_on if last_touch is None else max(completed_on, last_touch)
    return start + timedelta(days=cadence_days)


def week_start(day: date, first_day_of_week: int) -> date:
    """The first day of the week `day` is in; `first_day_of_week` is ISO (1 Monday..7 Sunday)."""
    first = first_day_of_week if 1 <= first_day_of_week <= 7 else 1
    back = (day.isoweekday() - first) % 7
    return day - timedelta(days=back)


def snooze_target(kind: str, due: date, today: date, first_day_of_week: int = 1) -> date:
    """Where "tomorrow" / "next week" moves a follow-up: always later than both today and due.

    A snoozed item never lands in the past, and snoozing an item already in the future still
    pushes it on (from its due date), which is what "not now" means.
    """
    base = max(due, today)
    if kind == SNOOZE_TOMORROW:
        return base + timedelta(days=1)
    if kind == SNOOZE_NEXT_WEEK:
        return week_start(base, first_day_of_week) + timedelta(days=7)
    raise ValueError(f"unknown snooze {kind!r}")


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 -> 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def month_grid_range(year: int, month: int, first_day_of_week: int = 1) -> tuple[date, date]:
    """First and last day shown by a 6-week month grid (inclusive) that starts on the week start."""
    start = week_start(date(year, month, 1), first_day_of_week)
    return start, start + timedelta(days=GRID_WEEKS * 7 - 1)


def due_instant(
    due_date: date, due_time: time | None, time_zone: str, local_zone: ZoneInfo | None = None
) -> datetime:
    """The aware UTC moment a follow-up falls due.

    Timed: the wall-clock time in its zone (a time skipped by a DST jump resolves forward, as
    clocks do). All-day: the start of the due day in the user's zone.
    """
    tz = zone(time_zone) or local_zone
    wall = datetime.combine(due_date, due_time or time(0, 0))
    if tz is None:
        return wall.astimezone(timezone.utc)
    return wall.replace(tzinfo=tz).astimezone(timezone.utc)


def wall_clock(instant: datetime, time_zone: str) -> datetime:
    """The wall-clock time (naive) an aware instant shows in `time_zone`."""
    tz = zone(time_zone)
    local = instant.astimezone(tz) if tz is not None else instant.astimezone()
    return local.replace(tzinfo=None)


def shift_due(due_date: date, due_time: time | None, days: int) -> tuple[date, time | None]:
    """Move a follow-up by whole days, keeping its wall-clock time (DST cannot shift it)."""
    return due_date + timedelta(days=days), due_time


def is_overdue(
    due_date: date,
    due_time: time | None,
    time_zone: str,
    now: datetime,
    local_zone: ZoneInfo | None = None,
) -> bool:
    """All-day items are overdue from the day after; timed ones once their moment has passed."""
    if due_time is None:
        today = now.astimezone(local_zone).date() if local_zone else now.astimezone().date()
        return due_date < today
    return due_instant(due_date, due_time, time_zone, local_zone) < now


def days_lapsed(next_touch: date, today: date) -> int:
    return (today - next_touch).days


def losing_touch_order(
    rows: list[tuple[int, date | None, int | None, str]], today: date, has_open: set[int]
) -> list[int]:
    """Contact ids that are losing touch, worst first: lapsed cadence and nothing scheduled.

    `rows` are (contact id, next_touch_due, cadence_days, name). Worst = lapsed longest, then
    the shorter cadence (the closer tie), then name; FollowUpService.losing_touch sorts the same
    way in SQL, and a test checks the two agree.
    """
    lapsed = [
        row
        for row in rows
        if row[1] is not None and row[1] < today and row[0] not in has_open and row[2]
    ]
    lapsed.sort(key=lambda r: (r[1], r[2] or 0, r[3], r[0]))
    return [r[0] for r in lapsed]

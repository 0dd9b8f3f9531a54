"""Property tests for the scheduling rules: due dates, snoozes, month grids, DST, ranking."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core import scheduling as sch

DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
CADENCE = st.integers(min_value=1, max_value=3650)
FIRST_DAY = st.integers(min_value=1, max_value=7)
DST_ZONES = st.sampled_from(
    [
        "Europe/London",
        "Europe/Berlin",
        "America/New_York",
        "America/Santiago",
        "Australia/Lord_Howe",
        "Asia/Tehran",
        "Pacific/Chatham",
        "UTC",
    ]
)
# Stored due times carry no fold (SQLite TIME and the time editors drop it): fold=1 inside a
# DST gap (03:00 fold=1 in Pacific/Chatham) maps before the gap and is no input the app sees.
TIMES = st.times().map(lambda t: t.replace(microsecond=0, fold=0))


@given(last=st.none() | DATES, added=DATES, cadence=CADENCE)
def test_next_due_is_never_before_the_last_touch(
    last: date | None, added: date, cadence: int
) -> None:
    due = sch.next_due_from_touch(last, added, cadence)
    assert due is not None
    assert due > (last if last is not None else added)
    assert (due - (last or added)).days == cadence


@given(last=st.none() | DATES, added=DATES, cadence=st.none() | st.integers(-5, 0))
def test_no_cadence_means_no_due_date(last: date | None, added: date, cadence: int | None) -> None:
    assert sch.next_due_from_touch(last, added, cadence) is None


@given(done=DATES, cadence=CADENCE, last=st.none() | DATES)
def test_cadence_followup_after_completion_and_last_touch(
    done: date, cadence: int, last: date | None
) -> None:
    due = sch.next_cadence_followup(done, cadence, last)
    assert due is not None
    assert due > done
    if last is not None:
        assert due > last


@given(due=DATES, today=DATES, first=FIRST_DAY)
def test_snooze_targets_are_in_the_future(due: date, today: date, first: int) -> None:
    tomorrow = sch.snooze_target(sch.SNOOZE_TOMORROW, due, today, first)
    assert tomorrow == max(due, today) + timedelta(days=1)
    next_week = sch.snooze_target(sch.SNOOZE_NEXT_WEEK, due, today, first)
    assert next_week > max(due, today)
    assert next_week.isoweekday() == first
    assert (next_week - max(due, today)).days <= 7


def test_snooze_next_week_examples() -> None:
    # Friday 2026-01-30; weeks start on Monday -> Monday 2 Feb; on Sunday -> Sunday 1 Feb.
    fri = date(2026, 1, 30)
    assert sch.snooze_target("next_week", fri, fri, 1) == date(2026, 2, 2)
    assert sch.snooze_target("next_week", fri, fri, 7) == date(2026, 2, 1)
    # Leap day: tomorrow from 28 Feb 2028 is the 29th.
    assert sch.snooze_target("tomorrow", date(2028, 2, 28), date(2028, 2, 1)) == date(2028, 2, 29)
    with pytest.raises(ValueError):
        sch.snooze_target("someday", fri, fri)


@given(day=DATES, months=st.integers(-240, 240))
def test_add_months_clamps_to_month_end(day: date, months: int) -> None:
    moved = sch.add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + timedelta(days=1)).day == 1)


def test_add_months_leap_years() -> None:
    assert sch.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert sch.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert sch.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert sch.add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)


@given(
    year=st.integers(1990, 2090),
    month=st.integers(1, 12),
    first=FIRST_DAY,
)
def test_month_grid_covers_the_month_from_the_week_start(year: int, month: int, first: int) -> None:
    start, end = sch.month_grid_range(year, month, first)
    assert start.isoweekday() == first
    assert (end - start).days == 41
    assert start <= date(year, month, 1)
    last = sch.add_months(date(year, month, 1), 1) - timedelta(days=1)
    assert end >= last
    assert (date(year, month, 1) - start).days < 7


@given(day=DATES, t=TIMES, zone=DST_ZONES, shift=st.integers(-400, 400))
def test_rescheduling_keeps_the_wall_clock_time(day: date, t: time, zone: str, shift: int) -> None:
    new_day, new_time = sch.shift_due(day, t, shift)
    assert new_time == t
    assert new_day == day + timedelta(days=shift)
    # The instant shows the same wall-clock time in its zone, unless DST skipped that time.
    instant = sch.due_instant(new_day, new_time, zone)
    shown = sch.wall_clock(instant, zone)
    local = datetime.combine(new_day, t)
    tz = ZoneInfo(zone)
    exists = (
        local.replace(tzinfo=tz).astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None)
        == local
    )
    if exists:
        assert shown == local
    else:
        # Skipped by a spring-forward jump: it falls due at the first moment after the gap.
        assert shown > local
        assert shown - local <= timedelta(hours=1)


@given(day=DATES, zone=DST_ZONES, shift=st.integers(-400, 400))
def test_all_day_items_stay_on_their_day(day: date, zone: str, shift: int) -> None:
    new_day, new_time = sch.shift_due(day, None, shift)
    assert new_time is None
    assert new_day == day + timedelta(days=shift)
    # An all-day item falls due at the start of its day in the user's zone, on that day.
    tz = ZoneInfo(zone)
    instant = sch.due_instant(new_day, None, "", tz)
    assert instant.astimezone(tz).date() == new_day


def test_dst_examples() -> None:
    # London spring forward 2026-03-29 01:00 -> 02:00; a 09:30 meeting stays 09:30 local.
    before = sch.due_instant(date(2026, 3, 28), time(9, 30), "Europe/London")
    after = sch.due_instant(date(2026, 3, 30), time(9, 30), "Europe/London")
    assert before.hour == 9 and after.hour == 8  # UTC moves, the wall clock does not
    assert sch.wall_clock(after, "Europe/London").time() == time(9, 30)


@given(
    due=DATES,
    t=st.none() | TIMES,
    now_offset=st.integers(-3 * 86400, 3 * 86400),
)
@settings(max_examples=200)
def test_overdue_matches_the_due_moment(due: date, t: time | None, now_offset: int) -> None:
    tz = ZoneInfo("Europe/Berlin")
    moment = sch.due_instant(due, t, "Europe/Berlin", tz)
    now = moment + timedelta(seconds=now_offset)
    overdue = sch.is_overdue(due, t, "Europe/Berlin", now, tz)
    if t is None:
        assert overdue == (now.astimezone(tz).date() > due)
    else:
        assert overdue == (now_offset > 0)


ROWS = st.lists(
    st.tuples(
        st.none() | DATES,
        st.none() | st.integers(0, 400),
        st.text(alphabet="abcXYZé ", max_size=6),
        st.booleans(),
    ),
    max_size=40,
)


@given(rows=ROWS, today=DATES)
def test_losing_touch_order_is_worst_first_and_only_lapsed(
    rows: list[tuple[date | None, int | None, str, bool]], today: date
) -> None:
    table = [(i, r[0], r[1], r[2]) for i, r in enumerate(rows)]
    has_open = {i for i, r in enumerate(rows) if r[3]}
    order = sch.losing_touch_order(table, today, has_open)
    chosen = {i for i in order}
    for i, due, cadence, _name in table:
        lapsed = due is not None and due < today and bool(cadence) and i not in has_open
        assert (i in chosen) == lapsed
    lapses = [sch.days_lapsed(table[i][1], today) for i in order]  # type: ignore[arg-type]
    assert lapses == sorted(lapses, reverse=True)


def test_unknown_zone_is_none() -> None:
    assert sch.zone("") is None
    assert sch.zone("Mars/Olympus") is None
    assert sch.is_known_zone("Europe/Paris")

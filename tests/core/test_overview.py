"""The overview's aggregate queries, checked number by number on a small known network."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import event

from planner.core.overview import (
    CADENCE,
    FOLLOWUPS,
    LOSING,
    TOUCHES,
    CadenceHealth,
    OverviewService,
    assemble,
    month_starts,
)
from planner.db import models as m
from planner.db.database import Database

TODAY = date(2026, 3, 15)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def noon(y: int, mo: int, d: int) -> datetime:
    # Noon UTC mid-month: in the same month on every computer's clock.
    return datetime(y, mo, d, 12, tzinfo=timezone.utc)


def add(session: Any, obj: Any) -> Any:
    session.add(obj)
    session.flush()
    return obj


@pytest.fixture
def known(db: Database) -> dict[str, int]:
    """A network whose every aggregate is worked out by hand in the tests below."""
    ids: dict[str, int] = {}
    with db.session() as s:

        def person(key: str, rel: str, created: datetime, cadence: int | None, due: int | None):
            c = add(
                s,
                m.Contact(
                    name=key,
                    organisation=f"{key} Org",
                    relationship=rel,
                    cadence_days=cadence,
                    next_touch_due=None if due is None else day(due),
                    created_at=created,
                ),
            )
            ids[key] = c.id
            return c

        person("Ann", "colleague", noon(2026, 1, 10), 30, -10)  # overdue, nothing planned
        person("Bob", "mentor", noon(2025, 12, 5), 30, 3)  # due soon
        person("Cy", "mentor", noon(2024, 1, 15), 90, 30)  # on time; added before the range
        person("Di", "peer", noon(2026, 3, 10), 60, -40)  # overdue but a follow-up is open
        person("Ed", "peer", noon(2025, 4, 12), None, None)  # no cadence
        person("Flo", "colleague", noon(2026, 3, 14), 30, 0)  # due today: due soon
        person("Gus", "colleague", noon(2025, 6, 20), 14, 7)  # due in 7 days: due soon
        person("Hal", "colleague", noon(2025, 6, 21), 14, 8)  # due in 8 days: on time
        person("Ivy", "client", noon(2025, 2, 15), 30, -1)  # overdue by one day; done FU only
        person("Jo", "recruiter", noon(2026, 2, 16), 0, None)  # cadence 0 means none

        def touch(key: str, when: date, kind: str) -> None:
            add(
                s,
                m.Touchpoint(contact_id=ids[key], occurred_on=when, channel="email", kind=kind),
            )

        touch("Ann", date(2026, 3, 1), "gave_value")
        touch("Ann", date(2026, 3, 15), "asked")
        touch("Bob", date(2026, 2, 28), "caught_up")
        touch("Bob", date(2025, 4, 1), "gave_value")  # first day of the first month: in
        touch("Cy", date(2025, 3, 31), "asked")  # the day before the range: out
        touch("Cy", date(2026, 4, 1), "asked")  # after the current month: out
        touch("Di", date(2026, 1, 20), "asked")
        touch("Di", date(2026, 1, 21), "met")

        def plan(key: str, start: datetime, status: str) -> m.EventPlan:
            e = add(s, m.EventPlan(name=key, starts_local=start, status=status))
            ids[key] = e.id
            return e

        def goal(event: str, kind: str, target: int = 1, manual: int = 0, who: str = "") -> None:
            add(
                s,
                m.EventGoal(
                    event_id=ids[event],
                    kind=kind,
                    description=f"{kind} goal",
                    target=target,
                    manual_progress=manual,
                    contact_id=ids[who] if who else None,
                ),
            )

        def met(event: str, who: str, new: bool) -> None:
            add(s, m.EventAttendee(event_id=ids[event], contact_id=ids[who], is_new=new))

        plan("Meetup", datetime(2026, 2, 10, 18), "attended")
        goal("Meetup", "meet_new", target=2)
        goal("Meetup", "talk_to", who="Cy")
        goal("Meetup", "learn_about", target=1, manual=0)
        met("Meetup", "Ann", True)
        met("Meetup", "Flo", True)
        met("Meetup", "Cy", False)
        plan("Skipped", datetime(2026, 1, 5, 9), "skipped")
        goal("Skipped", "custom", target=1, manual=1)
        plan("Summit", datetime(2026, 3, 20, 9), "registered")
        goal("Summit", "meet_new", target=3)
        goal("Summit", "custom", target=2, manual=2)
        plan("Webinar", datetime(2026, 4, 2, 17), "idea")
        goal("Webinar", "talk_to", who="Bob")
        plan("Breakfast", datetime(2026, 3, 15, 8), "registered")  # today, before now: upcoming
        plan("Cancelled", datetime(2026, 5, 1, 9), "skipped")
        plan("Old", datetime(2025, 3, 20, 9), "attended")  # before the range
        goal("Old", "custom", target=1, manual=1)

        def follow(key: str | None, due: int, status: str, purpose: str) -> None:
            f = add(
                s,
                m.FollowUp(
                    contact_id=ids[key] if key else None,
                    due_date=day(due),
                    status=status,
                    purpose=purpose,
                ),
            )
            ids[purpose] = f.id

        follow("Di", -5, "open", "send the slides")
        follow(None, 0, "open", "Renew IEEE membership")
        follow("Bob", 1, "open", "tomorrow")
        follow("Ann", -3, "done", "already done")
        follow("Ivy", -2, "cancelled", "called off")
    return ids


def test_month_starts_span_twelve_months_and_the_next_boundary() -> None:
    starts = month_starts(date(2026, 1, 31))
    assert starts[0] == date(2025, 2, 1)
    assert starts[-2] == date(2026, 1, 1)
    assert starts[-1] == date(2026, 2, 1)
    assert len(starts) == 13


def test_touchpoints_and_give_ask_per_month(db: Database, known: dict[str, int]) -> None:
    months = OverviewService(db).monthly_activity(TODAY)
    assert [a.month for a in months] == month_starts(TODAY)[:-1]
    by = {(a.month.year, a.month.month): a for a in months}
    assert sum(a.touchpoints for a in months) == 6
    assert (by[2025, 4].touchpoints, by[2025, 4].gave, by[2025, 4].asked) == (1, 1, 0)
    assert (by[2026, 1].touchpoints, by[2026, 1].gave, by[2026, 1].asked) == (2, 0, 1)
    assert (by[2026, 2].touchpoints, by[2026, 2].gave, by[2026, 2].asked) == (1, 0, 0)
    assert (by[2026, 3].touchpoints, by[2026, 3].gave, by[2026, 3].asked) == (2, 1, 1)
    assert sum(a.gave for a in months) == 2
    assert sum(a.asked for a in months) == 2


def test_new_contacts_per_month(db: Database, known: dict[str, int]) -> None:
    months = OverviewService(db).monthly_activity(TODAY)
    counts = {(a.month.year, a.month.month): a.new_contacts for a in months if a.new_contacts}
    # Cy (2024) and Ivy (2025-02) were added before the twelve months. A contact counts at
    # its first touchpoint when that is earlier than when it was added: Bob (added 2025-12,
    # first touch 2025-04-01) and Di (added 2026-03, first touch 2026-01-20).
    assert counts == {
        (2025, 4): 2,
        (2025, 6): 2,
        (2026, 1): 2,
        (2026, 2): 1,
        (2026, 3): 1,
    }


def test_event_goals_met_vs_set_per_month(db: Database, known: dict[str, int]) -> None:
    months = OverviewService(db).monthly_activity(TODAY)
    goals = {(a.month.year, a.month.month): (a.goals_met, a.goals_set) for a in months}
    # Meetup: 2 new people met (target 2), talked to Cy, learn_about not done -> 2 of 3.
    assert goals[2026, 2] == (2, 3)
    # Summit: nobody met yet (0 of 3), the custom goal done by hand -> 1 of 2.
    assert goals[2026, 3] == (1, 2)
    # Skipped plans and plans outside the months do not count.
    assert goals[2026, 1] == (0, 0)
    assert sum(met for met, _ in goals.values()) == 3
    assert sum(total for _, total in goals.values()) == 5


def test_cadence_health_per_relationship(db: Database, known: dict[str, int]) -> None:
    health = OverviewService(db).cadence_health(TODAY)
    assert health == (
        # Ann overdue; Flo due today and Gus due in 7 days are due soon; Hal in 8 is on time.
        CadenceHealth("colleague", on_time=1, due_soon=2, overdue=1),
        CadenceHealth("mentor", on_time=1, due_soon=1, overdue=0),
        CadenceHealth("peer", on_time=0, due_soon=0, overdue=1),
        CadenceHealth("client", on_time=0, due_soon=0, overdue=1),
    )
    assert health[0].total == 4


def test_today_follow_ups_due_and_overdue(db: Database, known: dict[str, int]) -> None:
    today = OverviewService(db).today(TODAY)
    assert [(f.contact_name, f.purpose, f.days_overdue) for f in today.followups] == [
        ("Di", "send the slides", 5),
        ("", "Renew IEEE membership", 0),
    ]
    assert today.followups[0].contact_id == known["Di"]
    assert today.followups[1].contact_id is None
    assert today.followups[0].id == known["send the slides"]
    assert today.followups_total == 2


def test_today_upcoming_events_with_goal_progress(db: Database, known: dict[str, int]) -> None:
    events = OverviewService(db).today(TODAY, events=3).events
    assert [e.name for e in events] == ["Breakfast", "Summit", "Webinar"]
    summit = events[1]
    assert summit.id == known["Summit"]
    assert [(g.kind, g.progress, g.target, g.met) for g in summit.goals] == [
        ("meet_new", 0, 3, False),
        ("custom", 2, 2, True),
    ]
    assert summit.goals_met == 1
    assert [(g.progress, g.target) for g in events[2].goals] == [(0, 1)]
    assert OverviewService(db).today(TODAY, events=1).events[0].name == "Breakfast"


def test_losing_touch_most_overdue_first_without_open_follow_up(
    db: Database, known: dict[str, int]
) -> None:
    today = OverviewService(db).today(TODAY)
    # Di is overdue longest but has an open follow-up; Ivy's only follow-up was cancelled.
    assert [(c.name, c.days_overdue) for c in today.losing_touch] == [("Ann", 10), ("Ivy", 1)]
    assert today.losing_touch[0].contact_id == known["Ann"]
    assert today.losing_touch[0].relationship == "colleague"
    assert today.losing_touch_total == 2
    limited = OverviewService(db).today(TODAY, limit=1)
    assert len(limited.losing_touch) == 1
    assert limited.losing_touch_total == 2


def test_refresh_reads_only_the_sections_asked_for(db: Database, known: dict[str, int]) -> None:
    service = OverviewService(db)
    before = service.overview(TODAY)
    with db.session() as s:
        add(s, m.Contact(name="New", created_at=noon(2026, 3, 12), relationship="peer"))
        add(
            s,
            m.Touchpoint(contact_id=known["Ann"], occurred_on=TODAY, channel="call", kind="asked"),
        )
        s.query(m.FollowUp).filter(m.FollowUp.contact_id == known["Di"]).update({"status": "done"})
    partial = service.overview(TODAY, sections={TOUCHES}, previous=before)
    assert partial.months[-1].touchpoints == before.months[-1].touchpoints + 1
    assert partial.months[-1].asked == before.months[-1].asked + 1
    assert partial.months[-1].new_contacts == before.months[-1].new_contacts  # copied
    assert partial.today_items == before.today_items
    assert partial.cadence == before.cadence

    later = service.overview(TODAY, sections={FOLLOWUPS, LOSING, CADENCE}, previous=partial)
    assert later.today_items.followups_total == 1
    assert [c.name for c in later.today_items.losing_touch] == ["Di", "Ann", "Ivy"]
    assert later.months == partial.months

    full = service.overview(TODAY)
    assert full.months[-1].new_contacts == before.months[-1].new_contacts + 1
    # A new day invalidates everything, whatever was asked for.
    tomorrow = service.overview(day(1), sections=set(), previous=full)
    assert tomorrow.today_items.followups_total == 2  # Bob's follow-up falls due
    assert tomorrow.today == day(1)


def test_empty_database_gives_zeros(db: Database) -> None:
    overview = OverviewService(db).overview(TODAY)
    assert len(overview.months) == 12
    assert all(a.touchpoints == a.new_contacts == a.goals_set == 0 for a in overview.months)
    assert overview.cadence == ()
    assert overview.today_items.followups == ()
    assert overview.today_items.losing_touch_total == 0


def test_queries_use_no_sqlite_only_functions(db: Database, known: dict[str, int]) -> None:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        OverviewService(db).overview(TODAY)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(seen) >= 8
    for statement in seen:
        for word in ("strftime", "julianday", "date(", "datetime(", "ifnull", "glob"):
            assert word not in statement, statement


def test_created_at_months_follow_the_local_clock(db: Database) -> None:
    # The last instant of a month in UTC, and a contact from the current month.
    with db.session() as s:
        add(s, m.Contact(name="Edge", created_at=datetime.combine(day(0), time(12), timezone.utc)))
    months = OverviewService(db).monthly_activity(TODAY)
    assert months[-1].new_contacts == 1


def test_the_two_halves_read_apart_make_the_whole(db: Database, known: dict[str, int]) -> None:
    """The tab reads months_part and today_part on two worker threads (two transactions):
    assembled, they equal one overview() read, also for a partial refresh."""
    service = OverviewService(db)
    whole = service.overview(TODAY, limit=6, events=3)
    halves = assemble(TODAY, service.months_part(TODAY), service.today_part(TODAY, limit=6))
    assert halves == whole
    assert service.months_wanted(TODAY, {TOUCHES}, whole)
    assert not service.months_wanted(TODAY, {FOLLOWUPS}, whole)
    assert service.months_wanted(day(1), set(), whole)  # another day
    months = service.months_part(TODAY, sections={TOUCHES}, previous=whole)
    assert assemble(TODAY, months, service.today_part(TODAY, limit=6)) == whole

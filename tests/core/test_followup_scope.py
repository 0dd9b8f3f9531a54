"""Whose follow-ups (team mode, both engines): "My follow-ups" vs "Team" in the calendar's
queries and the export, owner and visibility carried to the next follow-up, and a teammate's
private follow-ups never shown or exported."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.core.contact_rows import new_contact
from planner.core.followups import MINE, TEAM, FollowUpDraft, FollowUpService
from planner.core.reminders import FOLLOWUPS, ReminderQuery, ReminderService
from planner.db import models as m
from planner.db.database import Database

DAY = date(2026, 3, 10)


@pytest.fixture
def team(db: Database) -> dict[str, int]:
    """Ana's and Priya's follow-ups on one day, Ana looking."""
    with db.session() as s:
        cid = new_contact(s, "Zoë Achterberg", cadence_days=30).id
    svc = FollowUpService(db)
    made: dict[str, int] = {"contact": cid}
    db.user = "Priya"
    made["priya_shared"] = svc.create(FollowUpDraft(cid, DAY, purpose="p shared"))[0].id
    made["priya_private"] = svc.create(
        FollowUpDraft(cid, DAY, purpose="p private", visibility="private")
    )[0].id
    made["for_ana"] = svc.create(
        FollowUpDraft(cid, DAY, purpose="for Ana", owner="Ana", visibility="private")
    )[0].id
    db.user = "Ana"
    made["ana"] = svc.create(FollowUpDraft(cid, DAY, purpose="mine"))[0].id
    made["ana_for_priya"] = svc.create(
        FollowUpDraft(cid, DAY, purpose="given away", owner="Priya")
    )[0].id
    made["unowned"] = svc.create(FollowUpDraft(None, DAY, purpose="old", owner=""))[0].id
    with db.session() as s:  # a follow-up from before team mode: no owner, made by Ana
        row = s.get(m.FollowUp, made["unowned"])
        assert row is not None and row.owner == "" and row.created_by == "Ana"
    return made


def _ids(svc: FollowUpService) -> set[int]:
    return {i.id for i in svc.list_range(DAY, DAY)}


def test_team_shows_all_i_may_see_and_mine_what_i_own(db: Database, team: dict[str, int]) -> None:
    svc = FollowUpService(db, scope=TEAM)
    seen = _ids(svc)
    assert team["priya_private"] not in seen  # never, in any scope
    assert seen == {team[k] for k in ("priya_shared", "for_ana", "ana", "ana_for_priya", "unowned")}
    assert svc.day_counts(DAY, DAY)[DAY].open == 5 == svc.count_range(DAY, DAY)
    svc.scope = MINE
    assert _ids(svc) == {team["for_ana"], team["ana"], team["unowned"]}
    assert svc.day_counts(DAY, DAY)[DAY].open == 3 == svc.count_range(DAY, DAY)
    later = DAY + timedelta(days=3)
    assert {i.id for i in svc.overdue(later)} == _ids(svc)
    assert svc.overdue_count(later) == 3
    assert svc.team_members() == ["Ana", "Priya"]


def test_export_mine_or_team_never_anyone_elses_private(db: Database, team: dict[str, int]) -> None:
    reminders = ReminderService(db)
    every = reminders.collect(ReminderQuery(include=frozenset({FOLLOWUPS})))
    purposes = {r.purpose for r in every.followups}
    assert "p private" not in purposes and {"p shared", "for Ana", "given away"} <= purposes
    mine = reminders.collect(ReminderQuery(include=frozenset({FOLLOWUPS}), mine_only=True))
    assert {r.purpose for r in mine.followups} == {"for Ana", "mine", "old"}


def test_single_user_file_everything_is_mine(db: Database) -> None:
    with db.session() as s:
        cid = new_contact(s, "Ben").id
    svc = FollowUpService(db, scope=MINE)
    fu, _ = svc.create(FollowUpDraft(cid, DAY, purpose="x", owner="Someone"))
    assert _ids(svc) == {fu.id}
    only = ReminderQuery(include=frozenset({FOLLOWUPS}), mine_only=True)
    assert len(ReminderService(db).collect(only).followups) == 1


def test_the_next_follow_up_keeps_owner_and_visibility(db: Database) -> None:
    with db.session() as s:
        cid = new_contact(s, "Mei Wang", cadence_days=30).id
    db.user = "Priya"
    svc = FollowUpService(db)
    fu, _ = svc.create(FollowUpDraft(cid, DAY, purpose="intro", owner="Ana", visibility="private"))
    done, _ = svc.complete(fu.id, DAY)
    assert done.next_followup is not None
    assert (done.next_followup.owner, done.next_followup.visibility) == ("Ana", "private")

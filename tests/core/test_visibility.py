"""Whose is what: private contacts, follow-ups and notes are seen only by their author (and a
follow-up's owner), in lists, search, the calendar and exports; everything is one's own on a
single-user file."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from planner.core.contact_view import read_contact_view
from planner.core.contacts import ContactService
from planner.core.errors import NotFoundError, ValidationError
from planner.core.followups import FollowUpDraft, FollowUpService
from planner.core.importer import ImportService
from planner.core.notes import NoteService
from planner.core.reminders import ReminderQuery, ReminderService
from planner.db.database import Database

DAY = date(2026, 3, 10)


def _as(db: Database, user: str) -> Database:
    db.user = user
    return db


def _setup(db: Database) -> dict[str, int]:
    contacts = ContactService(db)
    _as(db, "Priya")
    shared, _ = contacts.create({"name": "Shared Sam", "birthday_month": 5, "birthday_day": 1})
    private, _ = contacts.create(
        {"name": "Private Pat", "visibility": "private", "birthday_month": 6, "birthday_day": 2}
    )
    followups = FollowUpService(db)
    team, _ = followups.create(FollowUpDraft(shared.id, DAY, purpose="Team call"))
    mine, _ = followups.create(FollowUpDraft(shared.id, DAY, purpose="Mine", visibility="private"))
    handed, _ = followups.create(
        FollowUpDraft(shared.id, DAY, purpose="For Lee", visibility="private", owner="Lee")
    )
    return {
        "shared": shared.id,
        "private": private.id,
        "team": team.id,
        "mine": mine.id,
        "handed": handed.id,
    }


def test_new_rows_default_to_shared_and_followups_to_the_current_owner(db: Database) -> None:
    ids = _setup(db)
    assert ContactService(db).get(ids["shared"]).visibility == "shared"
    record = FollowUpService(db).get(ids["team"])
    assert (record.owner, record.visibility, record.created_by) == ("Priya", "shared", "Priya")
    assert FollowUpService(db).get(ids["handed"]).owner == "Lee"
    with pytest.raises(ValidationError) as caught:
        ContactService(db).update(ids["shared"], {"visibility": "secret"})
    assert caught.value.field == "visibility"


def test_private_contacts_are_left_out_of_lists_search_exports_for_others(db: Database) -> None:
    ids = _setup(db)
    contacts, followups = ContactService(db), FollowUpService(db)

    def seen() -> dict[str, set[str]]:
        cards = ImportService(db).load_cards()
        birthdays = ReminderService(db).collect(ReminderQuery()).birthdays
        return {
            "list": {r.name for r in contacts.rows()},
            "search": {c.name for c in followups.find_contacts("pat")},
            "export": {c.name for c in cards},
            "birthdays": {b.name for b in birthdays},
        }

    _as(db, "Priya")
    assert seen() == {
        "list": {"Shared Sam", "Private Pat"},
        "search": {"Private Pat"},
        "export": {"Shared Sam", "Private Pat"},
        "birthdays": {"Shared Sam", "Private Pat"},
    }
    read_contact_view(db, ids["private"])
    _as(db, "Lee")
    assert seen() == {
        "list": {"Shared Sam"},
        "search": set(),
        "export": {"Shared Sam"},
        "birthdays": {"Shared Sam"},
    }
    with pytest.raises(NotFoundError):
        read_contact_view(db, ids["private"])
    # A single-user file has no viewer: everything is the user's own.
    _as(db, "")
    assert seen()["list"] == {"Shared Sam", "Private Pat"}


def test_private_followups_show_to_their_creator_and_owner_only(db: Database) -> None:
    ids = _setup(db)
    svc = FollowUpService(db)

    def seen() -> dict[str, object]:
        listed = {i.followup.purpose for i in svc.list_range(DAY, DAY)}
        exported = ReminderService(db).collect(ReminderQuery()).followups
        return {
            "agenda": listed,
            "count": svc.count_range(DAY, DAY),
            "day": svc.day_counts(DAY, DAY)[DAY].open,
            "overdue": {i.followup.purpose for i in svc.overdue(date(2026, 4, 1))},
            "overdue_count": svc.overdue_count(date(2026, 4, 1)),
            "export": {f.purpose for f in exported},
            "detail": {f.purpose for f in read_contact_view(db, ids["shared"]).open_followups},
        }

    everything = {"Team call", "Mine", "For Lee"}
    _as(db, "Priya")
    assert seen() == {
        "agenda": everything,
        "count": 3,
        "day": 3,
        "overdue": everything,
        "overdue_count": 3,
        "export": everything,
        "detail": everything,
    }
    _as(db, "Lee")
    lee = {"Team call", "For Lee"}
    assert seen() == {
        "agenda": lee,
        "count": 2,
        "day": 2,
        "overdue": lee,
        "overdue_count": 2,
        "export": lee,
        "detail": lee,
    }
    _as(db, "Sam")
    assert seen()["agenda"] == {"Team call"}
    due = svc.due_for_notification(datetime(2026, 3, 10, 23, 0, tzinfo=timezone.utc), 0)
    assert {i.followup.purpose for i in due} == {"Team call"}


def test_notes_are_private_to_their_author_by_default(db: Database) -> None:
    ids = _setup(db)
    notes = NoteService(db)
    _as(db, "Priya")
    private, _ = notes.add(ids["shared"], "  Has a new job  ")
    shared, changes = notes.add(ids["shared"], "Met at the fintech meetup", "shared")
    assert (private.text, private.visibility, private.created_by) == (
        "Has a new job",
        "private",
        "Priya",
    )
    assert changes.contacts == {ids["shared"]}
    assert [n.text for n in notes.list_for(ids["shared"])] == [
        "Met at the fintech meetup",
        "Has a new job",
    ]
    _as(db, "Lee")
    assert [n.text for n in notes.list_for(ids["shared"])] == ["Met at the fintech meetup"]
    with pytest.raises(NotFoundError):
        notes.get(private.id)
    # A teammate's shared note is theirs to change.
    with pytest.raises(ValidationError):
        notes.update(shared.id, "Changed", "shared")
    with pytest.raises(ValidationError):
        notes.add(ids["shared"], "   ")
    _as(db, "Priya")
    removed, _ = notes.delete(private.id)
    assert [n.id for n in notes.list_for(ids["shared"])] == [shared.id]
    back, _ = notes.restore(removed)
    assert (back.id, back.created_by, back.text) == (private.id, "Priya", "Has a new job")
    edited, _ = notes.update(private.id, "Has a new job at Globex", "shared")
    _as(db, "Lee")
    assert {n.text for n in notes.list_for(ids["shared"])} == {
        "Met at the fintech meetup",
        "Has a new job at Globex",
    }
    assert edited.visibility == "shared"

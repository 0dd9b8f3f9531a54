"""No silent overwrites: a save from an out-of-date copy raises a conflict (both engines)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from planner.core.conflicts import ago, describe, find_conflict
from planner.core.contacts import ContactService
from planner.core.errors import ConflictError
from planner.core.records import LabeledValue
from planner.db import models as m
from planner.db.database import Database, open_database
from planner.db.errors import ConcurrentEditError


def test_stale_save_is_refused_and_names_who_changed_what(db: Database) -> None:
    mine = ContactService(db)
    contact, _ = mine.create({"name": "Ana Ruiz", "notes": "Met at PyCon"})
    seen = mine.get(contact.id)
    priya = open_database(db.url if db.path is None else db.path)
    priya.user = "Priya"
    try:
        phone = [LabeledValue("work", "+44 20 7946 0958")]
        ContactService(priya).update(contact.id, {"phones": phone})
    finally:
        priya.close()
    with pytest.raises(ConflictError) as err:
        mine.update(contact.id, {"notes": "Prefers e-mail"}, expected_version=seen.version)
    current = err.value.current
    assert current.updated_by == "Priya" and current.version == seen.version + 1
    assert mine.get(contact.id).notes == "Met at PyCon"  # nothing of the stale save written
    conflict = find_conflict(seen, current, {"notes": "Prefers e-mail"})
    assert conflict.changed == ("phones",) and conflict.clashing == ()
    assert describe(conflict).startswith("Priya changed this contact just now: phone")
    # Saving on top of their version keeps both changes.
    saved, _ = mine.update(
        contact.id, {"notes": "Prefers e-mail"}, expected_version=current.version
    )
    assert saved.notes == "Prefers e-mail" and saved.phones == current.phones


def test_created_by_and_updated_by_follow_the_editor(db: Database) -> None:
    db.user = "Ana"
    svc = ContactService(db)
    contact, _ = svc.create({"name": "Ben Okafor"})
    assert (contact.created_by, contact.updated_by, contact.version) == ("Ana", "Ana", 1)
    db.user = "Priya"
    again, _ = svc.update(contact.id, {"role": "CTO"})
    assert (again.created_by, again.updated_by, again.version) == ("Ana", "Priya", 2)
    svc.set_field_many({contact.id: "mentor"}, "relationship")
    bulked = svc.get(contact.id)
    assert bulked.version == 3 and bulked.relationship == "mentor"


def test_two_processes_editing_one_contact(db: Database, db_target: Path | str) -> None:
    """Another program (a teammate's app) saves while this one still shows the old copy."""
    svc = ContactService(db)
    contact, _ = svc.create({"name": "Zoë Achterberg", "role": "Engineer", "notes": ""})
    seen = svc.get(contact.id)
    script = textwrap.dedent(
        f"""
        from planner.core.contacts import ContactService
        from planner.db.database import open_database
        db = open_database({str(db_target)!r})
        db.user = "Priya"
        ContactService(db).update({contact.id}, {{"role": "Head of Data", "notes": "Moved teams"}})
        db.close()
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    with pytest.raises(ConflictError) as err:
        svc.update(contact.id, {"role": "CTO"}, expected_version=seen.version)
    conflict = find_conflict(seen, err.value.current, {"role": "CTO"})
    assert conflict.clashing == ("role",)
    assert conflict.theirs["role"] == "Head of Data"
    assert describe(conflict) == "Priya changed this contact just now: role, notes"
    # Nothing lost: their version is intact until the user decides.
    assert svc.get(contact.id).role == "Head of Data"


def test_change_between_read_and_write_is_caught_by_the_version(
    db: Database, db_engine: str
) -> None:
    """The row's version guards the last moment too (PostgreSQL: writers do not block readers)."""
    if db_engine != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; the stale-version path is above")
    svc = ContactService(db)
    contact, _ = svc.create({"name": "Mei Wang"})
    other = open_database(db.url)
    try:
        with pytest.raises(ConcurrentEditError), db.session() as s:
            row = s.scalars(select(m.Contact).where(m.Contact.id == contact.id)).one()
            ContactService(other).update(contact.id, {"notes": "theirs"})
            row.notes = "mine"
            s.flush()
    finally:
        other.close()
    assert svc.get(contact.id).notes == "theirs"


def test_ago_reads_like_people_talk() -> None:
    now = datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)
    assert ago(now - timedelta(seconds=20), now) == "just now"
    assert ago(now - timedelta(minutes=2, seconds=5), now) == "2 minutes ago"
    assert ago(now - timedelta(hours=1), now) == "1 hour ago"
    assert ago(now - timedelta(days=3), now) == "3 days ago"
    assert ago(None, now) == "recently"

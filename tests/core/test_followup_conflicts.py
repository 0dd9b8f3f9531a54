"""Follow-ups are never overwritten silently: a save from a stale copy raises a conflict
(both engines), also when the other writer is another process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select

from planner.core.conflicts import describe, find_conflict
from planner.core.contact_rows import new_contact
from planner.core.errors import ConflictError
from planner.core.followups import FollowUpDraft, FollowUpService
from planner.db import models as m
from planner.db.database import Database, open_database

DAY = date(2026, 3, 10)


def _followup(db: Database) -> tuple[FollowUpService, int, int]:
    with db.session() as s:
        cid = new_contact(s, "Ana Ruiz").id
    svc = FollowUpService(db)
    fu, _ = svc.create(FollowUpDraft(cid, DAY, channel="email", purpose="send slides"))
    return svc, cid, fu.id


def test_two_processes_editing_one_follow_up(db: Database, db_target: Path | str) -> None:
    """A teammate's app moves the follow-up while this one still shows the old copy."""
    svc, cid, fid = _followup(db)
    seen = svc.get(fid)
    assert seen.version == 1
    script = textwrap.dedent(
        f"""
        from datetime import date, time
        from planner.core.followups import FollowUpDraft, FollowUpService
        from planner.db.database import open_database
        db = open_database({str(db_target)!r})
        db.user = "Priya"
        FollowUpService(db).update(
            {fid},
            FollowUpDraft({cid}, date(2026, 3, 12), time(10), "UTC", "email", "send slides"),
        )
        db.close()
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    mine = FollowUpDraft(cid, DAY, channel="call", purpose="send slides and the paper")
    with pytest.raises(ConflictError) as err:
        svc.update(fid, mine, expected_version=seen.version)
    current = err.value.current
    assert current.updated_by == "Priya" and current.version == seen.version + 1
    assert svc.get(fid).due_date == date(2026, 3, 12)  # nothing of the stale save written
    conflict = find_conflict(seen, current, {"channel": "call", "purpose": mine.purpose})
    assert conflict.changed == ("due_date", "due_time", "time_zone")
    assert conflict.clashing == ()
    assert describe(conflict, "follow-up") == (
        "Priya changed this follow-up just now: due date, time, time zone"
    )
    # Saved on top of their version, both changes stay.
    merged = FollowUpDraft(cid, date(2026, 3, 12), time(10), "UTC", "call", mine.purpose)
    saved, changes = svc.update(fid, merged, expected_version=current.version)
    assert (saved.due_date, saved.channel) == (date(2026, 3, 12), "call")
    assert changes.follow_ups == {fid}


def test_a_write_between_read_and_save_is_caught_by_the_row_version(
    db: Database, db_engine: str
) -> None:
    if db_engine != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; the stale-version path is above")
    from planner.db.errors import ConcurrentEditError

    svc, _cid, fid = _followup(db)
    other = open_database(db.url)
    try:
        with pytest.raises(ConcurrentEditError), db.session() as s:
            row = s.scalars(select(m.FollowUp).where(m.FollowUp.id == fid)).one()
            theirs = FollowUpService(other)
            theirs.update(fid, FollowUpDraft(None, DAY, purpose="theirs"))
            row.purpose = "mine"
            s.flush()
    finally:
        other.close()
    assert svc.get(fid).purpose == "theirs"


def test_undo_returns_the_version_it_saved(db: Database) -> None:
    svc, cid, fid = _followup(db)
    before = svc.get(fid)
    svc.update(fid, FollowUpDraft(cid, DAY, purpose="changed"))
    back, _ = svc.restore(before)
    assert back.purpose == "send slides" and back.version > before.version
    assert svc.get(fid).version == back.version  # the record carries the saved version

"""Upgrading a 0004 database (with data) adds the calendar sync table and keeps everything."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from planner.core.calendar_sync import CalendarSyncStore
from planner.db import models as m
from planner.db.database import head_revision, make_engine, migrate, open_database


def test_0004_database_gains_the_sync_table(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine, path, target="0004_starter_content")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO follow_ups (uuid, created_at, updated_at, due_date, time_zone,"
                " channel, purpose, notes, status, origin, sequence) VALUES ('fu-1',"
                " '2026-01-01 00:00:00', '2026-01-01 00:00:00', '2026-02-01', '', '',"
                " 'say thanks', '', 'open', 'manual', 3)"
            )
        )
    engine.dispose()

    db = open_database(path)
    try:
        assert db.backup_made is not None and db.backup_made.exists()
        with db.engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            followups = conn.execute(text("SELECT uuid, purpose, sequence FROM follow_ups")).all()
            assert conn.execute(text("SELECT count(*) FROM calendar_sync_items")).scalar() == 0
        assert version == head_revision()
        assert [tuple(r) for r in followups] == [("fu-1", "say thanks", 3)]

        store = CalendarSyncStore(db)
        store.record_pushed("https://cal/x/", "fu-1@networking-planner", "https://cal/x/fu-1.ics",
                            '"e1"', "h1")  # fmt: skip
        store.record_conflict("https://cal/x/", "fu-1@networking-planner", "", "changed")
        tracked = store.tracked("https://cal/x/")["fu-1@networking-planner"]
        assert (tracked.href, tracked.etag, tracked.conflict) == (
            "https://cal/x/fu-1.ics", '"e1"', "changed")  # fmt: skip
        assert store.tracked("https://cal/other/") == {}
        # One record per item and calendar.
        with pytest.raises(IntegrityError), db.session() as s:
            s.add(m.CalendarSyncItem(calendar_url="https://cal/x/", uid="fu-1@networking-planner",
                                     href="h", etag="", content_hash="", conflict=""))  # fmt: skip
        assert store.forget_calendar("https://cal/x/") == 1
    finally:
        db.close()

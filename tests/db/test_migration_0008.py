"""Upgrading a 0007 database with data to row versions and authors (both engines)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from planner.core.contacts import ContactService
from planner.db.database import make_engine, migrate, open_database, resolve_target


def test_existing_rows_get_version_one_and_no_author(blank_target: Path | str) -> None:
    url, path = resolve_target(blank_target)
    engine = make_engine(url)
    migrate(engine, path, target="0007_tags_ignore_case")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO contacts (id, uuid, created_at, updated_at, name, organisation,"
                " role, industry, relationship, how_met_kind, how_met_text, location,"
                " interests, notes, photo_type, search_text) VALUES (1, 'c-1',"
                " '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'Ana Ruiz', 'Globex', '', '',"
                " 'peer', '', '', '', '', 'kept', '', 'ana ruiz')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO follow_ups (uuid, created_at, updated_at, contact_id, due_date,"
                " time_zone, channel, purpose, notes, status, origin, sequence) VALUES ('f-1',"
                " '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1, '2026-02-01', '', '',"
                " 'Say hi', '', 'open', 'manual', 0)"
            )
        )
    engine.dispose()

    db = open_database(blank_target)
    try:
        with db.engine.connect() as conn:
            contact = conn.execute(
                text("SELECT version, created_by, updated_by, notes FROM contacts")
            ).one()
            followup = conn.execute(text("SELECT version, created_by FROM follow_ups")).one()
        assert tuple(contact) == (1, "", "", "kept")
        assert tuple(followup) == (1, "")
        # The upgraded row takes part in optimistic locking straight away.
        db.user = "Priya"
        again, _ = ContactService(db).update(1, {"role": "CTO"}, expected_version=1)
        assert (again.version, again.updated_by, again.created_by) == (2, "Priya", "")
    finally:
        db.close()

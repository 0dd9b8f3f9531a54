"""Upgrading a 0010 database with data to visibility, follow-up owners and note records."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from planner.core.contacts import ContactService
from planner.core.notes import NoteService
from planner.db.database import make_engine, migrate, open_database, resolve_target


def test_existing_rows_stay_shared_and_followups_get_their_creator_as_owner(
    blank_target: Path | str,
) -> None:
    url, path = resolve_target(blank_target)
    engine = make_engine(url)
    migrate(engine, path, target="0010_import_batches")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO contacts (id, uuid, created_at, updated_at, name, organisation,"
                " role, industry, relationship, how_met_kind, how_met_text, location,"
                " interests, notes, photo_type, search_text, version, created_by, updated_by)"
                " VALUES (1, 'c-1', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'Ana Ruiz',"
                " 'Globex', '', '', 'peer', '', '', '', '', 'kept', '', 'ana ruiz', 3, 'Priya',"
                " 'Priya')"
            )
        )
        for uuid, author in (("f-1", "Priya"), ("f-2", "")):
            conn.execute(
                text(
                    "INSERT INTO follow_ups (uuid, created_at, updated_at, contact_id, due_date,"
                    " time_zone, channel, purpose, notes, status, origin, sequence, version,"
                    " created_by, updated_by) VALUES (:uuid, '2026-01-01 00:00:00',"
                    " '2026-01-01 00:00:00', 1, '2026-02-01', '', '', 'Say hi', '', 'open',"
                    " 'manual', 0, 1, :author, :author)"
                ),
                {"uuid": uuid, "author": author},
            )
    engine.dispose()

    db = open_database(blank_target)
    try:
        with db.engine.connect() as conn:
            contact = conn.execute(text("SELECT visibility, notes, version FROM contacts")).one()
            followups = conn.execute(
                text("SELECT uuid, visibility, owner FROM follow_ups ORDER BY uuid")
            ).all()
            notes = conn.execute(text("SELECT count(*) FROM contact_notes")).scalar()
        # Everything already there stays visible to the team; the contact's text is kept.
        assert tuple(contact) == ("shared", "kept", 3)
        assert [tuple(r) for r in followups] == [
            ("f-1", "shared", "Priya"),
            ("f-2", "shared", ""),
        ]
        assert notes == 0
        # The new table works on the upgraded database: a note is private by default.
        db.user = "Sam"
        note, _ = NoteService(db).add(1, "Prefers calls")
        assert (note.visibility, note.created_by) == ("private", "Sam")
        record, _ = ContactService(db).update(1, {"visibility": "private"}, expected_version=3)
        assert record.visibility == "private"
    finally:
        db.close()

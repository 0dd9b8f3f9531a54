"""Upgrading a 0009 database with contacts to import batches (both engines)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from planner.core.import_batches import ImportBatchService
from planner.core.importer import ImportService
from planner.db.database import make_engine, migrate, open_database, resolve_target
from planner.interop.contact_files import read_contacts


def test_an_upgraded_database_lists_no_old_imports_and_records_new_ones(
    blank_target: Path | str,
) -> None:
    url, path = resolve_target(blank_target)
    engine = make_engine(url)
    migrate(engine, path, target="0009_change_notifications")
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
    engine.dispose()

    db = open_database(blank_target)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT name, notes FROM contacts")).one() == (
                "Ana Ruiz",
                "kept",
            )
        batches = ImportBatchService(db)
        assert batches.recent() == []
        service = ImportService(db)
        data = b"Name,Company\r\nBo Li,Acme\r\n"
        outcome = service.commit(service.preview(read_contacts(data)), source="new.csv")
        (batch,) = batches.recent()
        assert (batch.source, batch.contact_count) == ("new.csv", 1)
        assert batches.contact_ids(batch.id) == frozenset(outcome.created_ids)
        # The old contact is deletable (the new table's foreign key cascades).
        with db.session() as s:
            s.execute(text("DELETE FROM contacts WHERE id = 1"))
    finally:
        db.close()

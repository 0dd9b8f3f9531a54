"""Opening databases: new, damaged, foreign, newer; pragmas; backups."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from planner.db.backup import backup_sqlite
from planner.db.database import head_revision, open_database
from planner.db.errors import DamagedDatabaseError, NewerDatabaseError, NotADatabaseError


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_gets_schema_and_pragmas(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        assert db.created
        tables = set(inspect(db.engine).get_table_names())
        assert {"contacts", "touchpoints", "follow_ups", "event_plans"} <= tables
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                head_revision()
            )
    finally:
        db.close()
    again = open_database(db_path)
    assert not again.created and again.backup_made is None
    again.close()


def test_text_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my notes, not a database\n" * 50)
    before = digest(path)
    with pytest.raises(NotADatabaseError, match="not a Networking Planner database"):
        open_database(path)
    assert digest(path) == before


def test_other_programs_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.execute("INSERT INTO songs VALUES ('x')")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NotADatabaseError, match="another program"):
        open_database(path)
    assert digest(path) == before


def test_damaged_file_is_reported_and_untouched(db_path: Path) -> None:
    db = open_database(db_path)
    with db.engine.begin() as conn:
        for i in range(3000):
            conn.execute(
                text("INSERT INTO tags (name) VALUES (:n)"), {"n": f"tag number {i:05d} " * 3}
            )
    db.close()
    sqlite3.connect(db_path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    data = bytearray(db_path.read_bytes())
    page = 4096
    assert len(data) > page * 8
    # Scribble over a few b-tree pages in the middle of the file.
    for offset in range(page * 3, page * 6, 7):
        data[offset] = 0xA5
    db_path.write_bytes(bytes(data))
    before = digest(db_path)
    with pytest.raises((DamagedDatabaseError, NotADatabaseError)):
        open_database(db_path)
    assert digest(db_path) == before


def test_newer_schema_is_refused_and_untouched(db_path: Path) -> None:
    open_database(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = digest(db_path)
    with pytest.raises(NewerDatabaseError, match="newer version"):
        open_database(db_path)
    assert digest(db_path) == before


def test_backup_is_a_consistent_copy(db_path: Path) -> None:
    db = open_database(db_path)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO tags (name) VALUES ('kept')"))
    db.close()
    copy = backup_sqlite(db_path)
    assert copy.parent == db_path.parent / "backups"
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT name FROM tags").fetchall() == [("kept",)]
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()

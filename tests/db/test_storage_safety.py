"""Storage safety: writes held until the integrity check passes, plain errors without SQL
parameters, verified backups (listed, restored), half-finished upgrades undone."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from planner.db.backup import (
    backup_sqlite,
    list_backups,
    newest_good_backup,
    restore_advice,
    restore_backup,
)
from planner.db.database import head_revision, open_database
from planner.db.errors import (
    DamagedDatabaseError,
    DatabaseBusyError,
    ReadOnlyDatabaseError,
    UpgradeFailedError,
)
from tests.reliability.conftest import make_old_database


def _insert_tag(db: object, name: str) -> None:
    with db.session() as s:  # type: ignore[attr-defined]
        s.execute(text("INSERT INTO tags (name) VALUES (:n)"), {"n": name})


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_writes_are_held_until_the_integrity_check_passes(db_path: Path) -> None:
    open_database(db_path).close()
    db = open_database(db_path, check="quick", hold_writes=True)
    try:
        assert db.write_block == "checking"
        with pytest.raises(ReadOnlyDatabaseError, match="still being checked") as info:
            _insert_tag(db, "early")
        assert info.value.reason == "checking"
        with db.session() as s:  # reads work meanwhile
            assert s.execute(text("SELECT count(*) FROM tags")).scalar() == 0
        assert db.verify() == []
        assert db.writable
        _insert_tag(db, "after the check")
    finally:
        db.close()


def _damage_index(path: Path) -> None:
    """Make an index disagree with its table: quick_check passes, integrity_check does not."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE INDEX ix_test_tag_name ON tags (name)")
    conn.commit()
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_test_tag_name ON tags (id)' "
        "WHERE name = 'ix_test_tag_name'"
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def test_a_file_that_fails_the_full_check_is_never_written(db_path: Path) -> None:
    db = open_database(db_path)
    for i in range(50):
        _insert_tag(db, f"tag {i}")
    db.close()
    _damage_index(db_path)
    from planner.db.backup import integrity_problems

    assert integrity_problems(db_path, quick=True) == []
    assert integrity_problems(db_path) != []
    before = _digest(db_path)
    # A command that writes refuses it outright...
    with pytest.raises(DamagedDatabaseError, match="damaged"):
        open_database(db_path, check="full")
    # ...and the window opens it read-only once the background check has failed.
    db = open_database(db_path, check="quick", hold_writes=True)
    try:
        assert db.verify() != []
        assert db.write_block == "damaged"
        with pytest.raises(ReadOnlyDatabaseError, match="damaged"):
            _insert_tag(db, "never")
    finally:
        db.close()
    assert _digest(db_path) == before


def test_sql_errors_carry_no_parameters(db: object) -> None:
    from sqlalchemy.exc import IntegrityError

    _insert_tag(db, "Jane Secret-Name")
    with pytest.raises(IntegrityError) as info:
        _insert_tag(db, "Jane Secret-Name")
    assert "Secret" not in str(info.value)


def test_a_held_write_lock_gives_a_plain_busy_error(db_path: Path) -> None:
    open_database(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        db = open_database(db_path, busy_timeout_ms=50)
        try:
            with pytest.raises(DatabaseBusyError, match="busy"):
                _insert_tag(db, "blocked")
        finally:
            db.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_backups_are_verified_listed_and_restorable(db_path: Path) -> None:
    db = open_database(db_path)
    _insert_tag(db, "before")
    db.close()
    copy = backup_sqlite(db_path)
    assert copy.stat().st_size > 0
    assert copy.stat().st_mode & 0o777 == 0o600
    assert (db_path.parent / "backups").stat().st_mode & 0o777 == 0o700
    db = open_database(db_path)
    _insert_tag(db, "after")
    db.close()
    listed = list_backups(db_path)
    assert [b.path for b in listed] == [copy]
    assert listed[0].contacts == 0 and listed[0].revision == head_revision()
    assert newest_good_backup(db_path) is not None
    assert str(copy) in restore_advice(db_path)
    kept = restore_backup(copy, db_path)
    assert kept is not None and kept.exists()
    db = open_database(db_path)
    try:
        with db.session() as s:
            assert s.execute(text("SELECT name FROM tags")).scalars().all() == ["before"]
    finally:
        db.close()


def test_an_empty_backup_is_not_restored(db_path: Path) -> None:
    open_database(db_path).close()
    folder = db_path.parent / "backups"
    folder.mkdir()
    empty = folder / "planner-20260101-000000-000000-manual.sqlite3"
    empty.write_bytes(b"")
    assert newest_good_backup(db_path) is None
    from planner.db.backup import BackupError

    with pytest.raises(BackupError):
        restore_backup(empty, db_path)


def _half_upgraded(path: Path) -> None:
    """What an older build left when killed mid-upgrade: 0001 with 0002's new table."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE organisations (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()


def test_a_half_upgraded_file_is_restored_from_its_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    make_old_database(path, contacts=20)
    backup_sqlite(path, reason="before-upgrade-from-0001_initial")
    _half_upgraded(path)
    # A later retry of the old build copied the half-done state too: it must not be chosen.
    backup_sqlite(path, reason="before-upgrade-from-0001_initial")
    db = open_database(path)
    try:
        assert db.restored_from is not None
        with db.session() as s:
            assert s.execute(text("SELECT count(*) FROM contacts")).scalar() == 20
            assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                head_revision()
            )
    finally:
        db.close()


def test_a_half_upgraded_file_without_backup_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    make_old_database(path, contacts=5)
    _half_upgraded(path)
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    before = _digest(path)
    with pytest.raises(UpgradeFailedError, match="half-upgraded"):
        open_database(path)
    assert _digest(path) == before

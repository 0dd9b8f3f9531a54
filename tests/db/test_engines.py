"""Opening, refusing and migrating behave the same on SQLite files and PostgreSQL databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from planner.db.backup import pg_dump_command
from planner.db.database import (
    Database,
    describe_url,
    head_revision,
    make_engine,
    open_database,
    resolve_target,
)
from planner.db.errors import DatabaseOpenError, NewerDatabaseError, NotADatabaseError


def _raw(target: Path | str, sql: str) -> object:
    engine = make_engine(resolve_target(target)[0])
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql))
            return result.scalar() if result.returns_rows else None
    finally:
        engine.dispose()


def test_new_database_gets_the_newest_schema(blank_target: Path | str) -> None:
    db = open_database(blank_target)
    try:
        assert db.created
        assert {"contacts", "touchpoints", "follow_ups", "event_plans", "organisations"} <= set(
            inspect(db.engine).get_table_names()
        )
    finally:
        db.close()
    assert _raw(blank_target, "SELECT version_num FROM alembic_version") == head_revision()
    again = open_database(blank_target)
    assert not again.created and again.backup_made is None
    again.close()


def test_newer_schema_is_refused_and_left_alone(db: Database, db_target: Path | str) -> None:
    db.close()
    _raw(db_target, "UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(NewerDatabaseError, match="newer version"):
        open_database(db_target)
    assert _raw(db_target, "SELECT version_num FROM alembic_version") == "9999_from_the_future"
    assert _raw(db_target, "SELECT count(*) FROM contacts") == 0


def test_another_programs_tables_are_refused(blank_target: Path | str) -> None:
    _raw(blank_target, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)")
    with pytest.raises(NotADatabaseError, match="another program"):
        open_database(blank_target)
    assert _raw(blank_target, "SELECT count(*) FROM invoices") == 0


def test_plain_postgresql_urls_use_psycopg_3() -> None:
    url, path = resolve_target("postgresql://ana@db.example/team")
    assert (url, path) == ("postgresql+psycopg://ana@db.example/team", None)
    assert resolve_target("postgres://ana@db.example/team")[0].startswith("postgresql+psycopg:")


def test_unreachable_server_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(DatabaseOpenError, match="Could not connect to the team database") as err:
        open_database("postgresql://ana:s3cret@127.0.0.1:1/team")
    assert "s3cret" not in str(err.value) and "***" in str(err.value)


def test_unknown_database_kind_is_a_clear_error() -> None:
    with pytest.raises(DatabaseOpenError, match="SQLite files and PostgreSQL"):
        open_database("oracle://scott@db.example/orcl")


def test_server_backup_is_a_pg_dump_command() -> None:
    command = pg_dump_command("postgresql+psycopg://ana:s3cret@db.example:5433/team")
    assert command.startswith("pg_dump --format=custom --host=db.example --port=5433")
    assert "--username=ana" in command and command.endswith(" team")
    assert "s3cret" not in command
    assert describe_url("postgresql+psycopg://ana:s3cret@h/team") == (
        "postgresql+psycopg://ana:***@h/team"
    )

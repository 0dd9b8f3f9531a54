"""Opening a database: checks before touching it, SQLite pragmas, migrations, sessions."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from planner.db.backup import backup_sqlite
from planner.db.errors import (
    DamagedDatabaseError,
    DatabaseOpenError,
    NewerDatabaseError,
    NotADatabaseError,
)

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# pg_advisory_xact_lock key held while migrating a PostgreSQL database ("planner" in ASCII).
_MIGRATION_LOCK = 0x706C616E6E6572


@dataclass
class Database:
    engine: Engine
    url: str
    path: Path | None
    backup_made: Path | None = None
    # True when this open created the schema (a new database rather than an upgraded one).
    created: bool = False
    _factory: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One short transaction: committed on success, rolled back on any error."""
        with self._factory.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def resolve_target(target: str | Path) -> tuple[str, Path | None]:
    """A path or an SQLAlchemy URL -> (url, path of the SQLite file or None)."""
    text = str(target)
    if "://" in text:
        try:
            url = make_url(text)
        except ArgumentError as exc:
            raise DatabaseOpenError(f"{text!r} is not a database URL or file name.") from exc
        if url.drivername in ("postgresql", "postgres"):
            # The team extra installs psycopg 3; SQLAlchemy's default would be psycopg2.
            url = url.set(drivername="postgresql+psycopg")
            return url.render_as_string(hide_password=False), None
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            path = Path(url.database).expanduser().resolve()
            return str(url.set(database=str(path))), path
        return text, None
    path = Path(text).expanduser().resolve()
    return f"sqlite:///{path}", path


def check_sqlite_file(path: Path) -> None:
    """Refuse files that are not SQLite or fail quick_check; reads only, never writes."""
    if not path.exists() or path.stat().st_size == 0:
        return
    if path.is_dir():
        raise NotADatabaseError(f"{path} is a folder, not a database file.")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotADatabaseError(
            f"{path} is not a Networking Planner database (it is not an SQLite file). "
            "It was left untouched."
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabaseError(
            f"{path} is damaged and cannot be opened ({exc}). It was left untouched; "
            "restore a copy from the backups folder beside it."
        ) from exc
    if rows != [("ok",)]:
        detail = "; ".join(str(r[0]) for r in rows[:3])
        raise DamagedDatabaseError(
            f"{path} is damaged ({detail}). It was left untouched; "
            "restore a copy from the backups folder beside it."
        )


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    try:
        engine = create_engine(url, **_engine_options(url))
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        if make_url(url).get_backend_name() == "postgresql":
            raise DatabaseOpenError(
                f"This copy of Networking Planner cannot open {describe_url(url)}: PostgreSQL "
                "support is not installed. Install the team extra: "
                "pip install 'networking-planner[team]'."
            ) from exc
        raise DatabaseOpenError(
            f"Networking Planner cannot open {describe_url(url)}: it works with SQLite files "
            "and PostgreSQL databases (postgresql://user@host/database)."
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _engine_options(url: str) -> dict[str, Any]:
    if make_url(url).get_backend_name() == "postgresql":
        # A server that does not answer must not hang the app; a dropped connection (server
        # restart, laptop asleep) is replaced instead of failing the next click.
        return {"pool_pre_ping": True, "connect_args": {"connect_timeout": 10}}
    return {}


def describe_url(url: str) -> str:
    """The URL as the user may see it: no password."""
    return make_url(url).render_as_string(hide_password=True)


def _alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str | None
    backup: Path | None


def _read_schema_state(path: Path) -> tuple[str | None, set[str]]:
    """Revision and table names, read through a read-only connection (nothing is written)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        current = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            current = row[0] if row else None
        return current, tables
    finally:
        conn.close()


def _refuse_unknown_schema(
    current: str | None, tables: set[str], known: set[str], *, sqlite: bool = True
) -> None:
    what = "file" if sqlite else "database"
    if current is not None and current not in known:
        raise NewerDatabaseError(
            "This database was written by a newer version of Networking Planner "
            f"(schema {current}). Update the app to open it; the {what} was left untouched."
        )
    if current is None and tables - {"alembic_version"}:
        owner = "This SQLite file" if sqlite else "This database"
        raise NotADatabaseError(
            f"{owner} belongs to another program (it has tables but no Networking "
            f"Planner schema). It was left untouched."
        )


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def migrate(engine: Engine, path: Path | None, target: str = "head") -> MigrationResult:
    """Bring the schema to `target`; back the file up first if it holds an older schema."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = _alembic_config()
    script = ScriptDirectory.from_config(cfg)
    sqlite = engine.dialect.name == "sqlite"
    known = {rev.revision for rev in script.walk_revisions()}
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = set(inspect(conn).get_table_names())
    _refuse_unknown_schema(current, tables, known, sqlite=sqlite)
    wanted = script.get_current_head() if target == "head" else target
    if current == wanted:
        return MigrationResult(current, wanted, None)
    backup = None
    if current is not None and path is not None:
        backup = backup_sqlite(path, reason=f"before-upgrade-from-{current}")
        log.info("Backed up %s to %s before upgrading", path, backup)
    elif current is not None:
        # A server database is backed up with pg_dump by whoever runs the server; PostgreSQL
        # runs the whole upgrade in one transaction, so a failed one changes nothing.
        log.info("Upgrading %s from %s without a file copy", describe_url(str(engine.url)), current)
    with engine.begin() as conn:
        if not sqlite:
            # Teammates starting a new version at once: one upgrades, the others wait, then
            # find the schema current (Alembic re-reads the revision under the lock).
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            now = MigrationContext.configure(conn).get_current_revision()
            _refuse_unknown_schema(now, set(inspect(conn).get_table_names()), known, sqlite=False)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
    log.info("Database schema %s -> %s", current, wanted)
    return MigrationResult(current, wanted, backup)


def open_database(target: str | Path, *, upgrade: bool = True) -> Database:
    """Check, open and migrate; raises a DatabaseOpenError without changing the file."""
    url, path = resolve_target(target)
    if path is not None:
        check_sqlite_file(path)
        if path.exists() and path.stat().st_size > 0:
            _refuse_unknown_schema(*_read_schema_state(path), _known_revisions())
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    try:
        result = migrate(engine, path) if upgrade else None
    except OperationalError as exc:
        engine.dispose()
        if path is not None:
            raise
        reason = str(exc.orig or exc).strip().splitlines()[0] if (exc.orig or exc) else ""
        raise DatabaseOpenError(
            f"Could not connect to the team database {describe_url(url)}: {reason}"
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(
        engine=engine,
        url=url,
        path=path,
        backup_made=result.backup if result else None,
        created=result is not None and result.from_revision is None,
    )

"""Opening a database: checks before touching it, SQLite pragmas, migrations, sessions.

What keeps a user's file safe here:
- nothing is written before the file passed SQLite's full `integrity_check` (a migration runs
  one first; a session that only read-checked holds writes until `Database.verify()` passes);
- every migration runs in one SQLite transaction (SQLAlchemy's pysqlite recipe: the driver's
  own transaction handling is switched off and we emit BEGIN), so a kill leaves the old
  revision; a file left half-upgraded by an older build is restored from its pre-upgrade backup;
- one verified backup per upgrade, reused when an upgrade is retried;
- SQLite's errors become plain StorageErrors, and SQL parameters (names, notes) never reach a
  message or the log (`hide_parameters=True`).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import NullPool

from planner.db.backup import (
    BackupError,
    backups_dir_for,
    connect_read_only,
    integrity_problems,
    list_backups,
    restore_advice,
    restore_backup,
    sqlite_uri,
    upgrade_backup,
)
from planner.db.errors import (
    ConcurrentEditError,
    DamagedDatabaseError,
    DatabaseBusyError,
    DatabaseOpenError,
    DiskFullError,
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    UpgradeFailedError,
)
from planner.safefiles import make_private_dir, make_private_file

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# pg_advisory_xact_lock key held while migrating a PostgreSQL database ("planner" in ASCII).
_MIGRATION_LOCK = 0x706C616E6E6572
# Long enough to wait out another program's write (a CLI import commits in one transaction).
DEFAULT_BUSY_TIMEOUT_MS = 5_000
# "deferred": not even SQLite's quick_check before opening (seconds on a cold 190 MB file);
# writes are held until `Database.verify()` (the full check) has passed.
Check = Literal["quick", "full", "deferred"]
WriteBlock = Literal["checking", "damaged", "read_only"]


@dataclass
class Database:
    engine: Engine
    url: str
    path: Path | None
    backup_made: Path | None = None
    # True when this open created the schema (a new database rather than an upgraded one).
    created: bool = False
    # The file or its folder cannot be written: the database is open for reading only.
    read_only: bool = False
    # The full integrity_check has passed in this session (writes need it).
    integrity_checked: bool = False
    # Set when a half-finished upgrade was found and this backup was restored first.
    restored_from: Path | None = None
    # Why writes are refused now (None: they are allowed); see write_block_message().
    write_block: WriteBlock | None = None
    damage: list[str] = field(default_factory=list)
    # The person editing (name, as teammates see it): stamped into created_by / updated_by.
    user: str = ""
    _factory: sessionmaker[Session] = field(init=False, repr=False)
    # The one long-lived connection data_version() asks (the number is per connection).
    _watch: sqlite3.Connection | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        from planner.db.authors import stamp_authors

        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._factory, "before_flush", stamp_authors)

    @property
    def is_server(self) -> bool:
        """A shared database on a server (PostgreSQL), as opposed to one SQLite file."""
        return self.engine.dialect.name != "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One short transaction: committed on success, rolled back on any error.

        A row changed by someone else between reading and writing it (its version moved on)
        raises ConcurrentEditError; nothing of the transaction is written then.
        """
        from planner.db.authors import USER_KEY

        try:
            with self._factory.begin() as session:
                session.info[USER_KEY] = self.user
                yield session
        except StaleDataError as exc:
            raise ConcurrentEditError(
                "Someone else changed this at the same moment; nothing was saved."
            ) from exc

    @property
    def writable(self) -> bool:
        return self.write_block is None

    def write_block_message(self) -> str:
        where = self.path or self.url
        if self.write_block == "checking":
            return (
                "The database is still being checked for damage (a few seconds after it "
                "opens); nothing was saved yet. Try again in a moment."
            )
        if self.write_block == "damaged":
            return (
                f"The database {where} is damaged, so it is open read-only and nothing can be "
                "changed." + restore_advice(self.path)
            )
        return (
            f"The database {where} is read-only (no permission to write to the file or its "
            "folder), so nothing can be changed."
        )

    def verify(self) -> list[str]:
        """Run the full integrity_check (seconds on a big file; call it off the GUI thread).

        Writes are allowed afterwards when it passes; when it fails the database stays
        read-only as "damaged". Returns the problems found ([] when sound).
        """
        problems = integrity_problems(self.path) if self.path is not None else []
        # No lock: readers on the GUI thread look at `write_block` alone, and each attribute
        # assignment is atomic; the damage is set before the block that tells of it.
        self.integrity_checked = True
        if problems:
            self.mark_damaged(problems)
            log.error("Integrity check failed: %s", "; ".join(problems))
        elif self.write_block == "checking":
            self.write_block = None
            if self.damage:  # mark_damaged() ran meanwhile: its verdict stands
                self.write_block = "damaged"
        return problems

    def mark_damaged(self, problems: list[str]) -> None:
        self.damage = problems
        self.write_block = "damaged"

    def data_version(self) -> int | None:
        """A number that changes when anyone else commits to the file (PRAGMA data_version).

        The value is only comparable on one connection, so it is asked on one dedicated,
        read-only connection kept for the session (the engine's pool hands out any).
        None for a server database, or when the file cannot be read just now (a busy lock).
        """
        if self.path is None or self.is_server:
            return None
        try:
            if self._watch is None:
                self._watch = sqlite3.connect(
                    sqlite_uri(self.path), uri=True, check_same_thread=False, timeout=0
                )
            row = self._watch.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        return int(row[0]) if row else None

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None
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


def check_sqlite_file(path: Path, quick: bool = True) -> None:
    """Refuse files that are not SQLite or (with `quick`) fail quick_check; reads only."""
    if not path.exists() or path.stat().st_size == 0:
        return
    if path.is_dir():
        raise NotADatabaseError(f"{path} is a folder, not a database file.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise NotADatabaseError(
            f"{path} cannot be read ({exc.strerror or exc}). It was left untouched."
        ) from exc
    if header != SQLITE_HEADER:
        raise NotADatabaseError(
            f"{path} is not a Networking Planner database (it is not an SQLite file). "
            "It was left untouched."
        )
    problems = integrity_problems(path, quick=True) if quick else []
    if problems:
        raise _damaged(path, problems)


def _damaged(path: Path, problems: list[str]) -> DamagedDatabaseError:
    detail = "; ".join(problems[:3])
    return DamagedDatabaseError(
        f"{path} is damaged ({detail}). It was left untouched." + restore_advice(path)
    )


def _is_writable(path: Path) -> bool:
    """Can this process write the file (or create it) and its journal files beside it?"""
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    if path.exists():
        return folder_ok and os.access(path, os.W_OK)
    return folder_ok


def _sqlite_pragmas(busy_timeout_ms: int, wal: bool) -> Any:
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    return on_connect


def make_engine(
    url: str,
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    read_only_path: Path | None = None,
) -> Engine:
    """An engine that never logs or shows SQL parameters (they hold names and notes)."""
    if read_only_path is not None:
        folder_writable = os.access(read_only_path.parent, os.W_OK | os.X_OK)
        uri = sqlite_uri(read_only_path, immutable=not folder_writable)
        engine = create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms, wal=False))
        return engine
    try:
        engine = create_engine(url, hide_parameters=True, **_engine_options(url))
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
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms, wal=True))
    return engine


def _engine_options(url: str) -> dict[str, Any]:
    if make_url(url).get_backend_name() == "postgresql":
        # A server that does not answer must not hang the app; a dropped connection (server
        # restart, laptop asleep) is replaced instead of failing the next click.
        # application_name: the change notifications name their writer, so this process can
        # skip its own (planner.db.listen).
        from planner.db.listen import APPLICATION_NAME

        return {
            "pool_pre_ping": True,
            "connect_args": {"connect_timeout": 10, "application_name": APPLICATION_NAME},
        }
    return {}


def describe_url(url: str) -> str:
    """The URL as the user may see it: no password."""
    return make_url(url).render_as_string(hide_password=True)


def _install_guards(db: Database) -> None:
    """Hold writes while `db.write_block` is set, and turn SQLite errors into plain ones."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        event.listen(engine, "handle_error", _scrub_server_detail)
        return

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        wanted = 0 if db.write_block is None else 1
        info = conn.info
        if info.get("query_only") != wanted:
            conn.exec_driver_sql(f"PRAGMA query_only={wanted}")
            info["query_only"] = wanted

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        error = translate_error(context.original_exception, db)
        if error is not None:
            raise error


def _scrub_server_detail(context: Any) -> None:
    """PostgreSQL's errors carry a DETAIL line with the row's values ("Key (name)=(Jane …)
    already exists"): keep the first line only, so no name or note reaches a message or log."""
    wrapped = context.sqlalchemy_exception
    orig = context.original_exception
    args = getattr(orig, "args", ())
    if wrapped is None or not args or "\n" not in str(args[0]):
        return
    orig.args = (str(args[0]).split("\n", 1)[0],)
    raise type(wrapped)(
        context.statement,
        None,
        orig,
        hide_parameters=True,
        connection_invalidated=wrapped.connection_invalidated,
    ) from orig


def translate_error(exc: BaseException, db: Database) -> Exception | None:
    """The plain StorageError for an SQLite error, or None when it is not a storage failure."""
    if not isinstance(exc, sqlite3.Error):
        return None
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseBusyError(
            "The database is busy: another program (another Networking Planner window, or a "
            "command-line import) kept it locked. Nothing was changed; try again when it is done."
        )
    if "readonly" in text or "read-only" in text or "read only" in text:
        block = db.write_block or "read_only"
        if db.write_block is None:
            db.write_block = "read_only"
        return ReadOnlyDatabaseError(db.write_block_message(), block)
    if "full" in text or "disk i/o" in text or "too large" in text:
        return DiskFullError(
            "The database could not be written: the disk is full or refused the write. "
            "Nothing was changed; free some space and try again."
        )
    if "malformed" in text or "not a database" in text:
        db.mark_damaged([str(exc)])
        where = db.path or db.url
        return DamagedDatabaseError(
            f"The database {where} turned out to be damaged ({exc}). Nothing more will be "
            "written to it." + restore_advice(db.path)
        )
    return None


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
    restored_from: Path | None = None


def _read_schema_state(path: Path) -> tuple[str | None, set[str]]:
    """Revision and table names, read through a read-only connection (nothing is written)."""
    try:
        conn = connect_read_only(path)
    except sqlite3.Error as exc:
        raise _damaged(path, [str(exc)]) from exc
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        current = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            current = row[0] if row else None
        return current, tables
    except sqlite3.Error as exc:
        raise _damaged(path, [str(exc)]) from exc
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


_REVISION_LINE = re.compile(r"^(down_)?revision(?:: [\w |]+)? = (None|\"([\w.-]+)\")$", re.M)


@functools.cache
def _revision_chain() -> tuple[frozenset[str], str] | None:
    """(every revision, the head) read from the migration files' `revision = "..."` lines,
    without importing Alembic (about 100 ms that opening a current database need not pay).
    None when the files do not read as one linear chain: callers then ask Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = {
            bool(m.group(1)): m.group(3) for m in _REVISION_LINE.finditer(script.read_text("utf-8"))
        }
        if False not in found or True not in found or found[False] is None:
            return None
        revisions.add(found[False])
        if found[True] is not None:
            parents.add(found[True])
    heads = revisions - parents
    if len(heads) != 1 or not parents <= revisions:
        return None
    return frozenset(revisions), next(iter(heads))


def _known_revisions() -> set[str]:
    chain = _revision_chain()
    if chain is not None:
        return set(chain[0])
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def _current_revision_quick(engine: Engine) -> str | None:
    """The schema revision read with plain SQL (None when there is none or it is unclear)."""
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    except DBAPIError:
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


def _migration_engine(url: str) -> Engine:
    """An engine whose transactions include DDL: SQLAlchemy's documented pysqlite recipe.

    pysqlite's own transaction handling is switched off (isolation_level=None) and BEGIN
    IMMEDIATE is emitted by us, so CREATE/ALTER/DROP and the alembic_version update commit
    together or not at all. Foreign keys are off while tables are rebuilt (SQLite's own
    procedure for schema changes) and checked before committing.
    """
    engine = create_engine(url, poolclass=NullPool, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={DEFAULT_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@functools.lru_cache(maxsize=8)
def _expected_schema(revision: str) -> frozenset[str]:
    """Names of the tables, indexes and columns a database at `revision` has."""
    engine = _migration_engine("sqlite://")
    try:
        with engine.begin() as conn:
            _run_alembic(conn, revision)
            raw = conn.connection.dbapi_connection
            return frozenset(_schema_names(raw))  # type: ignore[arg-type]
    finally:
        engine.dispose()


def _schema_names(conn: sqlite3.Connection) -> set[str]:
    names: set[str] = set()
    rows = conn.execute(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for kind, name in rows:
        names.add(f"{kind}:{name}")
        if kind == "table":
            for column in conn.execute(f'PRAGMA table_info("{name}")'):
                names.add(f"column:{name}.{column[1]}")
    return names


def _half_upgraded(path: Path, revision: str) -> bool:
    """True when the file says `revision` but holds schema of a later one (an older build of
    the app was killed mid-upgrade, before migrations were transactional)."""
    conn = connect_read_only(path)
    try:
        present = _schema_names(conn)
    finally:
        conn.close()
    return bool(present - _expected_schema(revision))


def _restore_pre_upgrade_backup(path: Path, revision: str) -> Path:
    """Put back the newest backup that is exactly at `revision`; raise when there is none."""
    expected = _expected_schema(revision)
    for info in list_backups(path):
        if info.revision != revision or info.reason != f"before-upgrade-from-{revision}":
            continue
        conn = connect_read_only(info.path)
        try:
            names = _schema_names(conn)
        except sqlite3.Error:
            continue
        finally:
            conn.close()
        if names != expected or integrity_problems(info.path):
            continue
        try:
            restore_backup(info.path, path)
        except BackupError as exc:
            raise UpgradeFailedError(
                f"{path} was left half-upgraded by an interrupted upgrade, and restoring "
                f"{info.path} failed ({exc}). The file was left as it was."
            ) from exc
        log.warning("Restored half-upgraded %s from %s", path, info.path)
        return info.path
    raise UpgradeFailedError(
        f"{path} was left half-upgraded by an interrupted upgrade (schema {revision} with "
        "parts of a later one), and no backup taken before that upgrade was found. The file "
        "was left untouched." + restore_advice(path)
    )


def _run_alembic(conn: Any, target: str) -> None:
    from alembic import command

    cfg = _alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, target)


def migrate(engine: Engine, path: Path | None, target: str = "head") -> MigrationResult:
    """Bring the schema to `target` in one transaction; back the file up first if it holds an
    older schema (checked with integrity_check, and any half-done upgrade undone first)."""
    chain = _revision_chain() if target == "head" else None
    if chain is not None and _current_revision_quick(engine) == chain[1]:
        return MigrationResult(chain[1], chain[1], None)  # current: Alembic is not needed
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    sqlite = engine.dialect.name == "sqlite"
    known = {rev.revision for rev in script.walk_revisions()}
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = set(inspect(conn).get_table_names())
    _refuse_unknown_schema(current, tables, known, sqlite=sqlite)
    wanted = script.get_current_head() if target == "head" else target
    if current == wanted:
        return MigrationResult(current, wanted, None)
    if not sqlite:
        return _migrate_server(engine, current, wanted, target, known)
    url = engine.url.render_as_string(hide_password=False)
    backup = None
    restored = None
    if current is not None and path is not None:
        engine.dispose()
        problems = integrity_problems(path)
        if problems:
            raise _damaged(path, problems)
        if _half_upgraded(path, current):
            restored = _restore_pre_upgrade_backup(path, current)
        backup = _upgrade_backup(url, path, current)
    mig = _migration_engine(url)
    try:
        with mig.begin() as conn:
            _run_alembic(conn, target)
            violations = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if violations:
                raise UpgradeFailedError(
                    f"Upgrading the database would break {len(violations)} links between "
                    "records; the upgrade was undone and the file left at its old version."
                )
    except UpgradeFailedError:
        raise
    except Exception as exc:
        log.error("Upgrade %s -> %s failed: %s", current, wanted, type(exc).__name__)
        storage = translate_error(getattr(exc, "orig", exc), _bare(url, path))
        reason = f" ({storage})" if storage is not None else f" ({type(exc).__name__})"
        raise UpgradeFailedError(
            f"The database could not be upgraded{reason}. The upgrade was undone: the file is "
            "as it was before."
            + (f" A backup taken before the upgrade is {backup}." if backup else "")
        ) from exc
    finally:
        mig.dispose()
    if path is not None:
        make_private_file(path)
    log.info("Database schema %s -> %s", current, wanted)
    return MigrationResult(current, wanted, backup, restored)


def _migrate_server(
    engine: Engine, current: str | None, wanted: str | None, target: str, known: set[str]
) -> MigrationResult:
    """PostgreSQL: the whole upgrade in one transaction (its DDL is transactional, so a failed
    one changes nothing). There is no file to copy first: the server's owner backs it up with
    pg_dump. Teammates starting a new version at once: one upgrades, the others wait for the
    advisory lock, then find the schema current (Alembic re-reads the revision under it)."""
    from alembic.runtime.migration import MigrationContext

    if current is not None:
        log.info("Upgrading %s from %s", describe_url(str(engine.url)), current)
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        now = MigrationContext.configure(conn).get_current_revision()
        _refuse_unknown_schema(now, set(inspect(conn).get_table_names()), known, sqlite=False)
        _run_alembic(conn, target)
    log.info("Database schema %s -> %s", current, wanted)
    return MigrationResult(current, wanted, None)


def _bare(url: str, path: Path | None) -> Database:
    return Database(engine=create_engine("sqlite://"), url=url, path=path)


def _upgrade_backup(url: str, path: Path, revision: str) -> Path:
    """Checkpoint the WAL (so the main file holds every commit), then take or reuse the one
    backup for this upgrade."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={DEFAULT_BUSY_TIMEOUT_MS}")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception as exc:
        storage = translate_error(getattr(exc, "orig", exc), _bare(url, path))
        if storage is not None:
            raise UpgradeFailedError(
                f"The database needs an upgrade but cannot be prepared for it: {storage}"
            ) from exc
        raise
    finally:
        engine.dispose()
    try:
        backup, reused = upgrade_backup(path, revision)
    except BackupError as exc:
        raise UpgradeFailedError(
            f"The database needs an upgrade, and the backup to take first failed ({exc}) in "
            f"{backups_dir_for(path)}. Nothing was changed and no partial backup was left."
        ) from exc
    log.info("%s upgrade backup %s", "Reused" if reused else "Wrote", backup)
    return backup


def open_database(
    target: str | Path,
    *,
    upgrade: bool = True,
    check: Check = "full",
    hold_writes: bool = False,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
) -> Database:
    """Check, open and migrate; raises a DatabaseOpenError without changing the file.

    `check="full"` runs the full integrity_check now (commands that write); `hold_writes`
    opens with writes held until `Database.verify()` has passed (the window runs it in the
    background); `check="deferred"` also skips the quick_check before opening (the window:
    its first read must not wait seconds for it) and always holds writes until `verify()`.
    A file or folder we cannot write opens read-only.
    """
    url, path = resolve_target(target)
    read_only = _prepare_file(path, upgrade, check) if path is not None else False
    engine = make_engine(
        url, busy_timeout_ms=busy_timeout_ms, read_only_path=path if read_only else None
    )
    result = _migrate_on_open(engine, url, path) if upgrade and not read_only else None
    created = result is not None and result.from_revision is None
    # A migration of an existing file ran the full check first; a new file needs none.
    checked = created or (result is not None and result.backup is not None)
    db = Database(
        engine=engine,
        url=url,
        path=path,
        backup_made=result.backup if result else None,
        created=created,
        read_only=read_only,
        integrity_checked=checked,
        restored_from=result.restored_from if result else None,
    )
    if read_only:
        db.write_block = "read_only"
    elif path is not None and not checked:
        if check == "full":
            problems = integrity_problems(path)
            if problems:
                engine.dispose()
                raise _damaged(path, problems)
            db.integrity_checked = True
        elif hold_writes or check == "deferred":
            db.write_block = "checking"
    _install_guards(db)
    if path is not None and not read_only:
        make_private_file(path)
    return db


def _prepare_file(path: Path, upgrade: bool, check: Check) -> bool:
    """Checks a database file before opening it (or its folder, for a new one); returns
    whether it opens read-only. Refuses what it cannot open, changing nothing."""
    check_sqlite_file(path, quick=check != "deferred")
    exists = path.exists() and path.stat().st_size > 0
    current = None
    if exists:
        current, tables = _read_schema_state(path)
        _refuse_unknown_schema(current, tables, _known_revisions())
    read_only = not _is_writable(path) if path.exists() else False
    if read_only and exists and upgrade and current != head_revision():
        raise UpgradeFailedError(
            f"{path} needs an upgrade to this version of the app, but it is read-only (no "
            "permission to write to the file or its folder). Nothing was changed; make it "
            "writable, or open a copy."
        )
    if not path.exists():
        try:
            make_private_dir(path.parent)
        except OSError as exc:
            raise DatabaseOpenError(
                f"Cannot create the database {path}: {exc.strerror or exc}."
            ) from exc
        if not os.access(path.parent, os.W_OK | os.X_OK):
            raise ReadOnlyDatabaseError(
                f"Cannot create the database {path}: no permission to write in its folder."
            )
    return read_only


def _migrate_on_open(engine: Engine, url: str, path: Path | None) -> MigrationResult:
    """migrate(); the engine is disposed when it fails, and a team database that cannot be
    reached says so in words."""
    try:
        return migrate(engine, path)
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

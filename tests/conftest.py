"""Shared fixtures: offscreen Qt, platformdirs in tmp_path, a real database per test.

Every test that uses `db` (or `db_target`) runs on SQLite and, when PLANNER_TEST_POSTGRES_URL
is set, again on PostgreSQL; the PostgreSQL cases' ids contain `postgresql`, so
`pytest -k postgresql` runs exactly that half.
"""

from __future__ import annotations

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest

from planner.db.database import Database, open_database
from planner.settings import SettingsStore
from tests.postgres_server import PostgresServer, configured_url

ENGINES = ["sqlite", *(["postgresql"] if configured_url() else [])]


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real user's data, settings or logs."""
    home = tmp_path / "platformdirs"
    for name in ("user_data_dir", "user_config_dir", "user_log_dir", "user_cache_dir"):
        folder = home / name
        monkeypatch.setattr(platformdirs, name, lambda *a, _f=folder, **k: str(_f))
    monkeypatch.delenv("PLANNER_DATABASE", raising=False)


@pytest.fixture(autouse=True)
def _memory_keyring() -> Iterator[dict[tuple[str, str], str]]:
    """No test reads or writes the real user's keyring: passwords go to a dict."""
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    from planner import credentials

    store: dict[tuple[str, str], str] = {}

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if store.pop((service, username), None) is None:
                raise PasswordDeleteError("not found")

    # Left in place after the test: the next test gets a fresh one, the real one is never used.
    keyring.set_keyring(MemoryKeyring())
    credentials._session.clear()
    yield store
    credentials._session.clear()


def _engine_of(request: pytest.FixtureRequest) -> str:
    callspec = getattr(request.node, "callspec", None)
    return str(callspec.params.get("db_engine", "sqlite")) if callspec else "sqlite"


@pytest.fixture
def db_path(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """The SQLite file a test works on (tests of the file itself use only this)."""
    if _engine_of(request) != "sqlite":
        pytest.skip("reads the SQLite file itself; use db_target to run on both engines")
    return tmp_path / "data" / "planner.sqlite3"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer(configured_url())
    yield server
    server.close()


@pytest.fixture(params=ENGINES)
def db_engine(request: pytest.FixtureRequest) -> str:
    """Which engine the test's database runs on: "sqlite" or "postgresql"."""
    return str(request.param)


def _target(request: pytest.FixtureRequest, engine: str, *, migrated: bool) -> Iterator[str | Path]:
    if engine == "sqlite":
        tmp_path: Path = request.getfixturevalue("tmp_path")
        (tmp_path / "data").mkdir(exist_ok=True)
        yield tmp_path / "data" / "planner.sqlite3"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.new_database(migrated=migrated)
    yield url
    server.release(url)


@pytest.fixture
def db_target(request: pytest.FixtureRequest, db_engine: str) -> Iterator[str | Path]:
    """Where the test's database lives: an SQLite path (the file is made when `db` opens it),
    or the URL of a clean PostgreSQL database at the newest schema. Tests reopen it with
    open_database(db_target)."""
    yield from _target(request, db_engine, migrated=True)


@pytest.fixture
def blank_target(request: pytest.FixtureRequest, db_engine: str) -> Iterator[str | Path]:
    """An empty database (no schema yet) on the test's engine, for migration tests."""
    yield from _target(request, db_engine, migrated=False)


@pytest.fixture(scope="session")
def _new_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new SQLite database, made by a first open once per run: migrating a new file costs
    about 65 ms and most tests start from one, so `db` opens a copy of this (under 4 ms)
    instead, as PostgreSQL tests start from a template database. Tests of creating a file
    open their own path (`db_path`, `db_target`)."""
    path = tmp_path_factory.mktemp("template") / "planner.sqlite3"
    open_database(path).close()
    return path


@pytest.fixture
def db(db_target: str | Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    if isinstance(db_target, Path) and not db_target.exists():
        shutil.copyfile(request.getfixturevalue("_new_sqlite_file"), db_target)
    database = open_database(db_target)
    yield database
    database.close()


@pytest.fixture
def settings(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "config" / "settings.json")


@pytest.fixture
def tab_context(qapp: object, db: Database, settings: SettingsStore) -> object:
    """What the main window hands each tab, for building one tab alone in a test."""
    from PySide6.QtGui import QUndoStack

    from planner.ui.bus import Bus
    from planner.ui.context import TabContext

    return TabContext(db=db, settings=settings, bus=Bus(), undo_stack=QUndoStack())

"""Shared fixtures: offscreen Qt, platformdirs in tmp_path, a real SQLite file per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest

from planner.db.database import Database, open_database
from planner.settings import SettingsStore


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


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "planner.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
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

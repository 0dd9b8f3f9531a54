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

"""A CLI command writing to the SQLite file the window has open: the window notices
(PRAGMA data_version) and every view reloads; the window's own edits cause no full reload."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from planner.core.changes import Changes
from planner.paths import app_paths
from planner.settings import SettingsStore
from planner.ui.commands.base import execute
from planner.ui.commands.contacts import CreateContact
from planner.ui.live import FileWatch
from planner.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def _window(qtbot: Any, tmp_path: Path, path: Path) -> MainWindow:
    paths = app_paths(tmp_path / "home")
    paths.create()
    win = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(win)
    assert win.open_database(path)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.db is not None and win.db.write_block is None)
    return win


def _contacts_tab(qtbot: Any, win: MainWindow) -> Any:
    tab: Any = win.tab("contactsTab")
    win.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: not tab.loading)
    return tab


def test_a_cli_write_shows_up_in_the_open_window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FileWatch, "INTERVAL_MS", 100)
    path = tmp_path / "data" / "planner.sqlite3"
    win = _window(qtbot, tmp_path, path)
    tab = _contacts_tab(qtbot, win)
    assert tab.model.total_count() == 0
    done = subprocess.run(
        [sys.executable, "-m", "planner", "--data-dir", str(tmp_path / "cli"),
         "--database", str(path), "demo", "--contacts", "1"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: tab.model.total_count() == 1, timeout=15000)


def test_the_windows_own_edit_causes_no_full_reload(qtbot: Any, tmp_path: Path) -> None:
    win = _window(qtbot, tmp_path, tmp_path / "data" / "planner.sqlite3")
    tab = _contacts_tab(qtbot, win)
    watch = win.file_watch
    assert watch is not None
    seen: list[Changes] = []
    win.bus.changed.connect(seen.append)
    execute(win.undo_stack, CreateContact(win.bus, tab.contacts, {"name": "Ada Lovelace"}))
    assert seen and not seen[-1].everything
    assert watch.poll() is False
    assert not any(c.everything for c in seen)
    # A commit nobody here announced is noticed, once.
    assert win.db is not None
    import sqlite3

    conn = sqlite3.connect(win.db.path)  # type: ignore[arg-type]
    with conn:
        conn.execute("INSERT INTO tags (name) VALUES ('from elsewhere')")
    conn.close()
    assert watch.poll() is True
    assert seen[-1].everything
    assert watch.poll() is False

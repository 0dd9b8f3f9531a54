"""Team mode in the window: connecting, the password in the keyring, teammates' changes live."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from planner.paths import app_paths
from planner.settings import SettingsStore
from planner.ui.dialogs.team_dialog import TeamDialog, parse_team_url
from planner.ui.main_window import MainWindow


def _window(qtbot: Any, tmp_path: Path) -> MainWindow:
    paths = app_paths(tmp_path / "home")
    paths.create()
    win = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(win)
    return win


def test_team_urls_are_checked_where_typed() -> None:
    assert parse_team_url(" postgresql://ana@db.example:5433/team ") == (
        "postgresql://ana@db.example:5433/team",
        "ana",
    )
    assert parse_team_url("postgresql+psycopg://ana:pw@db.example/team")[0] == (
        "postgresql://ana@db.example/team"
    )
    for bad in ("team.sqlite3", "postgresql://db.example/team", "postgresql://ana@db.example"):
        with pytest.raises(ValueError):
            parse_team_url(bad)


def test_dialog_refuses_a_missing_name(qtbot: Any) -> None:
    dialog = TeamDialog("postgresql://ana@db.example/team")
    qtbot.addWidget(dialog)
    dialog._on_accept()
    assert dialog.connection() is None and "Teammates see this name" in dialog.name_error.text()


def test_connect_remembers_url_keeps_password_in_keyring(
    qtbot: Any,
    tmp_path: Path,
    db_engine: str,
    db_target: Path | str,
    monkeypatch: pytest.MonkeyPatch,
    _memory_keyring: dict[tuple[str, str], str],
) -> None:
    if db_engine != "postgresql":
        pytest.skip("a team database is a PostgreSQL one")
    win = _window(qtbot, tmp_path)
    assert win.open_database(tmp_path / "mine.sqlite3")
    plain, _role = parse_team_url(str(db_target))

    def fill(dialog: TeamDialog) -> int:
        dialog.url.setText(plain)
        dialog.password.setText("s3cret-pw")
        dialog.name.setText("Priya Sharma")
        dialog.email.setText("priya@example.org")
        dialog._on_accept()
        return int(dialog.result())

    monkeypatch.setattr(TeamDialog, "exec", fill)
    win.connect_team_action.trigger()
    assert win.db is not None and win.db.is_server and win.db.user == "Priya Sharma"
    assert win.live is not None
    saved = json.loads(win.settings.path.read_text(encoding="utf-8"))
    assert saved["team_database_url"] == plain and saved["user_name"] == "Priya Sharma"
    assert "s3cret-pw" not in win.settings.path.read_text(encoding="utf-8")
    assert "s3cret-pw" in _memory_keyring.values()
    # Next time the dialog offers the same URL and the saved password.
    seen: list[tuple[str, str]] = []

    def look(dialog: TeamDialog) -> int:
        seen.append((dialog.url.text(), dialog.password.text()))
        return 0

    monkeypatch.setattr(TeamDialog, "exec", look)
    win.connect_team_action.trigger()
    assert seen == [(plain, "s3cret-pw")]
    _close(win)


def test_a_teammates_change_appears_without_restarting(
    qtbot: Any, tmp_path: Path, db_engine: str, db_target: Path | str
) -> None:
    """Two processes on one database: one adds a contact, the other's Contacts tab shows it."""
    if db_engine != "postgresql":
        pytest.skip("a team database is a PostgreSQL one")
    win = _window(qtbot, tmp_path)
    assert win.open_database(db_target)
    qtbot.waitUntil(lambda: win.live is not None and win.live.ready, timeout=10_000)
    win.show()
    qtbot.waitExposed(win)
    tab: Any = win.tab("contactsTab")
    win.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: not tab.loading)
    script = textwrap.dedent(
        f"""
        from planner.core.contacts import ContactService
        from planner.db.database import open_database
        db = open_database({str(db_target)!r})
        db.user = "Priya"
        print(ContactService(db).create({{"name": "Grace Hopper"}})[0].id)
        db.close()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], check=True, timeout=60, capture_output=True, text=True
    )
    contact_id = int(done.stdout.strip().splitlines()[-1])
    qtbot.waitUntil(lambda: tab.model.row_of(contact_id) >= 0, timeout=15000)
    _close(win)


def _close(win: MainWindow) -> None:
    """Close the window and let its database close before the test's database is reset."""
    from PySide6.QtWidgets import QApplication

    from planner.ui.tasks import wait_for_all

    db = win.db
    win.close()
    wait_for_all()
    QApplication.processEvents()
    if db is not None:
        db.close()


def test_a_save_overtaken_by_a_teammate_is_refused_like_any_bad_edit(qapp: Any) -> None:
    """A version clash during the write says so where the user acted; nothing is pushed."""
    from PySide6.QtGui import QUndoStack

    from planner.core.changes import Changes
    from planner.core.errors import ValidationError
    from planner.db.errors import ConcurrentEditError
    from planner.ui.bus import Bus
    from planner.ui.commands import Command, execute

    class Overtaken(Command):
        def apply(self) -> Changes:
            raise ConcurrentEditError("Someone else changed this at the same moment.")

    stack = QUndoStack()
    with pytest.raises(ValidationError, match="same moment"):
        execute(stack, Overtaken(Bus(), "Edit"))
    assert stack.count() == 0

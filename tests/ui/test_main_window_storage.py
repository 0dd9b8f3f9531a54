"""The window and storage: one window per file (by identity, also for File > Open database),
writes held until the integrity check passes, read-only and damaged banners, restore."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import text

from planner.db.backup import backup_sqlite
from planner.db.database import open_database
from planner.db.errors import ReadOnlyDatabaseError
from planner.instance_lock import InstanceLock
from planner.paths import app_paths
from planner.settings import SettingsStore
from planner.ui.main_window import MainWindow


def _window(qtbot: object, tmp_path: Path) -> MainWindow:
    paths = app_paths(tmp_path / "home")
    paths.create()
    win = MainWindow(paths, SettingsStore(paths.settings_file))
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    return win


def _with_tags(path: Path, count: int = 30) -> None:
    db = open_database(path)
    with db.session() as s:
        for i in range(count):
            s.execute(text("INSERT INTO tags (name) VALUES (:n)"), {"n": f"tag {i}"})
    db.close()


def _insert(window: MainWindow, name: str) -> None:
    assert window.db is not None
    with window.db.session() as s:
        s.execute(text("INSERT INTO tags (name) VALUES (:n)"), {"n": name})


def test_writes_wait_for_the_background_check_then_work(qtbot: object, tmp_path: Path) -> None:
    path = tmp_path / "existing.sqlite3"
    _with_tags(path)
    window = _window(qtbot, tmp_path)
    assert window.open_database(path)
    assert window.db is not None
    qtbot.waitUntil(lambda: window.db.write_block is None)  # type: ignore[attr-defined,union-attr]
    assert window.db.integrity_checked
    assert window.banner_text() == ""
    _insert(window, "saved")


def test_open_database_refuses_a_file_another_window_holds(qtbot: object, tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path)
    assert window.open_database(tmp_path / "mine.sqlite3")
    current = window.db
    other = tmp_path / "other.sqlite3"
    _with_tags(other, 1)
    link = tmp_path / "hard-link-to-other.sqlite3"
    os.link(other, link)
    holder = InstanceLock(other)
    assert holder.acquire()
    try:
        # Through a hard link too: the lock is on the file, not on its name.
        with qtbot.waitSignal(window.database_failed) as blocker:  # type: ignore[attr-defined]
            assert not window.open_database(link)
        assert "already open" in blocker.args[0]
        assert window.db is current
    finally:
        holder.release()
    # Once the other window let go, it opens; and our old file is free for others again.
    assert window.open_database(link)
    again = InstanceLock(tmp_path / "mine.sqlite3")
    assert again.acquire()
    again.release()


def test_a_non_database_file_keeps_the_current_database(qtbot: object, tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path)
    assert window.open_database(tmp_path / "mine.sqlite3")
    current = window.db
    bogus = tmp_path / "letter.txt"
    bogus.write_text("Dear Sam,\n" * 100)
    with qtbot.waitSignal(window.database_failed):  # type: ignore[attr-defined]
        assert not window.open_database(bogus)
    assert window.db is current
    assert window.isVisible() or True  # the window is not closed by the failure
    _insert(window, "still writable")


def test_a_damaged_file_opens_read_only_with_a_restore_banner(
    qtbot: object, tmp_path: Path
) -> None:
    path = tmp_path / "damaged.sqlite3"
    _with_tags(path)
    backup_sqlite(path)
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
    before = path.read_bytes()
    window = _window(qtbot, tmp_path)
    assert window.open_database(path)
    qtbot.waitUntil(lambda: "damaged" in window.banner_text())  # type: ignore[attr-defined]
    with pytest.raises(ReadOnlyDatabaseError, match="damaged"):
        _insert(window, "never")
    button = window.findChild(object, "databaseBannerButton")
    assert button is not None and "Restore" in button.text()
    window.db.close()  # type: ignore[union-attr]
    assert path.read_bytes() == before


def test_a_read_only_file_says_so_and_refuses_edits(
    qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import planner.db.database as database

    path = tmp_path / "shared.sqlite3"
    _with_tags(path)
    # As root every file is writable; what matters is what the app does once it knows.
    monkeypatch.setattr(database, "_is_writable", lambda _path: False)
    window = _window(qtbot, tmp_path)
    assert window.open_database(path)
    assert "Read-only" in window.banner_text()
    with pytest.raises(ReadOnlyDatabaseError, match="read-only"):
        _insert(window, "nope")


def test_restore_from_backup_puts_the_copy_back(
    qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.ui.dialogs.restore_dialog import RestoreDialog

    path = tmp_path / "restore-me.sqlite3"
    _with_tags(path, 3)
    backup_sqlite(path)
    window = _window(qtbot, tmp_path)
    assert window.open_database(path)
    qtbot.waitUntil(lambda: window.db.write_block is None)  # type: ignore[attr-defined,union-attr]
    _insert(window, "made after the backup")
    shown: list[RestoreDialog] = []

    def fake_exec(dialog: RestoreDialog) -> int:
        shown.append(dialog)
        assert dialog.table.rowCount() == 1
        assert dialog.table.item(0, 1).text() == "0"  # contacts in the copy
        return RestoreDialog.DialogCode.Accepted

    monkeypatch.setattr(RestoreDialog, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.restore_action.trigger()
    assert shown
    with window.db.session() as s:  # type: ignore[union-attr]
        names = s.execute(text("SELECT name FROM tags")).scalars().all()
    assert "made after the backup" not in names and len(names) == 3
    assert list(tmp_path.glob("restore-me.sqlite3.replaced-*"))

"""No edit is lost in the contact detail: typing saves on a pause (not only on leaving the
field) and before another contact is shown; a failed save (lock held, read-only, checking)
keeps the typed value, says why below the field, and Retry saves it."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from PySide6.QtCore import Qt

from planner.core.contacts import ContactService
from planner.ui.tabs.contacts_tab import ContactsTab
from planner.ui.widgets import contact_detail, contact_detail_saving
from tests.ui.contacts_tab_helper import shown_contacts_tab


@pytest.fixture
def tab(qtbot: Any, tab_context: Any, monkeypatch: pytest.MonkeyPatch) -> ContactsTab:
    monkeypatch.setattr(contact_detail, "SAVE_DELAY_MS", 50)
    monkeypatch.setattr(contact_detail_saving, "AUTO_RETRY_MS", 100)
    svc = ContactService(tab_context.db)
    svc.create({"name": "Ada Lovelace", "notes": ""})
    svc.create({"name": "Grace Hopper"})
    return shown_contacts_tab(qtbot, tab_context)


def _sqlite_only(tab: ContactsTab) -> None:
    if tab.context.db.path is None:
        pytest.skip("SQLite's file lock and its start-up integrity check (writes held) only")


def _ids(tab: ContactsTab) -> dict[str, int]:
    svc = ContactService(tab.context.db)
    return {r.name: r.id for r in (svc.get(i) for i in (1, 2))}


def test_typing_saves_on_a_pause_without_leaving_the_field(qtbot: Any, tab: ContactsTab) -> None:
    ids = _ids(tab)
    tab.select_contact(ids["Ada Lovelace"])
    notes = tab.detail.notes
    notes.setFocus()
    qtbot.keyClicks(notes, "Met at the analytical engine meetup ")
    svc = ContactService(tab.context.db)
    qtbot.waitUntil(lambda: svc.get(ids["Ada Lovelace"]).notes.startswith("Met at"))
    # The field still has focus and keeps what was typed, trailing space included.
    assert notes.hasFocus()
    assert notes.toPlainText() == "Met at the analytical engine meetup "
    role = tab.detail.line_edits["role"]
    role.setFocus()
    qtbot.keyClicks(role, "Mathematician")
    # Showing another contact saves what was typed to the contact it was typed for.
    tab.select_contact(ids["Grace Hopper"])
    assert svc.get(ids["Ada Lovelace"]).role == "Mathematician"
    assert svc.get(ids["Grace Hopper"]).role == ""


def test_a_held_write_lock_keeps_the_typed_value_and_retry_saves_it(
    qtbot: Any, tab: ContactsTab
) -> None:
    _sqlite_only(tab)
    ids = _ids(tab)
    tab.select_contact(ids["Ada Lovelace"])
    db = tab.context.db
    assert db.path is not None
    # A short busy timeout, as the window uses (it waits on the GUI thread).
    from sqlalchemy import event

    db.engine.dispose()
    event.listen(db.engine, "connect", lambda c, _r: c.execute("PRAGMA busy_timeout=50"))
    holder = sqlite3.connect(db.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    role = tab.detail.line_edits["role"]
    try:
        role.setFocus()
        qtbot.keyClicks(role, "Countess")
        qtbot.keyClick(role, Qt.Key.Key_Return)
        error = tab.detail.errors["role"]
        assert error.isVisible()
        assert "busy" in error.text() and "Retry" in error.text()
        assert role.text() == "Countess"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # Saved by the automatic retry once the lock is gone, without a click.
    svc = ContactService(db)
    qtbot.waitUntil(lambda: svc.get(ids["Ada Lovelace"]).role == "Countess", timeout=5000)
    assert not error.isVisible()


def test_writes_held_during_the_check_say_so_beside_the_field(qtbot: Any, tab: ContactsTab) -> None:
    _sqlite_only(tab)
    ids = _ids(tab)
    tab.select_contact(ids["Grace Hopper"])
    db = tab.context.db
    db.write_block = "checking"
    role = tab.detail.line_edits["role"]
    role.setFocus()
    qtbot.keyClicks(role, "Rear admiral")
    qtbot.keyClick(role, Qt.Key.Key_Return)
    error = tab.detail.errors["role"]
    assert "still being checked" in error.text()
    assert role.text() == "Rear admiral"
    db.write_block = None
    error.linkActivated.emit("retry")
    assert ContactService(db).get(ids["Grace Hopper"]).role == "Rear admiral"

"""The detail pane reads the shown contact once per change: the list reloading after the
same change (tagging 20,000 contacts, undoing an import) does not read it again."""

from __future__ import annotations

from typing import Any

import pytest

from planner.core.changes import Changes
from planner.core.contacts import ContactService
from planner.ui import tasks
from planner.ui.tabs.contacts_tab import ContactsTab
from planner.ui.widgets import contact_detail


def test_one_read_per_change(qtbot: Any, tab_context: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    svc = ContactService(tab_context.db)
    ada = svc.create({"name": "Ada Lovelace"})[0].id
    tab = ContactsTab(tab_context)
    qtbot.addWidget(tab)
    tab.resize(1200, 780)
    tab.show()
    qtbot.waitUntil(lambda: not tab.loading)
    assert tab.select_contact(ada)
    qtbot.waitUntil(lambda: tasks.running() == 0)
    reads: list[int] = []
    real = contact_detail.read_contact_view
    monkeypatch.setattr(
        contact_detail, "read_contact_view", lambda db, cid: reads.append(cid) or real(db, cid)
    )
    # A change of every contact: the detail re-reads, the list reloads whole and then asks
    # the detail to refresh; that second read would see nothing new.
    tab_context.bus.changed.emit(Changes.all("contacts"))
    qtbot.waitUntil(lambda: not tab.loading and tasks.running() == 0)
    assert reads == [ada]
    tab.detail.refresh_in_background()
    qtbot.waitUntil(lambda: tasks.running() == 0)
    assert reads == [ada]
    # The next change is read again, as is an edit of the shown contact.
    _, changes = svc.update(ada, {"role": "Analyst"})
    tab_context.bus.changed.emit(changes)
    qtbot.waitUntil(lambda: tasks.running() == 0 and tab.detail.record.role == "Analyst")
    assert reads == [ada, ada]

"""#20: while a search appends its rows in slices, the tab says it is searching, then counts
them; the contact shown in the detail pane stays selected when a late slice finds it, and is
let go when the finished search does not list it."""

from __future__ import annotations

from typing import Any

import pytest

from planner.core.contacts import ContactService
from planner.ui.models import contact_rows, contact_search
from planner.ui.tabs.contacts_tab import ContactsTab
from tests.ui.contacts_tab_helper import shown_contacts_tab


@pytest.fixture
def tab(qtbot: Any, tab_context: Any, db: Any, monkeypatch: pytest.MonkeyPatch) -> ContactsTab:
    monkeypatch.setattr(contact_search, "FIRST_ROWS", 2)
    monkeypatch.setattr(contact_search, "SLICE_SECONDS", 0.0)
    monkeypatch.setattr(contact_search, "TYPING_PAUSE_MS", 0)
    monkeypatch.setattr(contact_rows, "SCAN_CHUNK", 3)
    svc = ContactService(db)
    for i in range(24):
        svc.create({"name": f"Ana Person {i:02}", "organisation": "Hooli"})
    svc.create({"name": "Zed Anaya", "organisation": "Globex"})
    return shown_contacts_tab(qtbot, tab_context)


def _show(tab: ContactsTab, qtbot: Any, name: str) -> int:
    cid = next(
        tab.model.contact_id(r)
        for r in range(tab.model.rowCount())
        if tab.model.row_data(r) and tab.model.row_data(r).name == name  # type: ignore[union-attr]
    )
    assert cid is not None
    tab.select_contact(cid)
    qtbot.waitUntil(lambda: tab.detail.contact_id() == cid)
    return cid


def test_the_count_says_searching_until_every_row_is_in(qtbot: Any, tab: ContactsTab) -> None:
    qtbot.keyClicks(tab.search, "ana")
    assert tab.model.searching()
    assert tab.count_label.text() == "Searching…"
    qtbot.waitUntil(lambda: not tab.model.searching())
    assert tab.count_label.text() == "25 of 25"
    assert tab.model.rowCount() == 25


def test_the_shown_contact_is_selected_again_when_a_late_slice_finds_it(
    qtbot: Any, tab: ContactsTab
) -> None:
    zed = _show(tab, qtbot, "Zed Anaya")
    qtbot.keyClicks(tab.search, "ana")
    assert tab.model.searching()
    assert tab.detail.contact_id() == zed  # not let go while the search is still going
    qtbot.waitUntil(lambda: not tab.model.searching())
    assert tab.selected_ids() == [zed]
    assert tab.detail.contact_id() == zed


def test_the_shown_contact_is_let_go_when_the_search_does_not_list_it(
    qtbot: Any, tab: ContactsTab
) -> None:
    _show(tab, qtbot, "Zed Anaya")
    qtbot.keyClicks(tab.search, "person")
    qtbot.waitUntil(lambda: not tab.model.searching())
    assert tab.detail.contact_id() is None
    assert tab.model.rowCount() == 24

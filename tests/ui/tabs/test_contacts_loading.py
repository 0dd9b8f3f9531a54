"""How the Contacts tab fills its list: two reads at once, the detail pane built when a
contact is first shown (a real temporary database, driven with qtbot)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from planner.core.contacts import ContactService
from planner.db import models as m
from planner.ui.models.contact_columns import COL_NAME, COL_TAGS
from planner.ui.tabs.contacts_tab import ContactsTab


@pytest.fixture
def people(db: Any) -> dict[str, int]:
    svc = ContactService(db)
    with db.session() as s:
        s.add(m.EventPlan(name="FinTech Forum 2026", starts_local=None))
    return {
        "zoe": svc.create({"name": "Zoë Achterberg", "tags": ["fintech"]})[0].id,
        "ben": svc.create({"name": "Ben Okafor"})[0].id,
        "ana": svc.create({"name": "Ana García", "tags": ["design", "zeal"]})[0].id,
    }


def _loaded_tab(qtbot: Any, tab_context: Any) -> ContactsTab:
    tab = ContactsTab(tab_context)
    qtbot.addWidget(tab)
    tab.resize(1200, 780)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: not tab.loading)
    return tab


def _names(tab: ContactsTab) -> list[str]:
    return [tab.model.index(r, COL_NAME).data() for r in range(tab.model.rowCount())]


def test_the_detail_pane_is_built_when_a_contact_is_first_shown(
    qtbot: Any, tab_context: Any, people: dict[str, int]
) -> None:
    tab = _loaded_tab(qtbot, tab_context)
    assert tab._detail is None
    placeholder = tab.findChild(QLabel, "contactsDetailPlaceholder")
    assert placeholder is not None and placeholder.isVisible()
    assert placeholder.text() == "Select a contact, or press Ctrl+N to add one."

    tab.view.setCurrentIndex(tab.model.index(tab.model.row_of(people["ana"]), COL_NAME))
    detail = tab._detail
    assert detail is not None and detail.isVisible()
    assert detail.contact_id() == people["ana"]
    assert detail.title.text() == "Ana García"
    assert tab.splitter.widget(1) is detail
    qtbot.waitUntil(lambda: tab.findChild(QLabel, "contactsDetailPlaceholder") is None)
    # What the list loaded before the pane existed is offered in it.
    assert detail.tags._model.stringList() == ["design", "fintech", "zeal"]
    assert detail.how_met_event.findText("FinTech Forum 2026") > 0
    # A new tag after that reaches the pane as before.
    ContactService(tab.context.db).add_tag([people["ben"]], "mentors")
    tab._reload_tags()
    assert "mentors" in detail.tags._model.stringList()


def test_a_list_sorted_by_tags_loads_in_tag_order(
    qtbot: Any, tab_context: Any, people: dict[str, int]
) -> None:
    state = {"sort_column": COL_TAGS, "sort_order": "ascending"}
    tab_context.settings.preferences.ui_state["contacts_table"] = state
    tab = _loaded_tab(qtbot, tab_context)
    # "design, zeal" < "fintech"; no tags last.
    assert _names(tab) == ["Ana García", "Zoë Achterberg", "Ben Okafor"]
    assert tab.model.index(0, COL_TAGS).data() == "design, zeal"


def test_a_failed_read_is_reported_and_nothing_is_left_waiting(
    qtbot: Any, tab_context: Any, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object) -> None:
        raise OSError("disk I/O error")

    monkeypatch.setattr(ContactService, "list_tags", refuse)
    tab = ContactsTab(tab_context)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.load_finished):
        pass
    assert not tab.loading and not tab.data_pending()
    assert tab.message.text() == "Could not load the contacts: disk I/O error"
    assert tab.model.total_count() == 0
    monkeypatch.undo()
    with qtbot.waitSignal(tab.load_finished):
        tab.start_loading()
    assert tab.model.total_count() == 3

"""How the Contacts tab fills its list: two reads at once, the detail pane built when a
contact is first shown (a real temporary database, driven with qtbot)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget

from planner.core.contacts import ContactService
from planner.db import models as m
from planner.ui.models import contact_rows, contact_search
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
    tab.resize(1400, 780)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: not tab.loading)
    return tab


def _names(tab: ContactsTab) -> list[str]:
    return [tab.model.index(r, COL_NAME).data() for r in range(tab.model.rowCount())]


def test_the_detail_pane_is_built_when_a_contact_is_first_shown(
    qtbot: Any, tab_context: Any, people: dict[str, int]
) -> None:
    # In a window's tab, as in the app (the splitter then sizes the pane by its contents).
    window = QMainWindow()
    qtbot.addWidget(window)
    tabs = QTabWidget()
    window.setCentralWidget(tabs)
    tab = ContactsTab(tab_context)
    tabs.addTab(tab, "Contacts")
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not tab.loading)
    assert tab._detail is None
    placeholder = tab.findChild(QLabel, "contactsDetailPlaceholder")
    assert placeholder is not None and placeholder.isVisible()
    assert placeholder.text() == "Select a contact, or press Ctrl+N to add one."

    sizes = tab.splitter.sizes()
    tab.view.setCurrentIndex(tab.model.index(tab.model.row_of(people["ana"]), COL_NAME))
    detail = tab._detail
    assert detail is not None and detail.isVisible()
    assert detail.contact_id() == people["ana"]
    assert detail.title.text() == "Ana García"
    assert tab.splitter.widget(1) is tab.detail_area and tab.detail_area.widget() is detail
    qtbot.waitUntil(lambda: tab.findChild(QLabel, "contactsDetailPlaceholder") is None)
    QApplication.sendPostedEvents()  # the splitter's layout request
    QApplication.processEvents()
    assert tab.splitter.sizes() == sizes  # in the placeholder's place: the list does not jump
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


def test_a_shown_tab_paints_before_its_read_starts_and_a_hidden_one_reads_at_once(
    qtbot: Any, tab_context: Any, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, ContactsTab]] = []
    start, paint = ContactsTab.start_loading, ContactsTab.paintEvent

    def recorded_start(self: ContactsTab) -> None:
        events.append(("read", self))
        start(self)

    def recorded_paint(self: ContactsTab, event: Any) -> None:
        events.append(("paint", self))
        paint(self, event)

    monkeypatch.setattr(ContactsTab, "start_loading", recorded_start)
    monkeypatch.setattr(ContactsTab, "paintEvent", recorded_paint)
    shown = ContactsTab(tab_context)
    qtbot.addWidget(shown)
    shown.show()
    assert shown.loading and shown.count_label.text() == "Loading contacts…"
    with qtbot.waitSignal(shown.load_finished):
        pass
    # The workers would hold up the first paint: it comes first, then one read.
    assert events[0] == ("paint", shown) and events.count(("read", shown)) == 1
    assert shown.model.total_count() == 3

    hidden = ContactsTab(tab_context)  # built in idle time, not shown
    qtbot.addWidget(hidden)
    with qtbot.waitSignal(hidden.load_finished):
        pass
    assert [name for name, tab in events if tab is hidden] == ["read"]
    assert hidden.model.total_count() == 3


def test_a_reload_with_a_search_on_selects_the_shown_contact_once_all_rows_are_found(
    qtbot: Any, tab_context: Any, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Slices of one row, so three contacts take several (100,000 do in the app).
    monkeypatch.setattr(contact_search, "FIRST_ROWS", 1)
    monkeypatch.setattr(contact_search, "SLICE_SECONDS", 0.0)
    monkeypatch.setattr(contact_search, "TYPING_PAUSE_MS", 0)
    monkeypatch.setattr(contact_rows, "SCAN_CHUNK", 1)
    tab = _loaded_tab(qtbot, tab_context)
    tab.search.setText("a")  # all three match
    qtbot.waitUntil(lambda: not tab.model.searching())
    assert _names(tab) == ["Ana García", "Ben Okafor", "Zoë Achterberg"]
    tab.select_contact(people["zoe"])
    assert tab.detail.contact_id() == people["zoe"]
    when_loaded: list[tuple[bool, str]] = []
    tab.load_finished.connect(
        lambda: when_loaded.append((tab.model.searching(), tab.count_label.text()))
    )
    with qtbot.waitSignal(tab.model.search_finished):
        tab.start_loading()  # a reload, as after an import
    # The rows came in with the search still finding the rest (not one scan of everything).
    assert when_loaded == [(True, "Searching…")]
    assert tab.detail.contact_id() == people["zoe"]
    assert tab.selected_ids() == [people["zoe"]]
    assert tab.count_label.text() == "3 of 3"


def test_a_tab_put_into_a_shown_window_reads_after_its_first_paint(
    qtbot: Any, tab_context: Any, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A main window shows its new central widget in a queued call, after the tab's own
    "built" step: the read used to start then, before the first paint, and its worker kept
    taking the GIL from that paint (a 45-65 ms stall at 100,000 contacts)."""
    from PySide6.QtCore import QEvent, QObject

    order: list[str] = []

    class PaintSpy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "paint" not in order:
                order.append("paint")
            return False

    start = ContactsTab.start_loading
    monkeypatch.setattr(
        ContactsTab, "start_loading", lambda self: (order.append("read"), start(self))
    )
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    qtbot.waitExposed(window)
    tab = ContactsTab(tab_context)
    spy = PaintSpy()
    tab.installEventFilter(spy)
    window.setCentralWidget(tab)
    qtbot.waitUntil(lambda: not tab.loading)
    assert order[:2] == ["paint", "read"]
    assert _names(tab) == ["Ana García", "Ben Okafor", "Zoë Achterberg"]

    # A tab hidden on purpose (another tab's page) still reads at once.
    tabs = QTabWidget()
    window.setCentralWidget(tabs)
    tabs.addTab(QLabel("first"), "First")
    order.clear()
    hidden = ContactsTab(tab_context)
    tabs.addTab(hidden, "Contacts")
    qtbot.waitUntil(lambda: not hidden.loading)
    assert order == ["read"]

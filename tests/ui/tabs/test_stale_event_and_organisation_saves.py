"""Team mode: two sessions edit one event plan or one organisation. A stale save never
overwrites the teammate's change: different fields merge by themselves, the same field asks
(Keep mine / Take theirs / per field) through the conflict dialog, and nothing is lost.

Runs on SQLite and, with PLANNER_TEST_POSTGRES_URL set, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from planner.core.events import EventService
from planner.core.organisations import OrganisationService
from planner.db.database import Database, open_database
from planner.ui.context import TabContext
from planner.ui.dialogs.conflict_dialog import ConflictDialog
from planner.ui.tabs.events_tab import EventsTab
from planner.ui.tabs.organisations_tab import OrganisationsTab


def _as_priya(db: Database) -> Database:
    """Priya's own app: another connection to the same database, another user."""
    other = open_database(db.path or db.url)
    other.user = "Priya"
    return other


def _type(qtbot: Any, widget: Any, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def _answer_with(monkeypatch: pytest.MonkeyPatch, button: str, shown: list[str]) -> None:
    def answer(dialog: ConflictDialog) -> int:
        shown.append(dialog.findChild(QLabel, "conflictHeadline").text())
        dialog.findChild(QPushButton, button).click()
        return int(dialog.result())

    monkeypatch.setattr(ConflictDialog, "exec", answer)


@pytest.fixture
def events_tab(qtbot: Any, tab_context: TabContext) -> EventsTab:
    widget = EventsTab(tab_context)
    qtbot.addWidget(widget)
    widget.resize(1200, 780)
    widget.show()
    qtbot.waitUntil(lambda: not widget.data_pending())  # type: ignore[attr-defined]
    return widget


@pytest.fixture
def organisations_tab(qtbot: Any, tab_context: TabContext) -> OrganisationsTab:
    widget = OrganisationsTab(tab_context)
    qtbot.addWidget(widget)
    widget.resize(1200, 780)
    widget.show()
    qtbot.waitUntil(lambda: not widget.data_pending())  # type: ignore[attr-defined]
    return widget


def _open_event(tab: EventsTab) -> int:
    record, _ = tab.events.create("FinTech Forum", starts_local=datetime(2030, 5, 4, 9))
    tab.refresh()
    tab.select_event(record.id)
    return record.id


def test_event_teammates_other_field_is_kept_and_mine_added(
    qtbot: Any, events_tab: EventsTab
) -> None:
    event_id = _open_event(events_tab)
    priya = _as_priya(events_tab.context.db)
    try:
        EventService(priya).update(event_id, venue="FIL Lisbon")
    finally:
        priya.close()
    _type(qtbot, events_tab.editor.name, "FinTech Forum 2030")
    saved = events_tab.events.get(event_id)
    assert (saved.name, saved.venue) == ("FinTech Forum 2030", "FIL Lisbon")
    assert events_tab.editor.venue.text() == "FIL Lisbon"  # their change is shown
    assert "Priya changed this event just now: venue" in events_tab.editor.message.text()
    events_tab.context.undo_stack.undo()  # one undo step: my rename only
    assert events_tab.events.get(event_id).name == "FinTech Forum"
    assert events_tab.events.get(event_id).venue == "FIL Lisbon"


@pytest.mark.parametrize(
    ("button", "venue"), [("conflictKeepMine", "Web Summit"), ("conflictTakeTheirs", "FIL")]
)
def test_event_same_field_asks_keep_mine_or_take_theirs(
    qtbot: Any,
    events_tab: EventsTab,
    monkeypatch: pytest.MonkeyPatch,
    button: str,
    venue: str,
) -> None:
    event_id = _open_event(events_tab)
    priya = _as_priya(events_tab.context.db)
    try:
        EventService(priya).update(event_id, venue="FIL", description="Bring cards")
    finally:
        priya.close()
    shown: list[str] = []
    _answer_with(monkeypatch, button, shown)
    _type(qtbot, events_tab.editor.venue, "Web Summit")
    assert shown == ["<b>Priya changed this event just now: venue, description</b>"]
    saved = events_tab.events.get(event_id)
    assert (saved.venue, saved.description) == (venue, "Bring cards")
    assert events_tab.editor.venue.text() == venue


def test_organisation_teammates_other_field_is_kept_and_mine_added(
    qtbot: Any, organisations_tab: OrganisationsTab
) -> None:
    tab = organisations_tab
    org, _ = tab.service.create("ACM")
    tab.reload()
    tab.select(org.id)
    priya = _as_priya(tab.context.db)
    try:
        OrganisationService(priya).update(org.id, notes="Chapter meets on Tuesdays")
    finally:
        priya.close()
    _type(qtbot, tab.website_edit, "acm.example")
    saved = tab.service.get(org.id)
    assert (saved.website, saved.notes) == ("https://acm.example", "Chapter meets on Tuesdays")
    assert tab.notes_edit.toPlainText() == "Chapter meets on Tuesdays"
    assert "Priya changed this organisation just now: notes" in tab.message.text()


@pytest.mark.parametrize(
    ("button", "goal"),
    [("conflictKeepMine", "Speak once a year"), ("conflictTakeTheirs", "Attend monthly")],
)
def test_organisation_same_field_asks_keep_mine_or_take_theirs(
    qtbot: Any,
    organisations_tab: OrganisationsTab,
    monkeypatch: pytest.MonkeyPatch,
    button: str,
    goal: str,
) -> None:
    tab = organisations_tab
    org, _ = tab.service.create("ACM")
    tab.reload()
    tab.select(org.id)
    priya = _as_priya(tab.context.db)
    try:
        OrganisationService(priya).update(org.id, activity_goal="Attend monthly")
    finally:
        priya.close()
    shown: list[str] = []
    _answer_with(monkeypatch, button, shown)
    _type(qtbot, tab.goal_edit, "Speak once a year")
    assert shown == ["<b>Priya changed this organisation just now: activity goal</b>"]
    assert tab.service.get(org.id).activity_goal == goal
    assert tab.goal_edit.text() == goal


def test_organisation_merge_per_field(
    qtbot: Any, organisations_tab: OrganisationsTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two clashing fields in one save (the fee with its currency): mine for one, theirs
    for the other."""
    tab = organisations_tab
    org, _ = tab.service.create("ACM", renewal_fee_cents=10000, currency="EUR")
    tab.reload()
    tab.select(org.id)
    priya = _as_priya(tab.context.db)
    try:
        OrganisationService(priya).update(org.id, renewal_fee_cents=12000)
    finally:
        priya.close()

    def answer(dialog: ConflictDialog) -> int:
        dialog.findChild(QPushButton, "conflictMerge").click()  # mine is checked by default
        return int(dialog.result())

    monkeypatch.setattr(ConflictDialog, "exec", answer)
    _type(qtbot, tab.fee_edit, "99.50")
    assert tab.service.get(org.id).renewal_fee_cents == 9950

"""First-week fixes in the event editor: quick-add keeps its layout and tab order, the header
never moves the tabs, nothing overflows at 1200 px, quick-add meets industry goals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from sqlalchemy import select

from planner.core.events import EventService
from planner.db import models as m
from planner.ui.context import TabContext
from planner.ui.tabs.events_tab import EventsTab
from planner.ui.widgets.event_editor import EventEditor


@pytest.fixture
def tab(qtbot: Any, tab_context: TabContext) -> EventsTab:
    widget = EventsTab(tab_context)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    qtbot.waitUntil(lambda: not widget.data_pending())  # type: ignore[attr-defined]
    qtbot.waitExposed(widget)
    return widget


def _met_page(tab: EventsTab, name: str = "Fintech Forum", **fields: Any) -> EventEditor:
    event_id = tab.events.create(name, starts_local=datetime(2020, 5, 4, 9), **fields)[0].id
    tab.refresh()
    tab.select_event(event_id)
    editor = tab.editor
    for i in range(editor.pages.count()):
        if "Met" in editor.pages.tabText(i):
            editor.pages.setCurrentIndex(i)
    QApplication.processEvents()
    return editor


def _top(widget: QWidget, ancestor: QWidget) -> int:
    return widget.mapTo(ancestor, QPoint(0, 0)).y()


def test_typing_a_name_does_not_move_note_and_tab_goes_to_note(qtbot: Any, tab: EventsTab) -> None:
    editor = _met_page(tab)
    note_top = _top(editor.met_note, editor)
    editor.quick_add.setFocus()
    qtbot.keyClicks(editor.quick_add, "Ana Ruiz, Globex, Head of Data")
    QApplication.processEvents()
    assert "Role: Head of Data" in editor.quick_preview.text()
    assert _top(editor.met_note, editor) == note_top  # a click aimed at Note lands on Note

    qtbot.keyClick(editor.quick_add, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.met_note
    qtbot.keyClicks(QApplication.focusWidget(), "Fraud ML, send the paper")
    qtbot.keyClick(editor.met_note, Qt.Key.Key_Return)
    detail = tab.events.detail(editor.event_id or 0)
    assert [(a.contact_name, a.note) for a in detail.attendees] == [
        ("Ana Ruiz", "Fraud ML, send the paper")
    ]


def test_tab_order_follows_reading_order(tab: EventsTab) -> None:
    editor = _met_page(tab)
    chain = [editor.quick_add]
    widget: QWidget = editor.quick_add
    for _ in range(5):
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget = widget.nextInFocusChain()
        chain.append(widget)
    assert chain == [
        editor.quick_add,
        editor.met_note,
        editor.met_industry,
        editor.met_relationship,
        editor.quick_add_button,
        editor.existing_button,
    ]


def test_header_keeps_the_tabs_in_place(qtbot: Any, tab: EventsTab) -> None:
    editor = _met_page(tab, name="Short")
    pages_top = _top(editor.pages, editor)
    editor.show_message("Marked Ana Ruiz as met (new contact added).")
    QApplication.processEvents()
    assert _top(editor.pages, editor) == pages_top
    editor.show_message("")
    venue = "Centro de Congressos de Lisboa, Praça das Indústrias 1, 1300-307 Lisboa, " * 3
    name = "The Very Long Annual International Networking Conference on Things " * 2
    tab.events.update(editor.event_id or 0, venue=venue, name=name)
    editor.reload()
    QApplication.processEvents()
    assert _top(editor.pages, editor) == pages_top
    assert editor.subtitle.is_elided() and venue.strip() in editor.subtitle.toolTip()
    assert editor.title.is_elided() and editor.title.toolTip() == name.strip()
    assert editor.width() <= tab.width()


def test_met_page_fits_1200_px_without_a_horizontal_scrollbar(qtbot: Any, tab: EventsTab) -> None:
    editor = _met_page(tab)
    long_org = "Globex Financial Services International Holdings"
    for i in range(3):
        editor.mark_met(quick_add=f"Maria Fernanda de la Cruz Oliveira {i}, {long_org}, CTO")
    editor.quick_add.setText(
        "Maria Fernanda de la Cruz Oliveira, Globex Financial Services International, "
        "Head of Data Platform Engineering, maria@globex.example"
    )
    QApplication.processEvents()
    area = editor.quick_add.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    assert not area.horizontalScrollBar().isVisible()
    viewport = area.viewport()
    for button in (editor.existing_button, editor.followups_button, editor.quick_add_button):
        right = button.mapTo(viewport, QPoint(button.width(), 0)).x()
        assert right <= viewport.width(), button.objectName()
    table = editor.attendees
    last = table.horizontalHeader().sectionViewportPosition(5) + table.columnWidth(5)
    assert last <= table.viewport().width()


def test_quick_add_counts_towards_an_industry_goal(qtbot: Any, tab: EventsTab) -> None:
    event_id = tab.events.create("Fintech night", starts_local=datetime(2020, 5, 4, 9))[0].id
    tab.events.add_goal(event_id, "meet_new", target=5, industry="Fintech", relationship="peer")
    editor = _met_page(tab, name="Other")
    tab.select_event(event_id)
    assert editor.met_industry.text() == "Fintech"
    assert editor.met_relationship.currentData() == "peer"
    qtbot.keyClicks(editor.quick_add, "Ana Ruiz, Globex")
    qtbot.keyClick(editor.quick_add, Qt.Key.Key_Return)
    # The line itself can say it too: "in <industry>" and a relationship word.
    qtbot.keyClicks(editor.quick_add, "Bo Li, Initech, in Insurance, mentor")
    assert "Industry: Insurance" in editor.quick_preview.text()
    qtbot.keyClick(editor.quick_add, Qt.Key.Key_Return)
    goal = tab.events.goals(event_id)[0]
    assert (goal.progress, goal.target) == (1, 5)
    with tab.context.db.session() as s:
        people = {
            c.name: (c.industry, c.relationship, c.organisation)
            for c in s.scalars(select(m.Contact))
        }
    assert people == {
        "Ana Ruiz": ("Fintech", "peer", "Globex"),
        "Bo Li": ("Insurance", "mentor", "Initech"),
    }
    assert editor.met_industry.text() == "Fintech"  # ready for the next person


def test_service_rejects_an_unknown_relationship(tab: EventsTab) -> None:
    from planner.core.errors import ValidationError

    service: EventService = tab.events
    event_id = service.create("X")[0].id
    with pytest.raises(ValidationError):
        service.mark_met(event_id, quick_add="Ana", relationship="frenemy")


def test_narrow_list_keeps_the_event_name_readable(qtbot: Any, tab: EventsTab) -> None:
    from planner.ui.widgets.event_list import EventTableModel

    tab.events.create("Volunteer Day at the Food Bank 2027", starts_local=datetime(2027, 1, 11))
    tab.refresh()
    tab.splitter.setSizes([260, 940])  # what QT_SCALE_FACTOR=2 leaves the list at 1366 px
    QApplication.processEvents()
    view = tab.view
    qtbot.waitUntil(lambda: view.isColumnHidden(EventTableModel.COL_TYPE))
    wide = view.fontMetrics().horizontalAdvance("M" * 8)
    assert view.columnWidth(EventTableModel.COL_NAME) >= wide
    tab.splitter.setSizes([700, 500])
    qtbot.waitUntil(lambda: not view.isColumnHidden(EventTableModel.COL_TYPE))


def _details_area(editor: EventEditor) -> QScrollArea:
    area = editor.name.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    return area


def test_details_fit_a_200_percent_screen_with_the_end_date_in_view(
    qtbot: Any, tab: EventsTab
) -> None:
    event_id = tab.events.create("Volunteer Day", starts_local=datetime(2027, 1, 12, 9))[0].id
    tab.refresh()
    tab.select_event(event_id)
    editor = tab.editor
    tab.resize(683, 340)  # 1366x768 at QT_SCALE_FACTOR=2, less the menu, tabs and status bar
    tab.splitter.setSizes([260, 423])
    QApplication.processEvents()
    area = _details_area(editor)
    qtbot.wait(50)  # the page lays out again once the dates have folded
    assert not area.horizontalScrollBar().isVisible()
    viewport = area.viewport()
    right = editor.ends.mapTo(viewport, QPoint(editor.ends.width(), 0)).x()
    assert right <= viewport.width()
    assert _top(editor.ends, editor) > _top(editor.starts, editor)  # folded under the start
    # Tab still goes from the start to the end.
    widget = editor.starts.nextInFocusChain()
    while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or editor.starts.isAncestorOf(widget):
        widget = widget.nextInFocusChain()
    assert widget is editor.ends or editor.ends.isAncestorOf(widget)

    tab.resize(1200, 760)
    tab.splitter.setSizes([500, 700])
    qtbot.wait(50)
    assert _top(editor.ends, editor) == _top(editor.starts, editor)  # one line when it fits

"""The Events tab driven through its widgets: plan, meet people, follow up, undo, reopen."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton
from sqlalchemy import func, select

from planner.core.changes import Changes
from planner.core.contact_rows import new_contact
from planner.core.events import EventService
from planner.core.pitches import PitchService
from planner.core.questions import QuestionService
from planner.db import models as m
from planner.db.database import Database, open_database
from planner.ui.context import TabContext
from planner.ui.dialogs.event_contact_dialog import EventContactDialog
from planner.ui.dialogs.event_goal_dialog import EventGoalDialog
from planner.ui.dialogs.question_bank_dialog import QuestionBankDialog
from planner.ui.tabs.events_tab import EventsTab
from planner.ui.widgets.event_editor import GoalRow
from planner.ui.widgets.event_list import EventTableModel

Accepted = QDialog.DialogCode.Accepted


def _count(db: Database, model: Any) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count(model.id))) or 0)


@pytest.fixture
def tab(qtbot: Any, tab_context: TabContext) -> EventsTab:
    widget = EventsTab(tab_context)
    qtbot.addWidget(widget)
    widget.resize(1200, 780)
    widget.show()
    qtbot.waitUntil(lambda: not widget.data_pending())  # type: ignore[attr-defined]
    return widget


def _patch_exec(monkeypatch: pytest.MonkeyPatch, cls: type, fill: Any) -> None:
    def fake_exec(self: Any) -> QDialog.DialogCode:
        fill(self)
        return Accepted

    monkeypatch.setattr(cls, "exec", fake_exec)


def test_model_passes_modeltester(qtmodeltester: Any, db: Database) -> None:
    service = EventService(db)
    service.create("Past", starts_local=datetime(2020, 1, 1, 9, 0))
    service.create("Future", starts_local=datetime(2099, 1, 1, 9, 0))
    model = EventTableModel()
    model.set_rows(service.list())
    qtmodeltester.check(model)
    assert model.data(model.index(0, EventTableModel.COL_NAME)) == "Future"


def test_plan_meet_and_follow_up(
    qtbot: Any, tab: EventsTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tab.context.db
    stack = tab.context.undo_stack
    with db.session() as s:
        grace = new_contact(s, "Grace Hopper", organisation="Navy", industry="Fintech").id
    pitch = PitchService(db).create("Data lead", "I help banks spot fraud sooner, and I like it.")
    editor = tab.editor

    # Plan: a new event, named by typing.
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    event_id = editor.event_id
    assert event_id is not None
    assert tab.model.rowCount() == 1
    editor.name.selectAll()
    qtbot.keyClicks(editor.name, "FinTech Forum 2026")
    qtbot.keyClick(editor.name, Qt.Key.Key_Return)
    assert tab.events.get(event_id).name == "FinTech Forum 2026"
    assert editor.title.text() == "FinTech Forum 2026"
    editor.status.setCurrentIndex(editor.status.findData("registered"))
    editor.status.activated.emit(editor.status.currentIndex())
    assert tab.events.get(event_id).status == "registered"
    assert editor.checklist.count() > 3  # the starter list

    # Goals: meet two new people in fintech, and talk to Grace.
    def meet_goal(d: EventGoalDialog) -> None:
        d.kind.setCurrentIndex(d.kind.findData("meet_new"))
        d.meet_target.setValue(2)
        d.industry.setText("fintech")

    _patch_exec(monkeypatch, EventGoalDialog, meet_goal)
    qtbot.mouseClick(editor.add_goal_button, Qt.MouseButton.LeftButton)

    def talk_goal(d: EventGoalDialog) -> None:
        d.kind.setCurrentIndex(d.kind.findData("talk_to"))
        d.contact.search.setText("grace")
        d.contact.refresh()

    _patch_exec(monkeypatch, EventGoalDialog, talk_goal)
    qtbot.mouseClick(editor.add_goal_button, Qt.MouseButton.LeftButton)
    rows = editor.findChildren(GoalRow)
    assert [r.goal.label for r in rows] == ["Meet 2 new people in fintech", "Talk to Grace Hopper"]
    assert all(r.bar.value() == 0 for r in rows)

    # Pitch: chosen from the library, tailored here; live length; the library copy stays.
    index = editor.pitch_choice.findData(pitch.id)
    editor.pitch_choice.setCurrentIndex(index)
    editor.pitch_choice.activated.emit(index)
    assert "fraud" in editor.pitch_text.toPlainText()
    editor.pages.setCurrentIndex(2)
    editor.pitch_text.setFocus()
    qtbot.keyClick(editor.pitch_text, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.pitch_text, " Fintech crowd!")
    assert editor.pitch_length.text().startswith("12 words")
    editor.pitch_text.commit()
    assert tab.events.get(event_id).pitch_text.endswith("Fintech crowd!")
    assert PitchService(db).get(pitch.id).text.endswith("I like it.")

    # Questions: two open ones and a closed one of our own, with a gentle warning.
    def pick_questions(d: QuestionBankDialog) -> None:
        for row in range(2):
            d.list.item(row).setCheckState(Qt.CheckState.Checked)
        d.new_text.setText("Do you like fintech?")
        assert d.hint.text()  # the closed-question hint shows while typing
        d._on_add()

    _patch_exec(monkeypatch, QuestionBankDialog, pick_questions)
    qtbot.mouseClick(editor.choose_questions_button, Qt.MouseButton.LeftButton)
    assert editor.question_list.count() == 3
    assert "yes or no" in editor.question_warning.text()

    # At the event: Grace (existing) and Ana (quick-added) are met.
    def pick_grace(d: EventContactDialog) -> None:
        d.search.search.setText("Hopper")
        d.search.refresh()
        d.text.setText("Mentoring chat")

    _patch_exec(monkeypatch, EventContactDialog, pick_grace)
    qtbot.mouseClick(editor.existing_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.quick_add, "Ana Ruiz, Globex, Head of Data")
    assert "Role: Head of Data" in editor.quick_preview.text()
    qtbot.keyClicks(editor.met_note, "Fraud ML")
    qtbot.keyClick(editor.met_note, Qt.Key.Key_Return)
    assert editor.quick_add.text() == ""
    assert editor.attendees.rowCount() == 2
    assert editor.attendees.item(1, 0).text() == "Ana Ruiz"
    with db.session() as s:
        ana = s.scalar(select(m.Contact).where(m.Contact.name == "Ana Ruiz"))
        assert ana is not None and ana.how_met_event_id == event_id
        ana.industry = "FinTech"
    tab.context.bus.changed.emit(Changes.all("contacts"))
    progress = {r.goal.label: r.bar.value() for r in editor.findChildren(GoalRow)}
    assert progress == {"Meet 2 new people in fintech": 2, "Talk to Grace Hopper": 1}
    assert tab.events.goals(event_id)[1].contact_id == grace

    # Follow-ups, twice: exactly two.
    with qtbot.waitSignal(tab.context.bus.changed):
        qtbot.mouseClick(editor.followups_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.followups_button, Qt.MouseButton.LeftButton)
    assert "already has a follow-up" in editor.message.text()
    with db.session() as s:
        followups = list(s.scalars(select(m.FollowUp)))
    assert len(followups) == 2
    event = tab.events.get(event_id)
    days = tab.context.settings.preferences.followup_days_after_event
    assert event.ends_local is not None
    assert {f.due_date for f in followups} == {event.ends_local.date() + timedelta(days=days)}
    assert {f.purpose for f in followups} == {"Follow up after FinTech Forum 2026"}
    assert editor.attendees.item(0, 5).text() == "✓"

    # Every step undoes, back to an empty database; and redoes.
    steps = stack.count()
    assert steps >= 10
    while stack.canUndo():
        stack.undo()
    assert _count(db, m.EventPlan) == 0
    assert _count(db, m.FollowUp) == 0
    assert _count(db, m.Touchpoint) == 0
    assert _count(db, m.Contact) == 1  # Grace only; Ana was quick-added
    assert len(QuestionService(db).list()) == 11
    assert tab.model.rowCount() == 0
    while stack.canRedo():
        stack.redo()
    assert _count(db, m.FollowUp) == 2
    assert _count(db, m.Contact) == 2
    detail = tab.events.detail(event_id)
    assert detail.event.name == "FinTech Forum 2026"
    assert [g.progress for g in detail.goals] == [2, 1]
    assert len(detail.questions) == 3


def test_survives_restart(qtbot: Any, tab: EventsTab, db_target: Path | str) -> None:
    editor = tab.editor
    tab.new_item()
    event_id = editor.event_id
    assert event_id is not None
    editor.new_check_item.setText("Charge the phone")
    qtbot.keyClick(editor.new_check_item, Qt.Key.Key_Return)
    editor.quick_add.setText("Zoë Ørsted, Acme")
    qtbot.mouseClick(editor.quick_add_button, Qt.MouseButton.LeftButton)
    editor.takeaways.setFocus()
    qtbot.keyClicks(editor.takeaways, "Open banking moves fast")
    editor.takeaways.commit()
    tab.context.db.close()

    again = open_database(db_target)
    try:
        detail = EventService(again).detail(event_id)
        assert detail.checklist[-1].text == "Charge the phone"
        assert [a.contact_name for a in detail.attendees] == ["Zoë Ørsted"]
        assert detail.event.takeaways == "Open banking moves fast"
    finally:
        again.close()


def test_list_filters_search_and_delete_undo(qtbot: Any, tab: EventsTab) -> None:
    service = tab.events
    today = date.today()
    soon = service.create(
        "Soon meetup",
        event_type="meetup",
        starts_local=datetime.combine(today + timedelta(days=3), datetime.min.time()),
    )[0].id
    service.create(
        "Old conference",
        event_type="conference",
        status="attended",
        starts_local=datetime.combine(today - timedelta(days=30), datetime.min.time()),
        venue="Lisboa",
    )
    tab.context.bus.changed.emit(Changes.all("events"))
    assert [tab.model.row_at(i).name for i in range(2)] == ["Soon meetup", "Old conference"]
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("attended"))
    assert tab.model.rowCount() == 1
    tab.status_filter.setCurrentIndex(0)
    tab.type_filter.setCurrentIndex(tab.type_filter.findData("meetup"))
    assert tab.model.rowCount() == 1 and tab.model.row_at(0).id == soon
    tab.type_filter.setCurrentIndex(0)
    tab.focus_search()
    qtbot.keyClicks(tab.search, "lisboa")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert tab.model.row_at(0).name == "Old conference"
    tab.search.clear()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2)

    tab.select_event(soon)
    tab.editor.checklist.setFocus()
    tab.editor.checklist.setCurrentRow(0)
    items = len(tab.events.detail(soon).checklist)
    tab.delete_selected()  # Del in the checklist removes the item, not the event
    assert len(tab.events.detail(soon).checklist) == items - 1
    assert tab.model.rowCount() == 2
    tab.view.setFocus()
    tab.delete_selected()
    assert tab.model.rowCount() == 1
    assert tab.editor.event_id != soon
    tab.context.undo_stack.undo()
    assert tab.model.rowCount() == 2
    assert tab.events.get(soon).name == "Soon meetup"


def test_validation_error_changes_nothing(qtbot: Any, tab: EventsTab) -> None:
    tab.new_item()
    editor = tab.editor
    before = tab.context.undo_stack.count()
    editor.name.clear()
    qtbot.keyClick(editor.name, Qt.Key.Key_Return)
    assert editor.message.isVisible()
    assert "name" in editor.message.text().lower()
    assert tab.events.get(editor.event_id or 0).name == "New event"
    assert editor.name.text() == "New event"
    assert tab.context.undo_stack.count() == before


def test_checklist_tick_and_manual_goal_progress(qtbot: Any, tab: EventsTab) -> None:
    tab.new_item()
    editor = tab.editor
    event_id = editor.event_id or 0
    editor.checklist.setCurrentRow(1)
    editor.checklist.item(1).setCheckState(Qt.CheckState.Checked)
    assert tab.events.detail(event_id).checklist[1].done
    assert editor.checklist.currentRow() == 1  # the keyboard stays on the ticked item
    tab.events.add_goal(event_id, "learn_about", topic="open banking")
    tab.context.bus.changed.emit(Changes.all("events"))
    row = editor.findChildren(GoalRow)[0]
    assert row.spin is not None
    row.spin.setValue(1)
    qtbot.waitUntil(lambda: tab.events.goals(event_id)[0].progress == 1)
    assert editor.findChildren(GoalRow)[0].bar.value() == 1
    tab.context.undo_stack.undo()
    assert tab.events.goals(event_id)[0].progress == 0


def test_new_database_gets_starter_questions(qtbot: Any, tmp_path: Path, settings: Any) -> None:
    from planner.paths import AppPaths
    from planner.ui.main_window import MainWindow

    paths = AppPaths(tmp_path / "d", tmp_path / "c", tmp_path / "l")
    window = MainWindow(paths, settings)
    qtbot.addWidget(window)
    assert window.open_database(tmp_path / "fresh.sqlite3")
    assert window.db is not None
    assert len(QuestionService(window.db).list()) == 11
    window.tab("eventsTab")  # built when first needed
    buttons = {b.objectName() for b in window.findChildren(QPushButton)}
    assert "newEventButton" in buttons
    window.db.close()


def test_show_item_selects_the_event(qtbot: Any, tab: EventsTab) -> None:
    first = tab.events.create("First", starts_local=datetime(2099, 1, 1, 9, 0))[0].id
    second = tab.events.create("Second", starts_local=datetime(2099, 2, 1, 9, 0))[0].id
    tab.context.bus.changed.emit(Changes.all("events"))
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("attended"))
    tab.show_item("event", second)
    assert tab.editor.event_id == second
    assert tab.status_filter.currentIndex() == 0  # filters cleared to show it
    assert tab.model.row_at(tab.view.currentIndex().row()).id == second  # type: ignore[union-attr]
    assert first != second


def test_remove_from_met_and_undo(qtbot: Any, tab: EventsTab) -> None:
    tab.new_item()
    editor = tab.editor
    event_id = editor.event_id or 0
    editor.quick_add.setText("Ana Ruiz, Globex")
    editor.met_note.setText("Fraud ML")
    qtbot.mouseClick(editor.quick_add_button, Qt.MouseButton.LeftButton)
    editor.attendees.setCurrentCell(0, 0)
    with qtbot.waitSignal(tab.context.bus.changed):
        qtbot.mouseClick(editor.unmark_button, Qt.MouseButton.LeftButton)
    assert editor.attendees.rowCount() == 0
    assert _count(tab.context.db, m.Contact) == 1  # the contact stays; only "met" is undone
    assert _count(tab.context.db, m.Touchpoint) == 0
    tab.context.undo_stack.undo()
    attendees = tab.events.detail(event_id).attendees
    assert [(a.contact_name, a.note) for a in attendees] == [("Ana Ruiz", "Fraud ML")]
    assert editor.attendees.item(0, 4).text() == "Fraud ML"
    editor.attendees.item(0, 4).setText("Fraud ML; send the paper")
    assert tab.events.detail(event_id).attendees[0].note == "Fraud ML; send the paper"
    with tab.context.db.session() as s:
        touch = s.scalar(select(m.Touchpoint))
        assert touch is not None and touch.note == "Fraud ML; send the paper"
    tab.context.undo_stack.undo()
    assert tab.events.detail(event_id).attendees[0].note == "Fraud ML"

"""The question bank dialog: named commands for add/edit/delete; picks survive undo."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import delete, select

from planner.core.changes import Changes
from planner.core.questions import QuestionService
from planner.db import models as m
from planner.db.database import Database
from planner.ui.bus import Bus
from planner.ui.commands.library import AddQuestion, DeleteQuestion, EditQuestion
from planner.ui.dialogs.question_bank_dialog import QuestionBankDialog


def _empty_bank(db: Database) -> None:
    """Start without the starter questions every database is seeded with."""
    with db.session() as s:
        s.execute(delete(m.Question))


def _open(qtbot: Any, service: QuestionService, stack: QUndoStack, bus: Bus | None = None
          ) -> QuestionBankDialog:  # fmt: skip
    dialog = QuestionBankDialog(service, [], stack.push, bus=bus)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_question_bank_add_edit_delete_undo(qtbot: Any, db: Database) -> None:
    _empty_bank(db)
    stack = QUndoStack()
    service = QuestionService(db)
    dialog = _open(qtbot, service, stack)
    dialog.new_text.setFocus()
    qtbot.keyClicks(dialog.new_text, "Are you hiring?")
    assert "yes/no" in dialog.hint.text()
    dialog.new_tags.setText("jobs")
    qtbot.keyClick(dialog.new_text, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter adds; it does not close the dialog
    added = service.list()[0]
    assert added.text == "Are you hiring?" and added.tags == ("jobs",)
    assert dialog.picked_ids() == [added.id]  # a new question is picked for the event
    assert dialog.list.item(0).text().startswith("⚠")
    assert dialog.tag.findData("jobs") > 0
    dialog.list.setCurrentRow(0)
    assert dialog.new_text.text() == "Are you hiring?"
    dialog.new_text.setText("What kind of people is your team looking for?")
    assert dialog.hint.text() == ""
    qtbot.mouseClick(dialog.update_button, Qt.MouseButton.LeftButton)
    assert service.get(added.id).text.startswith("What kind")
    assert dialog.list.item(0).text().startswith("What kind")
    dialog.list.setCurrentRow(0)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert service.list() == [] and dialog.list.count() == 0
    assert dialog.picked_ids() == []
    stack.undo()
    assert service.get(added.id).text.startswith("What kind")
    assert dialog.list.count() == 1  # the open list follows undo
    stack.undo()
    assert service.get(added.id).text == "Are you hiring?"
    assert dialog.tag.findData("jobs") > 0
    assert [type(stack.command(i)) for i in range(stack.count())] == [
        AddQuestion,
        EditQuestion,
        DeleteQuestion,
    ]


def test_a_refused_question_leaves_no_undo_step(qtbot: Any, db: Database) -> None:
    stack = QUndoStack()
    service = QuestionService(db)
    before = service.list()
    dialog = _open(qtbot, service, stack)
    dialog.new_text.setText("   ")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.hint.text() and stack.count() == 0
    assert service.list() == before


def test_deleting_a_picked_question_and_undo_put_the_pick_back(db: Database, qapp: object) -> None:
    _empty_bank(db)
    bus, service = Bus(), QuestionService(db)
    seen: list[Changes] = []
    bus.changed.connect(seen.append)
    question = service.create("What are you working on?")
    with db.session() as s:
        event = m.EventPlan(name="Forum", starts_local=datetime(2026, 6, 1, 18, 0))
        s.add(event)
        s.flush()
        event_id = event.id
        s.add(m.EventQuestion(event_id=event_id, question_id=question.id, position=0))
    remove = DeleteQuestion(bus, service, question.id)
    remove.redo()
    assert seen[-1] == Changes.of(questions=[question.id], events=[event_id])
    assert _picks(db, event_id) == []
    remove.undo()
    assert _picks(db, event_id) == [question.id]


def _picks(db: Database, event_id: int) -> list[int]:
    with db.session() as s:
        return list(
            s.scalars(
                select(m.EventQuestion.question_id).where(m.EventQuestion.event_id == event_id)
            )
        )


def test_enter_in_question_fields_adds_and_keeps_the_dialog_open(qtbot: Any, db: Database) -> None:
    stack = QUndoStack()
    service = QuestionService(db)
    dialog = _open(qtbot, service, stack)
    dialog.new_text.setFocus()
    qtbot.keyClicks(dialog.new_text, "What are you reading?")
    dialog.new_tags.setFocus()
    qtbot.keyClicks(dialog.new_tags, "books")
    qtbot.keyClick(dialog.new_tags, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    added = [q for q in service.list() if q.text == "What are you reading?"]
    assert [q.tags for q in added] == [("books",)]
    qtbot.keyClicks(dialog.search, "reading")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Enter)
    assert dialog.isVisible()
    qtbot.mouseClick(
        dialog.findChild(QDialogButtonBox, "questionBankButtons").button(
            QDialogButtonBox.StandardButton.Ok
        ),
        Qt.MouseButton.LeftButton,
    )
    assert not dialog.isVisible() and dialog.result() == 1
    assert dialog.picked_ids() == [added[0].id]

"""The pitch library dialog: named commands for new/edit/delete, undo shown in the open list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from sqlalchemy import delete

from planner.core.changes import Changes
from planner.core.pitches import PitchService
from planner.db import models as m
from planner.db.database import Database
from planner.ui.bus import Bus
from planner.ui.commands.library import AddPitch, DeletePitch, EditPitch
from planner.ui.dialogs.pitch_library_dialog import PitchLibraryDialog


def _empty_library(db: Database) -> None:
    """Start without the starter pitches every database is seeded with."""
    with db.session() as s:
        s.execute(delete(m.Pitch))


def _open(qtbot: Any, service: PitchService, stack: QUndoStack, bus: Bus) -> PitchLibraryDialog:
    dialog = PitchLibraryDialog(service, stack.push, bus=bus)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _titles(dialog: PitchLibraryDialog) -> list[str]:
    return [dialog.list.item(i).text() for i in range(dialog.list.count())]


def test_pitch_library_dialog_edits_undoably(qtbot: Any, db: Database) -> None:
    _empty_library(db)
    stack, bus = QUndoStack(), Bus()
    service = PitchService(db)
    seen: list[Changes] = []
    bus.changed.connect(seen.append)
    dialog = _open(qtbot, service, stack, bus)
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    assert [p.title for p in service.list()] == ["New pitch"]
    pid = service.list()[0].id
    assert seen == [Changes.of(pitches=[pid])]
    assert [type(stack.command(i)) for i in range(stack.count())] == [AddPitch]
    assert stack.command(0).text() == "New pitch"
    dialog.title.setText("Short one")
    dialog.text.setPlainText("I build tools for data teams.")
    assert dialog.length.text() == "6 words · about 3 s to say"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert service.list()[0].title == "Short one"
    assert _titles(dialog) == ["Short one"]
    dialog.title.setText("")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "title" in dialog.error.text()
    assert service.list()[0].title == "Short one"
    assert stack.count() == 2  # the refused save left no step
    # Undo while the dialog is open: the list follows the bus.
    stack.undo()
    assert service.list()[0].title == "New pitch" and _titles(dialog) == ["New pitch"]
    stack.redo()
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen_id == pid
    stack.undo()
    assert service.list()[0].title == "New pitch"
    stack.undo()
    assert service.list() == []
    stack.redo()
    stack.redo()
    assert service.list()[0].text == "I build tools for data teams."
    assert service.list()[0].id == pid  # the same id back: an event may point at it


def test_delete_and_undo_with_the_commands_alone(db: Database, qapp: object) -> None:
    _empty_library(db)
    bus, service = Bus(), PitchService(db)
    add = AddPitch(bus, service, "Data lead", "I help banks spot fraud.")
    add.redo()
    assert add.record is not None
    edit = EditPitch(bus, service, add.record, "Data lead (short)", "Fraud, sooner.")
    edit.redo()
    assert service.get(add.record.id).text == "Fraud, sooner."
    edit.undo()
    assert service.get(add.record.id).title == "Data lead"
    remove = DeletePitch(bus, service, add.record.id)
    remove.redo()
    assert service.list() == []
    remove.undo()
    assert service.get(add.record.id).title == "Data lead"


def test_deleting_in_the_dialog_is_one_undo_step(qtbot: Any, db: Database) -> None:
    _empty_library(db)
    service = PitchService(db)
    kept = service.create("Keep me", "")
    service.create("Drop me", "")
    stack, bus = QUndoStack(), Bus()
    dialog = _open(qtbot, service, stack, bus)
    dialog.list.setCurrentRow(_titles(dialog).index("Drop me"))
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert _titles(dialog) == ["Keep me"] and [p.id for p in service.list()] == [kept.id]
    stack.undo()
    assert _titles(dialog) == ["Drop me", "Keep me"]


def test_enter_in_pitch_title_saves_and_keeps_the_dialog_open(qtbot: Any, db: Database) -> None:
    service = PitchService(db)
    dialog = PitchLibraryDialog(service, QUndoStack().push)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.title.setFocus()
    dialog.title.selectAll()
    qtbot.keyClicks(dialog.title, "Renamed")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "Renamed" in [p.title for p in service.list()]

"""ImportContacts alone: handed over after the dialog's import, undo takes every imported
contact back and redo imports them again, each off the GUI thread with one Changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QUndoStack
from sqlalchemy import func, select

from planner.core.changes import Changes
from planner.core.importer import ImportService
from planner.db import models as m
from planner.db.database import Database
from planner.interop.contact_files import read_contacts_file
from planner.ui.bus import Bus
from planner.ui.commands.base import push_done
from planner.ui.commands.imports import IMPORT_CHANGES, ImportContacts


@pytest.fixture
def bus(qapp: object) -> Bus:
    return Bus()


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count(m.Contact.id))))


def test_import_undo_redo(qtbot: Any, db: Database, bus: Bus, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "First Name,Last Name,Email Address\r\n"
        "Ana,Ruiz,ana@x.example\r\nBen,Okafor,ben@x.example\r\n",
        encoding="utf-8",
    )
    service = ImportService(db)
    preview = service.preview(read_contacts_file(path))
    outcome = service.commit(preview, {})
    assert _count(db) == 2
    seen: list[Changes] = []
    bus.changed.connect(seen.append)
    stack = QUndoStack()
    command = ImportContacts(bus, service, preview, {}, outcome, "Import people.csv")
    push_done(stack, command, IMPORT_CHANGES)
    assert stack.count() == 1 and _count(db) == 2  # pushed, not imported twice
    assert seen == [IMPORT_CHANGES]
    stack.undo()
    assert command.running  # off the GUI thread
    qtbot.waitUntil(lambda: not command.running)
    assert _count(db) == 0 and seen[-1] == IMPORT_CHANGES
    stack.redo()
    qtbot.waitUntil(lambda: not command.running)
    assert _count(db) == 2 and len(seen) == 3

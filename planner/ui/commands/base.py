"""The base of every undo command, and `execute`, the one way a view carries out an action.

A command holds the services it calls and the records it needs to go back and forth. Its
`apply()` and `revert()` each make one service call (one transaction) and return the
`Changes` that call reported; `redo()`/`undo()` run them and emit those `Changes` on the bus,
so a view refreshes the same way after an edit, an undo and a redo.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from planner.core.changes import Changes
from planner.core.errors import NotFoundError, ValidationError
from planner.db.errors import ConcurrentEditError, StorageError
from planner.ui.bus import Bus

log = logging.getLogger(__name__)


class Command(QUndoCommand):
    """One user action. Subclasses implement `apply` and `revert`; both only call services."""

    def __init__(self, bus: Bus, text: str) -> None:
        super().__init__(text)
        self.bus = bus
        self._skip_redo = False

    def apply(self) -> Changes:
        """Do (or redo) the action; returns what changed."""
        raise NotImplementedError

    def revert(self) -> Changes:
        """Take the action back; returns what changed."""
        raise NotImplementedError

    def redo(self) -> None:
        if self._skip_redo:  # execute() already carried it out
            self._skip_redo = False
            return
        self._run(self.apply, "redo")

    def undo(self) -> None:
        self._run(self.revert, "undo")

    def _run(self, step: Callable[[], Changes], verb: str) -> None:
        try:
            changes = _plain_conflicts(step)
        except (ValidationError, NotFoundError, StorageError) as exc:
            # The data moved on meanwhile (a row deleted elsewhere), or the database refused
            # (busy, read-only, disk full): say so in plain words, keep the stack.
            log.warning("Could not %s %r: %s", verb, self.text(), exc)
            self.bus.command_failed.emit(f"Could not {verb} “{self.text()}”: {exc}")
            return
        self.bus.changed.emit(changes)


def _plain_conflicts(step: Callable[[], Changes]) -> Changes:
    """A teammate's save landing between our read and our write (team databases) is said
    like any refused edit: where the user acted, nothing written, nothing pushed."""
    try:
        return step()
    except ConcurrentEditError as exc:
        raise ValidationError("", f"{exc} Look at the current version and try again.") from exc


def execute(stack: QUndoStack, command: Command) -> Changes:
    """Carry out `command` now and push it as one undo step; returns what changed.

    A ValidationError or NotFoundError raises here, where the user acted, and nothing is
    pushed, so the stack never holds a step that did not happen.
    """
    changes = _plain_conflicts(command.apply)
    command._skip_redo = True
    stack.push(command)
    command._skip_redo = False
    command.bus.changed.emit(changes)
    return changes

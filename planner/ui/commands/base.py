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
from planner.ui.tasks import Task, run_task, writes_pool

log = logging.getLogger(__name__)


class Command(QUndoCommand):
    """One user action. Subclasses implement `apply` and `revert`; both only call services.

    A command over thousands of rows sets `background = True`: its undo and redo then run
    on a pool thread (`planner.ui.tasks.run_task`) and emit their Changes when done, so the
    window never stalls; `running` is True meanwhile. Background writes run one at a time,
    in the order asked (`writes_pool`).
    """

    background = False

    def __init__(self, bus: Bus, text: str) -> None:
        super().__init__(text)
        self.bus = bus
        self._skip_redo = False
        self.running = False

    def apply(self) -> Changes:
        """Do (or redo) the action; returns what changed."""
        raise TypeError(f"{type(self).__name__} must define apply()")

    def revert(self) -> Changes:
        """Take the action back; returns what changed."""
        raise TypeError(f"{type(self).__name__} must define revert()")

    def redo(self) -> None:
        if self._skip_redo:  # execute() already carried it out
            self._skip_redo = False
            return
        self._run(self.apply, "redo")

    def undo(self) -> None:
        self._run(self.revert, "undo")

    def _run(self, step: Callable[[], Changes], verb: str) -> None:
        if self.background:
            self.running = True
            run_task(
                step,
                self._finished,
                lambda exc: self._failed(verb, exc),
                pool=writes_pool(),
                name=f"{verb} {self.text()}",
            )
            return
        try:
            changes = _plain_conflicts(step)
        except (ValidationError, NotFoundError, StorageError) as exc:
            # The data moved on meanwhile, or the database refused (busy, read-only, disk
            # full): said in plain words, the stack kept.
            self._failed(verb, exc)
            return
        self.bus.changed.emit(changes)

    def _finished(self, changes: Changes) -> None:
        self.running = False
        self.bus.changed.emit(changes)

    def _failed(self, verb: str, exc: BaseException) -> None:
        # The data moved on meanwhile (a row deleted elsewhere): say so, keep the stack.
        self.running = False
        if isinstance(exc, (ValidationError, NotFoundError)):
            log.warning("Could not %s %r: %s", verb, self.text(), exc)
        else:
            log.error("Could not %s %r", verb, self.text(), exc_info=exc)
        self.bus.command_failed.emit(f"Could not {verb} “{self.text()}”: {exc}")


def execute_in_background(
    stack: QUndoStack,
    command: Command,
    on_done: Callable[[Changes], object] | None = None,
    on_error: Callable[[BaseException], object] | None = None,
    progress: Callable[[int, int, str], object] | None = None,
) -> Task[Changes]:
    """Like `execute`, with `apply()` on a pool thread: for actions on thousands of rows.

    The command is pushed (and its Changes emitted) on the GUI thread once it is done; a
    refusal goes to `on_error` and nothing is pushed.
    """
    command.running = True

    def done(changes: Changes) -> None:
        command.running = False
        push_done(stack, command, changes)
        if on_done is not None:
            on_done(changes)

    def failed(exc: BaseException) -> None:
        command.running = False
        if on_error is not None:
            on_error(exc)
        else:
            log.error("%s failed", command.text(), exc_info=exc)

    return run_task(command.apply, done, failed, progress=progress, with_progress=False,
                    pool=writes_pool(), name=command.text())  # fmt: skip


def push_done(
    stack: QUndoStack | Callable[[QUndoCommand], object], command: Command, changes: Changes
) -> None:
    """Push a command whose `apply()` already ran (off the GUI thread: a dialog's import)
    as one undo step, without running it again, and emit its Changes once."""
    push = stack.push if isinstance(stack, QUndoStack) else stack
    command._skip_redo = True
    push(command)
    command._skip_redo = False
    command.bus.changed.emit(changes)


def _plain_conflicts(step: Callable[[], Changes]) -> Changes:
    """A teammate's save landing between our read and our write (team databases) is said
    like any refused edit: where the user acted, nothing written, nothing pushed."""
    try:
        return step()
    except ConcurrentEditError as exc:
        raise ValidationError("", f"{exc} Look at the current version and try again.") from exc


def execute(stack: QUndoStack | Callable[[QUndoCommand], object], command: Command) -> Changes:
    """Carry out `command` now and push it as one undo step; returns what changed.

    `stack` is the undo stack or its `push` (what a dialog is handed). A ValidationError or
    NotFoundError raises here, where the user acted, and nothing is pushed, so the stack
    never holds a step that did not happen.
    """
    changes = _plain_conflicts(command.apply)
    push_done(stack, command, changes)
    return changes

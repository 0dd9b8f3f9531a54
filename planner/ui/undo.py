"""Undo commands built from callables, so each user action is one undo step."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from planner.core.errors import NotFoundError, ValidationError

log = logging.getLogger(__name__)


class CallbackCommand(QUndoCommand):
    """Runs `do` on push and redo, `undo` on undo; both call services, never touch widgets."""

    def __init__(self, text: str, do: Callable[[], object], undo: Callable[[], object]) -> None:
        super().__init__(text)
        self._do = do
        self._undo = undo

    def redo(self) -> None:
        self._do()

    def undo(self) -> None:
        self._undo()


class AppliedCommand(QUndoCommand):
    """An action already carried out when pushed: the first redo() does nothing.

    Doing the work before pushing lets a ValidationError reach the user where they typed
    without leaving a broken step on the stack. Later redos and undos call the services again;
    with `on_error`, a failure there (the row was deleted meanwhile, say) is reported through it
    instead of raising into Qt. `after` runs after every undo and redo (to refresh a view).
    """

    def __init__(
        self,
        text: str,
        redo: Callable[[], object],
        undo: Callable[[], object],
        on_error: Callable[[str], None] | None = None,
        after: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(text)
        self._redo = redo
        self._undo = undo
        self._on_error = on_error
        self._after = after
        self._first = True

    def _run(self, step: Callable[[], object]) -> None:
        if self._on_error is None:
            step()
            return
        try:
            step()
        except (ValidationError, NotFoundError) as exc:
            log.warning("Undo/redo of %r failed: %s", self.text(), exc)
            self._on_error(f"Could not repeat “{self.text()}”: {exc}")
        except Exception as exc:
            log.exception("Undo/redo of %r failed", self.text())
            self._on_error(f"Could not repeat “{self.text()}”: {exc}")

    def redo(self) -> None:
        if self._first:
            self._first = False
        else:
            self._run(self._redo)
        if self._after is not None:
            self._after()

    def undo(self) -> None:
        self._run(self._undo)
        if self._after is not None:
            self._after()

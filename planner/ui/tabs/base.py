"""The one refresh rule for views: refresh what an edit touched now if visible, else on show."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from planner.core.changes import Changes, Kind
from planner.ui.bus import Bus


class ChangeFollower(QObject):
    """Follows `bus.changed` for one view.

    When a `Changes` touches one of `kinds` (all kinds when None): if the view is visible,
    `refresh(changes)` runs at once; otherwise the changes are remembered (merged) and
    `refresh` runs once, with all of them, when the view is next shown. A view therefore never
    reloads while hidden and never misses an edit. `refresh` only reads: views never write to
    the database in response to a change.
    """

    def __init__(
        self,
        view: QWidget,
        bus: Bus,
        refresh: Callable[[Changes], object],
        kinds: Iterable[Kind] | None = None,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._refresh = refresh
        self._kinds: tuple[Kind, ...] = tuple(kinds or ())
        self._pending = Changes()
        view.installEventFilter(self)
        bus.changed.connect(self._on_bus_changed)

    @property
    def dirty(self) -> bool:
        """True when changes are waiting for the view to be shown."""
        return not self._pending.is_empty()

    def mark_dirty(self, changes: Changes | None = None) -> None:
        """Remember changes (everything when None) for the next show, without refreshing."""
        self._pending = self._pending | (changes or Changes.all())

    def _on_bus_changed(self, changes: Changes) -> None:
        if not changes.touches(*self._kinds):
            return
        if self._view.isVisible():
            self._refresh(changes)
        else:
            self._pending = self._pending | changes

    def flush(self) -> None:
        """Refresh now with whatever is pending (nothing happens when nothing is)."""
        if self._pending.is_empty():
            return
        pending, self._pending = self._pending, Changes()
        self._refresh(pending)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Show:
            self.flush()
        return False

"""The one refresh rule for views: refresh what an edit touched now if visible, else on show;
the first read on the first show; and building a big tab in slices."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QWidget

from planner.core.changes import Changes, Kind
from planner.ui.bus import Bus
from planner.ui.tasks import run_task

log = logging.getLogger(__name__)
T = TypeVar("T")


class ChangeFollower(QObject):
    """Follows `bus.changed` for one view.

    When a `Changes` touches one of `kinds` (all kinds when None): if the view is visible,
    `refresh(changes)` runs at once; otherwise the changes are remembered (merged) and
    `refresh` runs once, with all of them, when the view is next shown. A view therefore never
    reloads while hidden and never misses an edit. `refresh` only reads: views never write to
    the database in response to a change.

    With `first_load`, the view reads nothing until it is first shown: then `first_load()`
    runs instead of `refresh` (it reads everything, so the changes made before are in it).
    A tab built in idle time thus costs no query until the user opens it.
    """

    def __init__(
        self,
        view: QWidget,
        bus: Bus,
        refresh: Callable[[Changes], object],
        kinds: Iterable[Kind] | None = None,
        *,
        first_load: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._refresh = refresh
        self._kinds: tuple[Kind, ...] = tuple(kinds or ())
        self._first_load = first_load
        self._pending = Changes() if first_load is None else Changes.all()
        view.installEventFilter(self)
        bus.changed.connect(self._on_bus_changed)

    @property
    def loaded(self) -> bool:
        """False until the first show has started the first read (with `first_load`)."""
        return self._first_load is None

    @property
    def dirty(self) -> bool:
        """True when changes are waiting for the view to be shown."""
        return not self._pending.is_empty()

    def mark_dirty(self, changes: Changes | None = None) -> None:
        """Remember changes (everything when None) for the next show, without refreshing."""
        self._pending = self._pending | (changes or Changes.all())

    def _on_bus_changed(self, changes: Changes) -> None:
        if not changes.touches(*self._kinds) or self._first_load is not None:
            return  # (the first read, still to come, reads everything)
        if self._view.isVisible():
            self._refresh(changes)
        else:
            self._pending = self._pending | changes

    def flush(self) -> None:
        """Refresh now with whatever is pending (nothing happens when nothing is); the
        first read instead, if it has not run yet."""
        if self._first_load is not None:
            load, self._first_load = self._first_load, None
            self._pending = Changes()
            load()
            return
        if self._pending.is_empty():
            return
        pending, self._pending = self._pending, Changes()
        self._refresh(pending)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Show:
            self.flush()
        return False


class FirstRead:
    """A tab's first read, on a worker, and what ends it.

    `start(fetch, show, fail)` runs `fetch` on a worker and `show(result)` back on the GUI
    thread; the answer is dropped when a newer read started meanwhile, or when a read on the
    GUI thread (a user action: `read_here()`) already ended the first read. `finished()` is
    called once, when the first read is over (shown, failed or overtaken); pass a lambda
    that emits the tab's signal: a bound `signal.emit` kept for later raised "Signal source
    has been deleted" in PySide6 6.11.
    """

    def __init__(self, owner: QObject, what: str, finished: Callable[[], object]) -> None:
        self._owner = owner
        self._finished = finished
        self._what = what
        self.loaded = False
        self._reads = 0

    def start(
        self,
        fetch: Callable[[], T],
        show: Callable[[T], object],
        fail: Callable[[BaseException], object],
    ) -> None:
        """`show` returns False when it went on with `follow()` (the read is not over)."""
        self._reads += 1
        self.follow(fetch, show, fail)

    def follow(
        self,
        fetch: Callable[[], T],
        show: Callable[[T], object],
        fail: Callable[[BaseException], object],
    ) -> None:
        """A further step of the current read (from its `show`), dropped as it would be."""
        read = self._reads

        def done(result: Any) -> None:
            if read == self._reads and not self.loaded and show(result) is not False:
                self.finish()

        def failed(exc: BaseException) -> None:
            if read == self._reads and not self.loaded:
                log.error("Could not read %s", self._what, exc_info=exc)
                fail(exc)
                self.finish()

        run_task(fetch, done, failed, owner=self._owner, name=f"read {self._what}")

    def read_here(self) -> None:
        """A read on the GUI thread ends the first read; its answer, still on the way, is
        not shown over this one."""
        if not self.loaded:
            self._reads += 1
            self.finish()

    def finish(self) -> None:
        if not self.loaded:
            self.loaded = True
            self._finished()


def lay_out_now(*views: QAbstractItemView) -> None:
    """Lay out lists just filled, with their scroll bars, before the next paint: Qt does it a
    pass later (a zero timer, then a queued call shows or hides each scroll bar), and a
    paint between showed the columns jump when a scroll bar appeared."""
    for view in views:
        view.doItemsLayout()
        QCoreApplication.sendPostedEvents(view, QEvent.Type.MetaCall)  # only this view's
    settle_layouts()


# Time between two steps of a SlicedBuild.
STEP_GAP_MS = 4


def settle_layouts(passes: int = 8) -> None:
    """Carry out the polish and layout requests that filling a shown view set off, now: each
    answers in a later pass over posted events (a page first shown, then its pane, then the
    window's scroll area), and a paint between two would show the view jump into place."""
    for _ in range(passes):
        for kind in (QEvent.Type.PolishRequest, QEvent.Type.LayoutRequest):
            QCoreApplication.sendPostedEvents(None, kind)


class ShowsWhole:
    """Mixed into a view built by a SlicedBuild (before the Qt class): showing it finishes
    the build first, before Qt lays it out. (Finished from the Show event instead, the steps
    came after the first layout, and a splitter sized the panes they added differently.)"""

    builder: SlicedBuild

    def setVisible(self, visible: bool) -> None:
        if visible and "builder" in self.__dict__:
            self.builder.finish()
        super().setVisible(visible)  # type: ignore[misc]


class SlicedBuild(QObject):
    """Builds the rest of a big view in `steps`, one per turn of the event loop, so no single
    turn freezes the window (an idle build, or the first show of a tab); finished at once
    when the view is shown first, so nobody sees it half built.

    Create it after the view's ChangeFollower: Qt calls the event filter installed last first,
    and the view must be whole before its first read fills it.
    """

    finished = Signal()

    def __init__(self, view: QWidget, steps: Iterable[Callable[[], object]]) -> None:
        super().__init__(view)
        self._view = view
        self._steps = deque(steps)
        view.installEventFilter(self)
        # A few ms between steps, not 0: the event loop then waits for input and paints
        # between two steps (back to back, a step could run in the same wake-up as the work
        # that made the view, or the one before it, and the window froze for both).
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(STEP_GAP_MS)
        self._timer.timeout.connect(self._next)
        self._timer.start()

    @property
    def done(self) -> bool:
        return not self._steps

    def _next(self) -> None:
        if self._steps:
            self._steps.popleft()()
            if self._steps:
                self._timer.start()
            else:
                self._done()

    def finish(self) -> None:
        """Build what is left now."""
        self._timer.stop()
        if not self._steps:
            return
        while self._steps:
            self._steps.popleft()()
        self._done()

    def _done(self) -> None:
        self._view.removeEventFilter(self)  # (every event of the view passed through it)
        self.finished.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Show:
            self.finish()
        return False

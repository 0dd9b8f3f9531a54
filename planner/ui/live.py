"""Teammates' changes reach this window: PostgreSQL notifications -> the bus's changed signal.

planner.db.listen.ChangeListener waits on its own thread; each batch crosses to the GUI thread
through a queued signal and goes out as one `bus.changed(Changes)`, the same signal every view
already follows for local edits.

An SQLite file has no notifications, but a CLI command may write to it while the window is
open: FileWatch polls `PRAGMA data_version` (cheap) and announces such a commit as
`Changes.all()`, so every view reloads.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from planner.core.changes import Changes
from planner.ui.bus import Bus

if TYPE_CHECKING:
    from planner.db.database import Database

log = logging.getLogger(__name__)


def changes_of(batch: dict[str, Any]) -> Changes:
    """{kind: ids or None} -> Changes (None: the whole kind)."""
    parts: dict[str, Any] = {}
    whole = []
    for kind, ids in batch.items():
        if ids is None:
            whole.append(kind)
        else:
            parts[kind] = ids
    changes = Changes.of(**parts)
    return changes | Changes.all(*whole) if whole else changes


class LiveUpdates(QObject):
    """Owns the listener for one open server database; stop() before closing it."""

    arrived = Signal(object)

    def __init__(self, url: str, bus: Bus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from planner.db.listen import ChangeListener

        self.bus = bus
        # Emitted from the listener's thread: Qt queues it to this object's (the GUI) thread.
        self.arrived.connect(self._on_arrived)
        self.listener = ChangeListener(url, self.arrived.emit)

    def start(self, wait: float = 0.0) -> bool:
        """Start listening; with `wait`, block that long for the LISTEN to be in place."""
        return self.listener.start(wait)

    def stop(self) -> None:
        self.listener.stop()

    def _on_arrived(self, batch: dict[str, Any]) -> None:
        changes = changes_of(batch)
        log.debug("Teammates changed %s", changes)
        self.bus.changed.emit(changes)


class FileWatch(QObject):
    """Notices another program's commit to the open SQLite file and refreshes every view.

    The app's own edits move data_version too; each of them is announced on the bus, so the
    value is taken again on every `bus.changed`: only a commit nobody here announced causes a
    reload (at worst, one of our own background writes polled between its commit and its
    announcement reloads the views once more than needed).
    """

    INTERVAL_MS = 2000

    def __init__(self, db: Database, bus: Bus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.bus = bus
        self._seen = db.data_version()
        self._announcing = False
        bus.changed.connect(self._rebaseline)
        self.timer = QTimer(self)
        self.timer.setInterval(self.INTERVAL_MS)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.bus.changed.disconnect(self._rebaseline)

    def poll(self) -> bool:
        """Check once; True when another program committed and the views were told."""
        now = self.db.data_version()
        if now is None or self._seen is None or now == self._seen:
            if self._seen is None:
                self._seen = now
            return False
        self._seen = now
        log.info("The database file was changed by another program; reloading")
        self._announcing = True
        try:
            self.bus.changed.emit(Changes.all())
        finally:
            self._announcing = False
        return True

    def _rebaseline(self, _changes: object) -> None:
        if not self._announcing:
            self._seen = self.db.data_version()

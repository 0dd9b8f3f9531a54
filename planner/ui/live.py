"""Teammates' changes reach this window: PostgreSQL notifications -> the bus's changed signal.

planner.db.listen.ChangeListener waits on its own thread; each batch crosses to the GUI thread
through a queued signal and goes out as one `bus.changed(Changes)`, the same signal every view
already follows for local edits. SQLite databases have no teammates and get no listener.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from planner.core.changes import Changes
from planner.ui.bus import Bus

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

"""Teammates' changes reach this window: PostgreSQL notifications -> the bus's changed signal.

planner.db.listen.ChangeListener connects through `run_task`; then a QSocketNotifier on its
socket wakes the GUI thread when something arrived, which is read without waiting and goes out
as one `bus.changed(Changes)`, the same signal every view already follows for local edits.

An SQLite file has no notifications, but a CLI command may write to it while the window is
open: FileWatch polls `PRAGMA data_version` (cheap) and reports such a commit as
`Changes.all()`, so every view reloads.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from planner.core.changes import Changes
from planner.ui.bus import Bus
from planner.ui.tasks import run_task

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
    # A teammate's edit of a contact may have been its photo.
    parts.setdefault("photos", parts.get("contacts"))
    changes = Changes.of(**parts)
    return changes | Changes.all(*whole) if whole else changes


class LiveUpdates(QObject):
    """Owns the listener for one open server database; stop() before closing it.

    Connecting (a network round trip) runs through `run_task`; once connected, a
    QSocketNotifier on the connection's socket wakes the GUI thread when something arrived
    and `poll()` reads it without waiting. Notifications within `SETTLE_MS` of each other go
    out as one `bus.changed`. A lost connection is reopened after `RETRY_MS`.
    """

    SETTLE_MS = 300
    RETRY_MS = 5000

    def __init__(self, url: str, bus: Bus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from planner.db.listen import ChangeListener

        self.bus = bus
        self.listener = ChangeListener(url)
        self._notifier: QSocketNotifier | None = None
        self._pending: dict[str, Any] = {}
        self._stopped = False
        self._connecting = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(self.SETTLE_MS)
        self._settle.timeout.connect(self._deliver)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(self.RETRY_MS)
        self._retry.timeout.connect(self.start)

    @property
    def ready(self) -> bool:
        """True once the LISTEN is in place (from then on no teammate's change is missed)."""
        return self._notifier is not None

    def start(self) -> None:
        """Connect off the GUI thread; listening starts when that is done."""
        if self._stopped or self._connecting or self.ready:
            return
        self._connecting = True
        run_task(self.listener.connect, self._on_connected, self._on_connect_failed,
                 owner=self, name="connect live updates")  # fmt: skip

    def stop(self) -> None:
        self._stopped = True
        self._retry.stop()
        self._settle.stop()
        self._drop_notifier()
        if not self._connecting:
            self.listener.close()

    def _on_connected(self, _result: object) -> None:
        self._connecting = False
        if self._stopped:
            self.listener.close()
            return
        self._notifier = QSocketNotifier(self.listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)
        # Anything that arrived between LISTEN and now is waiting already.
        self._on_readable()

    def _on_connect_failed(self, exc: BaseException) -> None:
        self._connecting = False
        if not self._stopped:
            log.warning("Live updates: cannot connect (%s); retrying", exc)
            self._retry.start()

    def _on_readable(self, *_args: object) -> None:
        from planner.db.listen import ListenLost, add_to

        try:
            batch = self.listener.poll()
        except ListenLost as exc:
            log.warning("Live updates: connection lost (%s); reconnecting", exc)
            self._drop_notifier()
            if not self._stopped:
                self._retry.start()
            return
        for kind, ids in batch.items():
            add_to(self._pending, kind, ids)
        if batch:
            self._settle.start()  # (re)started: a burst goes out once it has settled

    def _drop_notifier(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None

    def _deliver(self) -> None:
        batch, self._pending = self._pending, {}
        if not batch or self._stopped:
            return
        changes = changes_of(batch)
        log.debug("Teammates changed %s", changes)
        self.bus.changed.emit(changes)


class FileWatch(QObject):
    """Notices another program's commit to the open SQLite file and refreshes every view.

    The app's own edits move data_version too; each of them is sent on the bus, so the
    value is taken again on every `bus.changed`: only a commit nobody here sent causes a
    reload (at worst, one of our own background writes polled between its commit and its
    notice reloads the views once more than needed).
    """

    INTERVAL_MS = 2000

    def __init__(self, db: Database, bus: Bus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.bus = bus
        self._seen = db.data_version()
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
        # Re-based on this very signal too (below): harmless, every view reloads anyway.
        self.bus.changed.emit(Changes.all())
        return True

    def _rebaseline(self, _changes: object) -> None:
        self._seen = self.db.data_version()

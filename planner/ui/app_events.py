"""One application event filter for the app-wide guards (wheel, dialog fitting, Esc discard).

Qt hands every event of every object to an application event filter, and from Python each
call costs a wrapper for the object and one for the event. Three such filters (one per
guard) made building a tab two to four times slower (Organisations: about 25 ms without
them, 65-110 ms with them); this one filter hands only the event types a guard asked for to
that guard, for about a third of that cost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

Handler = Callable[[QObject, QEvent], bool]


class AppEventFilter(QObject):
    """Calls the handlers registered for an event's type; True from one stops the event."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._handlers: dict[QEvent.Type, list[Handler]] = {}

    def add(self, types: Iterable[QEvent.Type], handler: Handler) -> None:
        for kind in types:
            self._handlers.setdefault(kind, []).append(handler)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        handlers = self._handlers.get(event.type())
        if handlers:
            for handler in handlers:
                if handler(watched, event):
                    return True
        return False


def app_event_filter(app: QApplication) -> AppEventFilter:
    """The application's one filter, installed on first use. Kept on the application's
    Python object: app.findChild() wrapped every child of the application to find it."""
    existing = getattr(app, "_planner_event_filter", None)
    if isinstance(existing, AppEventFilter):
        return existing
    shared = AppEventFilter(app)
    app._planner_event_filter = shared  # type: ignore[attr-defined]
    app.installEventFilter(shared)
    QTimer.singleShot(0, app, lambda: _meet_the_application_children(app))
    return shared


def _meet_the_application_children(app: QApplication) -> None:
    """A step of its own for a one-off cost the filter brings. The first event it sees for
    Qt's gesture manager (a private child of the application, there once any scroll area
    exists) makes PySide6 look through every QObject class it has not loaded yet, creating
    their Python types and enums: about 20 ms on the GUI thread. It used to land inside
    whatever came next, e.g. the first tab built in idle time (Contacts: a 45-53 ms freeze
    at 100,000 contacts); meeting the children here pays it alone, between two events."""
    app.children()

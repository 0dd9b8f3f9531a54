"""Desktop notifications for follow-ups that fall due while the app runs, once each.

`follow_ups.notified_at` records that a follow-up was shown to the user, so a restart or a second
check never repeats it. Without a system tray (offscreen, some Linux desktops) the
`notified` signal still fires, which is what the Calendar tab and the tests listen to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from planner.core.followups import AgendaItem, FollowUpService
from planner.db.errors import StorageError
from planner.ui.dates import short_time

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 30_000
FIRST_CHECK_MS = 2_000
# More than this at once become one summary message instead of a stack of pop-ups.
MAX_SINGLE_MESSAGES = 3


def _message(item: AgendaItem) -> tuple[str, str]:
    fu = item.followup
    who = item.contact_name or "Reminder"
    title = f"Follow up: {who}"
    body = fu.purpose or "A follow-up is due."
    if fu.due_time is not None:
        body = f"{short_time(fu.due_time)} {fu.time_zone} — {body}".strip()
    return title, body


def _window_text(items: list[AgendaItem]) -> str:
    if len(items) == 1:
        title, body = _message(items[0])
        return f"{title} — {body}"
    names = "; ".join((i.contact_name or i.followup.purpose) for i in items[:5])
    return f"{len(items)} follow-ups are due: {names}"


class FollowUpNotifier(QObject):
    notified = Signal(int)  # follow-up id, once per follow-up
    open_requested = Signal(int)  # the user clicked the notification for this follow-up
    # No tray (or the user chose the window): (one-line text, first follow-up id) to show in
    # the window.
    in_window = Signal(str, int)

    def __init__(
        self,
        service: FollowUpService,
        *,
        interval_ms: int = CHECK_INTERVAL_MS,
        use_tray: bool | None = None,
        all_day_offset: Callable[[], int] = lambda: 0,
        mode: Callable[[], str] = lambda: "tray",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self._mode = mode
        # Read at each check, so a changed preference applies without a restart.
        self._all_day_offset = all_day_offset
        self._timer = QTimer(self)
        self._timer.setObjectName("followUpNotifierTimer")
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._last_clicked_id: int | None = None
        self._reading = False  # a periodic look's read is running
        self.tray: QSystemTrayIcon | None = None
        available = QSystemTrayIcon.isSystemTrayAvailable() if use_tray is None else use_tray
        if available:
            self.tray = QSystemTrayIcon(self._icon(), self)
            self.tray.setObjectName("followUpTrayIcon")
            self.tray.setToolTip("Networking Planner")
            self.tray.messageClicked.connect(self._on_tray_message_clicked)
            self.tray.show()

    @staticmethod
    def _icon() -> QIcon:
        app = QApplication.instance()
        icon = app.windowIcon() if isinstance(app, QApplication) else QIcon()
        if icon.isNull() and isinstance(app, QApplication):
            icon = app.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        return icon

    def start(self) -> None:
        self._timer.start()
        # The first look waits a moment, so opening the window stays quick.
        QTimer.singleShot(FIRST_CHECK_MS, self, self._on_timer_timeout)

    def stop(self) -> None:
        self._timer.stop()
        if self.tray is not None:
            self.tray.hide()

    def is_running(self) -> bool:
        return self._timer.isActive()

    def _on_timer_timeout(self) -> None:
        """The periodic look: what fell due is read on a worker (a scan of the follow-ups,
        20-30 ms at 100,000 contacts, every 30 s); marking and showing it happens here."""
        from planner.ui.tasks import run_task

        if self._reading:
            return
        self._reading = True
        moment, offset, service = datetime.now(timezone.utc), self._all_day_offset(), self.service

        def done(items: list[AgendaItem]) -> None:
            self._reading = False
            self.check(moment, items)

        def failed(exc: BaseException) -> None:
            self._reading = False
            log.info("Due follow-ups not read yet: %s", type(exc).__name__)

        run_task(
            lambda: service.due_for_notification(moment, offset),
            done,
            failed,
            owner=self,
            name="due follow-ups",
        )

    def check(
        self, now: datetime | None = None, items: list[AgendaItem] | None = None
    ) -> list[int]:
        """Show what fell due by `now` (`items`, when read already); returns the ids shown
        (each only ever once)."""
        moment = now or datetime.now(timezone.utc)
        try:
            if items is None:
                items = self.service.due_for_notification(moment, self._all_day_offset())
            if not items:
                return []
            self.service.mark_notified([i.id for i in items], moment)
        except StorageError as exc:
            # Writes held (the start-up check), read-only, or busy: try again next tick.
            log.info("Due follow-ups not shown yet: %s", type(exc).__name__)
            return []
        except Exception:
            # A closed or locked database must not break the event loop; try next tick.
            log.exception("Checking for due follow-ups failed")
            return []
        self._show(items)
        for item in items:
            self.notified.emit(item.id)
        return [i.id for i in items]

    def _show(self, items: list[AgendaItem]) -> None:
        mode = self._mode()
        if mode == "off":
            log.info("Follow-ups due (notifications off): %s", [i.id for i in items])
            return
        if mode != "tray" or self.tray is None or not QSystemTrayIcon.supportsMessages():
            self.in_window.emit(_window_text(items), items[0].id)
            app = QApplication.instance()
            window = app.activeWindow() if isinstance(app, QApplication) else None
            for widget in QApplication.topLevelWidgets() if window is None else [window]:
                if widget.isWindow() and widget.isVisible():
                    QApplication.alert(widget)  # the taskbar's attention flag
            return
        self._last_clicked_id = items[0].id
        if len(items) > MAX_SINGLE_MESSAGES:
            self.tray.showMessage(
                f"{len(items)} follow-ups are due",
                "; ".join((i.contact_name or i.followup.purpose) for i in items[:5]),
                QSystemTrayIcon.MessageIcon.Information,
            )
            return
        for item in items:
            title, body = _message(item)
            self._last_clicked_id = item.id
            self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information)

    def _on_tray_message_clicked(self) -> None:
        if self._last_clicked_id is not None:
            self.open_requested.emit(self._last_clicked_id)

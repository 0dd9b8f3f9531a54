"""Calendar sync while the window is open: debounced after every change and on start, off the
GUI thread, retried with back-off while the server is out of reach, state in the status bar.

The work itself (`sync_work`) is a plain function over core and interop: `run_task` runs it on
a worker thread. The queue of waiting changes is not kept here: it is the difference between
the database and what was published (core's plan), so it survives a restart as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from planner.core.calendar_sync import CalendarSyncStore, Conflict, SyncReport
from planner.core.changes import Changes
from planner.core.reminders import ReminderQuery, ReminderService
from planner.db.database import Database
from planner.settings import Preferences, SettingsStore
from planner.ui.bus import Bus
from planner.ui.tasks import Task, run_task

log = logging.getLogger(__name__)

# Quiet time after the last change before a sync starts (typing in a field, a bulk edit).
DEBOUNCE_MS = 2000
# Waits between retries while the server cannot be reached: 30 s doubling up to 15 min.
BACKOFF_SECONDS = (30, 60, 120, 300, 600, 900)
# Per request; the command line waits longer (caldav_client.DEFAULT_TIMEOUT_SECONDS).
GUI_TIMEOUT_SECONDS = 10
# How often "synced 2 min ago" is brought up to date.
CLOCK_MS = 30_000
# Preference names whose change means the calendar must be written again.
SYNC_SETTINGS = frozenset(
    {
        "reminder_lead_minutes",
        "all_day_reminder_time",
        "all_day_reminder_day_before",
        "calendar_sync_enabled",
        "calendar_sync_url",
        "calendar_sync_user",
        "calendar_sync_calendar_url",
    }
)


@dataclass(frozen=True)
class SyncAccount:
    """A snapshot of the account for one run (preferences may change meanwhile)."""

    url: str
    user: str
    calendar_url: str
    calendar_name: str
    alarm_minutes: int | None
    all_day_alarm_offset: int | None

    @classmethod
    def from_preferences(cls, prefs: Preferences) -> SyncAccount:
        return cls(
            url=prefs.calendar_sync_url.strip(),
            user=prefs.calendar_sync_user.strip(),
            calendar_url=prefs.calendar_sync_calendar_url.strip(),
            calendar_name=prefs.calendar_sync_calendar_name.strip(),
            alarm_minutes=prefs.reminder_lead_minutes,
            all_day_alarm_offset=prefs.all_day_reminder_offset(),
        )


@dataclass(frozen=True)
class SyncOutcome:
    """What one run found: a report, or the error and how many changes still wait."""

    report: SyncReport | None = None
    error: str = ""
    # "auth", "offline", "not_caldav", "refused", "no_password" when `error` is set.
    error_kind: str = ""
    pending: int = 0
    calendar_url: str = ""
    calendar_name: str = ""


def sync_work(db: Database, account: SyncAccount, replace_conflicts: bool = False) -> SyncOutcome:
    """One sync, for a worker thread: no Qt, every expected failure returned as data."""
    from planner import credentials
    from planner.interop.caldav_client import (
        CalDavAuthError,
        CalDavClient,
        CalDavError,
        CalDavNotCalendarServer,
        CalDavUnreachable,
    )
    from planner.interop.calendar_publish import PublishOptions, plan, publish

    store = CalendarSyncStore(db)
    options = PublishOptions(
        alarm_minutes=account.alarm_minutes,
        all_day_alarm_offset=account.all_day_alarm_offset,
        replace_conflicts=replace_conflicts,
    )
    reminders = ReminderService(db).collect(ReminderQuery())

    def waiting() -> int:
        if not account.calendar_url:
            return reminders.total
        return plan(reminders, store, account.calendar_url, options)[0].pending

    password = credentials.get_password(account.url, account.user)
    if password is None:
        return SyncOutcome(
            error="No password saved: enter it in Preferences > Calendar sync.",
            error_kind="no_password",
            pending=waiting(),
        )
    try:
        # A short timeout: closing the window waits for a request under way.
        with CalDavClient(
            account.url, account.user, password, timeout=GUI_TIMEOUT_SECONDS
        ) as client:
            calendar = client.resolve_calendar(account.calendar_url, account.calendar_name)
            report = publish(client, store, calendar.url, reminders, options)
    except CalDavUnreachable as exc:
        return SyncOutcome(error=exc.message, error_kind="offline", pending=waiting())
    except CalDavAuthError as exc:
        return SyncOutcome(error=exc.message, error_kind="auth", pending=waiting())
    except CalDavNotCalendarServer as exc:
        return SyncOutcome(error=exc.message, error_kind="not_caldav", pending=waiting())
    except CalDavError as exc:
        return SyncOutcome(error=exc.message, error_kind="refused", pending=waiting())
    return SyncOutcome(report=report, calendar_url=calendar.url, calendar_name=calendar.name)


def ago(moment: datetime, now: datetime) -> str:
    """'just now', '2 min ago', '3 h ago', 'on 6 Dec' — for the status bar."""
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 24 * 3600:
        return f"{seconds // 3600} h ago"
    return f"on {moment.astimezone().strftime('%d %b').lstrip('0')}"


class CalendarSyncController(QObject):
    """Keeps the published calendar current while the window is open; one per database."""

    # (text, tooltip) for the status bar; text "" when sync is off.
    state_changed = Signal(str, str)
    # A run finished (the Preferences page shows its conflicts).
    synced = Signal(object)

    def __init__(
        self,
        db: Database,
        settings: SettingsStore,
        bus: Bus,
        parent: QObject | None = None,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._running = False
        self._stopped = False
        self._task: Task[SyncOutcome] | None = None
        self._again = False
        self._replace_next = False
        self._failures = 0
        self.last_synced: datetime | None = None
        self.last_outcome: SyncOutcome | None = None
        self.conflicts: tuple[Conflict, ...] = ()
        self.retry_in: int | None = None
        self._retry_at: datetime | None = None
        self.text = ""
        self.tooltip = ""

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self.sync_now)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.sync_now)
        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_MS)
        self._clock.timeout.connect(self._show_state)
        self._clock.start()

        bus.changed.connect(self._on_bus_changed)

    # --- public -------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        prefs = self.settings.preferences
        return bool(prefs.calendar_sync_enabled and prefs.calendar_sync_url.strip())

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Sync once on start (when set up), then after every change."""
        self._show_state()
        if self.enabled:
            self.sync_now()

    def stop(self) -> None:
        """No more syncs from this controller (database closed, window closing, a test ends);
        a run under way finishes its current request but delivers nothing."""
        self._stopped = True
        for timer in (self._debounce, self._retry, self._clock):
            timer.stop()
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._running = False

    def schedule(self) -> None:
        """A change happened: sync once things have been quiet for a moment."""
        if self._stopped:
            return
        if self.enabled:
            self._debounce.start()
        else:
            self._show_state()

    def replace_conflicts(self) -> None:
        """The user chose to overwrite the server's copies of the conflicting items."""
        self._replace_next = True
        self.sync_now()

    def sync_now(self) -> None:
        self._debounce.stop()
        self._retry.stop()
        self.retry_in = None
        if self._stopped:
            return
        if not self.enabled:
            self._show_state()
            return
        if self._running:
            self._again = True
            return
        self._running = True
        account = SyncAccount.from_preferences(self.settings.preferences)
        replace, self._replace_next = self._replace_next, False
        db = self.db
        self._show_state()
        self._task = run_task(
            lambda: sync_work(db, account, replace),
            self._on_task_done,
            self._on_task_failed,
            owner=self,
            name="calendar sync",
        )

    # --- results ------------------------------------------------------------------------

    def _on_task_done(self, outcome: SyncOutcome) -> None:
        self._running = False
        self._task = None
        self.last_outcome = outcome
        if outcome.report is not None:
            self._failures = 0
            self.last_synced = outcome.report.finished_at or self._now()
            self.conflicts = outcome.report.conflicts
            self._remember_calendar(outcome)
        elif outcome.error_kind == "offline":
            delay = BACKOFF_SECONDS[min(self._failures, len(BACKOFF_SECONDS) - 1)]
            self._failures += 1
            self.retry_in = delay
            self._retry_at = self._now() + timedelta(seconds=delay)
            self._retry.start(delay * 1000)
        self._show_state()
        self.synced.emit(outcome)
        if self._again:
            self._again = False
            self.schedule()

    def _on_task_failed(self, exc: BaseException) -> None:
        log.error("Calendar sync failed", exc_info=exc)
        self._on_task_done(SyncOutcome(error=f"Calendar sync failed: {exc}", error_kind="refused"))

    def _remember_calendar(self, outcome: SyncOutcome) -> None:
        """A calendar found or created by name is kept, so later runs go straight to it."""
        prefs = self.settings.preferences
        if outcome.calendar_url and outcome.calendar_url != prefs.calendar_sync_calendar_url:
            prefs.calendar_sync_calendar_url = outcome.calendar_url
            prefs.calendar_sync_calendar_name = outcome.calendar_name
            try:
                self.settings.save()
            except OSError:
                log.exception("Could not save the calendar chosen for sync")

    def _show_state(self) -> None:
        self.text, self.tooltip = self._describe()
        self.state_changed.emit(self.text, self.tooltip)

    def _describe(self) -> tuple[str, str]:
        if not self.enabled:
            return "", ""
        prefs = self.settings.preferences
        where = prefs.calendar_sync_calendar_name or "your calendar"
        if self._running:
            return "Calendar: syncing…", f"Publishing reminders to {where}"
        outcome = self.last_outcome
        if outcome is None:
            return "Calendar: waiting to sync", f"Reminders are published to {where}"
        if outcome.report is not None and self.last_synced is not None:
            text = f"Calendar synced {ago(self.last_synced, self._now())}"
            tip = f"{where}: {outcome.report.describe()}"
            if self.conflicts:
                n = len(self.conflicts)
                text += f" · {n} conflict{'s' if n != 1 else ''}"
                tip += "\nChanged on the server, left as they are (Preferences > Calendar sync):\n"
                tip += "\n".join(f"• {c.summary}" for c in self.conflicts[:10])
            return text, tip
        waiting = outcome.pending
        changes = f"{waiting:,} change{'s' if waiting != 1 else ''} waiting"
        if outcome.error_kind == "offline":
            retry = ""
            if self.retry_in and self._retry_at is not None:
                # A long wait reads better as a clock time than as a count that goes stale.
                retry = (
                    f"; retrying in {_duration(self.retry_in)}"
                    if self.retry_in < 120
                    else f"; next try at {self._retry_at.astimezone().strftime('%H:%M')}"
                )
            return f"Calendar: {changes} (offline{retry})", outcome.error
        if outcome.error_kind in ("auth", "no_password"):
            return f"Calendar: {changes} (password needed)", outcome.error
        return f"Calendar: {changes} (not synced)", outcome.error

    # --- bus ----------------------------------------------------------------------------

    def _on_bus_changed(self, changes: Changes) -> None:
        if (
            changes.touches("contacts", "follow_ups", "events", "organisations")
            or changes.all_of("settings")
            or changes.settings & SYNC_SETTINGS
        ):
            self.schedule()


def _duration(seconds: int | None) -> str:
    if not seconds:
        return "a moment"
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min"


class CalendarSyncStatus(QLabel):
    """The status bar's calendar state; hidden while sync is off."""

    def __init__(self, controller: CalendarSyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarSyncStatus")
        self.setAccessibleName("Calendar sync status")
        controller.state_changed.connect(self._on_controller_state_changed)
        self._on_controller_state_changed(controller.text, controller.tooltip)

    def _on_controller_state_changed(self, text: str, tooltip: str) -> None:
        self.setText(text)
        self.setToolTip(tooltip)
        self.setVisible(bool(text))

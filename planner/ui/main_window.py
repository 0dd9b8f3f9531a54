"""The main window's behaviour: opens databases, hands the tabs their context, routes the bus.

The widgets are built by `MainWindowView` (main_window_view.py), the tabs by `TabHost`
(tab_host.py, built when first needed), the menu commands that open dialogs live in
main_window_actions.py. The window shows before the database opens (start-up speed): only
what the first paint needs is imported at module level.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from planner.paths import AppPaths
from planner.settings import SettingsStore
from planner.ui.bus import Bus
from planner.ui.main_window_view import MainWindowView
from planner.ui.tab_host import TABS, TabHost, tab_factories, tab_modules

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from planner.ui.calendar_sync import CalendarSyncController
    from planner.ui.live import FileWatch, LiveUpdates

__all__ = ["TABS", "MainWindow", "tab_factories"]

log = logging.getLogger(__name__)

# Which tab shows which kind of item, for bus.open_requested(kind, id).
TAB_FOR_KIND = {
    "contact": "contactsTab",
    "followup": "calendarTab",
    "event": "eventsTab",
    "organisation": "organisationsTab",
}


def _install_wheel_guard() -> None:
    from PySide6.QtWidgets import QApplication

    from planner.ui.discard_guard import install_discard_guard
    from planner.ui.screen_fit import install_dialog_fitter
    from planner.ui.wheel_guard import install_wheel_guard

    app = QApplication.instance()
    if isinstance(app, QApplication):
        install_wheel_guard(app)
        install_dialog_fitter(app)
        install_discard_guard(app)


class MainWindow(MainWindowView):
    """Shown before the database opens (start-up speed); tabs are built once it has."""

    database_opened = Signal()
    database_failed = Signal(str)
    # The current tab shows its data (after database_opened; see TabHost.data_ready).
    data_ready = Signal()

    def __init__(self, paths: AppPaths, settings: SettingsStore) -> None:
        super().__init__()
        # The app-wide guards (wheel, dialog fitting, discard): imported on a worker once the
        # first tab has its data (or the database failed to open), then installed; a worker
        # importing while the window first paints and the database opens took the GIL from
        # the GUI thread (see _import_guards).
        self._guards = "waiting"
        self._opening = False
        self.paths = paths
        self.settings = settings
        # Teammates' changes on a team database (planner.ui.live), None otherwise.
        self.live: LiveUpdates | None = None
        # Another program's commit to the open SQLite file (planner.ui.live), None otherwise.
        self.file_watch: FileWatch | None = None
        self.bus = Bus(self)
        self.undo_stack = QUndoStack(self)
        self.db = None  # planner.db.database.Database once opened
        self.context = None
        # planner.instance_lock.InstanceLock of the open database's file (one writer per file).
        self._lock = None
        # Publishing to a CalDAV calendar (planner/ui/calendar_sync.py), once a database is open.
        self.calendar_sync: CalendarSyncController | None = None
        self._build_view(self.undo_stack)
        self.tab_host = TabHost(self.tabs, self)
        self.tab_host.data_ready.connect(self.data_ready)
        self.data_ready.connect(self._import_guards)
        self._connect()
        state = self.settings.preferences.ui_state.get("main_window", {})
        self.restore_geometry_from(state.get("geometry") if isinstance(state, dict) else None)
        if settings.preferences.theme != "system":
            self.apply_theme()  # before the first paint: no flash of the other theme

    def _connect(self) -> None:
        bus = self.bus
        bus.open_requested.connect(self._on_bus_open_requested)
        bus.followup_requested.connect(self._on_bus_followup_requested)
        bus.command_failed.connect(self._on_bus_command_failed)
        bus.reminder_due.connect(self._on_bus_reminder_due)
        bus.export_reminders_requested.connect(self._on_bus_export_reminders_requested)
        self.reminder_open_requested.connect(
            lambda followup_id: self.bus.open_requested.emit("followup", followup_id)
        )
        for action, slot in (
            (self.open_db_action, lambda: self._act("open_database_dialog")),
            (self.connect_team_action, lambda: self._act("connect_team")),
            (self.backup_action, lambda: self._act("backup")),
            (self.restore_action, lambda: self._act("restore_backup")),
            (self.export_reminders_action, lambda: self._act("export_reminders")),
            (self.preferences_action, lambda: self._act("preferences")),
            (self.quit_action, self.close),
            (self.import_contacts_action, lambda: self._act("import_contacts")),
            (self.export_contacts_action, lambda: self._act("export_contacts")),
            (self.new_action, lambda: self.tab_host.to_current("new_item")),
            (self.delete_action, lambda: self.tab_host.to_current("delete_selected")),
            (self.find_action, lambda: self.tab_host.to_current("focus_search")),
            (self.find_duplicates_action, lambda: self._act("find_duplicates")),
            (self.about_action, lambda: self._act("about")),
        ):
            self.connect_action(action, slot)

    # --- app-wide guards ---------------------------------------------------------------

    def _act(self, name: str, *args: object) -> None:
        """Run a menu command from main_window_actions (imported on first use: showing the
        window does not need it)."""
        from planner.ui import main_window_actions

        getattr(main_window_actions, name)(self, *args)

    def _import_guards(self) -> None:
        """Import the guards' modules on a worker, once: not at start-up, where every worker
        running Python competes with the first paint and the open for the GIL."""
        from planner.ui.database_opener import GUARD_MODULES, import_all
        from planner.ui.tasks import run_task

        if self._guards != "waiting":
            self._install_guards()
            return
        self._guards = "importing"
        run_task(
            lambda: import_all(GUARD_MODULES),
            self._on_guards_imported,
            self._on_guards_imported,
            owner=self,
            name="import guards",
        )

    def _on_guards_imported(self, _result: object) -> None:
        self._guards = "imported"
        self._install_guards()

    def _install_guards(self) -> None:
        """Install the guards, unless the database is opening or the first tab reading: an
        app-wide Python event filter sees every object that gets an event, and PySide then
        creates each new type's enums (about 130 of them, 100-250 ms) on the GUI thread."""
        if self._guards != "imported" or self._opening or self.tab_host.waiting:
            return
        self._guards = "installed"
        _install_wheel_guard()

    # --- bus ----------------------------------------------------------------------------

    def tab(self, name: str) -> QWidget | None:
        """The tab called `name`, built now if it was not yet; None without such a tab."""
        return self.tab_host.tab(name)

    def _on_bus_open_requested(self, kind: str, item_id: int) -> None:
        """Switch to the tab that handles `kind` and let it select the item."""
        tab = self.tab(TAB_FOR_KIND.get(kind, ""))
        if tab is None:
            return
        self.tabs.setCurrentWidget(tab)
        show_item = getattr(tab, "show_item", None)
        if callable(show_item):
            show_item(kind, item_id)

    def _on_bus_followup_requested(self, contact_id: int) -> None:
        """The Calendar tab opens the follow-up dialog; build it first if it is not yet (it
        connects itself then, too late for this request)."""
        if self.tab_host.has_unbuilt("calendarTab"):
            calendar = self.tab("calendarTab")
            handler = getattr(calendar, "_on_bus_followup_requested", None)
            if callable(handler):
                handler(contact_id)

    def _on_bus_export_reminders_requested(self, followup_ids: list[int]) -> None:
        self._act("export_reminders", followup_ids)

    def _on_bus_command_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)

    def _on_bus_reminder_due(self, text: str, followup_id: int) -> None:
        """A follow-up fell due and there is no tray (or the user chose the window)."""
        self.show_reminder_strip(text, followup_id)

    # --- database -------------------------------------------------------------------------

    def adopt_lock(self, lock: object) -> None:
        """The lock start-up took for the first database (before the window showed)."""
        self._lock = lock

    def open_database(self, target: str | Path) -> bool:
        """Open (checking and migrating) and build the tabs; on failure say why, change nothing.

        The file is locked first (one window per file, by identity). Only a quick check runs
        before the tabs are built; the full integrity check follows in the background, and
        writes are held until it passes (on failure the database stays read-only).
        """
        from planner.ui.database_opener import lock_for, open_with_preload

        if self.db is None:
            self.show_opening()
        self.statusBar().showMessage("Opening the database…")
        lock, refused = lock_for(target, self._lock)
        if refused:
            return self._open_failed(lock, refused)
        self.open_db_action.setEnabled(False)
        self._opening = True
        try:
            # Quick check of a cold 190 MB file: about 3 s; the window keeps painting.
            db = open_with_preload(target, tab_modules(self._saved_tab_name()))
        except Exception as exc:
            # Imported here, after the worker has (not on the GUI thread before it starts).
            from planner.db.errors import StorageError

            if isinstance(exc, StorageError):
                log.warning("Could not open the database: %s", type(exc).__name__)
                return self._open_failed(lock, str(exc))
            log.exception("Could not open the database")
            return self._open_failed(
                lock,
                f"The database could not be opened ({type(exc).__name__}). Details are in "
                f"{self.paths.log_file}.",
            )
        finally:
            self.open_db_action.setEnabled(True)
            self._opening = False
        # Connections made by the worker thread stay with it; the GUI thread opens its own.
        db.engine.dispose()
        old_lock = self._lock
        self._install_database(db)
        if old_lock is not None and old_lock is not lock:
            old_lock.release()  # type: ignore[attr-defined]
        self._lock = lock
        if lock is not None:
            lock.keep_created()  # type: ignore[attr-defined]
        self.tab_host.after_data_ready(lambda: self._start_integrity_check(db))
        return True

    def _open_failed(self, lock: object | None, message: str) -> bool:
        self._opening = False
        QTimer.singleShot(0, self._import_guards)
        if lock is not None and lock is not self._lock:
            lock.release()  # type: ignore[attr-defined]
        self.statusBar().showMessage("The database could not be opened.")
        self.database_failed.emit(message)
        return False

    def _saved_tab_name(self) -> str | None:
        state = self.settings.preferences.ui_state.get("main_window", {})
        name = state.get("tab") if isinstance(state, dict) else None
        return name if isinstance(name, str) else None

    def _install_database(self, db: object) -> None:
        from planner.ui.context import TabContext

        old = self.db
        self.undo_stack.clear()
        self.tab_host.clear()
        self._stop_live_updates()
        if old is not None:
            old.close()
        self.db = db
        # Who edits: stamped into created_by / updated_by (on a team database, the name set
        # in Connect to team database…, else this computer's account name).
        if db.is_server:  # type: ignore[attr-defined]
            db.user = self.settings.preferences.author_name()  # type: ignore[attr-defined]
        self._start_live_updates()
        self.put_tabs_in_centre()
        self.context = TabContext(db, self.settings, self.bus, self.undo_stack)  # type: ignore[arg-type]
        # An empty page per tab; the current one is built at once, the rest when first
        # shown or in idle slices once the current tab has its data.
        self.tab_host.populate(self.context, self._saved_tab_name())
        self.status_db.setText(self.database_label())
        backup = getattr(db, "backup_made", None)
        restored = getattr(db, "restored_from", None)
        if restored:
            self.statusBar().showMessage(
                f"An interrupted upgrade was undone: the database was restored from {restored} "
                "and upgraded again."
            )
        elif backup:
            self.statusBar().showMessage(
                f"Database upgraded; the old version was saved to {backup}"
            )
        else:
            self.statusBar().showMessage("Ready", 3000)
        self.set_database_actions_enabled(True)
        self._show_write_state()
        self._start_calendar_sync(db)
        self.database_opened.emit()
        self.tab_host.watch_current_tab()

    def database_label(self) -> str:
        """Where the open database lives, fit to show (a server URL without its password)."""
        from planner.db.database import describe_url

        if self.db is None:
            return ""
        return str(self.db.path) if self.db.path else describe_url(self.db.url)

    # --- writes held, read-only, damaged ----------------------------------------------------

    def _start_integrity_check(self, db: object) -> None:
        """The full integrity_check, off the GUI thread; writes wait until it has passed."""
        from planner.ui.tasks import run_task

        if getattr(db, "write_block", None) != "checking":
            return
        self.statusBar().showMessage("Checking the database… (changes wait until it is done)")
        # A small file is checked before anyone could notice a banner: show it only if slow.
        QTimer.singleShot(400, lambda: self._show_checking_banner(db))
        run_task(
            db.verify,  # type: ignore[attr-defined]
            lambda problems: self._on_integrity_checked(db, problems),
            lambda exc: self._on_integrity_checked(db, [str(exc)]),
            owner=self,
            name="integrity-check",
        )

    def _show_checking_banner(self, db: object) -> None:
        if self.db is db and getattr(db, "write_block", None) == "checking":
            self.set_banner(
                "info", "Checking the database… Changes are held until the check is done."
            )

    def _on_integrity_checked(self, db: object, problems: list[str]) -> None:
        if self.db is not db:
            return
        if problems and getattr(db, "write_block", None) != "damaged":
            db.mark_damaged(problems)  # type: ignore[attr-defined]
        self._show_write_state()
        if not problems:
            self.statusBar().showMessage("Ready", 3000)

    def _show_write_state(self) -> None:
        """The banner for the open database's state: none, read-only, or damaged."""
        block = getattr(self.db, "write_block", None)
        if block == "damaged":
            self.set_banner(
                "error",
                "This database is damaged, so it is open read-only: nothing can be changed. "
                "Restore a good copy from a backup.",
                action=("Restore from backup…", lambda: self._act("restore_backup")),
            )
            self.statusBar().showMessage("Read-only: the database is damaged")
        elif block == "read_only":
            self.set_banner(
                "warning",
                "Read-only: you have no permission to change this database file (or its "
                "folder). You can look and export, but nothing you change can be saved.",
            )
            self.statusBar().showMessage("Read-only")
        elif block != "checking":
            self.set_banner(None, "")

    # --- live updates and calendar sync ---------------------------------------------------

    def _start_live_updates(self) -> None:
        """On a team database, teammates' changes arrive through the bus like local ones;
        on an SQLite file, a CLI command's commit is noticed by polling data_version."""
        if self.db is None:
            return
        from planner.ui.live import FileWatch, LiveUpdates

        if not self.db.is_server:
            self.file_watch = FileWatch(self.db, self.bus, self)
            self.file_watch.start()
            return
        self.live = LiveUpdates(self.db.url, self.bus, self)
        self.live.start()

    def _stop_live_updates(self) -> None:
        if self.file_watch is not None:
            self.file_watch.stop()
            self.file_watch.deleteLater()
            self.file_watch = None
        if self.live is not None:
            self.live.stop()
            self.live.deleteLater()
            self.live = None

    def _start_calendar_sync(self, db: object) -> None:
        """One calendar sync per open database; its state sits in the status bar."""
        from planner.ui.calendar_sync import CalendarSyncController, CalendarSyncStatus

        if self.calendar_sync is not None:
            self.calendar_sync.stop()
            self.calendar_sync.deleteLater()
        self.calendar_sync = CalendarSyncController(db, self.settings, self.bus, self)  # type: ignore[arg-type]
        self.replace_sync_status(CalendarSyncStatus(self.calendar_sync))
        self.calendar_sync.start()

    # --- window state -----------------------------------------------------------------------

    def apply_theme(self) -> None:
        """The theme from the preferences, live (the platform's look needs no work at start)."""
        from PySide6.QtWidgets import QApplication

        from planner.ui.theme import apply_theme

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, self.settings.preferences.theme)

    def closeEvent(self, event: QCloseEvent) -> None:
        from planner.ui.tasks import wait_for_all  # imported here: not needed to show the window

        if self.calendar_sync is not None:
            self.calendar_sync.stop()
        # What is being typed is saved now (fields save on a pause in typing, or on leaving).
        for widget in self.findChildren(QWidget):
            flush = getattr(widget, "flush_pending_edits", None)
            if callable(flush):
                flush()
        # No more tabs built in idle time (a tab built now would start reading), no more
        # polling: then a task that may be committing finishes before the database closes.
        self.tab_host.stop()
        self._stop_live_updates()
        wait_for_all()
        state = {"geometry": self.saved_geometry()}
        if self.db is not None and self.tabs.currentWidget() is not None:
            state["tab"] = self.tabs.currentWidget().objectName()
        self.settings.preferences.ui_state["main_window"] = state
        try:
            self.settings.save()
        except OSError:
            log.exception("Could not save window state")
        if self.db is not None:
            QTimer.singleShot(0, self.db.close)
        # Every write has finished (wait_for_all above): another window may take the file now.
        if self._lock is not None:
            self._lock.release()  # type: ignore[attr-defined]
            self._lock = None
        super().closeEvent(event)

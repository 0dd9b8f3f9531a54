"""The main window: tabs, menus, status bar; opens databases and hands each tab its context."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

# Only what the first paint needs: the `Qt` namespace alone costs about 30 ms to load, so
# it (and the dialogs) are imported where used, after the window shows.
from PySide6.QtCore import QByteArray, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from planner import APP_NAME, __version__
from planner.core.changes import Changes
from planner.paths import AppPaths
from planner.settings import SettingsStore
from planner.ui.bus import Bus

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from planner.ui.calendar_sync import CalendarSyncController
    from planner.ui.live import FileWatch, LiveUpdates

log = logging.getLogger(__name__)


def _printable(target: str | Path) -> str:
    """A database path or URL fit for the log and messages: never a password."""
    text = str(target)
    if "://" not in text:
        return text
    from planner.db.database import describe_url

    try:
        return describe_url(text)
    except Exception:
        return "(database URL)"


def _account_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name in the environment or the password database
        return ""


def _role_of(url: str) -> str:
    from sqlalchemy.engine import make_url

    return str(make_url(url).username or "")


TabFactory = Callable[..., QWidget]
# Saves mostly run on the GUI thread: waiting long for another program's lock would freeze the
# window. A refused save keeps its typed value and is tried again (see ContactDetail).
GUI_BUSY_TIMEOUT_MS = 1000
T = TypeVar("T")


# (object name, title, module, class) per tab, in tab order. A tab's module is imported and
# the tab built only when it is first needed (see MainWindow.tab): start-up builds the
# current tab alone.
TABS = (
    ("overviewTab", "&Overview", "planner.ui.tabs.overview_tab", "OverviewTab"),
    ("contactsTab", "&Contacts", "planner.ui.tabs.contacts_tab", "ContactsTab"),
    ("calendarTab", "C&alendar", "planner.ui.tabs.calendar_tab", "CalendarTab"),
    # Alt+E belongs to the Edit menu.
    ("eventsTab", "E&vents", "planner.ui.tabs.events_tab", "EventsTab"),
    ("organisationsTab", "O&rganisations", "planner.ui.tabs.organisations_tab", "OrganisationsTab"),
)
# After the current tab has its data, the others are built one per idle slice this far
# apart, so the notifier (Calendar) and the reminder sync (Organisations) run without the
# user opening those tabs, and input still gets through between two builds.
IDLE_BUILD_MS = 150


def tab_factories() -> list[tuple[str, str, TabFactory]]:
    """(object name, title, factory) per tab; imports every tab module."""
    import importlib

    return [
        (name, title, getattr(importlib.import_module(module), cls))
        for name, title, module, cls in TABS
    ]


def _tab_factory(module: str, cls: str) -> TabFactory:
    import importlib

    factory: TabFactory = getattr(importlib.import_module(module), cls)
    return factory


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


class MainWindow(QMainWindow):
    """Shown before the database opens (start-up speed); tabs are built once it has."""

    database_opened = Signal()
    database_failed = Signal(str)
    # The current tab shows its data (after database_opened; tabs that read off the GUI
    # thread say when they are done through `data_pending()` and `load_finished`).
    data_ready = Signal()

    def __init__(self, paths: AppPaths, settings: SettingsStore) -> None:
        super().__init__()
        # On the first event-loop turn: the guard's module loads Qt's enums (about 35 ms)
        # and it would filter every event of the first paint.
        QTimer.singleShot(0, _install_wheel_guard)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.paths = paths
        self.settings = settings
        # Teammates' changes on a team database (planner.ui.live), None otherwise.
        self.live: LiveUpdates | None = None
        # Another program's commit to the open SQLite file (planner.ui.live), None otherwise.
        self.file_watch: FileWatch | None = None
        self.bus = Bus(self)
        self.bus.open_requested.connect(self._on_bus_open_requested)
        self.bus.followup_requested.connect(self._on_bus_followup_requested)
        self.bus.command_failed.connect(self._on_bus_command_failed)
        self.bus.reminder_due.connect(self._on_bus_reminder_due)
        self.undo_stack = QUndoStack(self)
        self.db = None  # planner.db.database.Database once opened
        self.context = None
        # planner.instance_lock.InstanceLock of the open database's file (one writer per file).
        self._lock = None
        self._banner: QWidget | None = None
        self._reminder_banner: QWidget | None = None
        # The tabs take the window's centre once a database is open; a plain label until
        # then (a tab bar costs about 7 ms before the first paint). Its text and centring
        # come with the first event-loop turn (open_database).
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        # Tabs not built yet: object name -> (title, module, class).
        self._unbuilt: dict[str, tuple[str, str, str]] = {}
        self._waiting_for: Any = None  # the current tab's load_finished, while waiting
        # Work that would compete with the first tab's read (the integrity check): run
        # once it has its data.
        self._after_data_ready: list[Callable[[], object]] = []
        self._idle_build = QTimer(self)
        self._idle_build.setSingleShot(True)
        self._idle_build.setInterval(IDLE_BUILD_MS)
        self._idle_build.timeout.connect(self._build_next_tab)
        self._loading = QLabel()
        self.setCentralWidget(self._loading)
        self._build_menus()
        self.bus.export_reminders_requested.connect(self._on_export_reminders)
        # Publishing to a CalDAV calendar (planner/ui/calendar_sync.py), once a database is open.
        self.calendar_sync: CalendarSyncController | None = None
        self.calendar_sync_status: QLabel | None = None
        self.status_db = QLabel()
        self.statusBar().addPermanentWidget(self.status_db)
        self._restore_geometry()
        if settings.preferences.theme != "system":
            self.apply_theme()  # before the first paint: no flash of the other theme

    # --- menus ------------------------------------------------------------------------

    def _action(
        self,
        name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            # setShortcuts with a list: setShortcut's overload matching loads Qt's key enums
            # on first use, about 20 ms before the window can show.
            action.setShortcuts([QKeySequence(shortcut)])
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.open_db_action = self._action(
            "openDatabaseAction",
            "&Open database…",
            self._on_open_database,
            QKeySequence.StandardKey.Open,
        )
        self.connect_team_action = self._action(
            "connectTeamAction", "Connect to &team database…", self._on_connect_team
        )
        self.backup_action = self._action("backupAction", "&Back up now", self._on_backup)
        self.export_reminders_action = self._action(
            "exportRemindersAction",
            "&Export reminders…",
            self._on_export_reminders,
            "Ctrl+Shift+E",
        )
        self.preferences_action = self._action(
            "preferencesAction", "&Preferences…", self._on_preferences, "Ctrl+,"
        )
        self.quit_action = self._action(
            "quitAction", "&Quit", self.close, QKeySequence.StandardKey.Quit
        )
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.import_contacts_action = self._action(
            "importContactsAction", "&Import contacts…", self._on_import_contacts
        )
        self.export_contacts_action = self._action(
            "exportContactsAction", "E&xport contacts…", self._on_export_contacts
        )
        self.file_menu.addAction(self.open_db_action)
        self.file_menu.addAction(self.connect_team_action)
        self.file_menu.addAction(self.backup_action)
        self.restore_action = self._action(
            "restoreBackupAction", "&Restore from backup…", self._on_restore_backup
        )
        self.file_menu.addAction(self.restore_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.import_contacts_action)
        self.file_menu.addAction(self.export_contacts_action)
        self.file_menu.addAction(self.export_reminders_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.preferences_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.edit_menu = bar.addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redoAction")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        # These go to the current tab, which implements new_item/delete_selected/focus_search.
        self.new_action = self._action(
            "newAction", "&New", lambda: self._to_tab("new_item"), "Ctrl+N"
        )
        self.delete_action = self._action(
            "deleteAction", "&Delete", lambda: self._to_tab("delete_selected"), "Del"
        )
        self.find_action = self._action(
            "findAction", "&Find…", lambda: self._to_tab("focus_search"), "Ctrl+F"
        )
        for action in (self.new_action, self.delete_action, self.find_action):
            # QAction's default context, Qt.WindowShortcut: the whole window, any tab.
            self.edit_menu.addAction(action)
        self.edit_menu.addSeparator()
        self.find_duplicates_action = self._action(
            "findDuplicatesAction", "Find d&uplicates…", self._on_find_duplicates
        )
        self.edit_menu.addAction(self.find_duplicates_action)

        self.help_menu = bar.addMenu("&Help")
        self.about_action = self._action("aboutAction", f"&About {APP_NAME}", self._on_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.help_menu.addAction(self.about_action)
        self._set_database_actions_enabled(False)

    def _set_database_actions_enabled(self, enabled: bool) -> None:
        for action in (
            self.backup_action,
            self.restore_action,
            self.new_action,
            self.delete_action,
            self.find_action,
            self.import_contacts_action,
            self.export_contacts_action,
            self.find_duplicates_action,
        ):
            action.setEnabled(enabled)
        self.export_reminders_action.setEnabled(enabled)

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
        if "calendarTab" in self._unbuilt:
            calendar = self.tab("calendarTab")
            handler = getattr(calendar, "_on_bus_followup_requested", None)
            if callable(handler):
                handler(contact_id)

    # --- tabs, built when first needed ------------------------------------------------

    def tab(self, name: str) -> QWidget | None:
        """The tab called `name`, built now if it was not yet; None without such a tab."""
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if widget.objectName() != name:
                continue
            spec = self._unbuilt.pop(name, None)
            if spec is None or self.context is None:
                return widget
            title, module, cls = spec
            tab = _tab_factory(module, cls)(self.context)
            tab.setObjectName(name)
            # Swap the empty page for the tab without announcing a tab change.
            current = self.tabs.currentIndex()
            blocked = self.tabs.blockSignals(True)
            try:
                self.tabs.removeTab(index)
                self.tabs.insertTab(index, tab, title)
                self.tabs.setCurrentIndex(current)
            finally:
                self.tabs.blockSignals(blocked)
            widget.deleteLater()
            return tab
        return None

    def _on_tabs_current_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is not None and widget.objectName() in self._unbuilt:
            self.tab(widget.objectName())
        if self._waiting_for is not None:
            # Switched away before the first tab had its data: wait for this one instead.
            self._stop_waiting()
            self._watch_current_tab()

    def _build_next_tab(self) -> None:
        """Build one more tab in the background (see IDLE_BUILD_MS): its module is imported
        on a worker first (100-300 ms that would freeze the window), then the GUI thread
        builds the widgets."""
        import importlib

        from planner.ui.tasks import run_task

        if not self._unbuilt:
            return
        name = next(iter(self._unbuilt))
        module = self._unbuilt[name][1]

        def build(_module: object) -> None:
            self.tab(name)
            if self._unbuilt:
                self._idle_build.start()

        run_task(
            lambda: importlib.import_module(module),
            build,
            lambda _exc: build(None),  # the GUI thread imports it again and reports it
            owner=self,
            name="import tab",
        )

    def _watch_current_tab(self) -> None:
        """Emit data_ready once the current tab shows its data; then build the others."""
        tab = self.tabs.currentWidget()
        pending = getattr(tab, "data_pending", None)
        finished = getattr(tab, "load_finished", None)
        # A hidden window's tabs read nothing (they load when shown): nothing to wait for.
        if self.isVisible() and callable(pending) and pending() and finished is not None:
            self._waiting_for = finished
            finished.connect(self._on_current_tab_loaded)
        else:
            self._on_current_tab_loaded()

    def _stop_waiting(self) -> None:
        finished, self._waiting_for = self._waiting_for, None
        if finished is not None:
            # RuntimeError: the tab is gone already.
            with contextlib.suppress(RuntimeError, TypeError):
                finished.disconnect(self._on_current_tab_loaded)

    def _on_current_tab_loaded(self) -> None:
        self._stop_waiting()
        self.data_ready.emit()
        after, self._after_data_ready = self._after_data_ready, []
        for work in after:
            work()
        if self._unbuilt:
            self._idle_build.start()

    def _to_tab(self, method: str) -> None:
        handler = getattr(self.tabs.currentWidget(), method, None)
        if callable(handler):
            handler()

    # --- database ---------------------------------------------------------------------

    def adopt_lock(self, lock: object) -> None:
        """The lock start-up took for the first database (before the window showed)."""
        self._lock = lock

    def _lock_for(self, target: str | Path) -> tuple[object | None, str]:
        """(the lock to hold for `target`, "") or (None, why not); reuses the one we hold."""
        from planner.db.database import resolve_target
        from planner.instance_lock import InstanceLock, file_identity

        _url, path = resolve_target(target)
        if path is None:
            return None, ""
        held = self._lock
        try:
            if (
                held is not None
                and held.held  # type: ignore[attr-defined]
                and path.exists()
                and file_identity(path) == held.identity  # type: ignore[attr-defined]
            ):
                return held, ""
            lock = InstanceLock(path)
            if lock.acquire():
                return lock, ""
        except OSError as exc:
            return None, f"{path} cannot be opened: {exc.strerror or exc}."
        return None, (
            f"{path} is already open in another {APP_NAME} window. Switch to that window, "
            "or choose a different database."
        )

    def open_database(self, target: str | Path) -> bool:
        """Open (checking and migrating) and build the tabs; on failure say why, change nothing.

        The file is locked first (one window per file, by identity). Only a quick check runs
        before the tabs are built; the full integrity check follows in the background, and
        writes are held until it passes (on failure the database stays read-only).
        """
        from PySide6.QtCore import Qt

        from planner.db.errors import StorageError
        from planner.ui.tasks import run_and_wait

        if self.db is None:
            self._loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._loading.setText("Opening the database…")
        self.statusBar().showMessage("Opening the database…")
        lock, refused = self._lock_for(target)
        if refused:
            self.statusBar().showMessage("The database could not be opened.")
            self.database_failed.emit(refused)
            return False
        self.open_db_action.setEnabled(False)
        try:
            # Quick check of a cold 190 MB file: about 3 s; the window keeps painting.
            db = run_and_wait(lambda: self._open_and_preload(target), name="open-database")
        except StorageError as exc:
            log.warning("Could not open the database: %s", type(exc).__name__)
            self._drop_lock(lock)
            self.statusBar().showMessage("The database could not be opened.")
            self.database_failed.emit(str(exc))
            return False
        except Exception as exc:
            log.exception("Could not open the database")
            self._drop_lock(lock)
            self.statusBar().showMessage("The database could not be opened.")
            self.database_failed.emit(
                f"The database could not be opened ({type(exc).__name__}). Details are in "
                f"{self.paths.log_file}."
            )
            return False
        finally:
            self.open_db_action.setEnabled(True)
        # Connections made by the worker thread stay with it; the GUI thread opens its own.
        db.engine.dispose()
        old_lock = self._lock
        self._install_database(db)
        if old_lock is not None and old_lock is not lock:
            old_lock.release()  # type: ignore[attr-defined]
        self._lock = lock
        if lock is not None:
            lock.keep_created()  # type: ignore[attr-defined]
        if self._waiting_for is None:
            self._start_integrity_check(db)
        else:
            self._after_data_ready.append(lambda: self._start_integrity_check(db))
        return True

    def _open_and_preload(self, target: str | Path) -> object:
        """On the worker: open the database, then import the module of the tab that will
        show first (a tab module and what it needs take 100-300 ms to import, time the GUI
        thread would stand still for). Importing defines classes; no widget is made here."""
        import importlib

        from planner.db.database import open_database

        db = open_database(
            target, check="quick", hold_writes=True, busy_timeout_ms=GUI_BUSY_TIMEOUT_MS
        )
        name = self._saved_tab_name()
        for tab_name, _title, module, _cls in TABS:
            if tab_name == name or (name is None and tab_name == TABS[0][0]):
                try:
                    importlib.import_module(module)
                except Exception:  # the GUI thread imports it again and reports it
                    log.exception("Could not import %s", module)
        return db

    def _saved_tab_name(self) -> str | None:
        state = self.settings.preferences.ui_state.get("main_window", {})
        name = state.get("tab") if isinstance(state, dict) else None
        return name if isinstance(name, str) else None

    def _drop_lock(self, lock: object | None) -> None:
        if lock is not None and lock is not self._lock:
            lock.release()  # type: ignore[attr-defined]

    # --- writes held, read-only, damaged ------------------------------------------------

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
            self._set_banner(
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
        db = self.db
        block = getattr(db, "write_block", None)
        if block == "damaged":
            self._set_banner(
                "error",
                "This database is damaged, so it is open read-only: nothing can be changed. "
                "Restore a good copy from a backup.",
                action=("Restore from backup…", self._on_restore_backup),
            )
            self.statusBar().showMessage("Read-only: the database is damaged")
        elif block == "read_only":
            self._set_banner(
                "warning",
                "Read-only: you have no permission to change this database file (or its "
                "folder). You can look and export, but nothing you change can be saved.",
            )
            self.statusBar().showMessage("Read-only")
        elif block == "checking":
            pass
        else:
            self._set_banner(None, "")

    def _set_banner(
        self,
        level: str | None,
        text: str,
        action: tuple[str, Callable[[], object]] | None = None,
    ) -> None:
        from PySide6.QtWidgets import QHBoxLayout, QPushButton

        if self._banner is not None:
            self._banner.deleteLater()
            self._banner = None
        if level is None:
            return
        central = self.centralWidget()
        layout = central.layout() if central is not None else None
        if layout is None:
            return
        banner = QWidget()
        banner.setObjectName("databaseBanner")
        banner.setProperty("level", level)
        colours = {
            "info": ("palette(alternate-base)", "palette(text)"),
            "warning": ("#fff3cd", "#533f03"),
            "error": ("#f8d7da", "#58151c"),
        }
        background, foreground = colours[level]
        banner.setStyleSheet(
            f"#databaseBanner {{ background: {background}; }} "
            f"#databaseBanner QLabel {{ color: {foreground}; }}"
        )
        row = QHBoxLayout(banner)
        row.setContentsMargins(12, 6, 12, 6)
        label = QLabel(text)
        label.setObjectName("databaseBannerText")
        label.setWordWrap(True)
        label.setAccessibleName("Database status")
        row.addWidget(label, 1)
        if action is not None:
            button = QPushButton(action[0])
            button.setObjectName("databaseBannerButton")
            button.clicked.connect(lambda _checked=False: action[1]())
            row.addWidget(button)
        layout.insertWidget(0, banner)  # type: ignore[attr-defined]
        self._banner = banner

    def _on_bus_reminder_due(self, text: str, followup_id: int) -> None:
        """A follow-up fell due and there is no tray (or the user chose the window): say so
        in a strip above the tabs until opened or dismissed."""
        from PySide6.QtWidgets import QHBoxLayout, QPushButton

        from planner.ui.widgets.elided_label import ElidedLabel

        central = self.centralWidget()
        layout = central.layout() if central is not None else None
        if layout is None:
            return
        if self._reminder_banner is None:
            banner = QWidget()
            banner.setObjectName("reminderBanner")
            banner.setStyleSheet(
                "#reminderBanner { background: palette(alternate-base); "
                "border-bottom: 1px solid palette(mid); }"
            )
            row = QHBoxLayout(banner)
            row.setContentsMargins(12, 4, 12, 4)
            label = ElidedLabel()
            label.setObjectName("reminderBannerText")
            label.setAccessibleName("Follow-up due")
            row.addWidget(label, 1)
            open_button = QPushButton("&Open")
            open_button.setObjectName("reminderBannerOpen")
            open_button.setAccessibleName("Open the follow-up that is due")
            dismiss = QPushButton("Dis&miss")
            dismiss.setObjectName("reminderBannerDismiss")
            dismiss.setAccessibleName("Dismiss the reminder")
            row.addWidget(open_button)
            row.addWidget(dismiss)
            open_button.clicked.connect(self._on_reminder_open_clicked)
            dismiss.clicked.connect(banner.hide)
            layout.insertWidget(layout.count() - 1, banner)  # type: ignore[attr-defined]
            self._reminder_banner = banner
        label = self._reminder_banner.findChild(ElidedLabel, "reminderBannerText")
        if label is not None:
            label.setText(text)
        self._reminder_banner.setProperty("followup_id", followup_id)
        self._reminder_banner.show()

    def _on_reminder_open_clicked(self) -> None:
        banner = self._reminder_banner
        if banner is None:
            return
        banner.hide()
        self.bus.open_requested.emit("followup", int(banner.property("followup_id")))

    def reminder_text(self) -> str:
        """What the reminder strip says ("" when hidden): for tests and accessibility checks."""
        banner = self._reminder_banner
        if banner is None or banner.isHidden():
            return ""
        label = banner.findChild(QLabel, "reminderBannerText")
        return label.text() if label is not None else ""

    def banner_text(self) -> str:
        """What the banner says ("" when none): for tests and accessibility checks."""
        if self._banner is None:
            return ""
        label = self._banner.findChild(QLabel, "databaseBannerText")
        return label.text() if label is not None else ""

    def _install_database(self, db: object) -> None:
        from planner.ui.context import TabContext

        old = self.db
        self.undo_stack.clear()
        self._stop_waiting()
        self._after_data_ready.clear()
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            widget.deleteLater()
        self._stop_live_updates()
        if old is not None:
            old.close()
        self.db = db
        # Who edits: stamped into created_by / updated_by (on a team database, the name set
        # in Connect to team database…, else this computer's account name).
        prefs = self.settings.preferences
        if db.is_server:
            db.user = prefs.user_name or _account_name()
        self._start_live_updates()
        if self.centralWidget() is not None and self.centralWidget().objectName() != "centralArea":
            from PySide6.QtWidgets import QVBoxLayout

            # The tabs under an (optional) banner that says read-only / damaged / checking.
            central = QWidget()
            central.setObjectName("centralArea")
            column = QVBoxLayout(central)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(0)
            column.addWidget(self.tabs)
            self.setCentralWidget(central)  # deletes the loading label
        self.context = TabContext(db, self.settings, self.bus, self.undo_stack)  # type: ignore[arg-type]
        # An empty page per tab; the current one is built at once, the rest when first
        # shown or in idle slices once the current tab has its data.
        self._idle_build.stop()
        self._unbuilt.clear()
        blocked = self.tabs.blockSignals(True)
        try:
            for name, title, module, cls in TABS:
                page = QWidget()
                page.setObjectName(name)
                self.tabs.addTab(page, title)
                self._unbuilt[name] = (title, module, cls)
            self._restore_tab()
        finally:
            self.tabs.blockSignals(blocked)
        self.tab(self.tabs.currentWidget().objectName())
        self.status_db.setText(self._database_label())
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
        self._set_database_actions_enabled(True)
        self._show_write_state()
        self._start_calendar_sync(db)
        self.database_opened.emit()
        self._watch_current_tab()

    def _on_connect_team(self) -> None:
        """Connect to a team database: URL remembered, password in the keyring, identity set."""
        from PySide6.QtWidgets import QMessageBox

        from planner import credentials
        from planner.ui.dialogs.team_dialog import TeamDialog

        prefs = self.settings.preferences
        saved = ""
        if prefs.team_database_url:
            saved = (
                credentials.get_password(
                    credentials.database_key(prefs.team_database_url),
                    _role_of(prefs.team_database_url),
                )
                or ""
            )
        dialog = TeamDialog(prefs.team_database_url, saved, prefs.user_name, prefs.user_email, self)
        accepted = dialog.exec() == TeamDialog.DialogCode.Accepted
        connection = dialog.connection()
        dialog.deleteLater()
        if not accepted or connection is None:
            return
        prefs.user_name = connection.name
        prefs.user_email = connection.email
        prefs.team_database_url = connection.url
        note = ""
        if connection.password:
            stored = credentials.set_password(
                credentials.database_key(connection.url), connection.user, connection.password
            )
            note = stored.message
        try:
            self.settings.save()
        except OSError:
            log.exception("Could not save the settings")
        target = credentials.with_database_password(connection.url)
        if not self.open_database(target):
            return
        self.statusBar().showMessage(f"Connected to {_printable(connection.url)}", 8000)
        if note:
            QMessageBox.information(self, "Password", note)

    def _start_live_updates(self) -> None:
        """On a team database, teammates' changes arrive through the bus like local ones;
        on an SQLite file, a CLI command's commit is noticed by polling data_version."""
        if self.db is None:
            return
        if not self.db.is_server:
            from planner.ui.live import FileWatch

            self.file_watch = FileWatch(self.db, self.bus, self)  # type: ignore[arg-type]
            self.file_watch.start()
            return
        from planner.ui.live import FileWatch, LiveUpdates

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

    def _on_open_database(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        start = str(self.db.path.parent) if self.db is not None and self.db.path else ""
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Open or create a database",
            start,
            "Networking Planner databases (*.sqlite3 *.sqlite *.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not path:
            return
        if not self.open_database(path):
            return
        self.statusBar().showMessage(f"Opened {path}", 5000)

    def _database_label(self) -> str:
        """Where the open database lives, fit to show (a server URL without its password)."""
        from planner.db.database import describe_url

        if self.db is None:
            return ""
        return str(self.db.path) if self.db.path else describe_url(self.db.url)

    def _on_backup(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from planner.db.backup import backup_sqlite

        if self.db is None:
            return
        if self.db.path is None:
            self._explain_server_backup()
            return
        try:
            target = backup_sqlite(self.db.path)
        except Exception as exc:
            log.exception("Backup failed")
            QMessageBox.warning(self, "Back up", f"The backup failed: {exc}")
            return
        self.statusBar().showMessage(f"Backed up to {target}", 8000)

    def _explain_server_backup(self) -> None:
        """A team database lives on the server: pg_dump backs it up, not a file copy here."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication, QMessageBox

        from planner.db.backup import pg_dump_command

        assert self.db is not None
        command = pg_dump_command(self.db.url)
        box = QMessageBox(self)
        box.setObjectName("serverBackupBox")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Back up")
        box.setText("This is a team database on a PostgreSQL server, so there is no file to copy.")
        box.setInformativeText(
            "Back it up with PostgreSQL's pg_dump, on any computer that reaches the server "
            f"(it asks for the password):\n\n{command}\n\n"
            "Restore such a file with pg_restore. Whoever runs the server may already back it "
            "up every night."
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = box.addButton("Copy command", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is copy:
            QApplication.clipboard().setText(command)
            self.statusBar().showMessage("pg_dump command copied", 5000)

    def _on_restore_backup(self) -> None:
        """File > Restore from backup…: pick a backup, replace the file with it, reopen."""
        from PySide6.QtWidgets import QMessageBox

        from planner.db.backup import BackupError, list_backups, restore_backup
        from planner.ui.dialogs.restore_dialog import RestoreDialog
        from planner.ui.tasks import run_and_wait, wait_for_all

        if self.db is None:
            return
        if self.db.path is None:
            QMessageBox.information(
                self,
                "Restore from backup",
                "This is a team database on a PostgreSQL server: whoever runs the server "
                "restores it from a pg_dump file with pg_restore (File > Back up now shows the "
                "pg_dump command).",
            )
            return
        path = self.db.path
        backups = run_and_wait(lambda: list_backups(path), name="list-backups")
        if not any(info.readable for info in backups):
            QMessageBox.information(
                self,
                "Restore from backup",
                f"There are no backups of this database yet (they are kept in "
                f"{path.parent / 'backups'}). File > Back up now makes one.",
            )
            return
        dialog = RestoreDialog(backups, self)
        if dialog.exec() != RestoreDialog.DialogCode.Accepted or dialog.chosen() is None:
            return
        chosen = dialog.chosen()
        assert chosen is not None
        answer = QMessageBox.question(
            self,
            "Restore from backup",
            f"Replace the current database with the copy from "
            f"{chosen.taken_at:%d %b %Y %H:%M} ({chosen.contacts:,} contacts)? Changes made "
            "since then are set aside: the current file is kept beside it, renamed.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        wait_for_all()
        self.db.close()
        try:
            kept = run_and_wait(lambda: restore_backup(chosen.path, path), name="restore")
        except (BackupError, OSError) as exc:
            QMessageBox.warning(
                self, "Restore from backup", f"The backup could not be restored: {exc}"
            )
            return
        if self.open_database(path):
            where = f"; the replaced file is {kept}" if kept else ""
            self.statusBar().showMessage(f"Restored {chosen.path.name}{where}", 10000)

    def _on_export_reminders(self, followup_ids: list[int] | None = None) -> None:
        """File > Export reminders…, or the Calendar tab's Export with its selection."""
        from planner.ui.dialogs.export_ics_dialog import export_reminders

        if self.context is not None:
            export_reminders(self, self.context, followup_ids or [])

    def _start_calendar_sync(self, db: object) -> None:
        """One calendar sync per open database; its state sits in the status bar."""
        from planner.ui.calendar_sync import CalendarSyncController, CalendarSyncStatus

        if self.calendar_sync is not None:
            self.calendar_sync.stop()
            self.statusBar().removeWidget(self.calendar_sync_status)
            self.calendar_sync_status.deleteLater()
            self.calendar_sync.deleteLater()
        self.calendar_sync = CalendarSyncController(db, self.settings, self.bus, self)  # type: ignore[arg-type]
        self.calendar_sync_status = CalendarSyncStatus(self.calendar_sync)
        self.statusBar().addPermanentWidget(self.calendar_sync_status)
        self.calendar_sync.start()

    def _on_preferences(self) -> None:
        from planner.ui.dialogs.preferences_dialog import PreferencesDialog

        dialog = PreferencesDialog(
            self.settings.preferences, self, calendar_sync=self.calendar_sync
        )
        if dialog.exec() != PreferencesDialog.DialogCode.Accepted:
            return
        self.settings.preferences = dialog.preferences()
        self.settings.save()
        if dialog.calendar_note:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.information(self, "Calendar sync", dialog.calendar_note)
        self.apply_theme()
        self.bus.changed.emit(Changes.all("settings"))
        self.statusBar().showMessage("Preferences saved", 3000)

    def _on_import_contacts(self) -> None:
        from planner.ui.dialogs.import_dialog import run_import

        if self.context is None:
            return
        outcome = run_import(self.context, self)
        if outcome is not None:
            self.statusBar().showMessage(f"Imported: {outcome.summary()}", 8000)

    def _on_export_contacts(self) -> None:
        from planner.ui.dialogs.import_dialog import run_export

        if self.context is None:
            return
        path = run_export(self.context, self)
        if path is not None:
            self.statusBar().showMessage(f"Exported contacts to {path}", 8000)

    def _on_find_duplicates(self) -> None:
        from planner.ui.dialogs.duplicates_dialog import DuplicatesDialog

        if self.context is None:
            return
        DuplicatesDialog(self.context, self).exec()

    def _on_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        where = self._database_label() or self.paths.data_dir
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br><br>"
            "Plan events, keep in touch, and send reminders to your calendar.<br><br>"
            f"Database: {where}<br>Settings: {self.settings.path}<br>Logs: {self.paths.log_dir}",
        )

    # --- window state -----------------------------------------------------------------

    def apply_theme(self) -> None:
        """The theme from the preferences, live (the platform's look needs no work at start)."""
        from PySide6.QtWidgets import QApplication

        from planner.ui.theme import apply_theme

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, self.settings.preferences.theme)

    def _restore_geometry(self) -> None:
        from planner.ui.screen_fit import DEFAULT_SIZE, centre_on_screen, fit_on_screen

        state = self.settings.preferences.ui_state.get("main_window", {})
        geometry = state.get("geometry") if isinstance(state, dict) else None
        if geometry and self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii"))):
            fit_on_screen(self)  # saved at another scale or on a bigger monitor
        else:
            centre_on_screen(self, DEFAULT_SIZE)

    def _restore_tab(self) -> None:
        name = self._saved_tab_name()
        for index in range(self.tabs.count()):
            if self.tabs.widget(index).objectName() == name:
                self.tabs.setCurrentIndex(index)

    def _on_bus_command_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)

    def closeEvent(self, event: QCloseEvent) -> None:
        from planner.ui.tasks import wait_for_all  # imported here: not needed to show the window

        if self.calendar_sync is not None:
            self.calendar_sync.stop()
        # What is being typed is saved now (fields save on a pause in typing, or on leaving).
        for widget in self.findChildren(QWidget):
            flush = getattr(widget, "flush_pending_edits", None)
            if callable(flush):
                flush()
        # A task may be committing: let it finish before the database closes.
        wait_for_all()
        state = {"geometry": bytes(self.saveGeometry().toBase64().data()).decode("ascii")}
        if self.db is not None and self.tabs.currentWidget() is not None:
            state["tab"] = self.tabs.currentWidget().objectName()
        self.settings.preferences.ui_state["main_window"] = state
        try:
            self.settings.save()
        except OSError:
            log.exception("Could not save window state")
        self._stop_live_updates()
        # No more tabs built in idle time: they would read a database about to close.
        self._idle_build.stop()
        self._unbuilt.clear()
        if self.db is not None:
            QTimer.singleShot(0, self.db.close)
        # Every write has finished (wait_for_all above): another window may take the file now.
        if self._lock is not None:
            self._lock.release()  # type: ignore[attr-defined]
            self._lock = None
        super().closeEvent(event)

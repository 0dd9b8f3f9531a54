"""The main window's widgets: menus, tab widget, status bar, banners. No behaviour here.

`MainWindowView` builds what the user sees and offers small setters; the controller
(`planner.ui.main_window.MainWindow`) connects the actions and decides what to show. Only
what the first paint needs is imported at module level: the `Qt` namespace alone costs about
15 ms to load, so it (and any dialog) is imported where used, after the window shows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from planner import APP_NAME

# Colours of the database banner per level: (background, text).
BANNER_COLOURS = {
    "info": ("palette(alternate-base)", "palette(text)"),
    "warning": ("#fff3cd", "#533f03"),
    "error": ("#f8d7da", "#58151c"),
}


class MainWindowView(QMainWindow):
    """Menus, the tab widget (under an optional banner), the status bar."""

    # The reminder strip's Open button, with the follow-up's id.
    reminder_open_requested = Signal(int)

    def _build_view(self, undo_stack: QUndoStack) -> None:
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self._banner: QWidget | None = None
        self._reminder_banner: QWidget | None = None
        # The tabs take the window's centre once a database is open; a plain label until
        # then (a tab bar costs about 7 ms before the first paint). Its text and centring
        # come with the first event-loop turn (show_opening).
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self._loading = QLabel()
        self.setCentralWidget(self._loading)
        self._build_menus(undo_stack)
        self.calendar_sync_status: QLabel | None = None
        self.status_db = QLabel()
        self.statusBar().addPermanentWidget(self.status_db)

    # --- menus ------------------------------------------------------------------------

    def _action(
        self,
        name: str,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            # setShortcuts with a list: setShortcut's overload matching loads Qt's key enums
            # on first use, about 20 ms before the window can show.
            action.setShortcuts([QKeySequence(shortcut)])
        return action

    def _build_menus(self, undo_stack: QUndoStack) -> None:
        """Declarative: every menu entry, its object name, text and shortcut."""
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.open_db_action = self._action(
            "openDatabaseAction", "&Open database…", QKeySequence.StandardKey.Open
        )
        self.connect_team_action = self._action("connectTeamAction", "Connect to &team database…")
        self.backup_action = self._action("backupAction", "&Back up now")
        self.restore_action = self._action("restoreBackupAction", "&Restore from backup…")
        self.export_reminders_action = self._action(
            "exportRemindersAction", "&Export reminders…", "Ctrl+Shift+E"
        )
        self.preferences_action = self._action("preferencesAction", "&Preferences…", "Ctrl+,")
        self.quit_action = self._action("quitAction", "&Quit", QKeySequence.StandardKey.Quit)
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.import_contacts_action = self._action("importContactsAction", "&Import contacts…")
        self.export_contacts_action = self._action("exportContactsAction", "E&xport contacts…")
        for action in (
            self.open_db_action,
            self.connect_team_action,
            self.backup_action,
            self.restore_action,
            None,
            self.import_contacts_action,
            self.export_contacts_action,
            self.export_reminders_action,
            None,
            self.preferences_action,
            None,
            self.quit_action,
        ):
            if action is None:
                self.file_menu.addSeparator()
            else:
                self.file_menu.addAction(action)

        self.edit_menu = bar.addMenu("&Edit")
        self.undo_action = undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redoAction")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        # These go to the current tab, which implements new_item/delete_selected/focus_search.
        # QAction's default context, Qt.WindowShortcut: the whole window, any tab.
        self.new_action = self._action("newAction", "&New", "Ctrl+N")
        self.delete_action = self._action("deleteAction", "&Delete", "Del")
        self.find_action = self._action("findAction", "&Find…", "Ctrl+F")
        for action in (self.new_action, self.delete_action, self.find_action):
            self.edit_menu.addAction(action)
        self.edit_menu.addSeparator()
        self.find_duplicates_action = self._action("findDuplicatesAction", "Find d&uplicates…")
        self.edit_menu.addAction(self.find_duplicates_action)

        self.help_menu = bar.addMenu("&Help")
        self.about_action = self._action("aboutAction", f"&About {APP_NAME}")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.help_menu.addAction(self.about_action)
        self.set_database_actions_enabled(False)

    @staticmethod
    def connect_action(action: QAction, slot: Callable[[], object]) -> None:
        """`slot()` on every trigger (the `checked` argument dropped)."""
        action.triggered.connect(lambda _checked=False: slot())

    def set_database_actions_enabled(self, enabled: bool) -> None:
        """The actions that need an open database."""
        for action in (
            self.backup_action,
            self.restore_action,
            self.new_action,
            self.delete_action,
            self.find_action,
            self.import_contacts_action,
            self.export_contacts_action,
            self.find_duplicates_action,
            self.export_reminders_action,
        ):
            action.setEnabled(enabled)

    # --- centre -----------------------------------------------------------------------

    def show_opening(self) -> None:
        """The loading label says the database is being opened (first event-loop turn)."""
        # Centred by a style property: setAlignment would load the `Qt` namespace on the GUI
        # thread just after the window shows (about 30 ms frozen).
        self._loading.setStyleSheet("qproperty-alignment: AlignCenter;")
        self._loading.setText("Opening the database…")

    def put_tabs_in_centre(self) -> None:
        """The tabs under an (optional) banner replace the loading label, once."""
        central = self.centralWidget()
        if central is None or central.objectName() == "centralArea":
            return
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout

        area = QWidget()
        area.setObjectName("centralArea")
        column = QVBoxLayout(area)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # A tab's minimum size must not set the window's: on a small screen (1366x768 at
        # 200 % is 683x384) the window would run off it; the tabs scroll instead, the
        # banners above them stay in view.
        scroll = QScrollArea()
        scroll.setObjectName("tabsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.tabs)
        column.addWidget(scroll)
        self.setCentralWidget(area)  # deletes the loading label

    # --- banners ----------------------------------------------------------------------

    def set_banner(
        self,
        level: str | None,
        text: str,
        action: tuple[str, Callable[[], object]] | None = None,
    ) -> None:
        """The database banner above the tabs ("info", "warning", "error"); None hides it."""
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
        background, foreground = BANNER_COLOURS[level]
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

    def _build_reminder_strip(self) -> QWidget:
        from PySide6.QtWidgets import QHBoxLayout, QPushButton

        from planner.ui.widgets.elided_label import ElidedLabel

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
        return banner

    def show_reminder_strip(self, text: str, followup_id: int) -> None:
        """A strip above the tabs saying a follow-up fell due, until opened or dismissed."""
        central = self.centralWidget()
        layout = central.layout() if central is not None else None
        if layout is None:
            return
        if self._reminder_banner is None:
            self._reminder_banner = self._build_reminder_strip()
            layout.insertWidget(layout.count() - 1, self._reminder_banner)  # type: ignore[attr-defined]
        label = self._reminder_banner.findChild(QLabel, "reminderBannerText")
        if label is not None:
            label.setText(text)
        self._reminder_banner.setProperty("followup_id", followup_id)
        self._reminder_banner.show()

    def _on_reminder_open_clicked(self) -> None:
        banner = self._reminder_banner
        if banner is None:
            return
        banner.hide()
        self.reminder_open_requested.emit(int(banner.property("followup_id")))

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

    # --- status bar and geometry ------------------------------------------------------

    def replace_sync_status(self, status: QLabel | None) -> None:
        """The calendar sync's state in the status bar (replacing the previous one)."""
        if self.calendar_sync_status is not None:
            self.statusBar().removeWidget(self.calendar_sync_status)
            self.calendar_sync_status.deleteLater()
        self.calendar_sync_status = status
        if status is not None:
            self.statusBar().addPermanentWidget(status)

    def restore_geometry_from(self, geometry: object) -> None:
        """A saved geometry (base64), fitted to the screen; else the default size, centred."""
        from planner.ui.screen_fit import DEFAULT_SIZE, centre_on_screen, fit_on_screen

        if isinstance(geometry, str) and self.restoreGeometry(
            QByteArray.fromBase64(geometry.encode("ascii"))
        ):
            fit_on_screen(self)  # saved at another scale or on a bigger monitor
        else:
            centre_on_screen(self, DEFAULT_SIZE)

    def saved_geometry(self) -> str:
        return bytes(self.saveGeometry().toBase64().data()).decode("ascii")

"""Preferences > Calendar sync: the CalDAV server, user, password (keyring) and calendar."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner import credentials
from planner.settings import Preferences
from planner.ui.calendar_sync import CalendarSyncController, SyncOutcome
from planner.ui.tasks import run_task

log = logging.getLogger(__name__)

NEW_CALENDAR_NAME = "Networking Planner"


class CalendarSyncPage(QWidget):
    """Edits a copy of the preferences (`apply`); the password goes to the keyring on save."""

    def __init__(
        self,
        preferences: Preferences,
        controller: CalendarSyncController | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("calendarSyncPage")
        self._controller = controller
        self._connecting = False
        self._discovered_url = ""
        self._saved_url = preferences.calendar_sync_url
        self._saved_user = preferences.calendar_sync_user
        layout = QVBoxLayout(self)

        intro = QLabel(
            "Publish your open follow-ups, event plans and birthdays to a calendar on a CalDAV "
            "server (iCloud, Nextcloud, Fastmail, Radicale…). It stays current by itself: "
            "every change in the app is sent within seconds."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.enabled = QCheckBox("&Publish reminders to a CalDAV calendar")
        self.enabled.setObjectName("calendarSyncEnabled")
        self.enabled.setAccessibleName("Publish reminders to a CalDAV calendar")
        self.enabled.setChecked(preferences.calendar_sync_enabled)
        layout.addWidget(self.enabled)

        account = QGroupBox("Server")
        form = QFormLayout(account)
        self.url = QLineEdit(preferences.calendar_sync_url)
        self.url.setObjectName("calendarSyncUrl")
        self.url.setAccessibleName("CalDAV server address")
        self.url.setPlaceholderText("https://caldav.example.com/")
        self.url.setToolTip(
            "The server's address; the calendars are found from it (well-known URL, principal, "
            "calendar home). A bare domain is looked up in DNS."
        )
        form.addRow("&Address:", self.url)
        self.user = QLineEdit(preferences.calendar_sync_user)
        self.user.setObjectName("calendarSyncUser")
        self.user.setAccessibleName("User name")
        form.addRow("&User:", self.user)
        self.password = QLineEdit()
        self.password.setObjectName("calendarSyncPassword")
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        has_password = bool(
            preferences.calendar_sync_url
            and credentials.get_password(preferences.calendar_sync_url, self._saved_user)
        )
        self.password.setPlaceholderText(
            "Saved (type to change)"
            if has_password
            else "An app password if your provider has them"
        )
        form.addRow("Pass&word:", self.password)
        row = QHBoxLayout()
        self.connect_button = QPushButton("&Connect")
        self.connect_button.setObjectName("calendarSyncConnect")
        self.connect_button.setAccessibleName("Connect and list calendars")
        self.connect_button.clicked.connect(self._on_connect_clicked)
        row.addWidget(self.connect_button)
        row.addStretch(1)
        form.addRow("", row)
        self.calendar = QComboBox()
        self.calendar.setObjectName("calendarSyncCalendar")
        self.calendar.setAccessibleName("Calendar to publish into")
        form.addRow("Ca&lendar:", self.calendar)
        layout.addWidget(account)
        self._fill_calendars([], preferences.calendar_sync_calendar_url,
                             preferences.calendar_sync_calendar_name)  # fmt: skip

        self.message = QLabel()
        self.message.setObjectName("calendarSyncMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)

        self.conflict_box = QGroupBox("Changed on the server")
        conflict_layout = QVBoxLayout(self.conflict_box)
        explain = QLabel(
            "These entries were edited or deleted in the calendar itself, so the app left them "
            "as they are. Replace them to publish the app's version again."
        )
        explain.setWordWrap(True)
        conflict_layout.addWidget(explain)
        self.conflict_list = QListWidget()
        self.conflict_list.setObjectName("calendarSyncConflicts")
        self.conflict_list.setAccessibleName("Entries changed on the server")
        self.conflict_list.setMaximumHeight(110)
        self.conflict_list.setWordWrap(True)
        self.conflict_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        conflict_layout.addWidget(self.conflict_list)
        self.replace_button = QPushButton("&Replace the server's copies")
        self.replace_button.setObjectName("calendarSyncReplace")
        self.replace_button.clicked.connect(self._on_replace_clicked)
        conflict_layout.addWidget(self.replace_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.conflict_box)

        self.status = QLabel()
        self.status.setObjectName("calendarSyncState")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self.enabled.toggled.connect(self._update_enabled)
        self._update_enabled()
        if controller is not None:
            controller.state_changed.connect(self._on_controller_state_changed)
            controller.synced.connect(self._on_controller_synced)
            self._on_controller_state_changed(controller.text, controller.tooltip)
        self._show_conflicts()

    # --- calendars ----------------------------------------------------------------------

    def _fill_calendars(self, found: list[tuple[str, str]], url: str, name: str) -> None:
        """Offer the server's calendars (url, name) plus a new "Networking Planner"."""
        self.calendar.clear()
        known = dict(found)
        if url and url not in known:
            known[url] = name or url
        for cal_url, cal_name in known.items():
            self.calendar.addItem(cal_name, (cal_url, cal_name))
        if not any(n == NEW_CALENDAR_NAME for n in known.values()):
            self.calendar.addItem(
                f"New calendar “{NEW_CALENDAR_NAME}” (made on the first sync)",
                ("", NEW_CALENDAR_NAME),
            )
        chosen = 0
        for index in range(self.calendar.count()):
            cal_url, cal_name = self.calendar.itemData(index)
            if (url and cal_url == url) or (not url and cal_name == (name or NEW_CALENDAR_NAME)):
                chosen = index
                break
        self.calendar.setCurrentIndex(chosen)

    def _account(self) -> tuple[str, str, str]:
        """(url, user, password): the typed password, else the saved one for this account."""
        url, user = self.url.text().strip(), self.user.text().strip()
        password = self.password.text()
        if not password and url:
            password = credentials.get_password(url, user) or ""
        return url, user, password

    def _on_connect_clicked(self) -> None:
        from planner.interop.caldav_client import CalDavClient, CalDavError

        url, user, password = self._account()
        if not url:
            self._say("Enter the server's address first.", error=True)
            self.url.setFocus()
            return
        self._connecting = True
        self.connect_button.setEnabled(False)
        self._say("Connecting…")

        def discover() -> list[tuple[str, str]] | str:
            try:
                with CalDavClient(url, user, password) as client:
                    return [(c.url, c.name) for c in client.calendars()]
            except CalDavError as exc:
                return exc.message

        run_task(discover, self._on_discovered, self._on_discover_failed, owner=self,
                 name="calendar discovery")  # fmt: skip

    def _on_discovered(self, result: list[tuple[str, str]] | str) -> None:
        self._connecting = False
        self.connect_button.setEnabled(True)
        if isinstance(result, str):
            self._say(result, error=True)
            return
        self._discovered_url = self.url.text().strip()
        current = self.calendar.currentData() or ("", NEW_CALENDAR_NAME)
        self._fill_calendars(result, current[0] if current[0] in dict(result) else "",
                             current[1])  # fmt: skip
        note = self._save_password()
        count = len(result)
        self._say(
            f"Connected: {count} calendar{'s' if count != 1 else ''} found. Choose one, or a "
            "new one, then OK." + (f"\n{note}" if note else "")
        )
        self.enabled.setChecked(True)

    def _on_discover_failed(self, exc: BaseException) -> None:
        log.error("Calendar discovery failed", exc_info=exc)
        self._on_discovered(f"Could not connect: {exc}")

    def _save_password(self) -> str:
        """Keep a typed password in the keyring; '' or why it is only kept until quitting."""
        url, user = self.url.text().strip(), self.user.text().strip()
        if not self.password.text() or not url:
            return ""
        saved = credentials.set_password(url, user, self.password.text())
        self.password.clear()
        self.password.setPlaceholderText("Saved (type to change)")
        return saved.message

    # --- conflicts and state ------------------------------------------------------------

    def _show_conflicts(self) -> None:
        conflicts = self._controller.conflicts if self._controller is not None else ()
        self.conflict_list.clear()
        for conflict in conflicts:
            self.conflict_list.addItem(f"{conflict.summary} — {conflict.reason}")
        self.conflict_box.setVisible(bool(conflicts))

    def _on_replace_clicked(self) -> None:
        if self._controller is not None:
            self._controller.replace_conflicts()

    def _on_controller_state_changed(self, text: str, tooltip: str) -> None:
        # The first line of the status bar's tooltip: the counts or the reason it waits.
        detail = tooltip.splitlines()[0] if tooltip else ""
        self.status.setText(f"{text}\n{detail}" if text and detail else text)

    def _on_controller_synced(self, _outcome: SyncOutcome) -> None:
        self._show_conflicts()

    def _update_enabled(self) -> None:
        self.status.setVisible(self.enabled.isChecked())

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        # Errors in the red the other dialogs use; progress and success in the normal text.
        self.message.setStyleSheet("color: #c0392b;" if error else "")
        self.message.setAccessibleDescription(text)

    # --- saving -------------------------------------------------------------------------

    def validate(self) -> str:
        """'' when the page can be saved, else why not (shown on the page)."""
        if self.enabled.isChecked() and not self.url.text().strip():
            message = "Enter the CalDAV server's address, or untick publishing."
            self._say(message, error=True)
            self.url.setFocus()
            return message
        return ""

    def save_password(self) -> str:
        """On OK: a typed password goes to the keyring; returns a note if it could not."""
        return self._save_password()

    def apply(self, prefs: Preferences) -> None:
        """Write the page's choices into `prefs` (a copy the caller saves)."""
        url, user = self.url.text().strip(), self.user.text().strip()
        prefs.calendar_sync_enabled = self.enabled.isChecked() and bool(url)
        prefs.calendar_sync_url = url
        prefs.calendar_sync_user = user
        cal_url, cal_name = self.calendar.currentData() or ("", NEW_CALENDAR_NAME)
        if cal_url and url not in (self._saved_url, self._discovered_url):
            cal_url = ""  # a calendar of the previous server: find it again by name
        prefs.calendar_sync_calendar_url = cal_url
        prefs.calendar_sync_calendar_name = cal_name
        if self._saved_url and (url, user) != (self._saved_url, self._saved_user):
            # Another account: the old password is no longer needed.
            credentials.delete_password(self._saved_url, self._saved_user)

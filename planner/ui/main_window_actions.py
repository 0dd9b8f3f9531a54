"""The main window's File, Edit and Help menu commands that open a dialog and act on its answer.

Each function takes the window (for its database, settings, bus and status bar); the window
connects its menu actions to them. Dialogs and storage modules are imported inside each
function: none of them is needed to show the window.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from planner import APP_NAME, __version__

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def printable(target: str | Path) -> str:
    """A database path or URL fit for the log and messages: never a password."""
    text = str(target)
    if "://" not in text:
        return text
    from planner.db.database import describe_url

    try:
        return describe_url(text)
    except Exception:
        return "(database URL)"


def _role_of(url: str) -> str:
    from sqlalchemy.engine import make_url

    return str(make_url(url).username or "")


def open_database_dialog(window: MainWindow) -> None:
    """File > Open database…: pick (or name a new) file and open it."""
    from PySide6.QtWidgets import QFileDialog

    start = str(window.db.path.parent) if window.db is not None and window.db.path else ""
    path, _ = QFileDialog.getSaveFileName(
        window,
        "Open or create a database",
        start,
        "Networking Planner databases (*.sqlite3 *.sqlite *.db);;All files (*)",
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    if not path:
        return
    if not window.open_database(path):
        return
    window.statusBar().showMessage(f"Opened {path}", 5000)


def connect_team(window: MainWindow) -> None:
    """Connect to a team database: URL remembered, password in the keyring, identity set."""
    from PySide6.QtWidgets import QMessageBox

    from planner import credentials
    from planner.ui.dialogs.team_dialog import TeamDialog

    prefs = window.settings.preferences
    saved = ""
    if prefs.team_database_url:
        saved = (
            credentials.get_password(
                credentials.database_key(prefs.team_database_url),
                _role_of(prefs.team_database_url),
            )
            or ""
        )
    dialog = TeamDialog(prefs.team_database_url, saved, prefs.user_name, prefs.user_email, window)
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
        window.settings.save()
    except OSError:
        log.exception("Could not save the settings")
    target = credentials.with_database_password(connection.url)
    if not window.open_database(target):
        return
    window.statusBar().showMessage(f"Connected to {printable(connection.url)}", 8000)
    if note:
        QMessageBox.information(window, "Password", note)


def backup(window: MainWindow) -> None:
    """File > Back up now: a verified copy into the backups folder."""
    from PySide6.QtWidgets import QMessageBox

    from planner.db.backup import backup_sqlite

    if window.db is None:
        return
    if window.db.path is None:
        explain_server_backup(window)
        return
    try:
        target = backup_sqlite(window.db.path)
    except Exception as exc:
        log.exception("Backup failed")
        QMessageBox.warning(window, "Back up", f"The backup failed: {exc}")
        return
    window.statusBar().showMessage(f"Backed up to {target}", 8000)


def explain_server_backup(window: MainWindow) -> None:
    """A team database lives on the server: pg_dump backs it up, not a file copy here."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    from planner.db.backup import pg_dump_command

    assert window.db is not None
    command = pg_dump_command(window.db.url)
    box = QMessageBox(window)
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
        window.statusBar().showMessage("pg_dump command copied", 5000)


def restore_backup(window: MainWindow) -> None:
    """File > Restore from backup…: pick a backup, replace the file with it, reopen."""
    from PySide6.QtWidgets import QMessageBox

    from planner.db.backup import BackupError, list_backups
    from planner.db.backup import restore_backup as restore_file
    from planner.ui.dialogs.restore_dialog import RestoreDialog
    from planner.ui.tasks import run_and_wait, wait_for_all

    if window.db is None:
        return
    if window.db.path is None:
        QMessageBox.information(
            window,
            "Restore from backup",
            "This is a team database on a PostgreSQL server: whoever runs the server "
            "restores it from a pg_dump file with pg_restore (File > Back up now shows the "
            "pg_dump command).",
        )
        return
    path = window.db.path
    backups = run_and_wait(lambda: list_backups(path), name="list-backups")
    if not any(info.readable for info in backups):
        QMessageBox.information(
            window,
            "Restore from backup",
            f"There are no backups of this database yet (they are kept in "
            f"{path.parent / 'backups'}). File > Back up now makes one.",
        )
        return
    dialog = RestoreDialog(backups, window)
    if dialog.exec() != RestoreDialog.DialogCode.Accepted or dialog.chosen() is None:
        return
    chosen = dialog.chosen()
    assert chosen is not None
    answer = QMessageBox.question(
        window,
        "Restore from backup",
        f"Replace the current database with the copy from "
        f"{chosen.taken_at:%d %b %Y %H:%M} ({chosen.contacts:,} contacts)? Changes made "
        "since then are set aside: the current file is kept beside it, renamed.",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return
    wait_for_all()
    window.db.close()
    try:
        kept = run_and_wait(lambda: restore_file(chosen.path, path), name="restore")
    except (BackupError, OSError) as exc:
        QMessageBox.warning(
            window, "Restore from backup", f"The backup could not be restored: {exc}"
        )
        return
    if window.open_database(path):
        where = f"; the replaced file is {kept}" if kept else ""
        window.statusBar().showMessage(f"Restored {chosen.path.name}{where}", 10000)


def export_reminders(window: MainWindow, followup_ids: list[int] | None = None) -> None:
    """File > Export reminders…, or the Calendar tab's Export with its selection."""
    from planner.ui.dialogs.export_ics_dialog import export_reminders as export

    if window.context is not None:
        export(window, window.context, followup_ids or [])


def preferences(window: MainWindow) -> None:
    """File > Preferences…: saved, the theme applied live, every view told."""
    from planner.core.changes import Changes
    from planner.ui.dialogs.preferences_dialog import PreferencesDialog

    dialog = PreferencesDialog(
        window.settings.preferences, window, calendar_sync=window.calendar_sync
    )
    if dialog.exec() != PreferencesDialog.DialogCode.Accepted:
        return
    window.settings.preferences = dialog.preferences()
    window.settings.save()
    if dialog.calendar_note:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(window, "Calendar sync", dialog.calendar_note)
    window.apply_theme()
    window.bus.changed.emit(Changes.all("settings"))
    window.statusBar().showMessage("Preferences saved", 3000)


def import_contacts(window: MainWindow) -> None:
    from planner.ui.dialogs.import_dialog import run_import

    if window.context is None:
        return
    outcome = run_import(window.context, window)
    if outcome is not None:
        window.statusBar().showMessage(f"Imported: {outcome.summary()}", 8000)


def export_contacts(window: MainWindow) -> None:
    from planner.ui.dialogs.import_dialog import run_export

    if window.context is None:
        return
    path = run_export(window.context, window)
    if path is not None:
        window.statusBar().showMessage(f"Exported contacts to {path}", 8000)


def find_duplicates(window: MainWindow) -> None:
    from planner.ui.dialogs.duplicates_dialog import DuplicatesDialog

    if window.context is None:
        return
    DuplicatesDialog(window.context, window).exec()


def about(window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    where = window.database_label() or window.paths.data_dir
    QMessageBox.about(
        window,
        f"About {APP_NAME}",
        f"<b>{APP_NAME}</b> {__version__}<br><br>"
        "Plan events, keep in touch, and send reminders to your calendar.<br><br>"
        f"Database: {where}<br>Settings: {window.settings.path}<br>Logs: {window.paths.log_dir}",
    )

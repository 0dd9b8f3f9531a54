"""Writing a chosen .ics export off the GUI thread, then saying how it went."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, QUrl
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow, QMessageBox, QProgressDialog, QWidget

from planner.core.reminders import ReminderQuery, ReminderService
from planner.interop.ics import IcsExport, IcsOptions, write_ics
from planner.ui.context import TabContext
from planner.ui.tasks import run_task

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportIcsRequest:
    """What the user chose; the caller writes the file."""

    path: Path
    query: ReminderQuery
    options: IcsOptions
    open_after: bool


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def reason_of(exc: BaseException) -> str:
    """What to tell the user about a failed count or write."""
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    log.error("Calendar export failed", exc_info=exc)
    return str(exc)


class IcsExportRun(QObject):
    """Writes one export off the UI thread, then reports it: status bar, open, or a warning.

    Python owns it (no Qt parent): deleting a Python-made QObject through Qt from inside its
    own signal handling crashed PySide, so a module-level set keeps it alive while it runs
    and lets it go from a fresh event-loop turn.
    """

    finished = QtSignal(object)  # IcsExport
    failed = QtSignal(str)

    def __init__(self, context: TabContext, request: ExportIcsRequest, parent: QWidget) -> None:
        super().__init__()
        self.request = request
        self._window = parent
        db = context.db

        def work() -> IcsExport:
            reminders = ReminderService(db).collect(request.query)
            return write_ics(request.path, reminders, request.options)

        self._work = work
        self.progress = QProgressDialog("Writing the calendar file…", "", 0, 0, parent)
        self.progress.setObjectName("exportProgress")
        self.progress.setWindowTitle("Export reminders")
        # The write takes about a second and never leaves a half file: nothing to cancel.
        self.progress.setCancelButton(None)
        self.progress.setMinimumDuration(400)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)

    def start(self) -> None:
        _RUNNING.add(self)
        run_task(
            self._work,
            self._on_job_finished,
            lambda exc: self._on_job_failed(reason_of(exc)),
            name="write calendar file",
        )

    def _window_gone(self) -> bool:
        """The window was closed while the file was written: nothing left to report to."""
        if shiboken6.isValid(self._window):
            return False
        log.info("Export finished after its window closed")
        QTimer.singleShot(0, partial(_RUNNING.discard, self))
        return True

    def _on_job_finished(self, result: IcsExport) -> None:
        if self._window_gone():
            return
        self.progress.close()
        noun = "item" if result.items == 1 else "items"
        message = f"Exported {result.items:,} {noun} to {result.path} ({human_size(result.size)})"
        if isinstance(self._window, QMainWindow):
            self._window.statusBar().showMessage(message, 10_000)
        log.info(message)
        if self.request.open_after and not QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(result.path))
        ):
            QMessageBox.information(
                self._window,
                "Export reminders",
                f"{message}.\n\nNo calendar app opened the file; import it from your "
                "calendar app instead.",
            )
        self.finished.emit(result)
        self._dispose()

    def _on_job_failed(self, reason: str) -> None:
        if self._window_gone():
            log.warning("Export failed: %s", reason)
            return
        self.progress.close()
        QMessageBox.warning(
            self._window,
            "Export reminders",
            f"The calendar file could not be written to {self.request.path}:\n{reason}\n\n"
            "Any older file there was left as it was.",
        )
        self.failed.emit(reason)
        self._dispose()

    def _dispose(self) -> None:
        self.progress.deleteLater()
        QTimer.singleShot(0, partial(_RUNNING.discard, self))


_RUNNING: set[IcsExportRun] = set()

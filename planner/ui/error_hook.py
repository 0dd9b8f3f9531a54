"""Uncaught exceptions in the GUI: logged in full, shown briefly, and the app keeps running."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

log = logging.getLogger("planner.uncaught")


def install_error_hook(log_file: Path) -> None:
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        from planner.db.errors import StorageError

        storage = isinstance(exc, StorageError)
        if storage:
            # A known storage failure (busy, read-only, disk full, damaged): its message says
            # what happened and what to do; no traceback is needed, and none is shown.
            log.warning("Not saved: %s", type(exc).__name__)
        else:
            log.error("Uncaught exception", exc_info=(exc_type, exc, tb))
        app = QApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            return  # widgets only on the GUI thread (a worker's error is in the log)
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QApplication.activeWindow())
        if storage:
            box.setObjectName("storageErrorDialog")
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("Not saved")
            box.setText(str(exc))
            box.open()
            return
        box.setObjectName("uncaughtErrorDialog")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("Something went wrong")
        box.setText(f"An unexpected error occurred: {exc}")
        box.setInformativeText(
            f"Your data is safe; the app keeps running. Details were written to:\n{log_file}"
        )
        box.open()

    sys.excepthook = hook

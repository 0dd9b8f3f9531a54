"""Esc on a dialog that holds typed text asks before throwing the text away.

Installed once on the application (like the wheel guard). A dialog's Esc normally rejects it
at once; a note half-typed into a touchpoint dialog would be lost with one key. The guard only
steps in when a text field of that dialog was edited by the user (QLineEdit.isModified, the
document's modified flag), so an untouched dialog still closes with one Esc.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def typed_text(dialog: QDialog) -> bool:
    """Whether the user typed into a text field of `dialog` (not counting filled-in values)."""
    for edit in dialog.findChildren(QLineEdit):
        holder = edit.parent()
        # The line edit inside a spin box, date or combo box holds a value, not typed text.
        if holder is not None and (
            holder.inherits("QAbstractSpinBox") or holder.inherits("QComboBox")
        ):
            continue
        if edit.isModified() and edit.text().strip() and not edit.isReadOnly():
            return True
    for text in (*dialog.findChildren(QPlainTextEdit), *dialog.findChildren(QTextEdit)):
        if text.document().isModified() and text.toPlainText().strip() and not text.isReadOnly():
            return True
    return False


def confirm_discard(dialog: QDialog) -> bool:
    """Ask; True when the typed text may go."""
    answer = QMessageBox.question(
        dialog,
        "Discard what you typed?",
        "You typed text in this dialog that has not been saved. Discard it?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


class DiscardGuard(QObject):
    """Application event filter: see the module docstring."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() != Qt.Key.Key_Escape or event.modifiers() != Qt.KeyboardModifier.NoModifier:
            return False
        if not isinstance(watched, QWidget):
            return False
        dialog = watched.window()
        if (
            not isinstance(dialog, QDialog)
            or isinstance(dialog, (QMessageBox, QFileDialog))
            or dialog is not watched.window()
            or not dialog.isVisible()
        ):
            return False
        # A popup (an open combo box list, a completer) takes Esc for itself.
        if QApplication.activePopupWidget() is not None:
            return False
        if not typed_text(dialog):
            return False
        if confirm_discard(dialog):
            dialog.reject()
        return True


_guard: DiscardGuard | None = None


def install_discard_guard(app: QApplication) -> None:
    global _guard
    if _guard is None:
        from planner.ui.app_events import app_event_filter

        _guard = DiscardGuard(app)
        app_event_filter(app).add((QEvent.Type.KeyPress,), _guard.eventFilter)

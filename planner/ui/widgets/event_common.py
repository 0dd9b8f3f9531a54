"""Small pieces the Events tab shares: a text box that saves on leaving, dates."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from planner.ui.dates import short_date, short_datetime, short_time


class CommitTextEdit(QPlainTextEdit):
    """A multi-line box that reports its text when focus leaves it (each edit is saved)."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self._loaded = ""

    def set_saved_text(self, text: str) -> None:
        self._loaded = text
        if self.toPlainText() != text:
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)

    def commit(self) -> None:
        text = self.toPlainText()
        if text != self._loaded:
            self._loaded = text
            self.committed.emit(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.commit()
        super().focusOutEvent(event)


def to_qdatetime(value: datetime) -> QDateTime:
    """Wall-clock time as typed; UTC spec so no local DST gap can shift it."""
    return QDateTime(
        QDate(value.year, value.month, value.day),
        QTime(value.hour, value.minute),
        QTimeZone(b"UTC"),
    )


def from_qdatetime(value: QDateTime) -> datetime:
    d = value.date()
    t = value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def format_when(
    starts: datetime | None, ends: datetime | None, zone: str = "", all_day: bool = False
) -> str:
    """'12/05/2026 09:00 – 13/05/2026 17:00 (Europe/Lisbon)' in the user's locale."""
    if starts is None:
        return "No date yet"
    if all_day:
        text = short_date(starts.date())
        if ends is not None and ends.date() != starts.date():
            text += " – " + short_date(ends.date())
        return text
    text = short_datetime(starts)
    if ends is not None:
        if ends.date() == starts.date():
            text += " – " + short_time(ends.time())
        else:
            text += " – " + short_datetime(ends)
    if zone:
        text += f" ({zone})"
    return text

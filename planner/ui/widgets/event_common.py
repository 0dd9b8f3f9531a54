"""Small pieces the Events tab shares: a text box that saves on leaving, dates, widget helpers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QFrame,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner.core.events import time_zone_names
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


CURRENCIES = ("EUR", "USD", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK", "PLN", "INR")


def local_zone_name() -> str:
    """The system's IANA zone (Qt maps Windows zone names too), or UTC when unknown."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "ignore")
    return name if name in time_zone_names() else "UTC"


def named(widget: Any, name: str, accessible: str) -> Any:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


def button(name: str, text: str, accessible: str) -> QPushButton:
    return named(QPushButton(text), name, accessible)  # type: ignore[no-any-return]


def days_text(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def page() -> tuple[QScrollArea, QVBoxLayout]:
    """A tab page that scrolls when the window is small."""
    inner = QWidget()
    layout = QVBoxLayout(inner)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    return area, layout

"""The one place the UI turns dates and times into text: the system locale's short and long
formats, or ISO 8601 when there is no real locale (C/POSIX), so every screen agrees."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime
from PySide6.QtWidgets import QDateTimeEdit

ISO_DATE = "yyyy-MM-dd"
ISO_TIME = "HH:mm"


def is_c_locale(locale: QLocale | None = None) -> bool:
    """True under the C/POSIX locale, whose Qt formats ("15 12 2026") read as nobody's."""
    return (locale or QLocale()).language() == QLocale.Language.C


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def short_date(day: date | None) -> str:
    """The short date: "15/12/2026" (en_GB), "12/15/26" (en_US), "2026-12-15" under C."""
    if day is None:
        return ""
    locale = QLocale()
    if is_c_locale(locale):
        return day.isoformat()
    return locale.toString(_qdate(day), QLocale.FormatType.ShortFormat)


def long_date(day: date | None) -> str:
    """The long date: "Tuesday, 15 December 2026" (en_GB), "Tuesday 2026-12-15" under C."""
    if day is None:
        return ""
    locale = QLocale()
    if is_c_locale(locale):
        return (
            f"{locale.dayName(day.isoweekday(), QLocale.FormatType.LongFormat)} {day.isoformat()}"
        )
    return locale.toString(_qdate(day), QLocale.FormatType.LongFormat)


def short_time(value: time | None) -> str:
    """The short time, "14:30" or "2:30 PM" as the locale writes it; "14:30" under C."""
    if value is None:
        return ""
    locale = QLocale()
    if is_c_locale(locale):
        return value.strftime("%H:%M")
    return locale.toString(QTime(value.hour, value.minute), QLocale.FormatType.ShortFormat)


def short_datetime(value: datetime | None) -> str:
    """Short date and short time; "2026-12-15 14:30" under C."""
    if value is None:
        return ""
    return f"{short_date(value.date())} {short_time(value.time())}"


def _four_digit_year(fmt: str) -> str:
    # An editor showing "26" makes the user guess the century; widen a two-digit year.
    return re.sub(r"(?<!y)yy(?!y)", "yyyy", fmt)


def date_edit_format(with_time: bool = False) -> str:
    """The display format for a date (or date and time) editor."""
    locale = QLocale()
    if is_c_locale(locale):
        return f"{ISO_DATE} {ISO_TIME}" if with_time else ISO_DATE
    fmt = _four_digit_year(locale.dateFormat(QLocale.FormatType.ShortFormat))
    if with_time:
        fmt += " " + locale.timeFormat(QLocale.FormatType.ShortFormat)
    return fmt


def apply_date_format(edit: QDateTimeEdit, with_time: bool = False) -> None:
    """Give a QDateEdit/QDateTimeEdit the same format every other date on screen uses."""
    edit.setDisplayFormat(date_edit_format(with_time))


def qdatetime_short(value: QDateTime) -> str:
    """Short date and time of a QDateTime (for code that already holds Qt values)."""
    return short_datetime(value.toPython())  # type: ignore[arg-type]

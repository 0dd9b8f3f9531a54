"""Change signals: a tab that changes data says so here and the other tabs refresh."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Bus(QObject):
    contacts_changed = Signal()
    touchpoints_changed = Signal()
    followups_changed = Signal()
    events_changed = Signal()
    organisations_changed = Signal()
    preferences_changed = Signal()
    # Ask for a new follow-up for this contact id (the Calendar tab opens its dialog).
    followup_requested = Signal(int)
    # Ask for the iCalendar export dialog, with these follow-up ids pre-selected (may be empty).
    export_reminders_requested = Signal(list)
    # Ask the main window to show something: (kind, id), e.g. ("contact", 12).
    open_requested = Signal(str, int)

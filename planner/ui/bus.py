"""The one change signal, `changed(Changes)`, plus a few requests between tabs.

`changed` is emitted once per user action, after each undo and redo too: by the commands in
`planner/ui/commands/` with the `Changes` their service call returned. Besides them only
what no command covers emits it: teammates' and other programs' writes (`planner.ui.live`),
a finished import and saved preferences. Every view listens through
`planner.ui.tabs.base.ChangeFollower`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Bus(QObject):
    # What an edit changed (a planner.core.changes.Changes), emitted once per action.
    changed = Signal(object)
    # An undo or redo could not be carried out (the row was deleted meanwhile, say).
    command_failed = Signal(str)

    # Ask for a new follow-up for this contact id (the Calendar tab opens its dialog).
    followup_requested = Signal(int)
    # Ask for the iCalendar export dialog, with these follow-up ids pre-selected (may be empty).
    export_reminders_requested = Signal(list)
    # Ask the main window to show something: (kind, id), e.g. ("contact", 12).
    open_requested = Signal(str, int)
    # A follow-up fell due and is shown in the window (no tray, or chosen): (text, id).
    reminder_due = Signal(str, int)

"""The one change signal, `changed(Changes)`, plus a few requests between tabs.

Only undo commands (`planner/ui/commands/`) emit `changed`, with the `Changes` their service
call returned; every view listens through `planner.ui.tabs.base.ChangeFollower`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from planner.core.changes import KINDS, Changes

# While callers move to `changed`, each kind is also repeated on its old per-kind signal.
_LEGACY = {
    "contacts": "contacts_changed",
    "touchpoints": "touchpoints_changed",
    "referrals": "touchpoints_changed",
    "follow_ups": "followups_changed",
    "events": "events_changed",
    "organisations": "organisations_changed",
    "settings": "preferences_changed",
}


class Bus(QObject):
    # What an edit changed (a planner.core.changes.Changes), emitted once per action.
    changed = Signal(object)
    # An undo or redo could not be carried out (the row was deleted meanwhile, say).
    command_failed = Signal(str)

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

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # True while `changed` is being repeated on the old signals: views that already
        # follow `changed` ignore those repeats.
        self.echoing = False
        self.changed.connect(self._repeat_on_legacy_signals)

    def _repeat_on_legacy_signals(self, changes: Changes) -> None:
        kinds = changes.kinds()
        names = dict.fromkeys(_LEGACY[kind] for kind in KINDS if kind in kinds)
        self.echoing = True
        try:
            for name in names:
                getattr(self, name).emit()
        finally:
            self.echoing = False

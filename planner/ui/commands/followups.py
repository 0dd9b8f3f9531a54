"""Undo commands for follow-ups: add, edit, complete, snooze, reschedule, cancel, and the
losing-touch list's "Schedule" (Del cancels: a cancelled follow-up stays, so a calendar
export can cancel its copy too).

Each holds the service and the records it needs to go both ways; `apply` and `revert` each
make one service call (one transaction) and return the `Changes` the service reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from planner.core.changes import Changes
from planner.core.followups import Completion, FollowUpDraft, FollowUpService
from planner.core.records import FollowUpRecord
from planner.ui.bus import Bus
from planner.ui.commands.base import Command


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many.format(n=f"{n:,}")


class AddFollowUp(Command):
    """A new follow-up; undo deletes it, redo brings the same row (same id and UID) back."""

    def __init__(self, bus: Bus, service: FollowUpService, draft: FollowUpDraft) -> None:
        super().__init__(bus, "New follow-up")
        self.service = service
        self.draft = draft
        self.record: FollowUpRecord | None = None

    def apply(self) -> Changes:
        if self.record is not None:  # redo: the same row again
            self.record, changes = self.service.restore(self.record)
            return changes
        self.record, changes = self.service.create(self.draft)
        return changes

    def revert(self) -> Changes:
        assert self.record is not None
        _, changes = self.service.delete(self.record.id)
        return changes


class EditFollowUp(Command):
    """Save what the dialog holds over `before` (the copy the user edited).

    The first save names the version the user saw, so a teammate's change made meanwhile
    raises ConflictError instead of being overwritten. Undo puts `before`'s values back.
    """

    def __init__(
        self,
        bus: Bus,
        service: FollowUpService,
        before: FollowUpRecord,
        draft: FollowUpDraft,
        *,
        check_version: bool = True,
    ) -> None:
        super().__init__(bus, "Edit follow-up")
        self.service = service
        self.before = before
        self.draft = draft
        self._expected: int | None = before.version if check_version else None
        self.record: FollowUpRecord | None = None

    def apply(self) -> Changes:
        self.record, changes = self.service.update(
            self.before.id, self.draft, expected_version=self._expected
        )
        self._expected = None  # redo after undo writes over our own undo
        return changes

    def revert(self) -> Changes:
        _, changes = self.service.restore(self.before)
        return changes


class _Restoring(Command):
    """An action on open follow-ups whose undo puts each back exactly as it was."""

    def __init__(
        self, bus: Bus, service: FollowUpService, befores: Sequence[FollowUpRecord], text: str
    ) -> None:
        super().__init__(bus, text)
        self.service = service
        self.befores = list(befores)
        self.ids = [r.id for r in self.befores]
        self.records: list[FollowUpRecord] = []

    def revert(self) -> Changes:
        _, changes = self.service.restore_many(self.befores)
        return changes


class RescheduleFollowUp(_Restoring):
    """Move follow-ups to one day (a date picked, or a drop on the month grid)."""

    def __init__(
        self, bus: Bus, service: FollowUpService, befores: Sequence[FollowUpRecord], day: date
    ) -> None:
        n = len(befores)
        super().__init__(
            bus, service, befores, _plural(n, "Reschedule follow-up", "Reschedule {n} follow-ups")
        )
        self.day = day

    def apply(self) -> Changes:
        self.records, changes = self.service.reschedule_many(self.ids, self.day)
        return changes


class SnoozeFollowUp(_Restoring):
    """Snooze follow-ups ("until tomorrow", "until next week"), each from its own due day."""

    def __init__(
        self,
        bus: Bus,
        service: FollowUpService,
        befores: Sequence[FollowUpRecord],
        kind: str,
        label: str,
        today: date,
        first_day_of_week: int,
    ) -> None:
        super().__init__(bus, service, befores, f"Snooze until {label}")
        self.kind = kind
        self.today = today
        self.first_day_of_week = first_day_of_week

    def apply(self) -> Changes:
        self.records, changes = self.service.snooze_many(
            self.ids, self.kind, self.today, self.first_day_of_week
        )
        return changes


class CancelFollowUp(_Restoring):
    """Cancel follow-ups (kept as cancelled, so a calendar export cancels its copy too)."""

    def __init__(
        self, bus: Bus, service: FollowUpService, befores: Sequence[FollowUpRecord]
    ) -> None:
        n = len(befores)
        super().__init__(
            bus, service, befores, _plural(n, "Cancel follow-up", "Cancel {n} follow-ups")
        )

    def apply(self) -> Changes:
        self.records, changes = self.service.cancel_many(self.ids)
        return changes


class CompleteFollowUp(Command):
    """Complete follow-ups with one outcome: each logs its touchpoint and may schedule the
    next by cadence; undo removes exactly what was added and reopens them."""

    def __init__(
        self,
        bus: Bus,
        service: FollowUpService,
        ids: Sequence[int],
        today: date,
        kind: str,
        note: str | None,
        channel: str | None,
    ) -> None:
        n = len(ids)
        super().__init__(bus, _plural(n, "Complete follow-up", "Complete {n} follow-ups"))
        self.service = service
        self.ids = list(ids)
        self.values = (today, kind, note, channel)
        self.completions: list[Completion] = []

    def apply(self) -> Changes:
        today, kind, note, channel = self.values
        self.completions, changes = self.service.complete_many(self.ids, today, kind, note, channel)
        return changes

    def revert(self) -> Changes:
        _, changes = self.service.undo_complete_many(self.completions)
        return changes


class ScheduleKeepInTouch(Command):
    """One keep-in-touch follow-up due on `due` for each contact (the losing-touch list)."""

    def __init__(
        self, bus: Bus, service: FollowUpService, contact_ids: Sequence[int], due: date
    ) -> None:
        n = len(contact_ids)
        super().__init__(
            bus,
            _plural(n, "Schedule keep-in-touch", "Schedule keep-in-touch for {n} contacts"),
        )
        self.service = service
        self.contact_ids = list(contact_ids)
        self.due = due
        self.records: list[FollowUpRecord] = []

    def apply(self) -> Changes:
        if self.records:  # redo: the same rows again
            self.records, changes = self.service.restore_many(self.records)
            return changes
        self.records, changes = self.service.schedule_keep_in_touch(self.contact_ids, self.due)
        return changes

    def revert(self) -> Changes:
        _, changes = self.service.delete_many([r.id for r in self.records])
        return changes

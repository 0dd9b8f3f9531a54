"""Undo commands for touchpoints: log (for one or many contacts), edit, delete."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from planner.core.changes import Changes
from planner.core.records import TouchpointRecord
from planner.core.touchpoints import TouchpointService
from planner.ui.bus import Bus
from planner.ui.commands.base import Command

EDITABLE = ("occurred_on", "channel", "kind", "note", "event_id")


class LogTouchpoints(Command):
    """The same touchpoint for each contact, all in one transaction and one undo step."""

    def __init__(
        self,
        bus: Bus,
        service: TouchpointService,
        contact_ids: Sequence[int],
        occurred_on: date,
        channel: str,
        kind: str,
        note: str = "",
        *,
        event_id: int | None = None,
        who: str = "",
    ) -> None:
        who = who or (f"{len(contact_ids):,} contacts" if len(contact_ids) != 1 else "a contact")
        super().__init__(bus, f"Log touchpoint with {who}")
        self.service = service
        self.contact_ids = list(contact_ids)
        self.values = (occurred_on, channel, kind, note, event_id)
        self.records: list[TouchpointRecord] = []

    def apply(self) -> Changes:
        if self.records:  # redo: the same rows again, with the same ids
            _, changes = self.service.restore_many(self.records)
            return changes
        occurred_on, channel, kind, note, event_id = self.values
        self.records, changes = self.service.log_many(
            self.contact_ids, occurred_on, channel, kind, note, event_id=event_id
        )
        return changes

    def revert(self) -> Changes:
        _, changes = self.service.delete_many([r.id for r in self.records])
        return changes


class EditTouchpoint(Command):
    """Change some fields of one touchpoint; undo puts the old values back."""

    def __init__(
        self,
        bus: Bus,
        service: TouchpointService,
        record: TouchpointRecord,
        values: Mapping[str, Any],
    ) -> None:
        super().__init__(bus, "Edit touchpoint")
        self.service = service
        self.touchpoint_id = record.id
        self.after = dict(values)
        self.before = {key: getattr(record, key) for key in self.after}

    def apply(self) -> Changes:
        _, changes = self.service.update(self.touchpoint_id, self.after)
        return changes

    def revert(self) -> Changes:
        _, changes = self.service.update(self.touchpoint_id, self.before)
        return changes


class DeleteTouchpoints(Command):
    """Delete touchpoints in one transaction; undo restores them with their ids."""

    def __init__(self, bus: Bus, service: TouchpointService, touchpoint_ids: Sequence[int]) -> None:
        n = len(touchpoint_ids)
        super().__init__(bus, "Delete touchpoint" if n == 1 else f"Delete {n:,} touchpoints")
        self.service = service
        self.touchpoint_ids = list(touchpoint_ids)
        self.records: list[TouchpointRecord] = []

    def apply(self) -> Changes:
        self.records, changes = self.service.delete_many(self.touchpoint_ids)
        return changes

    def revert(self) -> Changes:
        _, changes = self.service.restore_many(self.records)
        return changes

"""Undo commands for referrals and introductions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.core.changes import Changes
from planner.core.records import ReferralRecord
from planner.core.referrals import ReferralService
from planner.ui.bus import Bus
from planner.ui.commands.base import Command


class AddReferral(Command):
    """A new referral; undo deletes it, redo puts it back with the same id."""

    def __init__(
        self, bus: Bus, service: ReferralService, contact_id: int, values: Mapping[str, Any]
    ) -> None:
        super().__init__(bus, "Add referral")
        self.service = service
        self.contact_id = contact_id
        self.values = dict(values)
        self.record: ReferralRecord | None = None

    def apply(self) -> Changes:
        if self.record is None:
            self.record, changes = self.service.create(self.contact_id, **self.values)
        else:
            _, changes = self.service.restore(self.record)
        return changes

    def revert(self) -> Changes:
        assert self.record is not None
        _, changes = self.service.delete(self.record.id)
        return changes


class EditReferral(Command):
    """Some fields of one referral; undo puts the values before the edit back."""

    def __init__(
        self, bus: Bus, service: ReferralService, record: ReferralRecord, values: Mapping[str, Any]
    ) -> None:
        super().__init__(bus, "Edit referral")
        self.service = service
        self.record = record
        self.after = dict(values)
        self.before = {key: getattr(record, key) for key in self.after}

    def apply(self) -> Changes:
        _, changes = self.service.update(self.record.id, self.after)
        return changes

    def revert(self) -> Changes:
        _, changes = self.service.update(self.record.id, self.before)
        return changes


class DeleteReferral(Command):
    """Delete one referral; undo restores it with its id."""

    def __init__(self, bus: Bus, service: ReferralService, record: ReferralRecord) -> None:
        super().__init__(bus, "Delete referral")
        self.service = service
        self.record = record

    def apply(self) -> Changes:
        _, changes = self.service.delete(self.record.id)
        return changes

    def revert(self) -> Changes:
        _, changes = self.service.restore(self.record)
        return changes

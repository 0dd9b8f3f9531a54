"""Undo commands for referrals and introductions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.core.changes import Changes
from planner.core.records import ReferralRecord
from planner.core.referrals import ReferralService
from planner.ui.bus import Bus
from planner.ui.commands.base import Command


def _changes(record: ReferralRecord) -> Changes:
    people = [record.contact_id] + ([record.other_contact_id] if record.other_contact_id else [])
    return Changes.of(referrals=[record.id], contacts=people)


class AddReferral(Command):
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
            self.record = self.service.create(self.contact_id, **self.values)
        else:
            self.service.restore(self.record)
        return _changes(self.record)

    def revert(self) -> Changes:
        assert self.record is not None
        self.service.delete(self.record.id)
        return _changes(self.record)


class EditReferral(Command):
    def __init__(
        self, bus: Bus, service: ReferralService, record: ReferralRecord, values: Mapping[str, Any]
    ) -> None:
        super().__init__(bus, "Edit referral")
        self.service = service
        self.record = record
        self.after = dict(values)
        self.before = {key: getattr(record, key) for key in self.after}

    def apply(self) -> Changes:
        return _changes(self.service.update(self.record.id, self.after))

    def revert(self) -> Changes:
        return _changes(self.service.update(self.record.id, self.before))


class DeleteReferral(Command):
    def __init__(self, bus: Bus, service: ReferralService, record: ReferralRecord) -> None:
        super().__init__(bus, "Delete referral")
        self.service = service
        self.record = record

    def apply(self) -> Changes:
        self.service.delete(self.record.id)
        return _changes(self.record)

    def revert(self) -> Changes:
        self.service.restore(self.record)
        return _changes(self.record)

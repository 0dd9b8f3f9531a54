"""Undo commands for contacts: edit fields, add, delete, tag, bulk field changes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from planner.core.changes import Changes
from planner.core.contacts import ContactService, ContactSnapshot, record_changes
from planner.core.records import ContactRecord
from planner.ui.bus import Bus
from planner.ui.commands.base import Command


def _label(keys: Sequence[str]) -> str:
    return ", ".join(k.replace("_", " ").replace("days", "").strip() for k in keys)


class EditContactFields(Command):
    """Some fields of one contact; undo puts the values before the edit back."""

    def __init__(
        self,
        bus: Bus,
        service: ContactService,
        contact_id: int,
        values: Mapping[str, Any],
        seen: ContactRecord | None = None,
    ) -> None:
        super().__init__(bus, f"Edit {_label(list(values))}")
        self.service = service
        self.contact_id = contact_id
        self.values = dict(values)
        # The copy the user edited: the first save fails with ConflictError if the contact
        # changed since (a teammate), instead of overwriting it.
        self.seen = seen
        self.before: dict[str, Any] | None = None
        self.after: dict[str, Any] | None = None
        self.record: ContactRecord | None = None

    def apply(self) -> Changes:
        if self.before is None:
            old = self.seen or self.service.get(self.contact_id)
            self.record, changes = self.service.update(
                self.contact_id,
                self.values,
                expected_version=self.seen.version if self.seen else None,
            )
            self.before = record_changes(old, self.values.keys())
            self.after = record_changes(self.record, self.values.keys())
            self.setText(f"Edit {_label(list(self.values))} of {self.record.name}")
        else:
            self.record, changes = self.service.update(self.contact_id, self.after or {})
        return changes

    def revert(self) -> Changes:
        self.record, changes = self.service.update(self.contact_id, self.before or {})
        return changes


class CreateContact(Command):
    """A new contact; undo deletes it, redo restores it with the same id."""

    def __init__(self, bus: Bus, service: ContactService, fields: Mapping[str, Any]) -> None:
        super().__init__(bus, f"Add {fields.get('name', 'contact')}")
        self.service = service
        self.fields = dict(fields)
        self.record: ContactRecord | None = None
        self.snapshot: ContactSnapshot | None = None

    def apply(self) -> Changes:
        if self.snapshot is not None:
            return self.service.restore(self.snapshot)
        self.record, changes = self.service.create(self.fields)
        self.setText(f"Add {self.record.name}")
        return changes

    def revert(self) -> Changes:
        assert self.record is not None
        self.snapshot, changes = self.service.delete(self.record.id)
        return changes


class DeleteContacts(Command):
    """Delete contacts with everything hanging off them, in one transaction; undo restores."""

    def __init__(
        self, bus: Bus, service: ContactService, contact_ids: Sequence[int], what: str = ""
    ) -> None:
        what = what or (f"{len(contact_ids):,} contacts" if len(contact_ids) != 1 else "contact")
        super().__init__(bus, f"Delete {what}")
        self.service = service
        self.contact_ids = list(contact_ids)
        self.snapshot: ContactSnapshot | None = None

    def apply(self) -> Changes:
        # Their touchpoints, referrals and follow-ups go (and come back) with them: the
        # Changes name those too.
        self.snapshot, changes = self.service.delete_many(self.contact_ids)
        return changes

    def revert(self) -> Changes:
        assert self.snapshot is not None
        return self.service.restore(self.snapshot)


class TagContacts(Command):
    """Add (or with `remove`, take off) one tag on many contacts; undo does the opposite.

    Runs off the GUI thread: tagging 20,000 contacts must not freeze the window."""

    background = True

    def __init__(
        self,
        bus: Bus,
        service: ContactService,
        contact_ids: Sequence[int],
        tag: str,
        *,
        remove: bool = False,
    ) -> None:
        verb = "Untag" if remove else "Tag"
        super().__init__(bus, f"{verb} {len(contact_ids):,} contacts “{tag}”")
        self.service = service
        self.contact_ids = list(contact_ids)
        self.tag = tag
        self.remove = remove
        self.changed: list[int] | None = None

    def _step(self, remove: bool) -> Changes:
        ids = self.contact_ids if self.changed is None else self.changed
        step = self.service.remove_tag if remove else self.service.add_tag
        done, changes = step(ids, self.tag)
        if self.changed is None:
            self.changed = done
            verb = "Untag" if self.remove else "Tag"
            self.setText(f"{verb} {len(done):,} contacts “{self.tag}”")
        return changes

    def apply(self) -> Changes:
        return self._step(self.remove)

    def revert(self) -> Changes:
        return self._step(not self.remove)


class SetContactField(Command):
    """One field (relationship, cadence…) set to one value on many contacts."""

    def __init__(
        self,
        bus: Bus,
        service: ContactService,
        contact_ids: Sequence[int],
        key: str,
        value: Any,
        text: str,
    ) -> None:
        super().__init__(bus, text)
        self.service = service
        self.contact_ids = list(contact_ids)
        self.key = key
        self.value = value
        self.before: dict[int, Any] = {}

    def apply(self) -> Changes:
        values = dict.fromkeys(self.contact_ids, self.value)
        old, changes = self.service.set_field_many(values, self.key)
        if not self.before:
            self.before = old
        return changes

    def revert(self) -> Changes:
        _, changes = self.service.set_field_many(self.before, self.key)
        return changes

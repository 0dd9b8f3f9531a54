"""Undo commands for organisations: add, edit, delete one; members and a contact's links;
hosted events and touchpoints there; linking typed organisation names."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from planner.core.changes import Changes
from planner.core.organisation_links import OrganisationLinkService
from planner.core.organisation_records import (
    ContactOrganisationState,
    FreeTextLinks,
    OrganisationRecord,
    OrganisationSnapshot,
)
from planner.core.organisations import OrganisationService
from planner.ui.bus import Bus
from planner.ui.commands.base import Command

# How an edited field is named in the undo menu ("Undo Edit renewal date of ACM").
FIELD_LABELS = {
    "name": "name",
    "kind": "kind",
    "website": "website",
    "my_role": "role",
    "membership_status": "membership status",
    "joined_on": "joined date",
    "renewal_on": "renewal date",
    "renewal_fee_cents": "renewal fee",
    "currency": "currency",
    "activity_goal": "activity goal",
    "activity_every_days": "activity interval",
    "notes": "notes",
}


class CreateOrganisation(Command):
    """A new organisation; undo deletes it, redo restores it with the same id."""

    def __init__(self, bus: Bus, service: OrganisationService, name: str, **fields: Any) -> None:
        super().__init__(bus, f"Add {name}")
        self.service = service
        self.name = name
        self.fields = fields
        self.record: OrganisationRecord | None = None
        self.snapshot: OrganisationSnapshot | None = None

    def apply(self) -> Changes:
        if self.snapshot is not None:
            self.record, changes = self.service.restore(self.snapshot)
        else:
            self.record, changes = self.service.create(self.name, **self.fields)
        return changes

    def revert(self) -> Changes:
        assert self.record is not None
        self.snapshot, changes = self.service.delete(self.record.id)
        return changes


class DeleteOrganisation(Command):
    """Delete one; contacts, events and touchpoints stay. Undo puts it and its links back."""

    def __init__(self, bus: Bus, service: OrganisationService, record: OrganisationRecord) -> None:
        super().__init__(bus, f"Delete {record.name}")
        self.service = service
        self.organisation_id = record.id
        self.snapshot: OrganisationSnapshot | None = None

    def apply(self) -> Changes:
        self.snapshot, changes = self.service.delete(self.organisation_id)
        return changes

    def revert(self) -> Changes:
        assert self.snapshot is not None
        _record, changes = self.service.restore(self.snapshot)
        return changes


class EditOrganisation(Command):
    """Some fields of one organisation; the reminders follow in the same transaction.

    `seen` is the copy the user edited: the first save raises ConflictError when a teammate
    changed the organisation since, instead of overwriting their change.
    """

    def __init__(
        self,
        bus: Bus,
        service: OrganisationService,
        seen: OrganisationRecord,
        values: Mapping[str, Any],
        *,
        check_version: bool = True,
    ) -> None:
        label = ", ".join(FIELD_LABELS.get(k, k.replace("_", " ")) for k in values)
        super().__init__(bus, f"Edit {label} of {seen.name}")
        self.service = service
        self.organisation_id = seen.id
        self.seen = seen
        self.check_version = check_version
        self.after = dict(values)
        self.before = {key: getattr(seen, key) for key in values}
        self.record: OrganisationRecord | None = None
        self._done = False

    def apply(self) -> Changes:
        version = self.seen.version if self.check_version and not self._done else None
        self.record, changes = self.service.update(
            self.organisation_id, expected_version=version, **self.after
        )
        self._done = True
        return changes

    def revert(self) -> Changes:
        self.record, changes = self.service.update(self.organisation_id, **self.before)
        return changes


class _ContactLinks(Command):
    """A change to contacts' organisation links; undo puts their states before back."""

    def __init__(self, bus: Bus, links: OrganisationLinkService, text: str) -> None:
        super().__init__(bus, text)
        self.links = links
        self.states: list[ContactOrganisationState] = []

    def change(self) -> tuple[list[ContactOrganisationState], Changes]:
        raise TypeError(f"{type(self).__name__} must define change()")

    def apply(self) -> Changes:
        self.states, changes = self.change()
        return changes

    def revert(self) -> Changes:
        _now, changes = self.links.restore_contact_states(self.states)
        return changes


class AddMembers(_ContactLinks):
    """Contacts join an organisation (their main one when they had none)."""

    def __init__(
        self,
        bus: Bus,
        links: OrganisationLinkService,
        organisation: OrganisationRecord,
        contact_ids: Sequence[int],
    ) -> None:
        n = len(contact_ids)
        who = "a contact" if n == 1 else f"{n:,} contacts"
        super().__init__(bus, links, f"Add {who} to {organisation.name}")
        self.organisation_id = organisation.id
        self.contact_ids = list(contact_ids)

    def change(self) -> tuple[list[ContactOrganisationState], Changes]:
        return self.links.link_contacts(self.organisation_id, self.contact_ids)


class _OneContact(_ContactLinks):
    """One contact's link, through one service call returning the state before."""

    def __init__(
        self,
        bus: Bus,
        links: OrganisationLinkService,
        text: str,
        call: Callable[[], tuple[ContactOrganisationState, Changes]],
    ) -> None:
        super().__init__(bus, links, text)
        self._call = call

    def change(self) -> tuple[list[ContactOrganisationState], Changes]:
        state, changes = self._call()
        return [state], changes


class SetMemberRole(_OneContact):
    def __init__(
        self,
        bus: Bus,
        links: OrganisationLinkService,
        organisation_id: int,
        contact_id: int,
        role: str,
        *,
        primary: bool = False,
        text: str = "Change role",
    ) -> None:
        super().__init__(
            bus,
            links,
            text,
            lambda: links.link_contact(organisation_id, contact_id, role=role, primary=primary),
        )


class RemoveMember(_OneContact):
    def __init__(
        self,
        bus: Bus,
        links: OrganisationLinkService,
        organisation_id: int,
        contact_id: int,
        text: str = "Remove from organisation",
    ) -> None:
        super().__init__(
            bus, links, text, lambda: links.unlink_contact(organisation_id, contact_id)
        )


class SetMainOrganisation(_OneContact):
    def __init__(
        self,
        bus: Bus,
        links: OrganisationLinkService,
        contact_id: int,
        organisation_id: int | None,
        text: str = "Set main organisation",
    ) -> None:
        super().__init__(bus, links, text, lambda: links.set_primary(contact_id, organisation_id))


class SetHowMetOrganisation(_OneContact):
    def __init__(
        self,
        bus: Bus,
        links: OrganisationLinkService,
        contact_id: int,
        organisation_id: int | None,
        text: str = "Set where we met",
    ) -> None:
        super().__init__(bus, links, text, lambda: links.set_how_met(contact_id, organisation_id))


class _Relink(Command):
    """Point rows (events hosted, touchpoints there) at an organisation or at none."""

    def __init__(
        self,
        bus: Bus,
        text: str,
        setter: Callable[[Mapping[int, int | None]], tuple[dict[int, int | None], Changes]],
        ids: Sequence[int],
        organisation_id: int | None,
    ) -> None:
        super().__init__(bus, text)
        self._setter = setter
        self.targets: dict[int, int | None] = dict.fromkeys(ids, organisation_id)
        self.before: dict[int, int | None] = {}

    def apply(self) -> Changes:
        self.before, changes = self._setter(self.targets)
        return changes

    def revert(self) -> Changes:
        _after, changes = self._setter(self.before)
        return changes


class SetEventHosts(_Relink):
    def __init__(
        self,
        bus: Bus,
        links: OrganisationLinkService,
        event_ids: Sequence[int],
        organisation_id: int | None,
        text: str,
    ) -> None:
        super().__init__(bus, text, links.set_event_hosts, event_ids, organisation_id)


class SetTouchpointOrganisations(_Relink):
    def __init__(
        self,
        bus: Bus,
        links: OrganisationLinkService,
        touchpoint_ids: Sequence[int],
        organisation_id: int | None,
        text: str,
    ) -> None:
        super().__init__(bus, text, links.set_touchpoint_organisations, touchpoint_ids,
                         organisation_id)  # fmt: skip


class LinkTypedOrganisations(Command):
    """Turn organisation names typed on contacts into linked organisations."""

    def __init__(self, bus: Bus, links: OrganisationLinkService) -> None:
        super().__init__(bus, "Link typed organisation names")
        self.links = links
        self.made = FreeTextLinks()

    def apply(self) -> Changes:
        self.made, changes = self.links.link_free_text()
        # Nothing to link: QUndoStack drops an obsolete command when it is pushed.
        self.setObsolete(not self.made.primaries and not self.made.created)
        return changes

    def revert(self) -> Changes:
        _gone, changes = self.links.unlink_free_text(self.made)
        return changes


class JoinOrganisation(Command):
    """A contact joins an organisation, a new one (named `new_name`) when `organisation_id`
    is None; undo ends the membership and removes the organisation it created."""

    def __init__(
        self,
        bus: Bus,
        service: OrganisationService,
        links: OrganisationLinkService,
        contact_id: int,
        organisation_id: int | None,
        new_name: str = "",
    ) -> None:
        super().__init__(bus, "Add an organisation to a contact")
        self.service = service
        self.links = links
        self.contact_id = contact_id
        self.organisation_id = organisation_id
        self.new_name = new_name
        self.created: OrganisationRecord | None = None
        self.snapshot: OrganisationSnapshot | None = None
        self.state: ContactOrganisationState | None = None

    def apply(self) -> Changes:
        changes = Changes()
        organisation_id = self.organisation_id
        if organisation_id is None:
            if self.snapshot is not None:
                self.created, changes = self.service.restore(self.snapshot)
            else:
                self.created, changes = self.service.create(self.new_name, kind="other")
            organisation_id = self.created.id
        self.state, linked = self.links.link_contact(organisation_id, self.contact_id)
        return changes | linked

    def revert(self) -> Changes:
        assert self.state is not None
        _now, changes = self.links.restore_contact_state(self.state)
        if self.created is not None:
            self.snapshot, gone = self.service.delete(self.created.id)
            changes = changes | gone
        return changes

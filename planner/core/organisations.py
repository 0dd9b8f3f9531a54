"""Organisations and communities themselves: create, change, delete and restore one, with its
renewal reminder and activity nudge following inside the same transaction.

Reading lives in organisation_queries, links to contacts/events/touchpoints in
organisation_links, the reminder rule in organisation_reminders, the records in
organisation_records.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from planner.core.changes import Changes
from planner.core.contact_rows import name_key
from planner.core.errors import ConflictError, ValidationError
from planner.core.organisation_queries import load
from planner.core.organisation_records import (
    ACTIVITY_FIELDS,
    EXACT,
    RENEWAL_FIELDS,
    OrganisationRecord,
    OrganisationSnapshot,
    clean,
    to_record,
)
from planner.core.organisation_reminders import follow_activity, sync, sync_all
from planner.db import models as m
from planner.db.database import Database
from planner.db.errors import ConcurrentEditError
from planner.db.types import utcnow

# The rule other services run after activity moved (touchpoints, events, follow-ups).
__all__ = ["OrganisationService", "follow_activity"]


def _check_unique(s: Any, name: str, own_id: int | None) -> None:
    other = s.scalar(select(m.Organisation.id).where(m.Organisation.name_key == name_key(name)))
    if other is not None and other != own_id:
        raise ValidationError("name", f"There is already an organisation called “{name}”.")


def _ids(s: Any, column: Any, condition: Any) -> tuple[int, ...]:
    return tuple(int(i) for i in s.scalars(select(column).where(condition)))


class OrganisationService:
    """One organisation's own fields; every write is one transaction returning its record
    with the `Changes` it made (the organisation and the reminders that moved)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, organisation_id: int) -> OrganisationRecord:
        with self.db.session() as s:
            return to_record(load(s, organisation_id))

    def create(self, name: str, **fields_: Any) -> tuple[OrganisationRecord, Changes]:
        values = clean({"name": name, **fields_})
        with self.db.session() as s:
            _check_unique(s, values["name"], None)
            values.setdefault("kind", "other")
            org = m.Organisation(name_key=name_key(values["name"]), **values)
            s.add(org)
            s.flush()
            moved = sync(s, org)
            s.flush()
            record = to_record(org)
        return record, Changes.of(organisations=[record.id], follow_ups=moved)

    def update(
        self, organisation_id: int, *, expected_version: int | None = None, **changes: Any
    ) -> tuple[OrganisationRecord, Changes]:
        """Change fields; the renewal reminder and activity nudge follow.

        With `expected_version` (the version of the copy the user edited) an organisation a
        teammate changed since raises ConflictError carrying the current record; nothing is
        written then.
        """
        try:
            return self._update(organisation_id, expected_version, changes)
        except ConcurrentEditError as exc:
            raise ConflictError(self.get(organisation_id)) from exc

    def _update(
        self, organisation_id: int, expected_version: int | None, changes: dict[str, Any]
    ) -> tuple[OrganisationRecord, Changes]:
        with self.db.session() as s:
            org = load(s, organisation_id)
            if expected_version is not None and org.version != expected_version:
                raise ConflictError(to_record(org))
            merged = {k: getattr(org, k) for k in ("joined_on", "renewal_on")}
            values = clean({**merged, **changes})
            for key in merged:
                if key not in changes:
                    values.pop(key)
            if "name" in values:
                _check_unique(s, values["name"], organisation_id)
                org.name_key = name_key(values["name"])
            changed = {k for k, v in values.items() if getattr(org, k) != v}
            for key, value in values.items():
                setattr(org, key, value)
            s.flush()
            moved = sync(
                s,
                org,
                renewal=EXACT if changed & RENEWAL_FIELDS else None,
                activity=EXACT if changed & ACTIVITY_FIELDS else None,
            )
            s.flush()
            record = to_record(org)
        return record, Changes.of(organisations=[organisation_id], follow_ups=moved)

    def delete(self, organisation_id: int) -> tuple[OrganisationSnapshot, Changes]:
        """Delete it; contacts, events and touchpoints stay, only unlinked. Undo: restore()."""
        with self.db.session() as s:
            org = load(s, organisation_id)
            snapshot = OrganisationSnapshot(
                record=to_record(org),
                renewal_followup_id=org.renewal_followup_id,
                activity_followup_id=org.activity_followup_id,
                memberships=tuple(
                    (int(c), str(r))
                    for c, r in s.execute(
                        select(m.ContactOrganisation.contact_id, m.ContactOrganisation.role).where(
                            m.ContactOrganisation.organisation_id == organisation_id
                        )
                    )
                ),
                primary_of=_ids(s, m.Contact.id, m.Contact.organisation_id == organisation_id),
                how_met_of=_ids(
                    s, m.Contact.id, m.Contact.how_met_organisation_id == organisation_id
                ),
                event_ids=_ids(s, m.EventPlan.id, m.EventPlan.organisation_id == organisation_id),
                touchpoint_ids=_ids(
                    s, m.Touchpoint.id, m.Touchpoint.organisation_id == organisation_id
                ),
                followups=tuple(
                    {c.key: getattr(f, c.key) for c in m.FollowUp.__table__.columns}
                    for f in s.scalars(
                        select(m.FollowUp).where(m.FollowUp.organisation_id == organisation_id)
                    )
                ),
            )
            s.delete(org)
        return snapshot, _snapshot_changes(snapshot)

    def restore(self, snapshot: OrganisationSnapshot) -> tuple[OrganisationRecord, Changes]:
        """Undo a delete: same id and UUID, links put back where their rows still exist."""
        rec = snapshot.record
        with self.db.session() as s:
            if s.get(m.Organisation, rec.id) is not None:
                raise ValidationError("name", f"“{rec.name}” is already there.")
            _check_unique(s, rec.name, None)
            org = m.Organisation(
                id=rec.id,
                uuid=rec.uuid,
                created_at=rec.created_at or utcnow(),
                name_key=name_key(rec.name),
                renewal_followup_id=snapshot.renewal_followup_id,
                activity_followup_id=snapshot.activity_followup_id,
                **rec.editable(),
            )
            s.add(org)
            s.flush()
            _relink_snapshot(s, snapshot)
            s.flush()
            moved = sync(s, org)
            s.flush()
            record = to_record(org)
        return record, _snapshot_changes(snapshot) | Changes.of(follow_ups=moved)

    def sync_reminders(self, organisation_id: int | None = None) -> tuple[int, Changes]:
        """Bring every organisation's reminders up to date (after a demo build, say): a
        missing one is made, a nudge moves later after new activity, and an open reminder
        the user rescheduled is left alone. Returns how many organisations changed."""
        with self.db.session() as s:
            changes = sync_all(s, organisation_id)
        return len(changes.organisations), changes


def _relink_snapshot(s: Any, snapshot: OrganisationSnapshot) -> None:
    """Put back the links a delete removed, where their rows still exist."""
    org_id = snapshot.record.id
    contacts = set(
        s.scalars(
            select(m.Contact.id).where(
                m.Contact.id.in_(
                    {c for c, _ in snapshot.memberships}
                    | set(snapshot.primary_of)
                    | set(snapshot.how_met_of)
                )
            )
        )
    )
    for contact_id, role in snapshot.memberships:
        if contact_id in contacts:
            s.add(m.ContactOrganisation(contact_id=contact_id, organisation_id=org_id, role=role))
    for contact in s.scalars(select(m.Contact).where(m.Contact.id.in_(snapshot.primary_of))):
        contact.organisation_id = org_id
    for contact in s.scalars(select(m.Contact).where(m.Contact.id.in_(snapshot.how_met_of))):
        contact.how_met_organisation_id = org_id
    for event in s.scalars(select(m.EventPlan).where(m.EventPlan.id.in_(snapshot.event_ids))):
        event.organisation_id = org_id
    for touch in s.scalars(
        select(m.Touchpoint).where(m.Touchpoint.id.in_(snapshot.touchpoint_ids))
    ):
        touch.organisation_id = org_id
    for row in snapshot.followups:
        values = dict(row)
        if values.get("contact_id") is not None and values["contact_id"] not in contacts:
            continue
        # The calendar already saw it gone; a higher SEQUENCE makes it come back.
        values["sequence"] = int(values.get("sequence") or 0) + 1
        s.add(m.FollowUp(**values))


def _snapshot_changes(snapshot: OrganisationSnapshot) -> Changes:
    return Changes.of(
        organisations=[snapshot.record.id],
        contacts={c for c, _ in snapshot.memberships}
        | set(snapshot.primary_of)
        | set(snapshot.how_met_of),
        events=snapshot.event_ids,
        touchpoints=snapshot.touchpoint_ids,
        follow_ups=(int(f["id"]) for f in snapshot.followups),
    )

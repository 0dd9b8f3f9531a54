"""Everything the contact detail pane shows, read in one transaction.

The pane used to ask four services (record, timeline, balance, referrals, met-at events):
five sessions per refresh. One read here keeps "log a touchpoint" at three sessions in all
(the write, the list row, this) and runs off the GUI thread as one task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from planner.core.contacts import _load_options
from planner.core.contacts import to_record as contact_record
from planner.core.errors import NotFoundError
from planner.core.followups import OPEN, followup_record
from planner.core.notes import notes_of
from planner.core.records import (
    ContactRecord,
    FollowUpRecord,
    NoteRecord,
    ReferralRecord,
    TouchpointRecord,
)
from planner.core.referrals import to_record as referral_record
from planner.core.touchpoints import Balance, balance_in
from planner.core.touchpoints import to_record as touch_record
from planner.core.visibility import followup_visible, may_see, viewer
from planner.db import models as m
from planner.db.database import Database


@dataclass(frozen=True)
class ContactView:
    """The shown contact with its whole timeline, give/ask balance, referrals, events, the
    notes the user may read and the open follow-ups."""

    record: ContactRecord
    timeline: tuple[TouchpointRecord, ...]
    balance: Balance
    referrals: tuple[ReferralRecord, ...]
    met_at: tuple[tuple[int, str, date | None, str], ...]
    notes: tuple[NoteRecord, ...] = ()
    open_followups: tuple[FollowUpRecord, ...] = ()


def read_contact_view(db: Database, contact_id: int, today: date | None = None) -> ContactView:
    """One session; raises NotFoundError when the contact is gone (or private to another)."""
    today = today or date.today()
    with db.session() as s:
        contact = s.get(m.Contact, contact_id, options=_load_options())
        if contact is None or not may_see(viewer(db), contact.visibility, contact.created_by):
            raise NotFoundError(f"Contact {contact_id} no longer exists.")
        return ContactView(
            record=contact_record(contact),
            timeline=_timeline(s, contact_id),
            balance=balance_in(s, contact_id, today),
            referrals=_referrals(s, contact_id),
            met_at=_met_at(s, contact_id),
            notes=notes_of(s, db, contact_id),
            open_followups=_open_followups(s, db, contact_id),
        )


def _open_followups(s: Session, db: Database, contact_id: int) -> tuple[FollowUpRecord, ...]:
    rows = s.scalars(
        select(m.FollowUp)
        .where(
            m.FollowUp.contact_id == contact_id,
            m.FollowUp.status == OPEN,
            followup_visible(viewer(db)),
        )
        .order_by(m.FollowUp.due_date, m.FollowUp.due_time, m.FollowUp.id)
    ).all()
    return tuple(followup_record(f) for f in rows)


def _timeline(s: Session, contact_id: int) -> tuple[TouchpointRecord, ...]:
    rows = s.scalars(
        select(m.Touchpoint)
        .where(m.Touchpoint.contact_id == contact_id)
        .order_by(m.Touchpoint.occurred_on.desc(), m.Touchpoint.id.desc())
    ).all()
    return tuple(touch_record(t) for t in rows)


def _referrals(s: Session, contact_id: int) -> tuple[ReferralRecord, ...]:
    rows = s.scalars(
        select(m.Referral)
        .where(or_(m.Referral.contact_id == contact_id, m.Referral.other_contact_id == contact_id))
        .order_by(m.Referral.occurred_on.desc(), m.Referral.id.desc())
    ).all()
    return tuple(referral_record(r) for r in rows)


def _met_at(s: Session, contact_id: int) -> tuple[tuple[int, str, date | None, str], ...]:
    rows = s.execute(
        select(m.EventPlan.id, m.EventPlan.name, m.EventPlan.starts_local, m.EventAttendee.note)
        .join(m.EventAttendee, m.EventAttendee.event_id == m.EventPlan.id)
        .where(m.EventAttendee.contact_id == contact_id)
        .order_by(m.EventPlan.starts_local.desc())
    ).all()
    return tuple((r[0], r[1], r[2].date() if r[2] else None, r[3] or "") for r in rows)

"""The rule that keeps each organisation's renewal reminder and activity nudge in step with its
dates and with activity there; run inside the caller's transaction by every service whose edit
moves them, so the CLI, the window and undo all get it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from planner.core.changes import Changes
from planner.core.organisation_records import (
    ACTIVE_EVENT_STATUSES,
    ACTIVITY_PREFIX,
    EXACT,
    LATER_ONLY,
    LEAVE_OPEN,
    ORIGIN,
    RENEWAL_LEAD_DAYS,
    RENEWAL_PREFIX,
    format_fee,
)
from planner.db import models as m
from planner.db.types import new_uuid, utcnow

# --- activity at an organisation --------------------------------------------------------


def touch_queries(organisation_id: int | None, *columns: Any) -> list[Any]:
    """Two index-friendly selects, together every touchpoint at an organisation: linked
    to it directly, or (when not linked elsewhere) at an event it hosted. The first
    column of each is the organisation id."""
    direct = select(m.Touchpoint.organisation_id, *columns).where(
        m.Touchpoint.organisation_id.is_not(None)
    )
    hosted = (
        select(m.EventPlan.organisation_id, *columns)
        .select_from(m.EventPlan)
        .join(m.Touchpoint, m.Touchpoint.event_id == m.EventPlan.id)
        .where(m.EventPlan.organisation_id.is_not(None), m.Touchpoint.organisation_id.is_(None))
    )
    if organisation_id is not None:
        direct = direct.where(m.Touchpoint.organisation_id == organisation_id)
        hosted = hosted.where(m.EventPlan.organisation_id == organisation_id)
    return [direct, hosted]


def touch_counts(
    s: Session, organisation_id: int | None = None
) -> tuple[dict[int, int], dict[int, date]]:
    """Touchpoints per organisation, and the date of the latest one."""
    counts: dict[int, int] = defaultdict(int)
    last: dict[int, date] = {}
    for query in touch_queries(organisation_id, func.count(), func.max(m.Touchpoint.occurred_on)):
        for oid, count, latest in s.execute(query.group_by(query.selected_columns[0])):
            counts[int(oid)] += int(count)
            if latest is not None and (oid not in last or latest > last[int(oid)]):
                last[int(oid)] = latest
    return dict(counts), last


def last_event_dates(s: Session, organisation_id: int | None = None) -> dict[int, date]:
    """The day of the latest hosted event the user registered for or attended."""
    query = (
        select(m.EventPlan.organisation_id, func.max(m.EventPlan.starts_local))
        .where(
            m.EventPlan.organisation_id.is_not(None),
            m.EventPlan.status.in_(ACTIVE_EVENT_STATUSES),
            m.EventPlan.starts_local.is_not(None),
        )
        .group_by(m.EventPlan.organisation_id)
    )
    if organisation_id is not None:
        query = query.where(m.EventPlan.organisation_id == organisation_id)
    return {
        int(oid): start.date()
        for oid, start in s.execute(query)
        if oid is not None and start is not None
    }


def last_activity(
    s: Session, org: m.Organisation, tracked: m.FollowUp | None = None
) -> date | None:
    """The latest touchpoint, hosted event or done nudge there."""
    _counts, touches = touch_counts(s, org.id)
    candidates = [touches.get(org.id), last_event_dates(s, org.id).get(org.id)]
    if tracked is None and org.activity_followup_id:
        tracked = s.get(m.FollowUp, org.activity_followup_id)
    if tracked is not None and tracked.status == "done" and tracked.completed_at:
        candidates.append(tracked.completed_at.date())
    return max((d for d in candidates if d is not None), default=None)


# --- the reminders ------------------------------------------------------------------------


def sync(
    s: Session,
    org: m.Organisation,
    *,
    renewal: str | None = EXACT,
    activity: str | None = EXACT,
) -> set[int]:
    """Keep the renewal reminder and activity nudge in step (None: leave that one).

    Returns the ids of the follow-ups made, moved or cancelled."""
    wants_reminders = org.membership_status != "former"
    renewal_due = (
        org.renewal_on - timedelta(days=RENEWAL_LEAD_DAYS)
        if org.renewal_on is not None and wants_reminders
        else None
    )
    fee = format_fee(org.renewal_fee_cents, org.currency)
    touched: set[int] = set()
    if renewal is not None:
        org.renewal_followup_id, moved = _keep(
            s,
            org,
            org.renewal_followup_id,
            renewal_due,
            f"{RENEWAL_PREFIX}{org.name}",
            f"Renewal on {org.renewal_on:%Y-%m-%d}" + (f", fee {fee}" if fee else "")
            if org.renewal_on
            else "",
            renewal,
        )
        touched |= moved
    if activity is None:
        return touched
    activity_due = None
    if org.activity_every_days and wants_reminders:
        tracked = s.get(m.FollowUp, org.activity_followup_id) if org.activity_followup_id else None
        last = last_activity(s, org, tracked)
        start = last or org.joined_on or (org.created_at or utcnow()).date()
        activity_due = start + timedelta(days=org.activity_every_days)
    goal = org.activity_goal.strip()
    org.activity_followup_id, moved = _keep(
        s,
        org,
        org.activity_followup_id,
        activity_due,
        f"{ACTIVITY_PREFIX}{org.name}" + (f" ({goal})" if goal else ""),
        f"Nothing with {org.name} for {org.activity_every_days} days."
        if org.activity_every_days
        else "",
        activity,
    )
    return touched | moved


def _keep(
    s: Session,
    org: m.Organisation,
    followup_id: int | None,
    due: date | None,
    purpose: str,
    notes: str,
    mode: str = EXACT,
) -> tuple[int | None, set[int]]:
    """Make the tracked follow-up match `due`; returns (id to track, ids changed)."""
    row = s.get(m.FollowUp, followup_id) if followup_id else None
    if row is not None and row.organisation_id != org.id:
        row = None
    if (
        row is not None
        and row.status == "open"
        and mode != EXACT
        and (mode == LEAVE_OPEN or due is None or due <= row.due_date)
    ):
        return row.id, set()
    if due is None:
        if row is not None and row.status == "open":
            # Cancelled by us, so no longer tracked: a date set later gets a fresh one.
            row.status = "cancelled"
            row.sequence += 1
            return None, {row.id}
        return (row.id if row is not None else None), set()
    if row is not None and row.status == "open":
        if (row.due_date, row.purpose, row.notes) == (due, purpose, notes):
            return row.id, set()
        row.due_date = due
        row.purpose = purpose
        row.notes = notes
        row.notified_at = None
        row.sequence += 1
        return row.id, {row.id}
    if row is not None and row.due_date == due:
        # Done or cancelled for this very date: the user dealt with it.
        return row.id, set()
    new = m.FollowUp(
        uuid=new_uuid(),
        contact_id=None,
        organisation_id=org.id,
        due_date=due,
        purpose=purpose,
        notes=notes,
        status="open",
        origin=ORIGIN,
        channel="",
        time_zone="",
        sequence=0,
    )
    s.add(new)
    s.flush()
    return new.id, {new.id}


def sync_all(s: Session, organisation_id: int | None = None) -> Changes:
    """Bring reminders up to date after touchpoints, events or follow-ups changed
    elsewhere: a missing one is made, a nudge moves later after new activity, and an
    open reminder the user rescheduled is left alone."""
    query = select(m.Organisation).where(
        or_(
            m.Organisation.renewal_on.is_not(None),
            m.Organisation.activity_every_days.is_not(None),
            m.Organisation.renewal_followup_id.is_not(None),
            m.Organisation.activity_followup_id.is_not(None),
        )
    )
    if organisation_id is not None:
        query = query.where(m.Organisation.id == organisation_id)
    return _follow(s, s.scalars(query).all())


def follow_activity(s: Session, organisation_ids: Iterable[int | None]) -> Changes:
    """The rule after activity at organisations changed (a touchpoint, a hosted event, a
    done nudge): their renewal reminders and activity nudges follow, inside the caller's
    transaction. Returns what moved."""
    ids = sorted({int(i) for i in organisation_ids if i is not None})
    if not ids:
        return Changes()
    return _follow(s, s.scalars(select(m.Organisation).where(m.Organisation.id.in_(ids))).all())


def _follow(s: Session, orgs: Iterable[m.Organisation]) -> Changes:
    touched_orgs: set[int] = set()
    touched_followups: set[int] = set()
    for org in orgs:
        before = {i for i in (org.renewal_followup_id, org.activity_followup_id) if i}
        moved = sync(s, org, renewal=LEAVE_OPEN, activity=LATER_ONLY)
        if moved:
            touched_orgs.add(org.id)
            touched_followups |= moved | before
    return Changes.of(organisations=touched_orgs, follow_ups=touched_followups)

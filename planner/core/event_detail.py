"""One event read whole for its editor: the plan, its goals with their progress, questions,
people to meet, checklist and the people met there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.core.event_records import (
    AttendeeRecord,
    ChecklistItemRecord,
    EventDetail,
    GoalRecord,
    PersonToMeetRecord,
    event_record,
)
from planner.core.questions import QuestionRecord, split_tags
from planner.core.text import fold
from planner.db import models as m


def read_detail(s: Session, event: m.EventPlan) -> EventDetail:
    """The event and everything in its plan, in the order the editor shows them."""
    event_id = event.id
    attendees = s.execute(
        select(m.EventAttendee, m.Contact)
        .join(m.Contact, m.Contact.id == m.EventAttendee.contact_id)
        .where(m.EventAttendee.event_id == event_id)
        .order_by(m.EventAttendee.id)
    ).all()
    met_ids = {c.id for _a, c in attendees}
    pitch = s.get(m.Pitch, event.pitch_id) if event.pitch_id else None
    return EventDetail(
        event=event_record(event),
        goals=_goals(s, event_id, attendees, met_ids),
        questions=_questions(s, event_id),
        people=_people(s, event_id, met_ids),
        checklist=_checklist(s, event_id),
        attendees=_attendees(s, event_id, attendees),
        pitch_title=pitch.title if pitch else "",
    )


def _attendees(s: Session, event_id: int, attendees: Sequence[Any]) -> tuple[AttendeeRecord, ...]:
    followed = set(
        s.scalars(
            select(m.FollowUp.contact_id).where(
                m.FollowUp.event_id == event_id, m.FollowUp.origin == "event"
            )
        )
    )
    return tuple(
        AttendeeRecord(
            id=a.id,
            event_id=a.event_id,
            contact_id=c.id,
            contact_name=c.name,
            organisation=c.organisation,
            role=c.role,
            note=a.note,
            is_new=a.is_new,
            touchpoint_id=a.touchpoint_id,
            has_followup=c.id in followed,
        )
        for a, c in attendees
    )


def _goals(
    s: Session, event_id: int, attendees: Sequence[Any], met_ids: set[int]
) -> tuple[GoalRecord, ...]:
    goals = []
    for g in s.scalars(
        select(m.EventGoal)
        .where(m.EventGoal.event_id == event_id)
        .order_by(m.EventGoal.position, m.EventGoal.id)
    ):
        contact = s.get(m.Contact, g.contact_id) if g.contact_id else None
        goals.append(goal_record(g, contact, attendees, met_ids))
    return tuple(goals)


def goal_record(
    g: m.EventGoal,
    contact: m.Contact | None,
    attendees: Sequence[Any],
    met_ids: set[int],
) -> GoalRecord:
    """A goal with its progress: counted from the people met for "meet new people" and "talk
    to", as entered for the others."""
    computed = g.kind in ("meet_new", "talk_to")
    if g.kind == "meet_new":
        industry = fold(g.industry)
        progress = sum(
            1
            for a, c in attendees
            if a.is_new
            and (not industry or industry in fold(c.industry))
            and (not g.relationship or c.relationship == g.relationship)
        )
    elif g.kind == "talk_to":
        progress = 1 if g.contact_id in met_ids else 0
    else:
        progress = g.manual_progress
    return GoalRecord(
        id=g.id,
        event_id=g.event_id,
        kind=g.kind,
        description=g.description,
        target=g.target,
        manual_progress=g.manual_progress,
        contact_id=g.contact_id,
        contact_name=contact.name if contact else "",
        industry=g.industry,
        relationship=g.relationship,
        topic=g.topic,
        position=g.position,
        progress=progress,
        computed=computed,
    )


def _questions(s: Session, event_id: int) -> tuple[QuestionRecord, ...]:
    return tuple(
        QuestionRecord(q.id, q.uuid, q.text, split_tags(q.tags))
        for q in s.scalars(
            select(m.Question)
            .join(m.EventQuestion, m.EventQuestion.question_id == m.Question.id)
            .where(m.EventQuestion.event_id == event_id)
            .order_by(m.EventQuestion.position, m.Question.id)
        )
    )


def _people(s: Session, event_id: int, met_ids: set[int]) -> tuple[PersonToMeetRecord, ...]:
    return tuple(
        PersonToMeetRecord(
            id=p.id,
            event_id=p.event_id,
            contact_id=c.id,
            contact_name=c.name,
            organisation=c.organisation,
            reason=p.reason,
            met=c.id in met_ids,
        )
        for p, c in s.execute(
            select(m.EventPersonToMeet, m.Contact)
            .join(m.Contact, m.Contact.id == m.EventPersonToMeet.contact_id)
            .where(m.EventPersonToMeet.event_id == event_id)
            .order_by(m.EventPersonToMeet.id)
        ).all()
    )


def _checklist(s: Session, event_id: int) -> tuple[ChecklistItemRecord, ...]:
    return tuple(
        ChecklistItemRecord(i.id, i.event_id, i.text, i.done, i.position)
        for i in s.scalars(
            select(m.EventChecklistItem)
            .where(m.EventChecklistItem.event_id == event_id)
            .order_by(m.EventChecklistItem.position, m.EventChecklistItem.id)
        )
    )

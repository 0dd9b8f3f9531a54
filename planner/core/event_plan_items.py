"""What an event's plan holds: goals, the pitch, questions to ask, people to meet and the
checklist. Every change bumps the plan's iCalendar SEQUENCE."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from planner.core.changes import Changes
from planner.core.errors import NotFoundError, ValidationError
from planner.core.event_detail import read_detail
from planner.core.event_records import (
    ChecklistItemRecord,
    GoalRecord,
    PersonToMeetRecord,
    event_record,
)
from planner.core.event_service_base import EventServiceBase, event_changes
from planner.core.records import EventPlanRecord
from planner.core.vocab import GOAL_KINDS, RELATIONSHIPS
from planner.db import models as m


class EventPlanItems(EventServiceBase):
    """Goals, pitch, questions, people to meet and checklist of a plan."""

    # --- goals --------------------------------------------------------------------------

    def add_goal(
        self,
        event_id: int,
        kind: str,
        *,
        target: int = 1,
        description: str = "",
        contact_id: int | None = None,
        industry: str = "",
        relationship: str = "",
        topic: str = "",
        manual_progress: int = 0,
    ) -> tuple[GoalRecord, Changes]:
        with self.db.session() as s:
            event = self._event(s, event_id)
            position = s.scalar(
                select(func.coalesce(func.max(m.EventGoal.position), -1)).where(
                    m.EventGoal.event_id == event_id
                )
            )
            goal = m.EventGoal(event_id=event_id, kind=kind, position=int(position or 0) + 1)
            self._fill_goal(
                s,
                goal,
                dict(
                    target=target,
                    description=description,
                    contact_id=contact_id,
                    industry=industry,
                    relationship=relationship,
                    topic=topic,
                    manual_progress=manual_progress,
                ),
            )
            s.add(goal)
            s.flush()
            self._bump(event)
            goal_id = goal.id
        return self._goal_by_id(event_id, goal_id), event_changes(event_id)

    def update_goal(self, goal_id: int, **changes: Any) -> tuple[GoalRecord, Changes]:
        with self.db.session() as s:
            goal = self._child(s, m.EventGoal, goal_id)
            if "kind" in changes:
                goal.kind = changes.pop("kind")
            self._fill_goal(s, goal, changes)
            self._bump(self._event(s, goal.event_id))
            event_id = goal.event_id
        return self._goal_by_id(event_id, goal_id), event_changes(event_id)

    def set_goal_progress(self, goal_id: int, progress: int) -> tuple[GoalRecord, Changes]:
        return self.update_goal(goal_id, manual_progress=progress)

    def remove_goal(self, goal_id: int) -> Changes:
        return self._remove_child(m.EventGoal, goal_id)

    def _goal_by_id(self, event_id: int, goal_id: int) -> GoalRecord:
        with self.db.session() as s:
            goals = read_detail(s, self._event(s, event_id)).goals
        for goal in goals:
            if goal.id == goal_id:
                return goal
        raise NotFoundError("That goal was removed meanwhile.")

    @staticmethod
    def _fill_goal(s: Session, goal: m.EventGoal, values: dict[str, Any]) -> None:
        if goal.kind not in GOAL_KINDS:
            raise ValidationError("kind", "Choose one of the listed kinds of goal.")
        for key in ("description", "industry", "topic"):
            if key in values:
                setattr(goal, key, " ".join(str(values[key] or "").split()))
        if "relationship" in values:
            rel = values["relationship"] or ""
            if rel and rel not in RELATIONSHIPS:
                raise ValidationError("relationship", "Choose one of the listed relationships.")
            goal.relationship = rel
        if "contact_id" in values:
            goal.contact_id = values["contact_id"]
        if "target" in values:
            target = values["target"]
            if not isinstance(target, int) or target < 1:
                raise ValidationError("target", "The target must be 1 or more.")
            goal.target = target
        if "manual_progress" in values:
            progress = values["manual_progress"]
            if not isinstance(progress, int) or progress < 0:
                raise ValidationError("progress", "Progress cannot be negative.")
            goal.manual_progress = progress
        if goal.kind == "talk_to":
            if goal.contact_id is None or s.get(m.Contact, goal.contact_id) is None:
                raise ValidationError("contact", "Choose the contact you want to talk to.")
            goal.target = 1
        if goal.kind == "learn_about" and not (goal.topic or goal.description):
            raise ValidationError("topic", "Say what you want to learn about.")
        if goal.kind == "custom" and not goal.description:
            raise ValidationError("description", "Describe the goal.")
        if goal.kind != "talk_to":
            goal.contact_id = None
        goal.target = goal.target or 1
        goal.manual_progress = goal.manual_progress or 0

    # --- pitch -------------------------------------------------------------------------

    def choose_pitch(self, event_id: int, pitch_id: int | None) -> tuple[EventPlanRecord, Changes]:
        """Use a library pitch here: its text is copied, to be tailored for this event."""
        with self.db.session() as s:
            event = self._event(s, event_id)
            if pitch_id is None:
                event.pitch_id = None
            else:
                pitch = s.get(m.Pitch, pitch_id)
                if pitch is None:
                    raise ValidationError("pitch", "That pitch was deleted from the library.")
                event.pitch_id = pitch.id
                event.pitch_text = pitch.text
            self._bump(event)
            record = event_record(event)
        return record, event_changes(event_id)

    # --- questions ----------------------------------------------------------------------

    def set_questions(self, event_id: int, question_ids: Iterable[int]) -> Changes:
        """The questions picked for this event, in this order."""
        ids = list(dict.fromkeys(question_ids))
        with self.db.session() as s:
            event = self._event(s, event_id)
            known = set(s.scalars(select(m.Question.id).where(m.Question.id.in_(ids))))
            s.execute(delete(m.EventQuestion).where(m.EventQuestion.event_id == event_id))
            s.add_all(
                m.EventQuestion(event_id=event_id, question_id=q, position=i)
                for i, q in enumerate(q for q in ids if q in known)
            )
            self._bump(event)
        return event_changes(event_id)

    # --- people to meet -----------------------------------------------------------------

    def add_person(
        self, event_id: int, contact_id: int, reason: str = ""
    ) -> tuple[PersonToMeetRecord, Changes]:
        with self.db.session() as s:
            event = self._event(s, event_id)
            contact = s.get(m.Contact, contact_id)
            if contact is None:
                raise ValidationError("contact", "That contact no longer exists.")
            exists = s.scalar(
                select(m.EventPersonToMeet.id).where(
                    m.EventPersonToMeet.event_id == event_id,
                    m.EventPersonToMeet.contact_id == contact_id,
                )
            )
            if exists:
                raise ValidationError("contact", f"{contact.name} is already on the list.")
            row = m.EventPersonToMeet(event_id=event_id, contact_id=contact_id, reason=reason)
            s.add(row)
            s.flush()
            self._bump(event)
            met = s.scalar(
                select(m.EventAttendee.id).where(
                    m.EventAttendee.event_id == event_id, m.EventAttendee.contact_id == contact_id
                )
            )
            record = PersonToMeetRecord(
                row.id, event_id, contact_id, contact.name, contact.organisation, reason, bool(met)
            )
        return record, event_changes(event_id)

    def update_person(self, person_id: int, reason: str) -> Changes:
        with self.db.session() as s:
            row = self._child(s, m.EventPersonToMeet, person_id)
            row.reason = reason.strip()
            event_id = row.event_id
            self._bump(self._event(s, event_id))
        return event_changes(event_id)

    def remove_person(self, person_id: int) -> Changes:
        return self._remove_child(m.EventPersonToMeet, person_id)

    # --- checklist ----------------------------------------------------------------------

    def add_checklist_item(self, event_id: int, text: str) -> tuple[ChecklistItemRecord, Changes]:
        text = " ".join(text.split())
        if not text:
            raise ValidationError("text", "Type what needs doing.")
        with self.db.session() as s:
            event = self._event(s, event_id)
            position = s.scalar(
                select(func.coalesce(func.max(m.EventChecklistItem.position), -1)).where(
                    m.EventChecklistItem.event_id == event_id
                )
            )
            item = m.EventChecklistItem(
                event_id=event_id, text=text, done=False, position=int(position or 0) + 1
            )
            s.add(item)
            s.flush()
            self._bump(event)
            record = ChecklistItemRecord(item.id, event_id, text, False, item.position)
        return record, event_changes(event_id)

    def update_checklist_item(
        self, item_id: int, *, text: str | None = None, done: bool | None = None
    ) -> tuple[ChecklistItemRecord, Changes]:
        with self.db.session() as s:
            item = self._child(s, m.EventChecklistItem, item_id)
            if text is not None:
                text = " ".join(text.split())
                if not text:
                    raise ValidationError("text", "Type what needs doing, or remove the item.")
                item.text = text
            if done is not None:
                item.done = bool(done)
            self._bump(self._event(s, item.event_id))
            record = ChecklistItemRecord(
                item.id, item.event_id, item.text, item.done, item.position
            )
        return record, event_changes(record.event_id)

    def remove_checklist_item(self, item_id: int) -> Changes:
        return self._remove_child(m.EventChecklistItem, item_id)

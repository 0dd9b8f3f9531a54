"""Undo commands for event plans: add and delete a plan, edit its fields, change its plan
(goals, pitch, questions, people to meet, checklist), meet people there, make follow-ups.

Plan changes go back by putting a snapshot of the plan back; meeting people and follow-ups
by taking out exactly the rows they made (and putting those same rows back on redo).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from planner.core.changes import Changes
from planner.core.events import EventService, MetResult, PlanSnapshot, Rows
from planner.core.records import EventPlanRecord, FollowUpRecord
from planner.ui.bus import Bus
from planner.ui.commands.base import Command


class CreateEvent(Command):
    """A new plan; undo deletes it, redo puts the same rows back."""

    def __init__(self, bus: Bus, service: EventService, name: str, **fields: Any) -> None:
        super().__init__(bus, "New event")
        self.service = service
        self.name = name
        self.fields = fields
        self.record: EventPlanRecord | None = None
        self.rows: Rows | None = None

    def apply(self) -> Changes:
        if self.rows is not None:
            return self.service.restore(self.rows)
        self.record, changes = self.service.create(self.name, **self.fields)
        return changes

    def revert(self) -> Changes:
        assert self.record is not None
        self.rows, changes = self.service.delete(self.record.id)
        return changes


class DeleteEvent(Command):
    """Delete a plan and everything in it; undo puts the same rows back."""

    def __init__(self, bus: Bus, service: EventService, event: EventPlanRecord) -> None:
        super().__init__(bus, f"Delete “{event.name}”")
        self.service = service
        self.event_id = event.id
        self.rows: Rows | None = None

    def apply(self) -> Changes:
        self.rows, changes = self.service.delete(self.event_id)
        return changes

    def revert(self) -> Changes:
        assert self.rows is not None
        return self.service.restore(self.rows)


class EditEvent(Command):
    """Some of the plan's own fields (name, dates, cost, status, texts…).

    `seen` is the copy the user edited: the first save raises ConflictError when a teammate
    changed the plan since, instead of overwriting their change.
    """

    def __init__(
        self,
        bus: Bus,
        service: EventService,
        seen: EventPlanRecord,
        values: Mapping[str, Any],
        text: str,
        *,
        check_version: bool = True,
    ) -> None:
        super().__init__(bus, text)
        self.service = service
        self.event_id = seen.id
        self.seen = seen
        self.check_version = check_version
        self.after = dict(values)
        self.before = {key: getattr(seen, key) for key in values}
        self.record: EventPlanRecord | None = None
        self._done = False

    def apply(self) -> Changes:
        version = self.seen.version if self.check_version and not self._done else None
        self.record, changes = self.service.update(
            self.event_id, expected_version=version, **self.after
        )
        self._done = True
        return changes

    def revert(self) -> Changes:
        self.record, changes = self.service.update(self.event_id, **self.before)
        return changes


class PlanEdit(Command):
    """A change to the plan's items: done once through the service, then undone and redone
    by putting the snapshot from before or after back. Subclasses define `change()`."""

    def __init__(self, bus: Bus, service: EventService, event_id: int, text: str) -> None:
        super().__init__(bus, text)
        self.service = service
        self.event_id = event_id
        self.before: PlanSnapshot | None = None
        self.after: PlanSnapshot | None = None

    def change(self) -> Changes:
        raise TypeError(f"{type(self).__name__} must define change()")

    def apply(self) -> Changes:
        if self.after is not None:
            return self.service.restore_plan(self.after)
        self.before = self.service.plan_snapshot(self.event_id)
        changes = self.change()
        self.after = self.service.plan_snapshot(self.event_id)
        return changes

    def revert(self) -> Changes:
        assert self.before is not None
        return self.service.restore_plan(self.before)


class AddGoal(PlanEdit):
    def __init__(
        self, bus: Bus, service: EventService, event_id: int, kind: str, fields: dict[str, Any]
    ) -> None:
        super().__init__(bus, service, event_id, "Add goal")
        self.kind, self.fields = kind, fields

    def change(self) -> Changes:
        return self.service.add_goal(self.event_id, self.kind, **self.fields)[1]


class EditGoal(PlanEdit):
    def __init__(
        self, bus: Bus, service: EventService, event_id: int, goal_id: int, values: dict[str, Any]
    ) -> None:
        super().__init__(bus, service, event_id, "Edit goal")
        self.goal_id, self.values = goal_id, values

    def change(self) -> Changes:
        return self.service.update_goal(self.goal_id, **self.values)[1]


class SetGoalProgress(PlanEdit):
    def __init__(
        self, bus: Bus, service: EventService, event_id: int, goal_id: int, progress: int
    ) -> None:
        super().__init__(bus, service, event_id, "Update goal progress")
        self.goal_id, self.progress = goal_id, progress

    def change(self) -> Changes:
        return self.service.set_goal_progress(self.goal_id, self.progress)[1]


class RemoveGoal(PlanEdit):
    def __init__(self, bus: Bus, service: EventService, event_id: int, goal_id: int) -> None:
        super().__init__(bus, service, event_id, "Remove goal")
        self.goal_id = goal_id

    def change(self) -> Changes:
        return self.service.remove_goal(self.goal_id)


class ChoosePitch(PlanEdit):
    """Use a library pitch (its text copied to tailor); `pitch_id` None uses none."""

    def __init__(
        self,
        bus: Bus,
        service: EventService,
        event_id: int,
        pitch_id: int | None,
        text: str = "Choose pitch",
    ) -> None:
        super().__init__(bus, service, event_id, text)
        self.pitch_id = pitch_id

    def change(self) -> Changes:
        return self.service.choose_pitch(self.event_id, self.pitch_id)[1]


class ChooseQuestions(PlanEdit):
    def __init__(
        self,
        bus: Bus,
        service: EventService,
        event_id: int,
        question_ids: Sequence[int],
        text: str = "Choose questions",
    ) -> None:
        super().__init__(bus, service, event_id, text)
        self.question_ids = list(question_ids)

    def change(self) -> Changes:
        return self.service.set_questions(self.event_id, self.question_ids)


class AddPersonToMeet(PlanEdit):
    def __init__(
        self, bus: Bus, service: EventService, event_id: int, contact_id: int, reason: str
    ) -> None:
        super().__init__(bus, service, event_id, "Add person to meet")
        self.contact_id, self.reason = contact_id, reason

    def change(self) -> Changes:
        return self.service.add_person(self.event_id, self.contact_id, self.reason)[1]


class EditPersonReason(PlanEdit):
    def __init__(
        self, bus: Bus, service: EventService, event_id: int, person_id: int, reason: str
    ) -> None:
        super().__init__(bus, service, event_id, "Edit reason")
        self.person_id, self.reason = person_id, reason

    def change(self) -> Changes:
        return self.service.update_person(self.person_id, self.reason)


class RemovePersonToMeet(PlanEdit):
    def __init__(self, bus: Bus, service: EventService, event_id: int, person_id: int) -> None:
        super().__init__(bus, service, event_id, "Remove person to meet")
        self.person_id = person_id

    def change(self) -> Changes:
        return self.service.remove_person(self.person_id)


class AddChecklistItem(PlanEdit):
    def __init__(self, bus: Bus, service: EventService, event_id: int, text: str) -> None:
        super().__init__(bus, service, event_id, "Add checklist item")
        self.item_text = text

    def change(self) -> Changes:
        return self.service.add_checklist_item(self.event_id, self.item_text)[1]


class EditChecklistItem(PlanEdit):
    """Tick, untick or reword one item."""

    def __init__(
        self,
        bus: Bus,
        service: EventService,
        event_id: int,
        item_id: int,
        text: str,
        new_text: str | None = None,
        done: bool | None = None,
    ) -> None:
        super().__init__(bus, service, event_id, text)
        self.item_id, self.new_text, self.done = item_id, new_text, done

    def change(self) -> Changes:
        return self.service.update_checklist_item(self.item_id, text=self.new_text, done=self.done)[
            1
        ]


class RemoveChecklistItem(PlanEdit):
    def __init__(self, bus: Bus, service: EventService, event_id: int, item_id: int) -> None:
        super().__init__(bus, service, event_id, "Remove checklist item")
        self.item_id = item_id

    def change(self) -> Changes:
        return self.service.remove_checklist_item(self.item_id)


class MarkMet(Command):
    """Met someone here: the attendee, the "met" touchpoint and any quick-added contact, as
    one step; undo takes out exactly those rows, redo puts the same rows back."""

    def __init__(self, bus: Bus, service: EventService, event_id: int, **how: Any) -> None:
        super().__init__(bus, "Mark as met")
        self.service = service
        self.event_id = event_id
        self.how = how
        self.result: MetResult | None = None
        self.rows: Rows | None = None

    def apply(self) -> Changes:
        if self.rows is not None:
            return self.service.restore(self.rows)
        self.result, changes = self.service.mark_met(self.event_id, **self.how)
        return changes

    def revert(self) -> Changes:
        assert self.result is not None
        self.rows, changes = self.service.unmark_met(
            self.result.attendee_id, delete_contact=self.result.contact_created
        )
        return changes


class UnmarkMet(Command):
    """Take back a "met" (the attendee and its touchpoint); undo puts them back."""

    def __init__(self, bus: Bus, service: EventService, attendee_id: int, name: str) -> None:
        super().__init__(bus, f"Remove {name} from met")
        self.service = service
        self.attendee_id = attendee_id
        self.rows: Rows | None = None

    def apply(self) -> Changes:
        self.rows, changes = self.service.unmark_met(self.attendee_id)
        return changes

    def revert(self) -> Changes:
        assert self.rows is not None
        return self.service.restore(self.rows)


class EditAttendeeNote(Command):
    """The note about someone met (on the attendee row and its touchpoint)."""

    def __init__(
        self, bus: Bus, service: EventService, attendee_id: int, before: str, after: str
    ) -> None:
        super().__init__(bus, "Edit note")
        self.service = service
        self.attendee_id = attendee_id
        self.before, self.after = before, after

    def apply(self) -> Changes:
        return self.service.update_attendee_note(self.attendee_id, self.after)

    def revert(self) -> Changes:
        return self.service.update_attendee_note(self.attendee_id, self.before)


class CreateEventFollowUps(Command):
    """One follow-up per person met without one yet; nothing made leaves no undo step."""

    def __init__(self, bus: Bus, service: EventService, event_id: int, days_after: int) -> None:
        super().__init__(bus, "Create follow-ups")
        self.service = service
        self.event_id = event_id
        self.days_after = days_after
        self.made: list[FollowUpRecord] = []
        self.rows: Rows | None = None

    def apply(self) -> Changes:
        if self.rows is not None:
            return self.service.restore(self.rows)
        self.made, changes = self.service.create_followups(self.event_id, self.days_after)
        count = len(self.made)
        self.setText(f"Create {count} follow-up{'s' if count != 1 else ''}")
        # Everyone already had one: QUndoStack drops an obsolete command when it is pushed.
        self.setObsolete(not self.made)
        return changes

    def revert(self) -> Changes:
        self.rows, changes = self.service.remove_followups([f.id for f in self.made])
        return changes

"""The editor for one event plan (the controller): loads the plan into the widgets built by
event_editor_view, and turns each edit into one named undo command from ui/commands/events.

A save that finds the plan changed by a teammate keeps their change and puts this edit on
top (the conflict dialog asks when both changed the same field). The people pages' behaviour
is in event_met.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSpinBox, QWidget

from planner.core.errors import ConflictError, NotFoundError, ValidationError
from planner.core.events import (
    EDITABLE_FIELDS,
    EventDetail,
    EventService,
    GoalRecord,
    days_until,
    format_cost,
)
from planner.core.pitches import PitchService
from planner.core.questions import QuestionService
from planner.core.records import EventPlanRecord
from planner.core.vocab import EVENT_STATUSES, EVENT_TYPES
from planner.ui.commands import execute
from planner.ui.commands.base import Command
from planner.ui.commands.events import (
    AddGoal,
    EditEvent,
    EditGoal,
    PlanEdit,
    RemoveGoal,
    SetGoalProgress,
)
from planner.ui.context import TabContext
from planner.ui.dates import apply_date_format, short_date
from planner.ui.dialogs.event_conflicts import save_over_theirs
from planner.ui.widgets.contact_fields import show_error
from planner.ui.widgets.event_common import (
    days_text,
    format_when,
    from_qdatetime,
    local_zone_name,
    to_qdatetime,
)
from planner.ui.widgets.event_editor_prep import EventPrepController
from planner.ui.widgets.event_editor_view import EventEditorView, GoalRow
from planner.ui.widgets.event_met import EventMetController

log = logging.getLogger(__name__)

# The plan's own fields in the order a conflict names them ("venue, description").
PLAN_FIELDS = tuple(f.name for f in fields(EventPlanRecord) if f.name in EDITABLE_FIELDS)

__all__ = ["EventEditor", "local_zone_name"]


class EventEditor(EventPrepController, EventMetController, EventEditorView):
    """Shows one event; `show_event(None)` shows the empty state. With a `later` list, the
    pages are built by the steps added to it (run them in turn) instead of at once."""

    def __init__(
        self,
        context: TabContext,
        events: EventService,
        pitches: PitchService,
        questions: QuestionService,
        parent: QWidget | None = None,
        *,
        later: list[Callable[[], object]] | None = None,
    ) -> None:
        self.context = context
        self.events = events
        self.pitches = pitches
        self.questions = questions
        self.event_id: int | None = None
        self.detail: EventDetail | None = None
        self._loading = False
        super().__init__(parent)
        steps = [*self.page_steps(), self._connect_all]
        for step in steps if later is None else ():
            step()
        if later is not None:
            later.extend(steps)

    def _connect_all(self) -> None:
        self._connect_details()
        self._connect_prep()
        self._connect_people()
        self._connect_met()
        self.show_event(None)

    def _connect_details(self) -> None:
        self.name.editingFinished.connect(
            lambda: self._update("Rename event", name=self.name.text())
        )
        self.event_type.activated.connect(
            lambda _i: self._update("Change event type", event_type=self.event_type.currentData())
        )
        self.status.activated.connect(lambda _i: self._on_status_activated())
        self.has_dates.toggled.connect(self._on_has_dates_toggled)
        self.all_day.toggled.connect(lambda v: self._update("Change all-day", all_day=bool(v)))
        self.starts.editingFinished.connect(self._on_starts_edited)
        self.ends.editingFinished.connect(self._on_ends_edited)
        for edit in (self.starts, self.ends):
            edit.problem_changed.connect(lambda _m: self._show_date_problem())
        self.time_zone.activated.connect(lambda _i: self._on_zone_edited())
        self.time_zone.lineEdit().editingFinished.connect(self._on_zone_edited)
        self.venue.editingFinished.connect(
            lambda: self._update("Change venue", venue=self.venue.text().strip())
        )
        self.url.editingFinished.connect(lambda: self._update("Change link", url=self.url.text()))
        self.cost.valueChanged.connect(lambda _v: self._on_cost_edited())
        self.currency.activated.connect(lambda _i: self._on_cost_edited())
        self.currency.lineEdit().editingFinished.connect(self._on_cost_edited)
        self.description.committed.connect(
            lambda text: self._update("Edit description", description=text)
        )

        self.add_goal_button.clicked.connect(self.add_goal)

    # --- plumbing ------------------------------------------------------------------------

    def _run(self, command: Command) -> bool:
        """Carry out one edit as one undo step; a refusal is said and nothing changes."""
        try:
            execute(self.context.undo_stack, command)
        except ValidationError as exc:
            self.show_message(exc.message or str(exc), error=True)
            self.reload()
            return False
        except NotFoundError as exc:
            self.show_message(str(exc), error=True)
            return False
        self.show_message("")
        return True

    def _plan(self, command: type[PlanEdit], *args: Any) -> bool:
        """One change to the plan's items, by a PlanEdit command made with `args`."""
        if self.event_id is None:
            return False
        return self._run(command(self.context.bus, self.events, self.event_id, *args))

    def _update(self, text: str, **changes: Any) -> None:
        """Save some of the plan's own fields as one undo step."""
        if self.detail is None or self._loading:
            return
        seen = self.detail.event
        if all(getattr(seen, k) == v for k, v in changes.items()):
            return
        try:
            self._save(seen, changes, text)
        except ConflictError as conflict:
            self._save_over_theirs(seen, changes, conflict.current, text)
        except ValidationError as exc:
            self.show_message(exc.message or str(exc), error=True)
            self.reload()
            return
        except NotFoundError as exc:
            self.show_message(str(exc), error=True)
            return
        else:
            self.show_message("")

    def _save(self, seen: EventPlanRecord, values: dict[str, Any], text: str) -> EventPlanRecord:
        """One undo step expecting `seen`'s version; raises ConflictError if it moved on."""
        command = EditEvent(self.context.bus, self.events, seen, values, text)
        execute(self.context.undo_stack, command)
        assert command.record is not None
        return command.record

    def _save_over_theirs(
        self, seen: EventPlanRecord, values: dict[str, Any], current: EventPlanRecord, text: str
    ) -> None:
        """A teammate saved this plan since it was shown: keep theirs, put this edit on top."""
        try:
            save_over_theirs(
                self,
                "event",
                PLAN_FIELDS,
                seen,
                values,
                current,
                lambda base, wanted: self._save(base, wanted, text),
                lambda message: self.show_message(message, error=True),
            )
        except ValidationError as exc:
            self.show_message(exc.message or str(exc), error=True)
        self.reload()

    def delete_focused(self) -> bool:
        """Del inside the editor removes the focused list's item, never the whole event."""
        focus = self.focusWidget()
        handlers: dict[QWidget, Any] = {
            self.checklist: self._on_remove_check_item,
            self.people: self._on_remove_person,
            self.attendees: self._on_unmark,
            self.question_list: self._on_remove_question,
        }
        for widget, handler in handlers.items():
            if focus is widget or (focus is not None and widget.isAncestorOf(focus)):
                handler()
                return True
        return False

    # --- loading -------------------------------------------------------------------------

    def show_event(self, event_id: int | None) -> None:
        self._switch_to(event_id)
        self.reload()

    def show_detail(self, detail: EventDetail) -> None:
        """show_event for a plan read already (on a worker)."""
        self._switch_to(detail.event.id)
        self._show(detail)

    def _switch_to(self, event_id: int | None) -> None:
        self._commit_open_edits()
        if event_id != self.event_id:
            self.quick_add.clear()
            self.met_note.clear()
        self.event_id = event_id
        self.show_message("")

    def _commit_open_edits(self) -> None:
        """Save a multi-line box being typed in before the editor moves to another event."""
        if self.detail is None:
            return
        for box in (self.description, self.pitch_text, self.takeaways):
            if box.hasFocus():
                box.commit()

    def reload(self) -> None:
        detail = None
        if self.event_id is not None:
            try:
                detail = self.events.detail(self.event_id)
            except NotFoundError:
                self.event_id = None
        self._show(detail)

    def _show(self, detail: EventDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.stack.setCurrentWidget(self.empty)
            return
        self.stack.setCurrentIndex(1)
        self._loading = True
        try:
            self._load_header(detail)
            self._load_details(detail)
            self._load_goals(detail)
            self._load_prep(detail)
            self._load_people(detail)
            self._load_met(detail)
        finally:
            self._loading = False

    def _load_header(self, detail: EventDetail) -> None:
        e = detail.event
        self.title.setText(e.name)
        parts = [
            EVENT_TYPES.get(e.event_type, e.event_type),
            EVENT_STATUSES.get(e.status, e.status),
            format_when(e.starts_local, e.ends_local, e.time_zone, e.all_day),
        ]
        if e.venue:
            parts.append(e.venue)
        cost = format_cost(e.cost_cents, e.currency)
        if cost:
            parts.append(cost)
        self.subtitle.setText(" · ".join(parts))

    # --- details -------------------------------------------------------------------------

    def _load_details(self, detail: EventDetail) -> None:
        e = detail.event
        if not self.name.hasFocus() or self.name.text() != e.name:
            self.name.setText(e.name)
        self.event_type.setCurrentIndex(max(0, self.event_type.findData(e.event_type)))
        self.status.setCurrentIndex(max(0, self.status.findData(e.status)))
        dated = e.starts_local is not None
        self.has_dates.setChecked(dated)
        self.all_day.setChecked(e.all_day)
        for edit in (self.starts, self.ends):
            apply_date_format(edit, with_time=not e.all_day)
            edit.setEnabled(dated)
        self.all_day.setEnabled(dated)
        if e.starts_local is not None:
            self.starts.setDateTime(to_qdatetime(e.starts_local))
        end = e.ends_local or e.starts_local
        if end is not None:
            self.ends.setDateTime(to_qdatetime(end))
        self.time_zone.setCurrentText(e.time_zone)
        self.venue.setText(e.venue)
        self.url.setText(e.url)
        self.cost.setValue(-1 if e.cost_cents is None else e.cost_cents / 100)
        self.currency.setCurrentText(e.currency)
        self.description.set_saved_text(e.description)

    def _on_has_dates_toggled(self, checked: bool) -> None:
        if self._loading or self.detail is None:
            return
        if checked:
            day = datetime.now().date() + timedelta(days=7)
            start = datetime.combine(day, datetime.min.time()).replace(hour=9)
            zone = self.detail.event.time_zone or local_zone_name()
            self._update(
                "Set event date",
                starts_local=start,
                ends_local=start + timedelta(hours=8),
                time_zone=zone,
            )
        else:
            self._update("Clear event date", starts_local=None, ends_local=None)

    def _show_date_problem(self) -> None:
        show_error(self.dates_problem, self.starts.problem() or self.ends.problem())

    def _on_starts_edited(self) -> None:
        if self.detail is None or self._loading or self.starts.problem():
            return  # an impossible typed date (2026-02-30) is named, never saved
        e = self.detail.event
        start = from_qdatetime(self.starts.dateTime())
        if e.starts_local is None:
            return
        # Moving the start keeps the length of the event.
        length = (e.ends_local - e.starts_local) if e.ends_local else timedelta(hours=2)
        self._update("Change start", starts_local=start, ends_local=start + length)

    def _on_ends_edited(self) -> None:
        if not self.ends.problem():
            self._update("Change end", ends_local=from_qdatetime(self.ends.dateTime()))

    def _on_zone_edited(self) -> None:
        text = self.time_zone.currentText().strip()
        if self.detail is not None and text != self.detail.event.time_zone:
            self._update("Change time zone", time_zone=text)

    def _on_cost_edited(self) -> None:
        if self.detail is None or self._loading:
            return
        value = self.cost.value()
        cents = None if value < 0 else round(value * 100)
        self._update(
            "Change cost", cost_cents=cents, currency=self.currency.currentText().strip().upper()
        )

    # --- goals ---------------------------------------------------------------------------

    def _on_status_activated(self) -> None:
        status = self.status.currentData()
        self._update("Change event status", status=status)
        if status == "attended" and self.detail is not None:
            event = self.detail.event
            ahead = days_until(event)
            if ahead and event.starts_local is not None:
                when = short_date(event.starts_local.date())
                self.show_message(
                    f"This event is {days_text(ahead)} away ({when}) but is marked attended. "
                    "Ctrl+Z puts the status back.",
                    error=True,
                )

    def _load_goals(self, detail: EventDetail) -> None:
        focused = self.focusWidget()
        focused_goal = None
        if isinstance(focused, QSpinBox) and isinstance(focused.parentWidget(), GoalRow):
            focused_goal = focused.parentWidget().goal.id  # type: ignore[union-attr]
        while self.goal_rows.count():
            item = self.goal_rows.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        for goal in detail.goals:
            row = GoalRow(goal, self.set_goal_progress, self.edit_goal, self.remove_goal)
            self.goal_rows.addWidget(row)
            if goal.id == focused_goal and row.spin is not None:
                # Keep the keyboard in the progress box being changed.
                QTimer.singleShot(0, row.spin.setFocus)
        done = sum(1 for g in detail.goals if g.done)
        self.goal_summary.setText(
            f"{done} of {len(detail.goals)} goals reached"
            if detail.goals
            else "No goals yet. Measurable goals make an event worth the time."
        )

    def _goal_dialog(self, goal: GoalRecord | None = None) -> Any:
        from planner.ui.dialogs.event_goal_dialog import EventGoalDialog

        dialog = EventGoalDialog(self.context.db, goal, self)
        accepted = dialog.exec() == EventGoalDialog.DialogCode.Accepted
        dialog.deleteLater()
        return dialog.draft() if accepted else None

    def add_goal(self) -> None:
        if self.event_id is None:
            return
        draft = self._goal_dialog()
        if draft is None:
            return
        self._plan(AddGoal, draft.kind, draft.fields())

    def edit_goal(self, goal: GoalRecord) -> None:
        draft = self._goal_dialog(goal)
        if draft is None:
            return
        self._plan(EditGoal, goal.id, {"kind": draft.kind, **draft.fields()})

    def remove_goal(self, goal: GoalRecord) -> None:
        self._plan(RemoveGoal, goal.id)

    def set_goal_progress(self, goal_id: int, value: int) -> None:
        if self._loading:
            return
        self._plan(SetGoalProgress, goal_id, value)

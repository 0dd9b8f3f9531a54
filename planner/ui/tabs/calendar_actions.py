"""What the Calendar tab's actions do: each builds one named undo command from
`ui/commands/followups.py`, carries it out through `execute`, and says what happened.

A mixin of `CalendarTab` (the controller): it uses the tab's widgets, selection and service.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QVBoxLayout,
)

from planner.core import scheduling
from planner.core.errors import ConflictError, NotFoundError, ValidationError
from planner.core.followups import DEFAULT_TOUCH_CHANNEL, FollowUpDraft
from planner.core.records import FollowUpRecord
from planner.core.vocab import CHANNELS, TOUCH_KINDS
from planner.db.errors import StorageError
from planner.ui.commands.base import Command, execute
from planner.ui.commands.followups import (
    AddFollowUp,
    CancelFollowUp,
    CompleteFollowUp,
    EditFollowUp,
    RescheduleFollowUp,
    ScheduleKeepInTouch,
    SnoozeFollowUp,
)
from planner.ui.dates import short_date
from planner.ui.dialogs.complete_dialog import CompleteDialog
from planner.ui.dialogs.followup_conflict import resolve_followup_conflict
from planner.ui.dialogs.followup_dialog import FollowUpDialog
from planner.ui.models.agenda_model import LosingTouchTableModel

log = logging.getLogger(__name__)


def count_text(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


class FollowUpActions:
    """New, edit, complete, snooze, move, cancel and schedule: one undo step each.

    Mixed into CalendarTab, whose widgets, selection helpers and service it uses.
    """

    # Provided by CalendarTab.
    context: Any
    service: Any
    feedback: Any
    grid: Any
    agenda_model: Any
    agenda_view: Any
    losing_model: Any
    losing_view: Any
    _active_view: Any

    def _show_error(self, message: str) -> None:
        QMessageBox.warning(self, "Follow-ups", message)

    def _execute(self, command: Command, report: str | None = None) -> bool:
        """Carry out `command` as one undo step and say `report` beside Undo (the caller
        says it when None); a refusal is said, nothing pushed."""
        try:
            execute(self.context.undo_stack, command)
        except (ValidationError, NotFoundError, StorageError) as exc:
            self._show_error(str(exc))
            self._schedule_refresh()
            return False
        if report is not None:
            self.feedback.report(report)
        return True

    # --- new and edit ---------------------------------------------------------------

    def _run_dialog(self, dialog: FollowUpDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _whose(self) -> dict[str, Any]:
        """Team mode: who I am and whom a follow-up can be given to (for the dialog)."""
        me = self.service.me()
        return {"me": me, "team": self.service.team_members() if me else ()}

    def new_item(self, contact_id: int | None = None, due: date | None = None) -> bool:
        """Ctrl+N here, double-click on a day, or "Schedule follow-up" from a contact."""
        contact = self.service.contact(contact_id) if contact_id is not None else None
        dialog = FollowUpDialog(
            self.service.find_contacts,
            contact=contact,
            due=due or max(self.grid.selected_date, date.today()),
            **self._whose(),
            parent=self,
        )
        while True:  # a save the database refused reopens the dialog with what was typed
            if not self._run_dialog(dialog):
                return False
            try:
                return self.create_followup(dialog.draft())
            except StorageError as exc:
                dialog.show_save_problem(str(exc))

    def create_followup(self, draft: FollowUpDraft) -> bool:
        """Save a new follow-up as one undo step; a StorageError reaches the caller."""
        command = AddFollowUp(self.context.bus, self.service, draft)
        try:
            execute(self.context.undo_stack, command)
        except (ValidationError, NotFoundError) as exc:
            self._show_error(str(exc))
            return False
        self.feedback.report("New follow-up.")
        self.grid.set_selected_date(draft.due_date)
        return True

    def edit_selected(self) -> bool:
        ids = self.selected_ids()
        return self.open_followup(ids[0]) if len(ids) == 1 else False

    def open_followup(self, followup_id: int) -> bool:
        """Show a follow-up's day and open it for editing (a notification click lands here)."""
        self.builder.finish()  # (the tab may still be being built in idle time)
        try:
            record = self.service.get(followup_id)
        except NotFoundError as exc:
            self._show_error(str(exc))
            return False
        self._bring_to_front()
        self.show_day(record.due_date)
        row = self.agenda_model.row_of(followup_id)
        if row >= 0:
            self.agenda_view.selectRow(row)
            self._active_view = self.agenda_view
        contact = self.service.contact(record.contact_id) if record.contact_id else None
        dialog = FollowUpDialog(
            self.service.find_contacts, record=record, contact=contact, **self._whose(), parent=self
        )
        while True:  # a save the database refused reopens the dialog with what was typed
            if not self._run_dialog(dialog):
                return False
            try:
                return self.save_edit(record, dialog.draft())
            except StorageError as exc:
                dialog.show_save_problem(str(exc))

    def save_edit(self, seen: FollowUpRecord, draft: FollowUpDraft) -> bool:
        """Save an edit of `seen` (the copy the user had) as one undo step.

        A teammate's change made since is never overwritten silently: the conflict dialog
        shows what they changed (Keep mine / Take theirs / per field) and what the user picks
        is saved over their version. A StorageError reaches the caller.
        """
        command = EditFollowUp(self.context.bus, self.service, seen, draft)
        try:
            execute(self.context.undo_stack, command)
        except ConflictError as conflict:
            return self._resolve_conflict(seen, draft, conflict.current)
        except (ValidationError, NotFoundError) as exc:
            self._show_error(str(exc))
            return False
        self.feedback.report("Edit follow-up.")
        return True

    def _resolve_conflict(
        self, seen: FollowUpRecord, draft: FollowUpDraft, current: FollowUpRecord
    ) -> bool:
        for _attempt in range(3):
            merged, message = resolve_followup_conflict(self, self.service, seen, draft, current)
            if merged is None:
                self.feedback.report(message)
                self._schedule_refresh()
                return False
            command = EditFollowUp(self.context.bus, self.service, current, merged)
            try:
                execute(self.context.undo_stack, command)
            except ConflictError as again:
                seen, current = current, again.current
                continue
            except (ValidationError, NotFoundError) as exc:
                self._show_error(str(exc))
                return False
            self.feedback.report(message)
            return True
        self._show_error("This follow-up keeps changing under you; try again in a moment.")
        return False

    # --- complete -------------------------------------------------------------------

    def ask_outcome(self, dialog: CompleteDialog) -> bool:
        """Show the outcome step (tests patch this)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def complete_selected(self) -> bool:
        """Ask what happened (Enter keeps the defaults), log it and schedule the next touch."""
        ids = self._selected_open_ids()
        if not ids:
            return False
        today = date.today()
        first = self.service.get(ids[0])
        single = len(ids) == 1
        contact = self.service.contact(first.contact_id) if first.contact_id else None
        who = contact.name if contact is not None and single else ""
        dialog = CompleteDialog(
            f"Complete: {who or first.purpose or 'follow-up'}"
            if single
            else f"Complete {len(ids)} follow-ups",
            channel=first.channel or DEFAULT_TOUCH_CHANNEL,
            note=first.purpose if single else None,
            next_due=self.service.next_after_complete(first.id, today) if single else None,
            cadence_days=contact.cadence_days if contact is not None else None,
            parent=self,
        )
        accepted = self.ask_outcome(dialog)
        outcome = dialog.outcome()
        dialog.deleteLater()
        if not accepted:
            return False
        command = CompleteFollowUp(
            self.context.bus, self.service, ids, today, outcome.kind, outcome.note, outcome.channel
        )
        if not self._execute(command):
            return False
        self.feedback.report(self._completed_text(command, who, outcome.kind, outcome.channel))
        return True

    @staticmethod
    def _completed_text(command: CompleteFollowUp, who: str, kind: str, channel: str) -> str:
        results = command.completions
        logged = sum(1 for r in results if r.touchpoint_id is not None)
        text = f"Completed {who or count_text(len(results), 'follow-up')}"
        if logged:
            text += f"; logged “{TOUCH_KINDS[kind].lower()}” by {CHANNELS[channel].lower()}"
        nexts = [r.next_followup.due_date for r in results if r.next_followup is not None]
        if len(nexts) == 1:
            text += f". Next follow-up: {short_date(nexts[0])}"
        elif nexts:
            text += f". {len(nexts)} next follow-ups scheduled by cadence"
        return text + "."

    # --- snooze, move, cancel -------------------------------------------------------

    def _befores(self, ids: list[int]) -> list[FollowUpRecord] | None:
        try:
            return [self.service.get(i) for i in ids]
        except NotFoundError as exc:
            self._show_error(str(exc))
            self._schedule_refresh()
            return None

    def snooze_selected(self, kind: str) -> bool:
        befores = self._befores(self._selected_open_ids())
        if not befores:
            return False
        label = scheduling.SNOOZE_CHOICES[kind].lower()
        command = SnoozeFollowUp(
            self.context.bus,
            self.service,
            befores,
            kind,
            label,
            date.today(),
            self.context.settings.preferences.first_day_of_week,
        )
        if not self._execute(command):
            return False
        moved = command.records[-1].due_date if command.records else None
        self.feedback.report(
            f"Snoozed {count_text(len(befores), 'follow-up')} until "
            f"{short_date(moved) if moved else label}."
        )
        return True

    def pick_date(self, initial: date) -> date | None:
        """A small modal date picker (tests patch this)."""
        dialog = QDialog(self)
        dialog.setObjectName("pickDateDialog")
        dialog.setWindowTitle("Move to day")
        calendar = QCalendarWidget(dialog)
        calendar.setObjectName("pickDateCalendar")
        calendar.setAccessibleName("Day to move to")
        calendar.setFirstDayOfWeek(
            Qt.DayOfWeek(self.context.settings.preferences.first_day_of_week)
        )
        calendar.setSelectedDate(QDate(initial.year, initial.month, initial.day))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        calendar.activated.connect(lambda _d: dialog.accept())
        layout = QVBoxLayout(dialog)
        layout.addWidget(calendar)
        layout.addWidget(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        picked = calendar.selectedDate()
        return date(picked.year(), picked.month(), picked.day())

    def reschedule_selected(self) -> bool:
        items = [i for i in self.selected_items() if i.followup.status == "open"]
        if not items:
            return False
        target = self.pick_date(date.today())  # the old due date is rarely where it goes
        if target is None:
            return False
        return self.reschedule([i.id for i in items], target)

    def reschedule(self, ids: list[int], day: date) -> bool:
        befores = self._befores(ids)
        if not befores:
            return False
        command = RescheduleFollowUp(self.context.bus, self.service, befores, day)
        return self._execute(
            command, f"Moved {count_text(len(ids), 'follow-up')} to {short_date(day)}."
        )

    def _on_grid_followups_dropped(self, ids: list[int], day: date) -> None:
        self.reschedule(ids, day)

    def delete_selected(self) -> bool:
        """Del cancels the selected follow-ups (kept, so the calendar export can cancel too)."""
        befores = self._befores(self._selected_open_ids())
        if not befores:
            return False
        command = CancelFollowUp(self.context.bus, self.service, befores)
        return self._execute(command, f"Cancelled {count_text(len(befores), 'follow-up')}.")

    def export_selected(self) -> None:
        self.context.bus.export_reminders_requested.emit(self.selected_ids())

    # --- losing touch ---------------------------------------------------------------

    def _on_losing_clicked(self, index: QModelIndex) -> None:
        if index.column() == LosingTouchTableModel.COL_SCHEDULE:
            item = self.losing_model.item_at(index.row())
            if item is not None:
                self.schedule_keep_in_touch([item.contact_id])

    def schedule_selected_losing(self) -> bool:
        rows = sorted({i.row() for i in self.losing_view.selectionModel().selectedRows()})
        ids = [item.contact_id for r in rows if (item := self.losing_model.item_at(r))]
        return self.schedule_keep_in_touch(ids) if ids else False

    def schedule_keep_in_touch(self, contact_ids: list[int]) -> bool:
        """One click: a keep-in-touch follow-up due today for each contact."""
        today = date.today()
        command = ScheduleKeepInTouch(self.context.bus, self.service, contact_ids, today)
        if not self._execute(command):
            return False
        only = self.service.contact(contact_ids[0]) if len(contact_ids) == 1 else None
        whom = only.name if only is not None else count_text(len(contact_ids), "contact")
        self.feedback.report(
            f"Scheduled a keep-in-touch follow-up with {whom} for today ({short_date(today)})."
        )
        return True

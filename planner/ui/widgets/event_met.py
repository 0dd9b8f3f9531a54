"""The event editor's people pages (a part of its controller): people to meet, the
checklist, quick-adding and marking people met, notes about them, and follow-ups after the
event; each change is one named undo command."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem, QTableWidget, QTableWidgetItem

from planner.core.errors import NotFoundError, ValidationError
from planner.core.event_results import RESULT_WINDOW_DAYS, event_result
from planner.core.events import (
    AttendeeRecord,
    EventDetail,
    EventService,
    days_until,
    format_cost,
    quick_add_defaults,
)
from planner.core.quick_add import parse_quick_add
from planner.core.vocab import RELATIONSHIPS
from planner.ui.commands import execute
from planner.ui.commands.base import Command
from planner.ui.commands.events import (
    AddChecklistItem,
    AddPersonToMeet,
    CreateEventFollowUps,
    EditAttendeeNote,
    EditChecklistItem,
    EditPersonReason,
    MarkMet,
    PlanEdit,
    RemoveChecklistItem,
    RemovePersonToMeet,
    UnmarkMet,
)
from planner.ui.context import TabContext
from planner.ui.dates import short_date
from planner.ui.widgets.event_common import days_text

if TYPE_CHECKING:
    from planner.ui.widgets.event_editor_view import EventEditorView

    _Base = EventEditorView
else:
    _Base = object


class EventMetController(_Base):
    """Mixed into EventEditor, which provides the widgets, `_run`, `_plan` and `reload`."""

    context: TabContext
    events: EventService
    event_id: int | None
    detail: EventDetail | None
    _loading: bool

    if TYPE_CHECKING:

        def _run(self, command: Command) -> bool: ...

        def _plan(self, command: type[PlanEdit], *args: Any) -> bool: ...

    def _connect_people(self) -> None:
        self.add_person_button.clicked.connect(self.add_person)
        self.remove_person_button.clicked.connect(self._on_remove_person)
        self.person_met_button.clicked.connect(self._on_person_met)
        self.people.itemChanged.connect(self._on_person_item_changed)
        self.checklist.itemChanged.connect(self._on_check_item_changed)
        self.new_check_item.returnPressed.connect(self._on_add_check_item)
        self.add_check_button.clicked.connect(self._on_add_check_item)
        self.remove_check_button.clicked.connect(self._on_remove_check_item)

    def _connect_met(self) -> None:
        self.quick_add.textChanged.connect(self._on_quick_add_text)
        self.quick_add.returnPressed.connect(self._on_quick_add)
        self.met_note.returnPressed.connect(self._on_quick_add)
        self.met_industry.returnPressed.connect(self._on_quick_add)
        self.quick_add_button.clicked.connect(self._on_quick_add)
        self.existing_button.clicked.connect(self.add_existing_met)
        self.unmark_button.clicked.connect(self._on_unmark)
        self.open_contact_button.clicked.connect(self._on_open_contact)
        self.attendees.itemDoubleClicked.connect(
            lambda item: self._on_open_contact() if item.column() != 4 else None
        )
        self.attendees.itemChanged.connect(self._on_attendee_item_changed)
        self.followups_button.clicked.connect(self.create_followups)
        self.takeaways.committed.connect(
            lambda text: self._update("Edit takeaways", takeaways=text)
        )

    def _load_people(self, detail: EventDetail) -> None:
        self.people.blockSignals(True)
        self.people.setRowCount(len(detail.people))
        for r, p in enumerate(detail.people):
            self.people.setItem(r, 0, self._cell(p.contact_name, p.id))
            self.people.setItem(r, 1, self._cell(p.organisation))
            self.people.setItem(r, 2, self._cell(p.reason, p.id, editable=True))
            self.people.setItem(r, 3, self._cell("✓ Met" if p.met else ""))
        self.people.blockSignals(False)
        self.checklist.blockSignals(True)
        check_row = self.checklist.currentRow()
        self.checklist.clear()
        for c in detail.checklist:
            item = QListWidgetItem(c.text)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setFlags(
                item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable
            )
            item.setCheckState(Qt.CheckState.Checked if c.done else Qt.CheckState.Unchecked)
            self.checklist.addItem(item)
        self.checklist.setCurrentRow(min(check_row, self.checklist.count() - 1))
        self.checklist.blockSignals(False)
        done = sum(1 for c in detail.checklist if c.done)
        self.checklist_summary.setText(
            f"{done} of {len(detail.checklist)} done — tick items off, double-click to edit"
            if detail.checklist
            else "Nothing on the checklist."
        )

    def _selected_id(self, table: QTableWidget) -> int | None:
        row = table.currentRow()
        item = table.item(row, 0) if row >= 0 else None
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def add_person(self) -> None:
        from planner.ui.dialogs.event_contact_dialog import EventContactDialog

        if self.event_id is None:
            return
        dialog = EventContactDialog(
            self.context.db,
            title="Someone to meet",
            text_label="Reason",
            placeholder="Why you want to meet them",
            parent=self,
        )
        accepted = dialog.exec() == EventContactDialog.DialogCode.Accepted
        dialog.deleteLater()
        pick = dialog.pick() if accepted else None
        if pick is None:
            return
        self._plan(AddPersonToMeet, pick.contact_id, pick.text)

    def _on_remove_person(self) -> None:
        person_id = self._selected_id(self.people)
        if person_id is not None:
            self._plan(RemovePersonToMeet, person_id)

    def _on_person_met(self) -> None:
        person_id = self._selected_id(self.people)
        if person_id is None or self.detail is None:
            return
        person = next(p for p in self.detail.people if p.id == person_id)
        if person.met:
            self.show_message(f"{person.contact_name} is already marked as met.")
            return
        self.mark_met(contact_id=person.contact_id)

    def _on_person_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != 2:
            return
        person_id = int(item.data(Qt.ItemDataRole.UserRole))
        self._plan(EditPersonReason, person_id, item.text())

    def _on_check_item_changed(self, item: QListWidgetItem) -> None:
        if self._loading or self.detail is None:
            return
        item_id = int(item.data(Qt.ItemDataRole.UserRole))
        saved = next((c for c in self.detail.checklist if c.id == item_id), None)
        if saved is None:
            return
        done = item.checkState() == Qt.CheckState.Checked
        text = item.text()
        if done != saved.done:
            label = "Tick" if done else "Untick"
            self._plan(EditChecklistItem, item_id, f"{label} “{saved.text}”", None, done)
        elif text != saved.text:
            self._plan(EditChecklistItem, item_id, "Edit checklist item", text)

    def _on_add_check_item(self) -> None:
        if self.event_id is None:
            return
        if self._plan(AddChecklistItem, self.new_check_item.text()):
            self.new_check_item.clear()

    def _on_remove_check_item(self) -> None:
        item = self.checklist.currentItem()
        if item is None:
            return
        item_id = int(item.data(Qt.ItemDataRole.UserRole))
        self._plan(RemoveChecklistItem, item_id)

    def _load_met(self, detail: EventDetail) -> None:
        self.attendees.blockSignals(True)
        self.attendees.setRowCount(len(detail.attendees))
        for r, a in enumerate(detail.attendees):
            self.attendees.setItem(r, 0, self._cell(a.contact_name, a.id))
            self.attendees.setItem(r, 1, self._cell(a.organisation))
            self.attendees.setItem(r, 2, self._cell(a.role))
            self.attendees.setItem(r, 3, self._cell("New" if a.is_new else ""))
            self.attendees.setItem(r, 4, self._cell(a.note, a.id, editable=True))
            self.attendees.setItem(r, 5, self._cell("✓" if a.has_followup else ""))
        self.attendees.blockSignals(False)
        widest = self.attendees.fontMetrics().horizontalAdvance("M") * 16
        for col in (0, 1, 2):
            self.attendees.resizeColumnToContents(col)
            self.attendees.setColumnWidth(col, min(self.attendees.columnWidth(col), widest))
        days = self.context.settings.preferences.followup_days_after_event
        self.followups_hint.setText(f"Due {days} day{'s' if days != 1 else ''} after the event")
        self.followups_button.setEnabled(bool(detail.attendees))
        self.takeaways.set_saved_text(detail.event.takeaways)
        if not self.quick_add.text() and not self.met_note.text():
            self._reset_quick_add_defaults(detail)  # the goals may have changed
        self.results_line.setText(self._results_text(detail))
        self.results_line.setVisible(bool(self.results_line.text()))
        goals = [f"{g.label}: {g.progress}/{g.target}" for g in detail.goals]
        self.goal_line.setText("Goals — " + "; ".join(goals) if goals else "")
        self.goal_line.setVisible(bool(goals))

    def _results_text(self, detail: EventDetail) -> str:
        event = detail.event
        if event.starts_local is None or days_until(event) > 0:
            return ""
        result = event_result(self.context.db, event.id)
        if result is None:
            return ""
        met = f"Met {result.met} ({result.new} new)"
        if result.goal:
            met += f" against a goal of {result.goal}"
        window = RESULT_WINDOW_DAYS
        parts = [
            met,
            f"follow-ups sent within {window} days: {result.sent} of {result.followups}",
            f"answered within {window} days: {result.answered} of {result.met}",
        ]
        per_new = result.cost_per_new_cents
        if per_new is not None and result.cost_cents:
            parts.append(f"{format_cost(per_new, result.currency)} per new contact")
        return "Results — " + " · ".join(parts)

    def _on_quick_add_text(self, text: str) -> None:
        fields = parse_quick_add(text)
        if not text.strip():
            self.quick_preview.setText("")
            return
        parts = [f"Name: {fields.name or '(missing)'}"]
        if fields.organisation:
            parts.append(f"Organisation: {fields.organisation}")
        if fields.role:
            parts.append(f"Role: {fields.role}")
        if fields.email:
            parts.append(f"E-mail: {fields.email}")
        if fields.industry:
            parts.append(f"Industry: {fields.industry}")
        if fields.relationship:
            parts.append(f"Relationship: {RELATIONSHIPS[fields.relationship]}")
        self.quick_preview.setText(" · ".join(parts))

    def _reset_quick_add_defaults(self, detail: EventDetail) -> None:
        """Industry and relationship start from the event's "meet new people" goal."""
        industry, relationship = quick_add_defaults(detail.goals)
        self.met_industry.setText(industry)
        self.met_relationship.setCurrentIndex(
            max(0, self.met_relationship.findData(relationship or "other"))
        )

    def _on_quick_add(self) -> None:
        if not self.quick_add.text().strip():
            self.quick_add.setFocus()
            return
        if self.mark_met(
            quick_add=self.quick_add.text(),
            note=self.met_note.text(),
            industry=self.met_industry.text(),
            relationship=str(self.met_relationship.currentData() or ""),
        ):
            self.quick_add.clear()
            self.met_note.clear()
            if self.detail is not None:
                self._reset_quick_add_defaults(self.detail)
            self.quick_add.setFocus()

    def add_existing_met(self) -> None:
        from planner.ui.dialogs.event_contact_dialog import EventContactDialog

        if self.event_id is None:
            return
        dialog = EventContactDialog(
            self.context.db,
            title="Who did you meet?",
            text_label="Note",
            placeholder="What you talked about",
            parent=self,
        )
        accepted = dialog.exec() == EventContactDialog.DialogCode.Accepted
        dialog.deleteLater()
        pick = dialog.pick() if accepted else None
        if pick is not None:
            self.mark_met(contact_id=pick.contact_id, note=pick.text)

    def mark_met(
        self,
        *,
        contact_id: int | None = None,
        quick_add: str = "",
        note: str = "",
        industry: str = "",
        relationship: str = "",
    ) -> bool:
        """One undo step: the attendee, the "met" touchpoint and any quick-added contact."""
        if self.event_id is None:
            return False
        command = MarkMet(
            self.context.bus,
            self.events,
            self.event_id,
            contact_id=contact_id,
            quick_add=quick_add,
            note=note,
            industry=industry,
            relationship=relationship,
        )
        try:
            execute(self.context.undo_stack, command)
        except (ValidationError, NotFoundError) as exc:
            self.show_message(getattr(exc, "message", "") or str(exc), error=True)
            return False
        result = command.result
        assert result is not None
        name = self._contact_name(result.contact_id)
        command.setText(f"Mark {name} as met")
        text = f"Marked {name} as met" + (" (new contact added)" if result.contact_created else "")
        ahead = days_until(self.detail.event) if self.detail is not None else 0
        if ahead:
            text += f"; the event is {days_text(ahead)} away, so the meeting is logged today"
        self.show_message(text + ".", error=bool(ahead))
        return True

    def _contact_name(self, contact_id: int) -> str:
        for a in self.events.detail(self.event_id or 0).attendees:
            if a.contact_id == contact_id:
                return a.contact_name
        return "contact"

    def _selected_attendee(self) -> AttendeeRecord | None:
        attendee_id = self._selected_id(self.attendees)
        if attendee_id is None or self.detail is None:
            return None
        return next((a for a in self.detail.attendees if a.id == attendee_id), None)

    def _on_unmark(self) -> None:
        attendee = self._selected_attendee()
        if attendee is None:
            return
        self._run(UnmarkMet(self.context.bus, self.events, attendee.id, attendee.contact_name))

    def _on_open_contact(self) -> None:
        attendee = self._selected_attendee()
        if attendee is not None:
            self.context.bus.open_requested.emit("contact", attendee.contact_id)

    def _on_attendee_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != 4:
            return
        attendee_id = int(item.data(Qt.ItemDataRole.UserRole))
        before = self.events.attendee_note(attendee_id)
        after = item.text().strip()
        if before == after:
            return
        self._run(EditAttendeeNote(self.context.bus, self.events, attendee_id, before, after))

    def create_followups(self) -> None:
        """One follow-up per person met; running it again adds only people not yet covered."""
        if self.event_id is None:
            return
        days = self.context.settings.preferences.followup_days_after_event
        command = CreateEventFollowUps(self.context.bus, self.events, self.event_id, days)
        if not self._run(command):
            return
        made = command.made
        if not made:
            self.show_message("Everyone met here already has a follow-up from this event.")
            return
        due = short_date(made[0].due_date)
        count = len(made)
        self.show_message(f"Created {count} follow-up{'s' if count != 1 else ''}, due {due}.")

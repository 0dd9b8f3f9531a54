"""The Contacts tab's edit actions: one contact's fields, new and delete, touchpoints,
referrals, export and bulk edits. Each user action is one named undo command."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QMessageBox

from planner.core.changes import Changes
from planner.core.errors import ConflictError, NotFoundError, ValidationError
from planner.core.records import ContactRecord, LabeledValue, ReferralRecord, TouchpointRecord
from planner.core.vocab import RELATIONSHIPS
from planner.db.errors import StorageError
from planner.ui.commands import Command, execute, execute_in_background
from planner.ui.commands.contacts import (
    CreateContact,
    DeleteContacts,
    EditContactFields,
    SetContactField,
    TagContacts,
)
from planner.ui.commands.referrals import AddReferral, DeleteReferral, EditReferral

# The dialogs (and the touchpoint commands, whose rules pull in the organisations') are
# imported where they are used: the tab's first paint does not need them.
if TYPE_CHECKING:
    from planner.core.contacts import ContactService
    from planner.core.referrals import ReferralService
    from planner.core.touchpoints import TouchpointService
    from planner.ui.context import TabContext
    from planner.ui.dialogs.contact_dialog import NewContactDraft
    from planner.ui.dialogs.referral_dialog import ReferralDialog
    from planner.ui.dialogs.touchpoint_dialog import TouchpointDialog
    from planner.ui.models.contact_table_model import ContactTableModel
    from planner.ui.widgets.contact_detail import ContactDetail


@contextmanager
def _busy() -> Iterator[None]:
    """A wait cursor while a bulk edit of thousands of contacts runs (a second or two)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class ContactActions:
    """The edit half of the Contacts tab's controller (ContactsTab, a QWidget, mixes it in;
    `self` is that widget); it reaches the list and the detail pane only through the
    attributes declared here."""

    context: TabContext
    contacts: ContactService
    touchpoints: TouchpointService
    referrals: ReferralService
    detail: ContactDetail
    model: ContactTableModel
    _say: Callable[[str], None]
    _name_of: Callable[[int], str]
    _search_for_picker: Callable[[str], list[tuple[int, str]]]
    selected_ids: Callable[[], list[int]]
    _target_ids: Callable[[], list[int]]
    select_contact: Callable[[int], bool]
    clear_filters: Callable[[], None]

    def _run(self, command: Command, title: str) -> bool:
        """Carry out one user action as one undo step; a refusal is shown, nothing changes."""
        try:
            execute(self.context.undo_stack, command)
        except (ValidationError, NotFoundError) as exc:
            QMessageBox.warning(self, title, str(exc))
            return False
        return True

    # --- editing one contact ----------------------------------------------------------

    def save_fields(
        self, contact_id: int, changes: dict[str, Any], seen: ContactRecord | None = None
    ) -> ContactRecord:
        """Save an edit from the detail pane as one undo step; raises ValidationError.

        `seen` is the copy the user edited: if a teammate changed the contact since, their
        change is kept (a merge when the fields differ, the conflict dialog when they clash).
        """
        self._say("")
        command = EditContactFields(self.context.bus, self.contacts, contact_id, changes, seen)
        try:
            execute(self.context.undo_stack, command)
        except ConflictError as conflict:
            if seen is None:
                raise
            return self._resolve_conflict(contact_id, seen, changes, conflict.current)
        assert command.record is not None
        return command.record

    def _resolve_conflict(
        self,
        contact_id: int,
        seen: ContactRecord,
        changes: dict[str, Any],
        current: ContactRecord,
    ) -> ContactRecord:
        """Save `changes` on top of a teammate's newer version; returns the record now.

        Different fields merge by themselves (nothing is lost, the message line says so); the
        same field changed on both sides asks: keep mine, take theirs, or choose per field.
        What is saved is one undo step, as any edit.
        """
        from planner.core.conflicts import describe, find_conflict
        from planner.ui.dialogs.conflict_dialog import ConflictDialog

        for _attempt in range(3):
            conflict = find_conflict(seen, current, changes)
            wanted = dict(changes)
            if conflict.clashing:
                dialog = ConflictDialog(conflict, "contact", self)
                accepted = dialog.exec() == QDialog.DialogCode.Accepted
                wanted = dialog.choice() if accepted else {}
                dialog.deleteLater()
            else:
                self._say(f"{describe(conflict)}. Your change was added to theirs.")
            if not wanted:
                self.context.bus.changed.emit(Changes.of(contacts=[contact_id]))
                return current
            command = EditContactFields(
                self.context.bus, self.contacts, contact_id, wanted, current
            )
            try:
                execute(self.context.undo_stack, command)
            except ConflictError as again:
                seen, current = current, again.current
                continue
            assert command.record is not None
            return command.record
        raise ValidationError("", "This contact keeps changing under you; try again in a moment.")

    def new_item(self) -> None:
        from planner.ui.dialogs.contact_dialog import NewContactDialog

        team = bool(self.contacts.db.user)  # visibility means something on a team database
        dialog = NewContactDialog(self._find_duplicates, self, team=team)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.create_contact(dialog.draft())

    def _find_duplicates(self, draft: NewContactDraft) -> list[Any]:
        return self.contacts.find_duplicates(
            draft.name, draft.organisation, [draft.email] if draft.email else []
        )

    def create_contact(self, draft: NewContactDraft) -> ContactRecord:
        fields: dict[str, Any] = {
            "name": draft.name,
            "organisation": draft.organisation,
            "role": draft.role,
            "relationship": draft.relationship,
        }
        if draft.visibility != "shared":
            fields["visibility"] = draft.visibility
        if draft.email:
            fields["emails"] = [LabeledValue("work", draft.email)]
        command = CreateContact(self.context.bus, self.contacts, fields)
        execute(self.context.undo_stack, command)
        record = command.record
        assert record is not None
        if self.model.row_of(record.id) < 0:
            self.clear_filters()
        self.select_contact(record.id)
        self.detail.show_contact(record.id)
        self._say(f"Added {record.name}.")
        return record

    def delete_selected(self) -> None:
        ids = self._target_ids()
        if not ids:
            return
        names = self.contacts.names(ids)
        if len(ids) == 1:
            question = (
                f"Delete {names.get(ids[0], 'this contact')}?\n\n"
                "Their touchpoints, referrals and follow-ups go too. You can undo this."
            )
        else:
            sample = ", ".join(names[i] for i in ids[:3] if i in names)
            more = f" and {len(ids) - 3:,} more" if len(ids) > 3 else ""
            question = (
                f"Delete {len(ids):,} contacts ({sample}{more})?\n\n"
                "Their touchpoints, referrals and follow-ups go too. You can undo this."
            )
        answer = QMessageBox.question(
            self,
            "Delete contacts" if len(ids) > 1 else "Delete contact",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        what = names.get(ids[0], "contact") if len(ids) == 1 else f"{len(ids):,} contacts"
        with _busy():
            if not self._run(DeleteContacts(self.context.bus, self.contacts, ids, what), "Delete"):
                return
        self._say(f"Deleted {what}. Ctrl+Z brings it back.")

    # --- touchpoints ------------------------------------------------------------------

    def _on_detail_log_touch(self) -> None:
        cid = self.detail.contact_id()
        if cid is not None:
            self.log_touchpoint([cid])

    def log_touchpoint(self, ids: Sequence[int] | None = None) -> None:
        """Log one touchpoint for each target contact (the selection), as one undo step.

        The write runs off the GUI thread (execute_in_background): the window stays free
        while the database works, and the list and detail refresh from the Changes."""
        targets = list(ids) if ids is not None else self._target_ids()
        if not targets:
            self._say("Select a contact to log a touchpoint.")
            return
        from planner.ui.dialogs.touchpoint_dialog import TouchpointDialog

        who = self._name_of(targets[0]) if len(targets) == 1 else f"{len(targets):,} contacts"
        self._ask_and_log(TouchpointDialog(who, parent=self), targets, who)

    def _ask_and_log(self, dialog: TouchpointDialog, targets: list[int], who: str) -> None:
        from planner.ui.commands.touchpoints import LogTouchpoints

        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        draft = dialog.draft()
        command = LogTouchpoints(
            self.context.bus,
            self.touchpoints,
            targets,
            draft.occurred_on,
            draft.channel,
            draft.kind,
            draft.note,
            who=who,
        )

        def failed(exc: BaseException) -> None:
            if isinstance(exc, StorageError):
                # Refused by the database (busy, read-only): the dialog comes back with
                # what was typed and why.
                dialog.show_save_problem(str(exc))
                self._ask_and_log(dialog, targets, who)
            elif isinstance(exc, (ValidationError, NotFoundError)):
                QMessageBox.warning(self, "Log touchpoint", str(exc))
            else:
                self._say(f"Could not log the touchpoint: {exc}")

        execute_in_background(
            self.context.undo_stack,
            command,
            on_done=lambda _changes: self._on_touchpoint_logged(draft.kind, targets, who),
            on_error=failed,
        )

    def _on_touchpoint_logged(self, kind: str, targets: list[int], who: str) -> None:
        from planner.ui.widgets.contact_detail import times_text

        message = f"Logged a touchpoint with {who}."
        if kind == "asked" and len(targets) == 1:
            balance = self.touchpoints.balance(targets[0])
            if balance.asked > balance.gave:
                # Workflow 3: see when you ask someone more often than you give.
                message += (
                    f" Last 12 months with them: asked {times_text(balance.asked)}, "
                    f"gave value {times_text(balance.gave)}."
                )
        self._say(message)

    def edit_touchpoint(self, record: TouchpointRecord) -> None:
        from planner.ui.dialogs.touchpoint_dialog import TouchpointDialog

        dialog = TouchpointDialog(self._name_of(record.contact_id), record, self)
        while True:  # a save the database refused reopens the dialog with what was typed
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            draft = dialog.draft()
            values = {
                "occurred_on": draft.occurred_on,
                "channel": draft.channel,
                "kind": draft.kind,
                "note": draft.note,
            }
            from planner.ui.commands.touchpoints import EditTouchpoint

            command = EditTouchpoint(self.context.bus, self.touchpoints, record, values)
            try:
                execute(self.context.undo_stack, command)
            except (ValidationError, NotFoundError) as exc:
                QMessageBox.warning(self, "Edit touchpoint", str(exc))
            except StorageError as exc:
                dialog.show_save_problem(str(exc))
                continue
            return

    def delete_touchpoint(self, record: TouchpointRecord) -> None:
        from planner.ui.commands.touchpoints import DeleteTouchpoints

        command = DeleteTouchpoints(self.context.bus, self.touchpoints, [record.id])
        try:
            execute(self.context.undo_stack, command)
        except NotFoundError as exc:
            self._say(str(exc))
            return
        self._say("Touchpoint deleted. Ctrl+Z brings it back.")

    # --- referrals --------------------------------------------------------------------

    def _referral_dialog(self, record: ReferralRecord | None) -> ReferralDialog:
        from planner.ui.dialogs.referral_dialog import ReferralDialog

        who = self._name_of(self.detail.contact_id() or 0)
        return ReferralDialog(who, self._search_for_picker, self._name_of, record, self)

    def add_referral(self) -> None:
        from planner.ui.dialogs.referral_dialog import referral_values

        cid = self.detail.contact_id()
        if cid is None:
            return
        dialog = self._referral_dialog(None)
        # A save the database refused reopens the dialog with what was typed.
        dialog.exec_until_saved(
            lambda d: self._run(
                AddReferral(self.context.bus, self.referrals, cid, referral_values(d)), "Referral"
            )
        )

    def edit_referral(self, record: ReferralRecord) -> None:
        from planner.ui.dialogs.referral_dialog import referral_values

        dialog = self._referral_dialog(record)
        dialog.exec_until_saved(
            lambda d: self._run(
                EditReferral(self.context.bus, self.referrals, record, referral_values(d)),
                "Referral",
            )
        )

    def delete_referral(self, record: ReferralRecord) -> None:
        self._run(DeleteReferral(self.context.bus, self.referrals, record), "Referral")

    # --- export -----------------------------------------------------------------------

    def export_selected(self) -> None:
        from planner.ui.dialogs.import_dialog import run_export

        ids = self.selected_ids()
        if ids:
            run_export(self.context, self, ids)

    def export_shown(self) -> None:
        """The filtered list (search and filters applied), as vCard or CSV."""
        from planner.ui.dialogs.import_dialog import run_export

        ids = self.model.visible_ids()
        if ids:
            run_export(self.context, self, ids)

    # --- bulk actions -----------------------------------------------------------------

    def bulk_add_tag(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        tag, ok = QInputDialog.getItem(
            self, "Add tag", f"Tag for {len(ids):,} contacts:", self.contacts.tag_names(), 0, True
        )
        tag = " ".join(str(tag).split())
        if not ok or not tag:
            return
        command = TagContacts(self.context.bus, self.contacts, ids, tag)
        self._say(f"Tagging {len(ids):,} contacts “{tag}”…")
        execute_in_background(
            self.context.undo_stack,
            command,
            lambda _c: self._say(f"Tagged {len(command.changed or []):,} contacts “{tag}”."),
            lambda exc: self._say(f"Could not tag the contacts: {exc}"),
        )

    def bulk_remove_tag(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        present = sorted(
            {t for cid in ids if (row := self.model.contact(cid)) for t in row.tags},
            key=str.casefold,
        )
        if not present:
            self._say("None of the selected contacts has a tag.")
            return
        tag, ok = QInputDialog.getItem(
            self, "Remove tag", f"Remove from {len(ids):,} contacts:", present, 0, False
        )
        if not ok or not tag:
            return
        command = TagContacts(self.context.bus, self.contacts, ids, tag, remove=True)
        self._say(f"Removing “{tag}” from {len(ids):,} contacts…")
        execute_in_background(
            self.context.undo_stack,
            command,
            lambda _c: self._say(f"Removed “{tag}” from {len(command.changed or []):,} contacts."),
            lambda exc: self._say(f"Could not remove the tag: {exc}"),
        )

    def _bulk_set(self, key: str, value: Any, text: str) -> None:
        ids = self.selected_ids()
        command = SetContactField(self.context.bus, self.contacts, ids, key, value, text)
        with _busy():
            if not self._run(command, text):
                return
        self._say(text + ".")

    def bulk_set_relationship(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        labels = list(RELATIONSHIPS.values())
        label, ok = QInputDialog.getItem(
            self, "Set relationship", f"Relationship for {len(ids):,} contacts:", labels, 0, False
        )
        if not ok or label not in labels:
            return
        key = list(RELATIONSHIPS)[labels.index(label)]
        self._bulk_set("relationship", key, f"Set {len(ids):,} contacts to {label}")

    def bulk_set_cadence(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        days, ok = QInputDialog.getInt(
            self,
            "Set cadence",
            f"Keep in touch with {len(ids):,} contacts every N days (0 = no cadence):",
            30,
            0,
            3650,
        )
        if not ok:
            return
        what = f"every {days} days" if days else "no cadence"
        self._bulk_set("cadence_days", days or None, f"Set {len(ids):,} contacts to {what}")

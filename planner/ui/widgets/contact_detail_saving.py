"""Saving the contact detail pane's fields: as you type (after a pause) and on leaving a
field, one undo step per save, the typed value kept beside a message when a save fails."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QLineEdit

from planner.core.contacts import ContactService
from planner.core.errors import NotFoundError, ValidationError
from planner.core.records import ContactRecord
from planner.core.validation import normalize_email, normalize_phone, normalize_url
from planner.db.errors import DatabaseBusyError, ReadOnlyDatabaseError, StorageError
from planner.ui.widgets.address_editor import AddressesEditor
from planner.ui.widgets.contact_fields import (
    BirthdayEdit,
    LabeledValuesEditor,
    NotesEdit,
    TagLineEdit,
    show_error,
)

# (contact id, changes, the copy the user edited) -> the saved record.
SaveCallback = Callable[[int, dict[str, Any], ContactRecord], ContactRecord]


# A pause this long in typing saves the field (it also saves on leaving it, and on closing).
SAVE_DELAY_MS = 800
# A save refused because the database is busy or still being checked is tried again this
# often, this many times (the Retry link stays for later).
AUTO_RETRY_MS = 2000
AUTO_RETRIES = 15


class FieldSaving:
    """The saving half of ContactDetail's controller (mixed in); it reaches the widgets only
    through the attributes declared here."""

    record: ContactRecord | None
    contacts: ContactService
    errors: dict[str, QLabel]
    line_edits: dict[str, QLineEdit]
    notes: NotesEdit
    emails: LabeledValuesEditor
    tags: TagLineEdit
    birthday: BirthdayEdit
    _loading: bool
    _save_callback: SaveCallback
    _pending: dict[str, Callable[[], object]]
    _failed: dict[str, Callable[[], object]]
    _debounce: QTimer
    clear: Callable[[], None]
    _fill: Callable[..., None]

    def _on_name_derived_clicked(self, checked: bool) -> None:
        if self.record is None or self._loading:
            return
        if checked:
            self._save({"name_custom": False}, "name_custom")
        else:
            # Unticked: keep the current text as the user's own name.
            self._save({"name": self.record.name, "name_custom": True}, "name_custom")

    def _schedule_line(self, key: str, edit: QLineEdit) -> None:
        if not self._loading:
            self._schedule(key, lambda: self._save_if_changed(key, edit.text(), typing=True))

    def _finish_line(self, key: str, edit: QLineEdit) -> None:
        self._pending.pop(key, None)
        self._save_if_changed(key, edit.text())

    def _on_notes_typed(self) -> None:
        if not self._loading:
            self._schedule(
                "notes", lambda: self._save_if_changed("notes", self.notes.toPlainText(), True)
            )

    def _on_notes_finished(self) -> None:
        self._pending.pop("notes", None)
        self._save_if_changed("notes", self.notes.toPlainText())

    def _schedule(self, key: str, save: Callable[[], object]) -> None:
        if self.record is None:
            return
        self._pending[key] = save
        self._debounce.start()

    def has_pending_edits(self) -> bool:
        return bool(self._pending)

    def flush_pending_edits(self) -> None:
        """Save what is being typed now (a pause in typing, another contact, closing)."""
        self._debounce.stop()
        pending, self._pending = self._pending, {}
        for save in pending.values():
            save()

    def retry_save(self, key: str) -> None:
        """The Retry link beside a field whose save failed."""
        save = self._failed.pop(key, None)
        if save is not None:
            save()

    def _auto_retry(self, key: str, retry: Callable[[], object]) -> None:
        if self._failed.get(key) is retry:
            del self._failed[key]
            retry()

    def _save(
        self,
        changes: dict[str, Any],
        error_key: str,
        keep: frozenset[str] = frozenset(),
        attempt: int = 0,
    ) -> bool:
        """Save through the tab (one undo step). On failure the typed value stays in its
        field, and the message below the field says why (with Retry when trying again can
        help). `keep` names fields not to refill (the user is still typing in them)."""
        if self.record is None or self._loading:
            return False
        label = self.errors.get(error_key)
        seen = self.record
        try:
            record = self._save_callback(seen.id, changes, seen)
        except ValidationError as exc:
            if label is not None:
                show_error(label, exc.message)
            return False
        except NotFoundError:
            self.clear()
            return False
        except StorageError as exc:

            def retry() -> object:
                return self._save(changes, error_key, keep, attempt + 1)

            self._failed[error_key] = retry
            # Busy (another program writing) and held (the start-up check) pass by
            # themselves: try again on our own too, a few times.
            passing = isinstance(exc, DatabaseBusyError) or (
                isinstance(exc, ReadOnlyDatabaseError) and exc.reason == "checking"
            )
            again = passing and attempt < AUTO_RETRIES
            if again:
                QTimer.singleShot(AUTO_RETRY_MS, self, lambda: self._auto_retry(error_key, retry))
            if label is not None:
                note = " Trying again in a moment…" if again else ""
                show_error(
                    label,
                    f'{html.escape(str(exc))}{note} <a href="retry">Retry</a>',
                    rich=True,
                )
            return False
        self._failed.pop(error_key, None)
        if label is not None:
            show_error(label, "")
        # The saved fields, and any the service derived from them (the name from its parts);
        # a teammate's change merged in: show all of it. A field still being typed in keeps
        # its text.
        moved = {
            f.name
            for f in dataclasses.fields(record)
            if getattr(record, f.name) != getattr(seen, f.name)
        }
        merged = record.version != seen.version + 1
        self._fill(record, None if merged else (set(changes) | moved) - keep)
        return True

    def _save_if_changed(self, key: str, value: Any, typing: bool = False) -> None:
        if self.record is None or self._loading:
            return
        current = getattr(self.record, key)
        if isinstance(value, str) and key != "notes":
            value = value.strip()
        if value == current:
            if key in self.errors and key not in self._failed:
                show_error(self.errors[key], "")
            return
        keep = frozenset({key}) if typing else frozenset()
        if key == "name":
            record = self.record
            parts = (record.name_prefix, record.given_name, record.middle_name,
                     record.family_name, record.name_suffix)  # fmt: skip
            if any(parts):
                # A typed name is the user's own unless it is just the parts joined.
                derived = " ".join(" ".join(p.split()) for p in parts if p.strip())
                self._save({"name": value, "name_custom": value != derived}, key, keep)
                return
        self._save({key: value}, key, keep)

    def _on_relationship_activated(self, _index: int) -> None:
        record = self.record
        new = self.relationship.currentData()
        if record is None or self._loading or new == record.relationship:
            return
        # A cadence at the old relationship's default follows along (ContactService.update).
        self._save({"relationship": new}, "relationship")

    def _on_cadence_changed(self, value: int) -> None:
        self._save_if_changed("cadence_days", value or None)

    def _value_problem(self, kind: str, value: str) -> str:
        """What is wrong with one e-mail, phone or web address ("" when it would save)."""
        try:
            if kind == "emails":
                normalize_email(value)
            elif kind == "phones":
                normalize_phone(value, self.contacts.preferences().phone_region)
            else:
                normalize_url(value)
        except ValidationError as exc:
            return exc.message
        return ""

    def _on_list_edited(self, editor: LabeledValuesEditor | AddressesEditor) -> None:
        if self.record is None or self._loading:
            return
        values = editor.values()
        if tuple(values) == getattr(self.record, editor.kind):
            show_error(editor.error, "")
            return
        self._save({editor.kind: values}, editor.kind)

    def _on_tags_finished(self) -> None:
        if self.record is None or self._loading:
            return
        tags = self.tags.tags()
        if tuple(sorted(tags)) == tuple(sorted(self.record.tags)):
            return
        self._save({"tags": tags}, "tags")

    def _on_birthday_edited(self) -> None:
        if self.record is None or self._loading:
            return
        month, day, year = self.birthday.value()
        current = (self.record.birthday_month, self.record.birthday_day, self.record.birthday_year)
        if (month, day, year) == current:
            show_error(self.errors["birthday"], "")
            return
        if (month is None) != (day is None):
            # Half a birthday: wait for the other half before saving or complaining.
            show_error(self.errors["birthday"], "Choose both the day and the month.")
            return
        self._save(
            {"birthday_month": month, "birthday_day": day, "birthday_year": year}, "birthday"
        )

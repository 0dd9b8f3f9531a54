"""The contact detail pane's controller: shows one contact (read off the GUI thread after an
edit), saves its fields as you go, and hands actions to the Contacts tab.

The widgets are built by `ContactDetailView` (contact_detail_view.py), field saving lives in
`FieldSaving` (contact_detail_saving.py), the notes and open follow-ups in their own panes.
"""

from __future__ import annotations

import dataclasses
import html
import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QTableView, QWidget

from planner.core.changes import Changes
from planner.core.contact_view import ContactView, read_contact_view
from planner.core.contacts import ContactService
from planner.core.errors import NotFoundError
from planner.core.followups import FollowUpService
from planner.core.notes import NoteService
from planner.core.records import ContactRecord, ReferralRecord, TouchpointRecord
from planner.core.referrals import ReferralService
from planner.core.touchpoints import TouchpointService
from planner.core.visibility import viewer
from planner.ui.bus import Bus
from planner.ui.context import TabContext
from planner.ui.tabs.base import ChangeFollower
from planner.ui.tasks import run_task
from planner.ui.widgets.contact_detail_saving import SAVE_DELAY_MS, FieldSaving, SaveCallback
from planner.ui.widgets.contact_detail_view import (
    ContactDetailView,
    FormScrollArea,
    _date_text,
    times_text,
)
from planner.ui.widgets.contact_fields import show_error
from planner.ui.widgets.contact_followups import FollowUpsPane
from planner.ui.widgets.contact_notes import NotesPane

__all__ = ["ContactDetail", "FormScrollArea", "SaveCallback", "times_text"]

log = logging.getLogger(__name__)


class ContactDetail(FieldSaving, ContactDetailView):
    """Shows one contact. Edits go through `save`, which validates, saves and makes undo steps.

    With `context` (the tab's bus and undo stack) the pane also lists the person's notes and
    open follow-ups, each edit of those one undo step.
    """

    log_touch_requested = Signal()
    edit_touch_requested = Signal(object)
    delete_touch_requested = Signal(object)
    add_referral_requested = Signal()
    edit_referral_requested = Signal(object)
    delete_referral_requested = Signal(object)
    followup_requested = Signal(int)
    # The contact now shown (an id) or None, for panes that live beside the detail.
    contact_shown = Signal(object)

    def __init__(
        self,
        contacts: ContactService,
        touchpoints: TouchpointService,
        referrals: ReferralService,
        save: SaveCallback,
        search: Callable[[str], list[tuple[int, str]]],
        name_of: Callable[[int], str],
        parent: QWidget | None = None,
        *,
        context: TabContext | None = None,
    ) -> None:
        ContactDetailView.__init__(self, parent)
        self.contacts = contacts
        self.touchpoints = touchpoints
        self.referrals = referrals
        self._save_callback = save
        self._name_of = name_of
        # Reads off the GUI thread: the newest wins; `reading` is True while one runs.
        self._generation = 0
        self.reading = False
        # The contact a read was started for since the last change on the bus: asking again
        # (the list reloading after the same change) reads nothing twice.
        self._fresh: int | None = None
        # Typing saves on a short pause, not only on leaving the field (a crash or a kill
        # mid-sentence must not lose it): the save each field is waiting to make.
        self._pending: dict[str, Callable[[], object]] = {}
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SAVE_DELAY_MS)
        self._debounce.timeout.connect(self.flush_pending_edits)
        # Saves that failed (busy, read-only, disk full), kept for the field's Retry link.
        self._failed: dict[str, Callable[[], object]] = {}
        db = contacts.db
        self.notes_pane = NotesPane(NoteService(db), context)
        self.followups_pane = FollowUpsPane(FollowUpService(db), context)
        self._build(search)
        self.set_team_mode(bool(viewer(db)))

    def set_team_mode(self, team: bool) -> None:
        """On a team database: the contact's visibility, and who wrote each touchpoint and
        note. A personal file has one user, so neither is shown there."""
        self.team_mode = team
        self.visibility.setVisible(team)
        if self.visibility_label is not None:
            self.visibility_label.setVisible(team)
        self.touch_model.viewer = viewer(self.contacts.db)
        self.timeline.setColumnHidden(self.touch_model.COL_BY, not team)
        self.notes_pane.set_team_mode(team, viewer(self.contacts.db))

    # --- showing ----------------------------------------------------------------------

    def contact_id(self) -> int | None:
        return self.record.id if self.record is not None else None

    def set_events(self, events: list[tuple[int, str, date | None]]) -> None:
        self._loading = True
        try:
            self.how_met_event.clear()
            self.how_met_event.addItem("No event", None)
            for event_id, name, day in events:
                label = f"{name} — {_date_text(day)}" if day else name
                self.how_met_event.addItem(label, event_id)
        finally:
            self._loading = False
        if self.record is not None:
            self._show_event(self.record.how_met_event_id)

    def clear(self) -> None:
        self.flush_pending_edits()
        self.record = None
        self._set_enabled(False)
        self.contact_shown.emit(None)

    def show_contact(self, contact_id: int | None) -> None:
        """Load and show a contact (or nothing); also its timeline, referrals and events."""
        self._generation += 1  # a read still running is for what was shown before
        if contact_id is None:
            self.clear()
            return
        # What was typed for the contact shown so far is saved to that contact first.
        self.flush_pending_edits()
        for key in list(self._failed):
            self.retry_save(key)
        self._failed.clear()
        try:
            view = read_contact_view(self.contacts.db, contact_id)
        except NotFoundError:
            self.clear()
            return
        self._set_enabled(True)
        for label in self.errors.values():
            show_error(label, "")
        self._show_view(view)
        self.contact_shown.emit(view.record.id)

    def follow(self, bus: Bus) -> None:
        """Refresh on edits touching the shown contact (see ChangeFollower's rule)."""
        # First, so a change is known before any slot (ours or the list's) asks for a read.
        bus.changed.connect(self._on_bus_changed)
        self.follower = ChangeFollower(self, bus, self._on_changes)

    def _on_bus_changed(self, _changes: Changes) -> None:
        self._fresh = None  # what was read before this change may be out of date

    def _on_changes(self, changes: Changes) -> None:
        if self.record is None:
            return
        if (
            self.record.id in changes.contacts
            or changes.all_of("contacts")
            or changes.all_of("touchpoints")
            or changes.all_of("follow_ups")
            or changes.touches("referrals", "events")
        ):
            self.refresh_in_background()

    def refresh_in_background(self) -> None:
        """Re-read the shown contact in one task off the GUI thread (after an edit); not
        again when a read of it already started after the last change."""
        if self.record is None or self._fresh == self.record.id:
            return
        self._generation += 1
        generation, contact_id, db = self._generation, self.record.id, self.contacts.db
        self._fresh = contact_id
        self.reading = True
        run_task(
            lambda: read_contact_view(db, contact_id),
            lambda view: self._on_view_read(generation, view),
            lambda exc: self._on_view_failed(generation, exc),
            owner=self,
            name="read contact",
        )

    def _on_view_read(self, generation: int, view: ContactView) -> None:
        if generation != self._generation:
            return  # another contact was shown, or a newer read is on its way
        self.reading = False
        if self.record is not None and self.record.id == view.record.id:
            self._show_view(view, changed_only=True)

    def _on_view_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.reading = False
        self._fresh = None
        if isinstance(exc, NotFoundError):
            self.clear()
        else:
            log.error("Could not read the contact", exc_info=exc)

    def _show_view(self, view: ContactView, changed_only: bool = False) -> None:
        """Show a fresh read. With `changed_only`, only fields whose stored value moved are
        refilled, so a field being typed in keeps its text while another field's save
        comes back."""
        keys = None
        old = self.record
        if changed_only and old is not None and old.id == view.record.id:
            record = view.record
            keys = {
                f.name
                for f in dataclasses.fields(record)
                if getattr(record, f.name) != getattr(old, f.name)
            }
        self._fill(view.record, keys)
        self._show_history(view)
        self._show_panes(view)

    def _show_history(self, view: ContactView) -> None:
        balance = view.balance
        self.touch_model.set_records(list(view.timeline))
        refs = list(view.referrals)
        asked = sum(1 for r in refs if r.direction == "i_asked" and r.occurred_on >= balance.since)
        self.balance.setText(
            f"<b>Give/ask, last 12 months:</b> gave value {times_text(balance.gave)} · "
            f"asked {times_text(balance.asked)} · asked for a referral {times_text(asked)}"
        )
        self.referral_model.viewing_id = view.record.id
        self.referral_model.set_records(refs)
        self.met_at.clear()
        for _event_id, name, day, note in view.met_at:
            text = f"{name} ({_date_text(day)})" if day else name
            self.met_at.addItem(f"{text} — {note}" if note else text)
        if self.met_at.count() == 0:
            self.met_at.addItem("Not recorded at any event yet")

    def _show_panes(self, view: ContactView) -> None:
        self.notes_pane.set_notes(view.record.id, view.notes)
        self.followups_pane.set_followups(view.record, view.open_followups)

    def _fill(self, record: ContactRecord, keys: set[str] | None = None) -> None:
        """Show `record`; with `keys`, refresh only those fields (others may hold typing)."""
        self.record = record

        def wanted(*names: str) -> bool:
            return keys is None or any(n in keys for n in names)

        self._loading = True
        try:
            self.title.setText(record.name)
            if wanted("photo", "photo_url", "photo_type"):
                self._show_photo(record)
            if wanted("name_custom", "name"):
                self.name_derived.setChecked(not record.name_custom)
            for key, edit in self.line_edits.items():
                if wanted(key) and edit.text() != getattr(record, key):
                    edit.setText(getattr(record, key))
                    edit.setCursorPosition(0)
            if wanted("relationship"):
                self.relationship.setCurrentIndex(
                    max(0, self.relationship.findData(record.relationship))
                )
            if wanted("cadence_days"):
                self.cadence.setValue(record.cadence_days or 0)
            for editor in (self.emails, self.phones, self.urls, self.addresses):
                if wanted(editor.kind):
                    editor.set_values(getattr(record, editor.kind))
            if wanted("tags"):
                self.tags.set_tags(record.tags)
            if wanted("birthday_month", "birthday_day", "birthday_year"):
                self.birthday.set_value(
                    record.birthday_month, record.birthday_day, record.birthday_year
                )
            if wanted("how_met_kind"):
                self.how_met_kind.setCurrentIndex(
                    max(0, self.how_met_kind.findData(record.how_met_kind))
                )
            if wanted("how_met_event_id"):
                self._show_event(record.how_met_event_id)
            if wanted("referred_by_id"):
                referrer = record.referred_by_id
                self.referred_by.set_contact(referrer, self._name_of(referrer) if referrer else "")
            if wanted("notes") and self.notes.toPlainText() != record.notes:
                self.notes.setPlainText(record.notes)
            if wanted("visibility"):
                self.visibility.setCurrentIndex(max(0, self.visibility.findData(record.visibility)))
            self._fill_summary(record)
        finally:
            self._loading = False

    def _fill_summary(self, record: ContactRecord) -> None:
        parts = []
        if record.role or record.organisation:
            parts.append(" at ".join(p for p in (record.role, record.organisation) if p))
        parts.append(
            f"Last contact: {_date_text(record.last_touch_on)}"
            if record.last_touch_on
            else "Never contacted"
        )
        if record.next_touch_due is not None:
            overdue = record.next_touch_due < date.today()
            due = _date_text(record.next_touch_due)
            parts.append(
                f"<b>Next touch overdue since {due}</b>" if overdue else f"Next touch due: {due}"
            )
        # Team mode: whose contact this is (empty in a personal SQLite file).
        from planner.core.conflicts import ago

        if record.created_by and record.created_by != record.updated_by:
            parts.append(f"Added by {html.escape(record.created_by)}")
        if record.updated_by:
            who = html.escape(record.updated_by)
            parts.append(f"Changed by {who} {ago(record.updated_at)}")
        self.summary.setText(" · ".join(parts))

    # --- actions ----------------------------------------------------------------------

    def _on_followup_clicked(self) -> None:
        if self.record is not None:
            self.followup_requested.emit(self.record.id)

    def _selected(self, view: QTableView, model: Any) -> Any:
        index = view.currentIndex()
        return model.record(index.row()) if index.isValid() else None

    def _on_touch_edit(self) -> None:
        record: TouchpointRecord | None = self._selected(self.timeline, self.touch_model)
        if record is not None:
            self.edit_touch_requested.emit(record)

    def _on_touch_delete(self) -> None:
        record: TouchpointRecord | None = self._selected(self.timeline, self.touch_model)
        if record is not None:
            self.delete_touch_requested.emit(record)

    def _on_referral_edit(self) -> None:
        record: ReferralRecord | None = self._selected(self.referral_view, self.referral_model)
        if record is not None:
            self.edit_referral_requested.emit(record)

    def _on_referral_delete(self) -> None:
        record: ReferralRecord | None = self._selected(self.referral_view, self.referral_model)
        if record is not None:
            self.delete_referral_requested.emit(record)

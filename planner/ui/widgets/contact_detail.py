"""The contact detail pane: every field, saved as you go, plus timeline, referrals and events."""

from __future__ import annotations

import dataclasses
import html
import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.changes import Changes
from planner.core.contact_view import ContactView, read_contact_view
from planner.core.contacts import MAX_CADENCE_DAYS, ContactService
from planner.core.errors import NotFoundError, ValidationError
from planner.core.records import ContactRecord, ReferralRecord, TouchpointRecord
from planner.core.referrals import ReferralService
from planner.core.touchpoints import TouchpointService
from planner.core.validation import normalize_email, normalize_phone, normalize_url
from planner.core.vocab import HOW_MET, RELATIONSHIPS
from planner.db.errors import DatabaseBusyError, ReadOnlyDatabaseError, StorageError
from planner.ui.bus import Bus
from planner.ui.models.contact_history_models import (
    ReferralTableModel,
    TouchpointTableModel,
    date_text,
)
from planner.ui.tabs.base import ChangeFollower
from planner.ui.tasks import run_task
from planner.ui.widgets.contact_fields import (
    BirthdayEdit,
    ContactPicker,
    LabeledValuesEditor,
    NotesEdit,
    TagLineEdit,
    error_label,
    show_error,
)

# (contact id, changes, the copy the user edited) -> the saved record.
SaveCallback = Callable[[int, dict[str, Any], ContactRecord], ContactRecord]
PHOTO_SIZE = 72
NAME_PART_FIELDS = (
    ("name_prefix", "Prefix", 1),
    ("given_name", "Given name", 3),
    ("middle_name", "Middle", 2),
    ("family_name", "Family name", 3),
    ("name_suffix", "Suffix", 1),
)
LINE_FIELDS = (
    ("name", "&Name", "Full name"),
    ("organisation", "&Organisation", "Company, university, community…"),
    ("role", "&Role", "Job title"),
    ("industry", "&Industry", "e.g. Fintech"),
    ("location", "&Location", "City"),
    ("interests", "In&terests", "What they care about"),
)

log = logging.getLogger(__name__)


def _date_text(value: date | None) -> str:
    return date_text(value, long=True)


def times_text(count: int) -> str:
    return {0: "never", 1: "once", 2: "twice"}.get(count, f"{count} times")


def _table(name: str, accessible: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setAlternatingRowColors(True)
    return view


# A pause this long in typing saves the field (it also saves on leaving it, and on closing).
SAVE_DELAY_MS = 800
# A save refused because the database is busy or still being checked is tried again this
# often, this many times (the Retry link stays for later).
AUTO_RETRY_MS = 2000
AUTO_RETRIES = 15


class FormScrollArea(QScrollArea):
    """Scrolls the form up and down only, so it is never narrower than the form's widest row:
    otherwise the splitter could squeeze the pane and cut off the ✕ buttons at its right edge."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        widget = self.widget()
        if widget is None:
            return hint
        width = (
            widget.minimumSizeHint().width()
            + self.verticalScrollBar().sizeHint().width()
            + 2 * self.frameWidth()
        )
        return QSize(max(hint.width(), width), hint.height())


class ContactDetail(QWidget):
    """Shows one contact. Edits go through `save`, which validates, saves and makes undo steps."""

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
    ) -> None:
        super().__init__(parent)
        self.setObjectName("contactDetail")
        self.contacts = contacts
        self.touchpoints = touchpoints
        self.referrals = referrals
        self._save_callback = save
        self._name_of = name_of
        self.record: ContactRecord | None = None
        # Reads off the GUI thread: the newest wins; `reading` is True while one runs.
        self._generation = 0
        self.reading = False
        self._loading = False
        self.errors: dict[str, QLabel] = {}
        # Typing saves on a short pause, not only on leaving the field (a crash or a kill
        # mid-sentence must not lose it): the save each field is waiting to make.
        self._pending: dict[str, Callable[[], object]] = {}
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SAVE_DELAY_MS)
        self._debounce.timeout.connect(self.flush_pending_edits)
        # Saves that failed (busy, read-only, disk full), kept for the field's Retry link.
        self._failed: dict[str, Callable[[], object]] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("detailTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setObjectName("detailSummary")
        self.summary.setWordWrap(True)
        # The contact's photo, scaled here (core keeps the bytes as the file gave them).
        self.photo = QLabel()
        self.photo.setObjectName("detailPhoto")
        self.photo.setAccessibleName("Photo")
        self.photo.setFixedSize(PHOTO_SIZE, PHOTO_SIZE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setOpenExternalLinks(True)
        self.photo.setWordWrap(True)
        self.photo.hide()
        header = QHBoxLayout()
        header.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.summary)
        header.addLayout(titles, 1)
        outer.addLayout(header)

        buttons = QHBoxLayout()
        self.log_button = self._button("logTouchButton", "&Log touchpoint…", "Log a touchpoint")
        self.log_button.setToolTip("Log a call, meeting or message (Ctrl+L)")
        self.followup_button = self._button(
            "scheduleFollowUpButton", "Schedule &follow-up…", "Schedule follow-up"
        )
        self.referral_button = self._button(
            "addReferralButton", "Add &referral…", "Add a referral or introduction"
        )
        for button in (self.log_button, self.followup_button, self.referral_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        self.log_button.clicked.connect(self.log_touch_requested)
        self.followup_button.clicked.connect(self._on_followup_clicked)
        self.referral_button.clicked.connect(self.add_referral_requested)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("detailTabs")
        outer.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_profile(search), "&Profile")
        self.tabs.addTab(self._build_timeline(), "&Timeline")
        self.tabs.addTab(self._build_referrals(), "R&eferrals")

        self.placeholder = QLabel("Select a contact, or press Ctrl+N to add one.")
        self.placeholder.setObjectName("detailPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.placeholder)
        self._set_enabled(False)

    def _button(self, name: str, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        return button

    # --- building ---------------------------------------------------------------------

    def _field_row(self, form: QFormLayout, label: str, widget: QWidget, key: str) -> None:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        error = error_label(f"{key}Error")
        error.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        error.linkActivated.connect(lambda _link, k=key: self.retry_save(k))
        layout.addWidget(error)
        self.errors[key] = error
        form.addRow(label + ":", box)

    def _build_profile(self, search: Callable[[str], list[tuple[int, str]]]) -> QWidget:
        scroll = FormScrollArea()
        scroll.setObjectName("profileScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.line_edits: dict[str, QLineEdit] = {}
        self._add_line(form, *LINE_FIELDS[0])
        self._build_name_parts(form)
        for key, label, placeholder in LINE_FIELDS[1:4]:  # organisation, role, industry
            self._add_line(form, key, label, placeholder)

        self.relationship = QComboBox()
        self.relationship.setObjectName("relationshipCombo")
        self.relationship.setAccessibleName("Relationship")
        for key, label in RELATIONSHIPS.items():
            self.relationship.addItem(label, key)
        self.relationship.activated.connect(self._on_relationship_activated)
        self._field_row(form, "Relations&hip", self.relationship, "relationship")

        self.cadence = QSpinBox()
        self.cadence.setObjectName("cadenceSpin")
        self.cadence.setAccessibleName("Keep-in-touch cadence in days")
        self.cadence.setRange(0, MAX_CADENCE_DAYS)
        self.cadence.setSpecialValueText("No cadence")
        self.cadence.setPrefix("Every ")
        self.cadence.setSuffix(" days")
        self.cadence.setKeyboardTracking(False)
        self.cadence.valueChanged.connect(self._on_cadence_changed)
        self._field_row(form, "&Cadence", self.cadence, "cadence_days")

        self.emails = LabeledValuesEditor("emails", ["work", "home", "other"], "E-mail")
        self.phones = LabeledValuesEditor("phones", ["mobile", "work", "home", "other"], "Phone")
        self.urls = LabeledValuesEditor("urls", ["linkedin", "website", "other"], "Web address")
        for editor, label in (
            (self.emails, "E-mails"),
            (self.phones, "Phones"),
            (self.urls, "Links"),
        ):
            editor.edited.connect(lambda e=editor: self._on_list_edited(e))
            editor.set_check(lambda value, kind=editor.kind: self._value_problem(kind, value))
            self.errors[editor.kind] = editor.error
            form.addRow(label + ":", editor)

        self.tags = TagLineEdit()
        self.tags.setObjectName("tagsEdit")
        self.tags.setAccessibleName("Tags")
        self.tags.editingFinished.connect(self._on_tags_finished)
        self._field_row(form, "Ta&gs", self.tags, "tags")

        self.birthday = BirthdayEdit()
        self.birthday.edited.connect(self._on_birthday_edited)
        self._field_row(form, "&Birthday", self.birthday, "birthday")

        for key, label, placeholder in LINE_FIELDS[4:]:
            self._add_line(form, key, label, placeholder)

        self.how_met_kind = QComboBox()
        self.how_met_kind.setObjectName("howMetKindCombo")
        self.how_met_kind.setAccessibleName("How we met")
        for key, label in HOW_MET.items():
            self.how_met_kind.addItem(label, key)
        self.how_met_kind.activated.connect(
            lambda _i: self._save_if_changed("how_met_kind", self.how_met_kind.currentData())
        )
        self._field_row(form, "How we &met", self.how_met_kind, "how_met_kind")

        self.how_met_event = QComboBox()
        self.how_met_event.setObjectName("howMetEventCombo")
        self.how_met_event.setAccessibleName("Met at event")
        self.how_met_event.activated.connect(
            lambda _i: self._save_if_changed("how_met_event_id", self.how_met_event.currentData())
        )
        self._field_row(form, "At &event", self.how_met_event, "how_met_event_id")

        self.referred_by = ContactPicker(search, "referredByEdit", "Referred by")
        self.referred_by.picked.connect(
            lambda: self._save_if_changed("referred_by_id", self.referred_by.contact_id)
        )
        self._field_row(form, "Referred b&y", self.referred_by, "referred_by_id")

        self._add_line(form, "how_met_text", "Ho&w (details)", "e.g. sat next to each other")

        self.met_at = QListWidget()
        self.met_at.setObjectName("metAtEventsList")
        self.met_at.setAccessibleName("Met at events")
        self.met_at.setMaximumHeight(80)
        form.addRow("Met at events:", self.met_at)

        self.notes = NotesEdit()
        self.notes.setObjectName("notesEdit")
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(80)
        self.notes.editing_finished.connect(self._on_notes_finished)
        self.notes.textChanged.connect(self._on_notes_typed)
        self._field_row(form, "N&otes", self.notes, "notes")
        scroll.setWidget(page)
        return scroll

    def _build_name_parts(self, form: QFormLayout) -> None:
        """Prefix, given, middle, family, suffix on one row; nickname and phonetic below.

        The Name above is built from the parts unless the user typed their own; the check box
        says which, and ticking it again goes back to the parts."""
        row = QWidget()
        layout = QGridLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        # Given and family name first (the ones people fill), prefix/middle/suffix below.
        cells = {
            "given_name": (0, 0, 1, 3),
            "family_name": (0, 3, 1, 3),
            "name_prefix": (1, 0, 1, 2),
            "middle_name": (1, 2, 1, 2),
            "name_suffix": (1, 4, 1, 2),
        }
        for key, placeholder, _stretch in NAME_PART_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"{key}Edit")
            edit.setAccessibleName(placeholder)
            edit.setPlaceholderText(placeholder)
            edit.setToolTip(placeholder)
            edit.editingFinished.connect(lambda k=key, e=edit: self._finish_line(k, e))
            edit.textEdited.connect(lambda _text, k=key, e=edit: self._schedule_line(k, e))
            self.line_edits[key] = edit
            layout.addWidget(edit, *cells[key])
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(row)
        self.name_derived = QCheckBox("Name from these parts")
        self.name_derived.setObjectName("nameDerivedCheck")
        self.name_derived.setAccessibleName("Build the name from its parts")
        self.name_derived.setToolTip(
            "Ticked: the name above is the parts joined. Type another name above to use your "
            "own; tick this again to go back to the parts."
        )
        self.name_derived.clicked.connect(self._on_name_derived_clicked)
        column.addWidget(self.name_derived)
        error = error_label("namePartsError")
        column.addWidget(error)
        for key, _p, _s in NAME_PART_FIELDS:
            self.errors[key] = error
        self.errors["name_custom"] = error
        form.addRow("Name &parts:", box)
        self._add_line(form, "nickname", "Nic&kname", "What they like to be called")
        self._add_line(form, "phonetic_name", "Pronunciation", "How the name is said")

    def _on_name_derived_clicked(self, checked: bool) -> None:
        if self.record is None or self._loading:
            return
        if checked:
            self._save({"name_custom": False}, "name_custom")
        else:
            # Unticked: keep the current text as the user's own name.
            self._save({"name": self.record.name, "name_custom": True}, "name_custom")

    def _show_photo(self, record: ContactRecord) -> None:
        if record.photo:
            image = QImage.fromData(record.photo)
            if not image.isNull():
                ratio = self.devicePixelRatioF()
                pixmap = QPixmap.fromImage(
                    image.scaled(
                        int(PHOTO_SIZE * ratio),
                        int(PHOTO_SIZE * ratio),
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )
                pixmap.setDevicePixelRatio(ratio)
                self.photo.setPixmap(pixmap)
                self.photo.setToolTip(f"Photo ({len(record.photo) // 1024:,} KB)")
                self.photo.show()
                return
        self.photo.clear()
        if record.photo_url:
            url = html.escape(record.photo_url, quote=True)
            self.photo.setText(f'<a href="{url}">Photo (online)</a>')
            self.photo.setToolTip(record.photo_url)
            self.photo.show()
        else:
            self.photo.setToolTip("")
            self.photo.hide()

    def _add_line(self, form: QFormLayout, key: str, label: str, placeholder: str) -> None:
        edit = QLineEdit()
        edit.setObjectName(f"{key}Edit")
        edit.setAccessibleName(label.replace("&", ""))
        edit.setPlaceholderText(placeholder)
        edit.editingFinished.connect(lambda k=key, e=edit: self._finish_line(k, e))
        edit.textEdited.connect(lambda _text, k=key, e=edit: self._schedule_line(k, e))
        self.line_edits[key] = edit
        self._field_row(form, label, edit, key)

    def _build_timeline(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.balance = QLabel()
        self.balance.setObjectName("balanceLabel")
        self.balance.setWordWrap(True)
        layout.addWidget(self.balance)
        self.touch_model = TouchpointTableModel(self)
        self.timeline = _table("timelineView", "Touchpoint timeline")
        self.timeline.setModel(self.touch_model)
        self.timeline.doubleClicked.connect(lambda _i: self._on_touch_edit())
        layout.addWidget(self.timeline, 1)
        row = QHBoxLayout()
        self.touch_add = self._button("timelineLogButton", "Log…", "Log a touchpoint")
        self.touch_edit = self._button("timelineEditButton", "Edit…", "Edit touchpoint")
        self.touch_delete = self._button("timelineDeleteButton", "Delete", "Delete touchpoint")
        self.touch_add.clicked.connect(self.log_touch_requested)
        self.touch_edit.clicked.connect(self._on_touch_edit)
        self.touch_delete.clicked.connect(self._on_touch_delete)
        for button in (self.touch_add, self.touch_edit, self.touch_delete):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    def _build_referrals(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        hint = QLabel("Referrals and introductions, both ways: who helped whom.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.referral_model = ReferralTableModel(self, self._name_of)
        self.referral_view = _table("referralsView", "Referrals and introductions")
        self.referral_view.setModel(self.referral_model)
        self.referral_view.doubleClicked.connect(lambda _i: self._on_referral_edit())
        layout.addWidget(self.referral_view, 1)
        row = QHBoxLayout()
        add = self._button("referralAddButton", "Add…", "Add referral")
        edit = self._button("referralEditButton", "Edit…", "Edit referral")
        remove = self._button("referralDeleteButton", "Delete", "Delete referral")
        add.clicked.connect(self.add_referral_requested)
        edit.clicked.connect(self._on_referral_edit)
        remove.clicked.connect(self._on_referral_delete)
        for button in (add, edit, remove):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    # --- showing ----------------------------------------------------------------------

    def _set_enabled(self, enabled: bool) -> None:
        self.tabs.setVisible(enabled)
        self.placeholder.setVisible(not enabled)
        for button in (self.log_button, self.followup_button, self.referral_button):
            button.setVisible(enabled)
        self.summary.setVisible(enabled)
        if not enabled:
            self.title.setText("")

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

    def _show_event(self, event_id: int | None) -> None:
        self.how_met_event.setCurrentIndex(max(0, self.how_met_event.findData(event_id)))

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
        self.follower = ChangeFollower(self, bus, self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        if self.record is None:
            return
        if (
            self.record.id in changes.contacts
            or changes.all_of("contacts")
            or changes.all_of("touchpoints")
            or changes.touches("referrals", "events")
        ):
            self.refresh_in_background()

    def refresh_in_background(self) -> None:
        """Re-read the shown contact in one task off the GUI thread (after an edit)."""
        if self.record is None:
            return
        self._generation += 1
        generation, contact_id, db = self._generation, self.record.id, self.contacts.db
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

    def reload_history(self) -> None:
        self.refresh(changed_only=True)

    def refresh(self, changed_only: bool = False) -> None:
        """Reload the shown contact now (one read), e.g. after the list was reloaded."""
        if self.record is None:
            return
        self._generation += 1
        try:
            view = read_contact_view(self.contacts.db, self.record.id)
        except NotFoundError:
            self.clear()
            return
        self._show_view(view, changed_only)

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
            for editor in (self.emails, self.phones, self.urls):
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

    # --- saving -----------------------------------------------------------------------

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

    def _on_list_edited(self, editor: LabeledValuesEditor) -> None:
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

"""The contact detail pane's view: the widgets and their layout, nothing that reads or saves.

`ContactDetail` (contact_detail.py) is the controller: it subclasses this view, defines the
`_on_*` handlers the widgets are connected to here, and shows and saves the contact.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSize, Qt
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

from planner.core.contacts import MAX_CADENCE_DAYS
from planner.core.records import ContactRecord
from planner.core.visibility import VISIBILITY_LABELS
from planner.core.vocab import HOW_MET, RELATIONSHIPS
from planner.ui.models.contact_history_models import (
    ReferralTableModel,
    TouchpointTableModel,
    date_text,
)
from planner.ui.widgets.address_editor import AddressesEditor
from planner.ui.widgets.contact_fields import (
    BirthdayEdit,
    ContactPicker,
    LabeledValuesEditor,
    NotesEdit,
    TagLineEdit,
    error_label,
)
from planner.ui.widgets.row_list import select_rows

PHOTO_SIZE = 72

NAME_PART_FIELDS = (
    ("name_prefix", "Prefix", 1),
    ("given_name", "Given name", 3),
    ("middle_name", "Middle", 2),
    ("family_name", "Family name", 3),
    ("name_suffix", "Suffix", 1),
)
LINE_FIELDS = (
    ("name", "Na&me", "Full name"),
    ("organisation", "Organisation", "Company, university, community…"),
    ("role", "Role", "Job title"),
    ("industry", "Industry", "e.g. Fintech"),
    ("location", "Location", "City"),
    ("interests", "Interests", "What they care about"),
)


def _date_text(value: date | None) -> str:
    return date_text(value, long=True)


def times_text(count: int) -> str:
    return {0: "never", 1: "once", 2: "twice"}.get(count, f"{count} times")


def _table(name: str, accessible: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    select_rows(view)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setAlternatingRowColors(True)
    return view


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


class ContactDetailView(QWidget):
    """The pane's widgets. Building connects them to `_on_*` handlers of the controller."""

    # Set by the controller before `_build` (the panes need services it holds).
    notes_pane: QWidget
    followups_pane: QWidget
    _name_of: Callable[[int], str]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactDetail")
        # What is shown; the handlers check these, so they exist before any widget does.
        self.record: ContactRecord | None = None
        self._loading = False
        self.errors: dict[str, QLabel] = {}
        self.line_edits: dict[str, QLineEdit] = {}

    def _build(self, search: Callable[[str], list[tuple[int, str]]]) -> None:
        """Header, action buttons, open follow-ups, and the Profile/Timeline/Referrals/Notes
        tabs."""
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
            "scheduleFollowUpButton", "Schedule follow-&up…", "Schedule follow-up"
        )
        self.referral_button = self._button(
            "addReferralButton", "Add referral…", "Add a referral or introduction"
        )
        for button in (self.log_button, self.followup_button, self.referral_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        outer.addWidget(self.followups_pane)
        self.log_button.clicked.connect(self.log_touch_requested)
        self.followup_button.clicked.connect(self._on_followup_clicked)
        self.referral_button.clicked.connect(self.add_referral_requested)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("detailTabs")
        outer.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_profile(search), "&Profile")
        self.tabs.addTab(self._build_timeline(), "T&imeline")
        self.tabs.addTab(self._build_referrals(), "Referrals")
        self.tabs.addTab(self.notes_pane, "Notes")

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
        self._field_row(form, "Relationship", self.relationship, "relationship")

        self.cadence = QSpinBox()
        self.cadence.setObjectName("cadenceSpin")
        self.cadence.setAccessibleName("Keep-in-touch cadence in days")
        self.cadence.setRange(0, MAX_CADENCE_DAYS)
        self.cadence.setSpecialValueText("No cadence")
        self.cadence.setPrefix("Every ")
        self.cadence.setSuffix(" days")
        self.cadence.setKeyboardTracking(False)
        self.cadence.valueChanged.connect(self._on_cadence_changed)
        self._field_row(form, "Cadence", self.cadence, "cadence_days")

        # Team mode only (see ContactDetail.set_team_mode): who on the team sees the contact.
        self.visibility = QComboBox()
        self.visibility.setObjectName("visibilityCombo")
        self.visibility.setAccessibleName("Visible to")
        self.visibility.setToolTip(
            "Shared: everyone on the team database sees this contact. Private: only you."
        )
        for key in ("shared", "private"):
            self.visibility.addItem(VISIBILITY_LABELS[key], key)
        self.visibility.activated.connect(
            lambda _i: self._save_if_changed("visibility", self.visibility.currentData())
        )
        self._field_row(form, "Visible to", self.visibility, "visibility")
        self.visibility_label = form.labelForField(self.visibility.parentWidget())

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
        self.addresses = AddressesEditor()
        self.addresses.edited.connect(lambda: self._on_list_edited(self.addresses))
        self.errors["addresses"] = self.addresses.error
        form.addRow("Addresses:", self.addresses)

        self.tags = TagLineEdit()
        self.tags.setObjectName("tagsEdit")
        self.tags.setAccessibleName("Tags")
        self.tags.editingFinished.connect(self._on_tags_finished)
        self._field_row(form, "Tags", self.tags, "tags")

        self.birthday = BirthdayEdit()
        self.birthday.edited.connect(self._on_birthday_edited)
        self._field_row(form, "&Birthday", self.birthday, "birthday")

        for key, label, placeholder in LINE_FIELDS[4:]:
            self._add_line(form, key, label, placeholder)

        self._build_how_met(form, search)
        scroll.setWidget(page)
        return scroll

    def _build_how_met(
        self, form: QFormLayout, search: Callable[[str], list[tuple[int, str]]]
    ) -> None:
        """How we met (kind, event, referrer, details), events met at, and the notes."""
        self.how_met_kind = QComboBox()
        self.how_met_kind.setObjectName("howMetKindCombo")
        self.how_met_kind.setAccessibleName("How we met")
        for key, label in HOW_MET.items():
            self.how_met_kind.addItem(label, key)
        self.how_met_kind.activated.connect(
            lambda _i: self._save_if_changed("how_met_kind", self.how_met_kind.currentData())
        )
        self._field_row(form, "How we met", self.how_met_kind, "how_met_kind")

        self.how_met_event = QComboBox()
        self.how_met_event.setObjectName("howMetEventCombo")
        self.how_met_event.setAccessibleName("Met at event")
        self.how_met_event.activated.connect(
            lambda _i: self._save_if_changed("how_met_event_id", self.how_met_event.currentData())
        )
        self._field_row(form, "At event", self.how_met_event, "how_met_event_id")

        self.referred_by = ContactPicker(search, "referredByEdit", "Referred by")
        self.referred_by.picked.connect(
            lambda: self._save_if_changed("referred_by_id", self.referred_by.contact_id)
        )
        self._field_row(form, "Referred by", self.referred_by, "referred_by_id")

        self._add_line(form, "how_met_text", "How (details)", "e.g. sat next to each other")

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
        self._field_row(form, "Notes", self.notes, "notes")

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
        form.addRow("Name parts:", box)
        self._add_line(form, "nickname", "Nickname", "What they like to be called")
        self._add_line(form, "phonetic_name", "Pronunciation", "How the name is said")

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
            self.followups_pane.hide()

    def _show_event(self, event_id: int | None) -> None:
        self.how_met_event.setCurrentIndex(max(0, self.how_met_event.findData(event_id)))

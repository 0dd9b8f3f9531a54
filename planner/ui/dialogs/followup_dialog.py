"""The follow-up dialog: contact, due day and optional time with zone, channel, purpose, notes.

It returns a FollowUpDraft; the caller saves it (so the save is one undoable command).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, time
from zoneinfo import available_timezones

from PySide6.QtCore import QDate, QStringListModel, Qt, QTime, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from planner.core import scheduling
from planner.core.followups import ContactChoice, FollowUpDraft
from planner.core.records import FollowUpRecord
from planner.core.visibility import PRIVATE, SHARED, VISIBILITY_LABELS
from planner.core.vocab import CHANNELS, FOLLOWUP_ORIGINS
from planner.ui.dates import apply_date_format
from planner.ui.widgets.checked_date_edit import CheckedDateEdit, with_problem_label

ContactFinder = Callable[[str], list[ContactChoice]]


def system_zone_name() -> str:
    """The IANA name of the computer's zone, or "" when Qt cannot tell."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "ignore")
    return name if scheduling.is_known_zone(name) else ""


def _label(choice: ContactChoice) -> str:
    return f"{choice.name} — {choice.organisation}" if choice.organisation else choice.name


class FollowUpDialog(QDialog):
    """New or edit; `draft()` gives what was entered once accepted."""

    def __init__(
        self,
        find_contacts: ContactFinder,
        *,
        record: FollowUpRecord | None = None,
        contact: ContactChoice | None = None,
        due: date | None = None,
        team: Sequence[str] = (),
        me: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """`me` and `team` (names a follow-up can be given to) are set on a team database;
        then the dialog also asks whose it is and who may see it."""
        super().__init__(parent)
        self.setObjectName("followUpDialog")
        self.setWindowTitle("Edit follow-up" if record else "New follow-up")
        self.setAccessibleName(self.windowTitle())
        self._find = find_contacts
        self._choices: dict[str, ContactChoice] = {}
        self._contact = contact
        self._record = record

        form = QFormLayout()
        self._build_contact(form, contact)
        self._build_when(form, record, due)
        self._build_details(form, record)
        self._team_mode = bool(me)
        if self._team_mode:
            self._build_whose(form, record, team, me)

        self.error_label = QLabel()
        self.error_label.setObjectName("followUpError")
        self.error_label.setStyleSheet("color: #d0452f")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("followUpButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())
        (self.purpose_edit if contact is not None else self.contact_edit).setFocus()

    # --- building -------------------------------------------------------------------

    def _build_contact(self, form: QFormLayout, contact: ContactChoice | None) -> None:
        self.contact_edit = QLineEdit()
        self.contact_edit.setObjectName("followUpContact")
        self.contact_edit.setAccessibleName("Contact")
        self.contact_edit.setPlaceholderText("Type a name; leave empty for a reminder without one")
        self.contact_edit.setClearButtonEnabled(True)
        self._completions = QStringListModel(self)
        completer = QCompleter(self._completions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.activated.connect(self._on_completer_activated)
        self.contact_edit.setCompleter(completer)
        self.contact_edit.textEdited.connect(self._on_contact_edited)
        if contact is not None:
            self.contact_edit.setText(_label(contact))
            self._choices[_label(contact)] = contact
        form.addRow("&Contact:", self.contact_edit)

    def _build_when(
        self, form: QFormLayout, record: FollowUpRecord | None, due: date | None
    ) -> None:
        self.date_edit = CheckedDateEdit()
        self.date_edit.setObjectName("followUpDate")
        self.date_edit.setAccessibleName("Due date")
        apply_date_format(self.date_edit)
        start = record.due_date if record else (due or date.today())
        self.date_edit.setDate(QDate(start.year, start.month, start.day))
        form.addRow("&Due:", with_problem_label(self.date_edit, "followUpDateError"))

        time_row = QWidget()
        time_layout = QHBoxLayout(time_row)
        time_layout.setContentsMargins(0, 0, 0, 0)
        self.timed_check = QCheckBox("At a time")
        self.timed_check.setObjectName("followUpTimed")
        self.timed_check.setAccessibleName("Due at a time of day")
        self.time_edit = QTimeEdit()
        self.time_edit.setObjectName("followUpTime")
        self.time_edit.setAccessibleName("Due time")
        self.zone_combo = QComboBox()
        self.zone_combo.setObjectName("followUpTimeZone")
        self.zone_combo.setAccessibleName("Time zone")
        self.zone_combo.setEditable(True)
        self.zone_combo.addItems(sorted(available_timezones()))
        self.zone_combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone_combo.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.zone_combo.setMinimumContentsLength(18)
        time_layout.addWidget(self.timed_check)
        time_layout.addWidget(self.time_edit)
        time_layout.addWidget(self.zone_combo, 1)
        form.addRow("&Time:", time_row)
        zone_name = (record.time_zone if record and record.time_zone else "") or system_zone_name()
        self.zone_combo.setCurrentText(zone_name or "UTC")
        if record is not None and record.due_time is not None:
            self.timed_check.setChecked(True)
            self.time_edit.setTime(QTime(record.due_time.hour, record.due_time.minute))
        else:
            self.time_edit.setTime(QTime(9, 0))
        self.timed_check.toggled.connect(self._on_timed_toggled)
        self._on_timed_toggled(self.timed_check.isChecked())

    def _build_details(self, form: QFormLayout, record: FollowUpRecord | None) -> None:
        self.channel_combo = QComboBox()
        self.channel_combo.setObjectName("followUpChannel")
        self.channel_combo.setAccessibleName("Channel")
        self.channel_combo.addItem("Any", "")
        for key, label in CHANNELS.items():
            self.channel_combo.addItem(label, key)
        if record is not None:
            self.channel_combo.setCurrentIndex(max(0, self.channel_combo.findData(record.channel)))
        form.addRow("C&hannel:", self.channel_combo)

        self.purpose_edit = QLineEdit()
        self.purpose_edit.setObjectName("followUpPurpose")
        self.purpose_edit.setAccessibleName("Purpose")
        self.purpose_edit.setPlaceholderText("e.g. send the slides from the talk")
        if record is not None:
            self.purpose_edit.setText(record.purpose)
        form.addRow("&Purpose:", self.purpose_edit)

        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("followUpNotes")
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(80)
        if record is not None:
            self.notes_edit.setPlainText(record.notes)
        form.addRow("&Notes:", self.notes_edit)

        if record is not None:
            origin = QLabel(FOLLOWUP_ORIGINS.get(record.origin, record.origin))
            origin.setObjectName("followUpOrigin")
            form.addRow("Origin:", origin)

    def _build_whose(
        self, form: QFormLayout, record: FollowUpRecord | None, team: Sequence[str], me: str
    ) -> None:
        self.owner_combo = QComboBox()
        self.owner_combo.setObjectName("followUpOwner")
        self.owner_combo.setAccessibleName("Owner: who is to do it")
        self.owner_combo.setEditable(True)
        self.owner_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        names = list(dict.fromkeys([me, *team]))
        for name in names:
            self.owner_combo.addItem(f"{name} (me)" if name == me else name, name)
        owner = (record.owner or record.created_by) if record is not None else me
        index = self.owner_combo.findData(owner)
        if index < 0 and owner:
            self.owner_combo.addItem(owner, owner)
            index = self.owner_combo.count() - 1
        self.owner_combo.setCurrentIndex(max(0, index))
        form.addRow("O&wner:", self.owner_combo)

        self.visibility_combo = QComboBox()
        self.visibility_combo.setObjectName("followUpVisibility")
        self.visibility_combo.setAccessibleName("Who may see it")
        for key in (SHARED, PRIVATE):
            self.visibility_combo.addItem(VISIBILITY_LABELS[key], key)
        self.visibility_combo.setToolTip(
            "Private: only you and its owner see it, in the calendar and in exports."
        )
        current = record.visibility if record is not None else SHARED
        self.visibility_combo.setCurrentIndex(max(0, self.visibility_combo.findData(current)))
        form.addRow("&Visible to:", self.visibility_combo)

    def owner(self) -> str | None:
        """Who is to do it (None outside team mode: the service decides)."""
        if not self._team_mode:
            return None
        text = self.owner_combo.currentText().strip()
        index = self.owner_combo.findText(text)
        data = self.owner_combo.itemData(index) if index >= 0 else None
        return str(data) if data else text

    def visibility(self) -> str | None:
        return str(self.visibility_combo.currentData()) if self._team_mode else None

    # --- contact picking ------------------------------------------------------------

    def _on_contact_edited(self, text: str) -> None:
        self._contact = None
        choices = self._find(text.strip()) if text.strip() else []
        self._choices = {_label(c): c for c in choices}
        self._completions.setStringList(list(self._choices))
        exact = self._choices.get(text.strip())
        if exact is None and len(choices) == 1 and choices[0].name.casefold() == text.casefold():
            exact = choices[0]
        self._contact = exact

    def _on_completer_activated(self, text: str) -> None:
        self._contact = self._choices.get(text)

    def set_contact(self, choice: ContactChoice | None) -> None:
        self._contact = choice
        self.contact_edit.setText(_label(choice) if choice else "")
        if choice is not None:
            self._choices[_label(choice)] = choice

    def contact(self) -> ContactChoice | None:
        return self._contact

    def _on_timed_toggled(self, on: bool) -> None:
        self.time_edit.setEnabled(on)
        self.zone_combo.setEnabled(on)

    # --- result ---------------------------------------------------------------------

    def draft(self) -> FollowUpDraft:
        qd = self.date_edit.date()
        qt = self.time_edit.time()
        timed = self.timed_check.isChecked()
        contact_id: int | None
        if self._contact is not None:
            contact_id = self._contact.id
        elif self._record is not None and self.contact_edit.text().strip():
            contact_id = self._record.contact_id
        else:
            contact_id = None
        return FollowUpDraft(
            contact_id=contact_id,
            due_date=date(qd.year(), qd.month(), qd.day()),
            due_time=time(qt.hour(), qt.minute()) if timed else None,
            time_zone=self.zone_combo.currentText().strip() if timed else "",
            channel=str(self.channel_combo.currentData() or ""),
            purpose=self.purpose_edit.text().strip(),
            notes=self.notes_edit.toPlainText(),
            origin=self._record.origin if self._record else "manual",
            event_id=self._record.event_id if self._record else None,
            owner=self.owner(),
            visibility=self.visibility(),
        )

    def problem(self) -> str:
        """What stops saving, in words, or ""."""
        if self.date_edit.problem():
            return self.date_edit.problem()
        text = self.contact_edit.text().strip()
        if text and self.draft().contact_id is None:
            return f"No contact matches “{text}”. Pick one from the list or clear the field."
        draft = self.draft()
        if draft.contact_id is None and not draft.purpose:
            return "Say what the follow-up is for when no contact is chosen."
        if draft.owner is not None and not draft.owner:
            return "Say who is to do it (the owner), or pick yourself."
        if draft.due_time is not None and not scheduling.is_known_zone(draft.time_zone):
            return f"“{draft.time_zone}” is not a known time zone."
        return ""

    def show_save_problem(self, message: str) -> None:
        """Say why saving failed (the database refused); what was typed stays, OK retries."""
        self.error_label.setText(f"Not saved: {message}")
        self.error_label.show()

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error_label.setText(problem)
            self.error_label.show()
            return
        super().accept()

"""Editors used by the contact detail pane: labelled values, birthday, tags, contact picker."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.records import LabeledValue
from planner.core.validation import MIN_BIRTH_YEAR
from planner.ui.dates import apply_date_format

ERROR_STYLE = "color: #c0392b;"


def error_label(name: str) -> QLabel:
    """The message beside a field; hidden while there is nothing wrong."""
    label = QLabel()
    label.setObjectName(name)
    label.setAccessibleName("Error message")
    label.setWordWrap(True)
    # Text from the top: a form row can be taller than the wrapped text needs.
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def set_date_format(edit: QDateEdit) -> None:
    """The locale's date format, or ISO when there is no real locale (C/POSIX)."""
    apply_date_format(edit)


def show_error(label: QLabel, message: str, rich: bool = False) -> None:
    """Show (or hide, with "") the message below a field; `rich` for a Retry link."""
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setText(message)
    label.setVisible(bool(message))


class NotesEdit(QPlainTextEdit):
    """Multi-line text that reports when the user leaves it, so it saves like a line edit."""

    editing_finished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editing_finished.emit()


class LabeledValuesEditor(QWidget):
    """Several e-mails, phones or URLs, each with a label; `edited` fires when one is done."""

    edited = Signal()

    def __init__(
        self,
        kind: str,
        labels: Sequence[str],
        placeholder: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self._labels = list(labels)
        self._placeholder = placeholder
        self._rows: list[tuple[QWidget, QComboBox, QLineEdit]] = []
        # Each row's "preferred" toggle (vCard pref), kept so a save never drops the mark.
        self._prefs: dict[QLineEdit, QToolButton] = {}
        self._check: Callable[[str], str] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(4)
        layout.addLayout(self._rows_box)
        self.add_button = QPushButton(f"Add {placeholder.lower()}")
        self.add_button.setObjectName(f"{kind}AddButton")
        self.add_button.setAccessibleName(f"Add {placeholder.lower()}")
        self.add_button.clicked.connect(self._on_add_clicked)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.error = error_label(f"{kind}Error")
        layout.addWidget(self.error)

    def set_values(self, values: Sequence[LabeledValue]) -> None:
        while self._rows:
            widget, _, _ = self._rows.pop()
            widget.setParent(None)
            widget.deleteLater()
        self._prefs.clear()
        for value in values:
            self._add_row(value.label, value.value, value.pref)
        show_error(self.error, "")

    def values(self) -> list[LabeledValue]:
        return [
            LabeledValue(
                combo.currentText().strip(), edit.text().strip(), self._prefs[edit].isChecked()
            )
            for _, combo, edit in self._rows
            if edit.text().strip()
        ]

    def value_edits(self) -> list[QLineEdit]:
        return [edit for _, _, edit in self._rows]

    def _add_row(self, label: str, value: str, pref: bool = False) -> QLineEdit:
        widget = QWidget()
        widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(widget)
        row.setContentsMargins(0, 0, 0, 0)
        index = len(self._rows)
        combo = QComboBox()
        combo.setEditable(True)
        combo.addItems(self._labels)
        combo.setCurrentText(label)
        combo.setObjectName(f"{self.kind}Label{index}")
        combo.setAccessibleName(f"{self._placeholder} label")
        combo.setMinimumContentsLength(6)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        edit = QLineEdit(value)
        edit.setCursorPosition(0)
        edit.setObjectName(f"{self.kind}Value{index}")
        edit.setAccessibleName(self._placeholder)
        edit.setPlaceholderText(self._placeholder)
        star = QToolButton()
        star.setCheckable(True)
        star.setChecked(pref)
        star.setText("★" if pref else "☆")
        star.setObjectName(f"{self.kind}Pref{index}")
        star.setAccessibleName(f"Preferred {self._placeholder.lower()}")
        star.setToolTip(f"Preferred {self._placeholder.lower()} (written as such on export)")
        self._prefs[edit] = star
        remove = QToolButton()
        remove.setText("✕")
        remove.setObjectName(f"{self.kind}Remove{index}")
        remove.setAccessibleName(f"Remove {self._placeholder.lower()}")
        remove.setToolTip(f"Remove this {self._placeholder.lower()}")
        row.addWidget(combo)
        row.addWidget(edit, 1)
        row.addWidget(star)
        row.addWidget(remove)
        self._rows_box.addWidget(widget)
        entry = (widget, combo, edit)
        self._rows.append(entry)
        edit.editingFinished.connect(self._on_value_finished)
        edit.textEdited.connect(self._on_text_edited)
        combo.activated.connect(lambda _i: self.edited.emit())
        star.toggled.connect(lambda on, e=edit: self._on_pref_toggled(e, on))
        remove.clicked.connect(lambda _c=False, e=entry: self._remove(e))
        return edit

    def _on_pref_toggled(self, edit: QLineEdit, on: bool) -> None:
        # One preferred value at most: marking one unmarks the others.
        for other, star in self._prefs.items():
            if on and other is not edit and star.isChecked():
                star.blockSignals(True)
                star.setChecked(False)
                star.blockSignals(False)
            star.setText("★" if star.isChecked() else "☆")
        self.edited.emit()

    def _on_value_finished(self) -> None:
        self.edited.emit()

    def set_check(self, check: Callable[[str], str]) -> None:
        """`check(value)` says what is wrong with a value ("" when fine)."""
        self._check = check

    def _on_text_edited(self, _text: str) -> None:
        # A message about a value goes as soon as the value is right, not when the field is
        # left: the user sees at once that the correction worked. (It never appears while
        # typing: that would nag before the address is finished.)
        if not self.error.isVisible() or self._check is None:
            return
        values = [edit.text() for _, _, edit in self._rows if edit.text().strip()]
        if not any(self._check(value) for value in values):
            show_error(self.error, "")

    def _on_add_clicked(self) -> None:
        edit = self._add_row(self._labels[0] if self._labels else "", "")
        edit.setFocus()

    def _remove(self, entry: tuple[QWidget, QComboBox, QLineEdit]) -> None:
        if entry in self._rows:
            self._rows.remove(entry)
            self._prefs.pop(entry[2], None)
            entry[0].setParent(None)
            entry[0].deleteLater()
            self.edited.emit()


class PlaceholderSpinBox(QSpinBox):
    """A spin box whose special value ("Day") gives way to the first digit typed.

    Qt would insert the digit into the word "Day" and refuse it, so typing did nothing until
    the user selected the text first.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.text().isdigit()
            and self.specialValueText()
            and self.value() == self.minimum()
            and self.text() == self.specialValueText()
        ):
            self.lineEdit().selectAll()
        super().keyPressEvent(event)


class BirthdayEdit(QWidget):
    """Day and month, with the year optional ("Year unknown")."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.day = PlaceholderSpinBox()
        self.day.setObjectName("birthdayDay")
        self.day.setAccessibleName("Birthday day")
        self.day.setRange(0, 31)
        self.day.setSpecialValueText("Day")
        self.month = QComboBox()
        self.month.setObjectName("birthdayMonth")
        self.month.setAccessibleName("Birthday month")
        self.month.addItem("Month", None)
        for number in range(1, 13):
            self.month.addItem(calendar.month_name[number], number)
        self.year = PlaceholderSpinBox()
        self.year.setObjectName("birthdayYear")
        self.year.setAccessibleName("Birthday year")
        # The minimum is the "Year unknown" placeholder, one below the first valid year.
        self.year.setRange(MIN_BIRTH_YEAR - 1, date.today().year)
        self.year.setSpecialValueText("Year unknown")
        self.year.setValue(self.year.minimum())
        for spin in (self.day, self.year):
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(self._on_changed)
        self.month.activated.connect(self._on_changed)
        self.clear_button = QToolButton()
        self.clear_button.setText("✕")
        self.clear_button.setObjectName("birthdayClear")
        self.clear_button.setAccessibleName("Clear birthday")
        self.clear_button.setToolTip("No birthday")
        self.clear_button.clicked.connect(self._on_clear)
        layout.addWidget(self.day)
        layout.addWidget(self.month)
        layout.addWidget(self.year)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)
        self._loading = False

    def set_value(self, month: int | None, day: int | None, year: int | None) -> None:
        self._loading = True
        try:
            self.day.setValue(day or 0)
            self.month.setCurrentIndex(month or 0)
            self.year.setValue(year or self.year.minimum())
        finally:
            self._loading = False

    def value(self) -> tuple[int | None, int | None, int | None]:
        """(month, day, year) with None for what is not set."""
        day = self.day.value() or None
        month = self.month.currentData()
        year = self.year.value()
        return month, day, (None if year == self.year.minimum() else year)

    def _on_changed(self, *_args: object) -> None:
        if not self._loading:
            self.edited.emit()

    def _on_clear(self) -> None:
        self.set_value(None, None, None)
        self.edited.emit()


class _LastTokenCompleter(QCompleter):
    """Completes the tag being typed after the last comma."""

    def splitPath(self, path: str) -> list[str]:
        return [path.split(",")[-1].strip()]

    def pathFromIndex(self, index: object) -> str:
        chosen = str(super().pathFromIndex(index))  # type: ignore[arg-type]
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        head = [t.strip() for t in text.split(",")[:-1] if t.strip()]
        return ", ".join([*head, chosen]) + ", "


class TagLineEdit(QLineEdit):
    """Comma-separated tags with completion from the tags already in use."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = QStringListModel(self)
        completer = _LastTokenCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self.setPlaceholderText("e.g. fintech, speaker")

    def set_known_tags(self, tags: Sequence[str]) -> None:
        self._model.setStringList(list(tags))

    def set_tags(self, tags: Sequence[str]) -> None:
        self.setText(", ".join(tags))

    def tags(self) -> list[str]:
        return [t.strip() for t in self.text().split(",") if t.strip()]


class ContactPicker(QWidget):
    """Type part of a name, pick from the matches; `search(text)` returns (id, label) pairs."""

    picked = Signal()

    def __init__(
        self,
        search: Callable[[str], list[tuple[int, str]]],
        name: str,
        accessible: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self.contact_id: int | None = None
        self._labels: dict[str, int] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setObjectName(name)
        self.edit.setAccessibleName(accessible)
        self.edit.setPlaceholderText("Type a name…")
        self.clear_button = QToolButton()
        self.clear_button.setText("✕")
        self.clear_button.setObjectName(f"{name}Clear")
        self.clear_button.setAccessibleName(f"Clear {accessible.lower()}")
        self.clear_button.setToolTip("Nobody")
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.clear_button)
        self._model = QStringListModel(self)
        self.completer = QCompleter(self._model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.edit.setCompleter(self.completer)
        self.edit.textEdited.connect(self._on_text_edited)
        self.completer.activated[str].connect(self._on_activated)
        self.clear_button.clicked.connect(self._on_clear)
        self.edit.editingFinished.connect(self._on_editing_finished)

    def set_contact(self, contact_id: int | None, label: str) -> None:
        self.contact_id = contact_id
        self.edit.setText(label if contact_id is not None else "")

    def _on_text_edited(self, text: str) -> None:
        matches = self._search(text)
        self._labels = {label: cid for cid, label in matches}
        self._model.setStringList([label for _, label in matches])

    def _on_activated(self, label: str) -> None:
        cid = self._labels.get(label)
        if cid is not None:
            self.contact_id = cid
            self.edit.setText(label)
            self.picked.emit()

    def _on_clear(self) -> None:
        if self.contact_id is not None:
            self.contact_id = None
            self.edit.clear()
            self.picked.emit()

    def _on_editing_finished(self) -> None:
        text = self.edit.text().strip()
        if not text and self.contact_id is not None:
            self._on_clear()
        elif text in self._labels and self._labels[text] != self.contact_id:
            self._on_activated(text)

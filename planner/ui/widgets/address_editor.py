"""Editor for a contact's postal addresses: ordered, each with a type and a preferred mark."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.records import PostalAddress
from planner.ui.widgets.contact_fields import error_label, show_error

ADDRESS_TYPES = ("home", "work", "other")
# (PostalAddress attribute, placeholder, accessible name) of the one-line parts.
_LINE_PARTS = (
    ("extended", "Building, suite", "Address extra line"),
    ("po_box", "PO box", "PO box"),
    ("locality", "City", "City"),
    ("region", "Region", "Region or state"),
    ("postal_code", "Postcode", "Postcode"),
    ("country", "Country", "Country"),
)


class _StreetEdit(QPlainTextEdit):
    """Street lines (an address may have several); reports when the user leaves it."""

    editing_finished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editing_finished.emit()


class _AddressRow(QWidget):
    changed = Signal()
    remove_requested = Signal()

    def __init__(self, index: int, address: PostalAddress, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 6)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(4)
        self.label = QComboBox()
        self.label.setEditable(True)
        self.label.addItems(ADDRESS_TYPES)
        self.label.setCurrentText(address.label)
        self.label.setObjectName(f"addressLabel{index}")
        self.label.setAccessibleName("Address type")
        self.label.setMinimumContentsLength(6)
        self.label.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.pref = QToolButton()
        self.pref.setCheckable(True)
        self.pref.setChecked(address.pref)
        self.pref.setText("★" if address.pref else "☆")
        self.pref.setObjectName(f"addressPref{index}")
        self.pref.setAccessibleName("Preferred address")
        self.pref.setToolTip("Preferred address (written as such on export)")
        remove = QToolButton()
        remove.setText("✕")
        remove.setObjectName(f"addressRemove{index}")
        remove.setAccessibleName("Remove address")
        remove.setToolTip("Remove this address")
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.label, 1)
        head.addWidget(self.pref)
        head.addWidget(remove)
        grid.addLayout(head, 0, 0, 1, 2)
        self.street = _StreetEdit()
        self.street.setPlainText(address.street)
        self.street.setObjectName(f"addressStreet{index}")
        self.street.setAccessibleName("Street")
        self.street.setPlaceholderText("Street (one line each)")
        self.street.setTabChangesFocus(True)
        lines = self.street.fontMetrics().lineSpacing()
        self.street.setFixedHeight(lines * 2 + 14)
        grid.addWidget(self.street, 1, 0, 1, 2)
        self.parts: dict[str, QLineEdit] = {}
        for n, (key, placeholder, accessible) in enumerate(_LINE_PARTS):
            edit = QLineEdit(getattr(address, key))
            edit.setCursorPosition(0)
            edit.setObjectName(f"address{key.title().replace('_', '')}{index}")
            edit.setPlaceholderText(placeholder)
            edit.setAccessibleName(accessible)
            edit.setMinimumWidth(40)
            edit.editingFinished.connect(self._on_part_finished)
            self.parts[key] = edit
            grid.addWidget(edit, 2 + n // 2, n % 2)
        self.street.editing_finished.connect(self._on_part_finished)
        self.label.activated.connect(lambda _i: self.changed.emit())
        self.pref.toggled.connect(self._on_pref_toggled)
        remove.clicked.connect(lambda _c=False: self.remove_requested.emit())

    def value(self) -> PostalAddress:
        parts = {key: edit.text().strip() for key, edit in self.parts.items()}
        street = "\n".join(x.strip() for x in self.street.toPlainText().splitlines() if x.strip())
        return PostalAddress(
            label=self.label.currentText().strip(),
            street=street,
            pref=self.pref.isChecked(),
            **parts,
        )

    def set_pref(self, on: bool) -> None:
        self.pref.blockSignals(True)
        self.pref.setChecked(on)
        self.pref.setText("★" if on else "☆")
        self.pref.blockSignals(False)

    def _on_part_finished(self) -> None:
        self.changed.emit()

    def _on_pref_toggled(self, on: bool) -> None:
        self.pref.setText("★" if on else "☆")
        self.changed.emit()


class AddressesEditor(QWidget):
    """The contact's addresses in order; `edited` fires when one is done. One preferred at most:
    marking one unmarks the others."""

    edited = Signal()
    kind = "addresses"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_AddressRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(4)
        layout.addLayout(self._rows_box)
        self.add_button = QPushButton("Add address")
        self.add_button.setObjectName("addressesAddButton")
        self.add_button.setAccessibleName("Add address")
        self.add_button.clicked.connect(self._on_add_clicked)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.error = error_label("addressesError")
        layout.addWidget(self.error)

    def set_values(self, values: Sequence[PostalAddress]) -> None:
        while self._rows:
            row = self._rows.pop()
            row.setParent(None)
            row.deleteLater()
        for value in values:
            self._add_row(value)
        show_error(self.error, "")

    def values(self) -> list[PostalAddress]:
        return [v for v in (row.value() for row in self._rows) if not v.is_empty()]

    def rows(self) -> list[_AddressRow]:
        return list(self._rows)

    def _add_row(self, address: PostalAddress) -> _AddressRow:
        row = _AddressRow(len(self._rows), address)
        self._rows_box.addWidget(row)
        self._rows.append(row)
        row.changed.connect(lambda r=row: self._on_row_changed(r))
        row.remove_requested.connect(lambda r=row: self._remove(r))
        return row

    def _on_row_changed(self, row: _AddressRow) -> None:
        if row.pref.isChecked():
            for other in self._rows:
                if other is not row:
                    other.set_pref(False)
        self.edited.emit()

    def _on_add_clicked(self) -> None:
        row = self._add_row(PostalAddress(label=ADDRESS_TYPES[0]))
        row.street.setFocus()

    def _remove(self, row: _AddressRow) -> None:
        if row in self._rows:
            self._rows.remove(row)
            row.setParent(None)
            row.deleteLater()
            self.edited.emit()

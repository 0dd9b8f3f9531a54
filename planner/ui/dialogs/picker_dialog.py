"""Pick one or more items from a searchable list (contacts, events, touchpoints,
organisations); the search runs in a service, so huge lists stay fast."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

Search = Callable[[str], list[tuple[int, str]]]


class PickerDialog(QDialog):
    def __init__(
        self,
        title: str,
        search: Search,
        parent: QWidget | None = None,
        *,
        multi: bool = True,
        hint: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pickerDialog")
        self.setWindowTitle(title)
        self.resize(520, 480)
        self._search = search
        layout = QVBoxLayout(self)
        if hint:
            label = QLabel(hint)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("pickerFilter")
        self.filter_edit.setAccessibleName("Type to filter")
        self.filter_edit.setPlaceholderText("Type to filter…")
        self.filter_edit.setClearButtonEnabled(True)
        layout.addWidget(self.filter_edit)
        self.list = QListWidget()
        self.list.setObjectName("pickerList")
        self.list.setAccessibleName(title)
        self.list.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
            if multi
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("pickerButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._refill)
        self.filter_edit.textChanged.connect(lambda _t: self._timer.start())
        self.filter_edit.returnPressed.connect(self._on_filter_return)
        self._refill()

    def _refill(self) -> None:
        self.list.clear()
        for item_id, label in self._search(self.filter_edit.text()):
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, item_id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _on_filter_return(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._refill()
        self.list.setFocus()

    def selected_ids(self) -> list[int]:
        return [int(item.data(Qt.ItemDataRole.UserRole)) for item in self.list.selectedItems()]


def pick_items(
    parent: QWidget | None, title: str, search: Search, *, multi: bool = True, hint: str = ""
) -> list[int]:
    """Show the picker; the chosen ids, or [] when cancelled (tests patch this)."""
    dialog = PickerDialog(title, search, parent, multi=multi, hint=hint)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return []
    return dialog.selected_ids()

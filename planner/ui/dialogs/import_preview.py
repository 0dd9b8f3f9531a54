"""The import preview's table: one row per line of the file, what will happen to it, and the
per-duplicate choice (merge, skip, import as new) edited in place."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from planner.core.importer import CHOICES, MERGE, ImportPreview

STATUS_LABELS = {
    "new": "New",
    "duplicate": "Duplicate",
    "possible": "Possible duplicate",
    "same": "Same person",
    "error": "Error",
}
RowRole = Qt.ItemDataRole.UserRole + 1
ChoiceRole = Qt.ItemDataRole.UserRole + 2


class ImportPreviewModel(QAbstractTableModel):
    COL_LINE, COL_NAME, COL_ORG, COL_EMAIL, COL_STATUS, COL_ACTION, COL_DETAIL = range(7)
    HEADERS = (
        "Line",
        "Name",
        "Organisation",
        "E-mail",
        "Status",
        "Action",
        "Existing contact / why",
    )

    choices_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.preview: ImportPreview | None = None
        self.choices: dict[int, str] = {}
        self._rows_of_group: dict[int, list[int]] = {}

    def set_preview(self, preview: ImportPreview | None) -> None:
        self.beginResetModel()
        self.preview = preview
        self.choices = preview.default_choices() if preview else {}
        self._rows_of_group = {}
        if preview:
            for i, row in enumerate(preview.rows):
                if row.group >= 0:
                    self._rows_of_group.setdefault(row.group, []).append(i)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.preview is None:
            return 0
        return len(self.preview.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def _is_duplicate(self, group: int) -> bool:
        assert self.preview is not None
        return group >= 0 and self.preview.groups[group].existing_id is not None

    def action_text(self, row_index: int) -> str:
        assert self.preview is not None
        row = self.preview.rows[row_index]
        if row.status == "error":
            return "Left out"
        if row.status == "same":
            return f"Combined with line {self.preview.groups[row.group].lines[0]}"
        if not self._is_duplicate(row.group):
            return "Add"
        return CHOICES[self.choices.get(row.group, MERGE)]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or self.preview is None:
            return None
        row = self.preview.rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == self.COL_LINE:
                return str(row.line) if role == Qt.ItemDataRole.DisplayRole else None
            if col == self.COL_NAME:
                return row.name
            if col == self.COL_ORG:
                return row.organisation
            if col == self.COL_EMAIL:
                return row.email
            if col == self.COL_STATUS:
                return STATUS_LABELS.get(row.status, row.status)
            if col == self.COL_ACTION:
                text = self.action_text(index.row())
                if role == Qt.ItemDataRole.ToolTipRole and self._is_duplicate(row.group):
                    return f"{text} (double-click or F2 to choose: merge, skip, import as new)"
                return text
            if col == self.COL_DETAIL:
                if row.problems:
                    # Bad values are named against their row; they go to the notes.
                    kept = "; ".join(row.problems) + " — kept in the notes"
                    return f"{row.detail}; {kept}" if row.detail else kept[:1].upper() + kept[1:]
                return row.detail
        if role == Qt.ItemDataRole.EditRole and col == self.COL_ACTION:
            return self.choices.get(row.group, MERGE)
        if role == Qt.ItemDataRole.ForegroundRole and row.status == "error":
            return QColor("#d9534f") if _is_dark() else QColor("#b3261e")
        if role == Qt.ItemDataRole.ForegroundRole and row.problems and col == self.COL_DETAIL:
            return QColor("#f0ad4e") if _is_dark() else QColor("#8a5300")
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_LINE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == RowRole:
            return row
        if role == ChoiceRole:
            return self.choices.get(row.group) if self._is_duplicate(row.group) else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid() or self.preview is None:
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self.preview.rows[index.row()]
        if (
            index.column() == self.COL_ACTION
            and row.status in ("duplicate", "possible")
            and self._is_duplicate(row.group)
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable)
            or value not in CHOICES
            or self.preview is None
        ):
            return False
        self.set_choice(self.preview.rows[index.row()].group, str(value))
        return True

    def set_choice(self, group: int, choice: str) -> None:
        """One choice per duplicate group: every row of the group shows it."""
        if self.choices.get(group) == choice:
            return
        self.choices[group] = choice
        for i in self._rows_of_group.get(group, []):
            cell = self.index(i, self.COL_ACTION)
            self.dataChanged.emit(cell, cell)
        self.choices_changed.emit()

    def set_all_duplicates(self, choice: str) -> None:
        if self.preview is None:
            return
        for group in self.preview.groups:
            if group.existing_id is not None:
                self.choices[group.index] = choice
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, self.COL_ACTION), self.index(self.rowCount() - 1, self.COL_ACTION)
            )
        self.choices_changed.emit()


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _is_dark() -> bool:
    palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box for the per-duplicate choice (merge / skip / import as new)."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("duplicateChoiceCombo")
        combo.setAccessibleName("What to do with this duplicate")
        for key, label in CHOICES.items():
            combo.addItem(label, key)
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        pos = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(0, pos))

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractTableModel,  # type: ignore[override]
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)

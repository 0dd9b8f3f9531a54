"""The table model behind the Events tab's list of event plans."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from planner.core.events import EventListRow
from planner.core.vocab import EVENT_STATUSES, EVENT_TYPES
from planner.ui.widgets.event_common import format_when

Index = QModelIndex | QPersistentModelIndex


class EventTableModel(QAbstractTableModel):
    COL_NAME, COL_WHEN, COL_TYPE, COL_STATUS, COL_MET = range(5)
    HEADERS = ("Event", "When", "Type", "Status", "Met")
    RowRole = Qt.ItemDataRole.UserRole + 1
    IdRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[EventListRow] = []

    def set_rows(self, rows: list[EventListRow]) -> None:
        """Same events in the same order: update in place, so selection and clicks survive."""
        if [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = list(rows)
            if rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(rows) - 1, len(self.HEADERS) - 1)
                )
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> EventListRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, event_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.id == event_id:
                return i
        return -1

    def texts(self, column: int, limit: int) -> list[str]:
        """The first `limit` rows' text in `column` (to fit its width without Qt asking
        data() a dozen roles per cell)."""
        index = self.index
        return [
            str(self.data(index(row, column)) or "") for row in range(min(limit, len(self._rows)))
        ]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_NAME:
                return row.name
            if col == self.COL_WHEN:
                return format_when(row.starts_local, None, all_day=True)
            if col == self.COL_TYPE:
                return EVENT_TYPES.get(row.event_type, row.event_type)
            if col == self.COL_STATUS:
                return EVENT_STATUSES.get(row.status, row.status)
            if col == self.COL_MET:
                return str(row.met_count) if row.met_count else ""
        elif role == Qt.ItemDataRole.ToolTipRole:
            parts = [row.name, format_when(row.starts_local, row.ends_local, row.time_zone)]
            if row.venue or row.url:
                parts.append(row.venue or row.url)
            return "\n".join(parts)
        elif role == Qt.ItemDataRole.ForegroundRole and not row.upcoming:
            # Placeholder text is the palette's readable "secondary" colour in light and dark.
            return QApplication.palette().brush(
                QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText
            )
        elif role == Qt.ItemDataRole.FontRole and row.upcoming and col == self.COL_NAME:
            font = QFont()
            font.setBold(True)
            return font
        elif role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_MET:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == self.RowRole:
            return row
        elif role == self.IdRole:
            return row.id
        return None

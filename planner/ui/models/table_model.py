"""One base for the app's table models: the header and column boilerplate lives here once.

A subclass names its columns in `HEADERS` (with `COL_*` constants for the positions), says
how many rows it has in `row_total()` and answers `data()`; rowCount/columnCount return 0 for
a valid parent (a flat table has no children), which Qt's model checks insist on.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class TableModel(QAbstractTableModel):
    """A flat table with fixed, named columns."""

    HEADERS: tuple[str, ...] = ()
    # Optional tooltips for the header sections (same positions as HEADERS).
    HEADER_TIPS: tuple[str, ...] = ()

    def row_total(self) -> int:
        """How many rows the table shows now: every subclass answers it."""
        raise TypeError(f"{type(self).__name__} must define row_total()")

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = self.HEADER_TIPS
            return tips[section] if section < len(tips) and tips[section] else None
        return None

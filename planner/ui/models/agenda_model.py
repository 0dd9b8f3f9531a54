"""Table models for the Calendar tab: follow-up lists (agenda, overdue) and losing touch."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, time
from typing import Any

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from planner.core.followups import AgendaItem, LosingTouchItem
from planner.core.vocab import CHANNELS, FOLLOWUP_STATUSES
from planner.ui.dates import long_date, short_date, short_time
from planner.ui.models.table_model import TableModel

MIME_FOLLOWUP_IDS = "application/x-planner-followup-ids"
RowRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2
SortRole = Qt.ItemDataRole.UserRole + 3
OVERDUE_COLOR = QColor("#d0452f")

Index = QModelIndex | QPersistentModelIndex
PageLoader = Callable[[int, int], list[AgendaItem]]
_ROOT = QModelIndex()


def locale_date(day: date, long: bool = False) -> str:
    return long_date(day) if long else short_date(day)


def locale_time(value: time) -> str:
    return short_time(value)


def encode_ids(ids: Sequence[int]) -> QMimeData:
    data = QMimeData()
    data.setData(MIME_FOLLOWUP_IDS, json.dumps([int(i) for i in ids]).encode("ascii"))
    data.setText(", ".join(str(i) for i in ids))
    return data


def decode_ids(data: QMimeData) -> list[int]:
    if not data.hasFormat(MIME_FOLLOWUP_IDS):
        return []
    try:
        raw = json.loads(bytes(data.data(MIME_FOLLOWUP_IDS).data()).decode("ascii"))
    except ValueError:
        return []
    return [int(i) for i in raw if isinstance(i, int)]


class _PagedTableModel(TableModel):
    """Rows handed over a page at a time: the caller gives the first page and a loader
    (offset, count), and the view pulls further pages (canFetchMore/fetchMore) as it scrolls."""

    PAGE = 100

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Any] = []
        self._loader: Callable[[int, int], list[Any]] | None = None
        self._has_more = False

    def _reset(self, items: Sequence[Any], loader: Callable[[int, int], list[Any]] | None) -> None:
        self._items = list(items)
        self._loader = loader
        self._has_more = loader is not None and len(self._items) >= self.PAGE

    def canFetchMore(self, parent: Index = _ROOT) -> bool:
        return not parent.isValid() and self._has_more

    def fetchMore(self, parent: Index = _ROOT) -> None:
        if parent.isValid() or not self._has_more or self._loader is None:
            return
        page = self._loader(len(self._items), self.PAGE)
        self._has_more = len(page) >= self.PAGE
        if page:
            start = len(self._items)
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self._items.extend(page)
            self.endInsertRows()

    def item_at(self, row: int) -> Any:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_total(self) -> int:
        return len(self._items)


class FollowUpTableModel(_PagedTableModel):
    """Follow-ups in due order; rows can be dragged onto the month grid to reschedule.

    A busy day can hold thousands: the caller hands the first page and a loader, and the
    view pulls further pages (canFetchMore/fetchMore) as the user scrolls.
    """

    COL_DUE, COL_TIME, COL_CONTACT, COL_PURPOSE, COL_CHANNEL, COL_STATUS = range(6)
    HEADERS = ("Due", "Time", "Contact", "Purpose", "Channel", "Status")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._today = date.today()
        self.local_zone_name = ""

    def set_items(
        self, items: Sequence[AgendaItem], today: date, loader: PageLoader | None = None
    ) -> None:
        """Show `items`; with a loader, more rows (offset, count) come as the view scrolls."""
        self.beginResetModel()
        self._reset(items, loader)
        self._today = today
        self.endResetModel()

    def row_of(self, followup_id: int) -> int:
        for row, item in enumerate(self._items):
            if item.id == followup_id:
                return row
        return -1

    def ids(self) -> list[int]:
        return [item.id for item in self._items]

    def _display(self, item: AgendaItem, column: int) -> str:
        fu = item.followup
        if column == self.COL_DUE:
            return locale_date(fu.due_date)
        if column == self.COL_TIME:
            if fu.due_time is None:
                return "All day"
            # The zone only when it differs from the computer's, where it matters.
            shown = fu.time_zone and fu.time_zone != self.local_zone_name
            zone = f" {fu.time_zone}" if shown else ""
            return f"{locale_time(fu.due_time)}{zone}"
        if column == self.COL_CONTACT:
            if not item.contact_name:
                return "—"
            return item.contact_name
        if column == self.COL_PURPOSE:
            return fu.purpose or "(no purpose)"
        if column == self.COL_CHANNEL:
            return CHANNELS.get(fu.channel, fu.channel)
        if column == self.COL_STATUS:
            if fu.status == "open" and fu.due_date < self._today:
                return "Overdue"
            return FOLLOWUP_STATUSES.get(fu.status, fu.status)
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._items)):
            return None
        item = self._items[index.row()]
        fu = item.followup
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [fu.purpose]
            if item.organisation:
                parts.append(f"{item.contact_name}, {item.organisation}")
            if fu.notes:
                parts.append(fu.notes)
            return "\n".join(p for p in parts if p) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if fu.status == "open" and fu.due_date < self._today:
                return OVERDUE_COLOR
            return None
        if role == Qt.ItemDataRole.FontRole and fu.status != "open":
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == RowRole:
            return item
        if role == IdRole:
            return fu.id
        if role == SortRole:
            if column in (self.COL_DUE, self.COL_TIME):
                return (fu.due_date.toordinal(), fu.due_time.isoformat() if fu.due_time else "")
            return self._display(item, column).casefold()
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self._items[index.row()].followup.status == "open":
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_FOLLOWUP_IDS]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return encode_ids([self._items[r].id for r in rows])


class LosingTouchTableModel(_PagedTableModel):
    """Contacts whose cadence lapsed with nothing scheduled; the last column is a button.

    Paged like FollowUpTableModel: thousands may have lapsed in a big network.
    """

    COL_NAME, COL_ORGANISATION, COL_LAST, COL_LAPSED, COL_SCHEDULE = range(5)
    HEADERS = ("Contact", "Organisation", "Last touch", "Overdue by", "")
    SCHEDULE_TEXT = "Schedule"

    def set_items(
        self,
        items: Sequence[LosingTouchItem],
        loader: Callable[[int, int], list[LosingTouchItem]] | None = None,
    ) -> None:
        self.beginResetModel()
        self._reset(items, loader)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._items)):
            return None
        item = self._items[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.COL_NAME:
                return item.name
            if column == self.COL_ORGANISATION:
                return item.organisation
            if column == self.COL_LAST:
                return locale_date(item.last_touch_on) if item.last_touch_on else "Never contacted"
            if column == self.COL_LAPSED:
                if item.last_touch_on is None:
                    # "714 days overdue" beside "Never" read as a contradiction.
                    return f"cadence {item.cadence_days} days"
                days = item.days_lapsed
                return f"{days} day" if days == 1 else f"{days} days"
            if column == self.COL_SCHEDULE:
                return self.SCHEDULE_TEXT
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_SCHEDULE:
                return f"Schedule a keep-in-touch follow-up with {item.name} for today"
            return f"Every {item.cadence_days} days; was due {locale_date(item.next_touch_due)}"
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_SCHEDULE:
            # The palette's link colour stays readable in light and dark themes.
            return QGuiApplication.palette().color(QPalette.ColorRole.Link)
        if role == Qt.ItemDataRole.FontRole and column == self.COL_SCHEDULE:
            font = QFont()
            font.setUnderline(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_LAPSED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == RowRole:
            return item
        if role == IdRole:
            return item.contact_id
        return None

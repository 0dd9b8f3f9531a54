"""The contacts list model: filters and sorts 100,000 compact rows in Python, fast enough to type.

Rows are plain tuples in ContactRow's field order (the database cursor's own, see
ContactTable) with the tags kept aside; the model keeps an index list of what is visible in
sort order, so a keystroke costs one pass over the folded search texts and no per-cell
objects exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor

from planner.core.contacts import ContactRow, iso_date
from planner.core.vocab import RELATIONSHIPS
from planner.ui.dates import short_date
from planner.ui.models.contact_columns import (
    AS_IS,
    COL_CADENCE,
    COL_KNOWN_BY,
    COL_LAST,
    COL_NAME,
    COL_NEXT,
    COL_RELATIONSHIP,
    COL_TAGS,
    HEADERS,
    SORTED_BY,
    sort_keys,
    sorted_order,
)
from planner.ui.models.contact_rows import (
    R_CADENCE,
    R_ID,
    R_LAST,
    R_NEXT,
    R_RELATIONSHIP,
    R_TAGS,
    R_TEXT,
    ContactFilter,
    RowIndex,
    SearchScan,
    cadence_label,
    index_rows,
    name_order,
)
from planner.ui.models.contact_search import ContactSearch
from planner.ui.models.table_model import Index, TableModel
from planner.ui.tasks import release

_ROOT = QModelIndex()
_COLUMNS = len(HEADERS)
IdRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2
OVERDUE = QColor(192, 57, 43)

_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.DecorationRole,
        IdRole,
        RowRole,
    )
)


class ContactTableModel(ContactSearch, TableModel):
    HEADERS = HEADERS
    # A narrow column elides its header: the tooltip names it.
    HEADER_TIPS = HEADERS
    # A search has appended its last rows (see set_filter).
    search_finished = Signal()

    def __init__(self, parent: Any = None, today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self._today = today
        # Tuples indexed by the R_* constants: ContactRows or the cursor's raw rows.
        self._rows: list[Sequence[Any]] = []
        self._tags: dict[int, tuple[str, ...]] = {}
        self._pos: dict[int, int] = {}
        self._texts: list[str] = []
        self._order: list[int] = []
        self._visible: list[int] = []
        self._filter = ContactFilter()
        self._folded_query = ""
        self._sort_column = COL_NAME
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._name_order: list[int] | None = None
        # Texts in sort order, so a full scan zips instead of indexing.
        self._order_texts: list[str] | None = None
        # True while the rows are stored in name order (_name_order is 0, 1, 2, ...).
        self._names_in_place = False
        # Results per (filter) for the current data and sort: backspace is free.
        self._results: dict[ContactFilter, list[int]] = {}
        self._keys: dict[int, list[Any]] = {}
        # Today as ISO text, compared with the rows' ISO dates.
        self._today_value = today().isoformat()
        # False after an edit kept a no-longer-matching row in view: search from scratch next.
        self._visible_exact = True
        self._locale = QLocale()
        self._date_cache: dict[str, str] = {}
        # Contact id -> the teammates who know them ("Priya (3), Sam (added)").
        self._known_by: dict[int, str] = {}
        # The name column's photo thumbnail by contact id (set by ContactPhotoCache).
        self.decoration: Callable[[int], Any] | None = None
        # A search still finding rows, continued by the timer between events.
        self._scan: SearchScan | None = None
        self._scan_timer = QTimer(self)
        self._scan_timer.setSingleShot(True)
        self._scan_timer.timeout.connect(self._continue_scan)

    # --- loading and changes --------------------------------------------------------

    def set_rows(
        self,
        rows: Sequence[Sequence[Any]],
        tags: dict[int, tuple[str, ...]] | None = None,
        index: RowIndex | None = None,
    ) -> None:
        """Everything to show: ContactRows, or raw rows with their `tags` (ContactTable);
        `index` is index_rows(rows) when it was built already (on the loading thread)."""
        self.beginResetModel()
        self._scan = None
        # The old rows are freed on a pool thread: 100,000 of them take a few hundred ms.
        old = (self._rows, self._pos, self._texts, self._tags, self._order, self._visible)
        release(*old, self._name_order, self._order_texts, self._results)
        release(*self._keys.values())
        del old
        self._results, self._keys = {}, {}
        self._rows = rows if isinstance(rows, list) else list(rows)
        if tags is None:
            tags = {row[R_ID]: row[R_TAGS] for row in rows if len(row) > R_TAGS and row[R_TAGS]}
        self._tags = tags
        if index is None or len(index.texts) != len(self._rows):
            self._reindex()
        else:
            self._pos, self._texts, self._name_order = index.pos, index.texts, index.name_order
            self._names_in_place = index.in_place
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        if (
            index is not None
            and index.order is not None
            and len(index.order) == len(self._rows)
            and index.sorted_by == (self._sort_column, descending)
            and not (self._sort_column == COL_KNOWN_BY and self._known_by)
        ):
            # Sorted on the loading thread already (a list sorted by a date, say).
            if index.keys is not None:
                self._keys[self._sort_column] = index.keys
            self._set_order(index.order, index.order_texts)
        else:
            self._set_order(self._sorted_order())
        self._rescan()
        self._visible_exact = True
        self.endResetModel()
        self._after_rescan()

    def _reindex(self) -> None:
        index = index_rows(self._rows)
        self._pos, self._texts, self._name_order = index.pos, index.texts, index.name_order
        self._names_in_place = index.in_place
        self._keys.clear()

    def _set_visible(self, visible: list[int]) -> None:
        self._visible = visible

    def _set_order(self, order: list[int], texts: list[str] | None = None) -> None:
        self._order = order
        self._results.clear()
        self._today_value = self._today().isoformat()
        if texts is not None:
            self._order_texts = texts
            return
        if self._names_in_place and self._sort_column == COL_NAME:
            if self._sort_order == Qt.SortOrder.AscendingOrder:
                self._order_texts = self._texts  # the rows' own order: nothing to build
            else:
                self._order_texts = self._texts[::-1]
            return
        # Texts in the new order: built when idle, or by the next search if that comes first.
        self._order_texts = None
        QTimer.singleShot(0, self._prepare_search)

    def _prepare_search(self) -> list[str]:
        if self._order_texts is None:
            self._order_texts = list(map(self._texts.__getitem__, self._order))
        return self._order_texts

    def update_rows(self, rows: Iterable[ContactRow]) -> None:
        """Replace rows after an edit, keeping the selection and which rows are shown.

        An edited contact stays in view even if it no longer matches the search, so it does
        not vanish while being edited; the next filter change applies the filter again.
        """
        rows = list(rows)
        if not rows:
            return
        self.finish_search()
        if self._update_in_place(rows):
            return
        if any(row[R_ID] not in self._pos for row in rows):
            self.beginResetModel()
            self._store(rows)
            self._set_order(self._sorted_order())
            self._rescan()
            self._visible_exact = True
            self.endResetModel()
            self._after_rescan()
            return
        self._relayout(lambda: self._store(rows))
        self._visible_exact = False

    def _update_in_place(self, rows: list[ContactRow]) -> bool:
        """Replace known rows whose place in the sort order cannot have moved (a touchpoint
        logged while the list is sorted by name, say): only those rows repaint, instead of
        re-sorting 100,000. False (nothing done) when a row is new or may have moved."""
        column, at_of = self._sort_column, self._pos
        field = SORTED_BY.get(column)
        for row in rows:
            at = at_of.get(row[R_ID])
            if at is None:
                return False
            old = self._rows[at]
            if old[R_TEXT] != row[R_TEXT] or (field is not None and old[field] != row[field]):
                return False
            if column == COL_TAGS and self._tags.get(row[R_ID], ()) != row[R_TAGS]:
                return False
        for row in rows:
            at = at_of[row[R_ID]]
            self._rows[at] = row
            if row.tags:
                self._tags[row.id] = row.tags
            else:
                self._tags.pop(row.id, None)
        # Keys of other columns may have moved; the names and this column's keys did not.
        self._keys = {c: k for c, k in self._keys.items() if c == column}
        self._results.clear()  # a filter (overdue, tag) may now match differently
        self._visible_exact = False  # the edited rows stay in view until the next filter
        last = len(HEADERS) - 1
        shown = {at: r for r, at in enumerate(self._visible)} if len(rows) > 8 else None
        for row in rows:
            at = at_of[row[R_ID]]
            if shown is not None:
                r = shown.get(at, -1)
            else:
                try:
                    r = self._visible.index(at)
                except ValueError:
                    r = -1
            if r >= 0:
                self.dataChanged.emit(self.index(r, 0), self.index(r, last))
        return True

    def _store(self, rows: list[ContactRow]) -> None:
        for row in rows:
            at = self._pos.get(row.id)
            if row.tags:
                self._tags[row.id] = row.tags
            else:
                self._tags.pop(row.id, None)
            if at is None:
                self._pos[row.id] = len(self._rows)
                self._rows.append(row)
                self._texts.append(row.search_text)
            else:
                self._rows[at] = row
                self._texts[at] = row.search_text
        self._name_order = None
        self._names_in_place = False
        self._keys.clear()

    def remove_ids(self, ids: Iterable[int]) -> None:
        gone = set(ids)
        if not gone & self._pos.keys():
            return
        self.finish_search()
        self.beginResetModel()
        self._rows = [row for row in self._rows if row[R_ID] not in gone]
        for cid in gone:
            self._tags.pop(cid, None)
        self._reindex()
        self._set_order(self._sorted_order())
        self._rescan()
        self._visible_exact = True
        self.endResetModel()
        self._after_rescan()

    def _relayout(self, change: Callable[[], None] | None = None) -> None:
        """Re-sort the same shown rows, moving persistent indexes (selection) with them."""
        self.finish_search()
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self._id_at(p.row()) for p in old]
        everything = len(self._visible) == len(self._rows)
        shown = set() if everything else set(self._visible)
        if change is not None:
            change()
        self._set_order(self._sorted_order())
        self._set_visible(
            list(self._order) if everything else [i for i in self._order if i in shown]
        )
        new = []
        rows_of: dict[int | None, int] = {}
        for p, cid in zip(old, old_ids, strict=True):
            if cid not in rows_of:
                rows_of[cid] = self.row_of(cid) if cid is not None else -1
            row = rows_of[cid]
            new.append(self.index(row, p.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _id_at(self, row: int) -> int | None:
        if 0 <= row < len(self._visible):
            return int(self._rows[self._visible[row]][R_ID])
        return None

    # --- sorting ------------------------------------------------------------------------

    def _names_sorted(self) -> list[int]:
        """Order by name: the folded search text starts with the folded name."""
        if self._name_order is None:
            self._name_order, self._names_in_place = name_order(self._texts)
        return self._name_order

    def _sort_keys(self, column: int) -> list[Any]:
        return sort_keys(self._rows, column, self._tags, self._known_by)

    def _sorted_order(self) -> list[int]:
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        column, keys = self._sort_column, None
        if column != COL_NAME and column in range(len(HEADERS)):
            keys = self._keys.get(column)
            if keys is None:
                keys = self._keys[column] = self._sort_keys(column)
        return sorted_order(self._names_sorted(), keys, descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column = column
        self._sort_order = order
        self._relayout()

    # --- lookups ------------------------------------------------------------------------

    def total_count(self) -> int:
        return len(self._rows)

    def contact_id(self, row: int) -> int | None:
        return self._id_at(row)

    def visible_ids(self) -> list[int]:
        """The ids the search and filters let through, in the order shown."""
        self.finish_search()
        return [int(self._rows[i][R_ID]) for i in self._visible]

    def _record(self, row: Sequence[Any]) -> ContactRow:
        if isinstance(row, ContactRow):
            return row
        return ContactRow._make((*row[:R_TAGS], self._tags.get(row[R_ID], ())))

    def row_data(self, row: int) -> ContactRow | None:
        if 0 <= row < len(self._visible):
            return self._record(self._rows[self._visible[row]])
        return None

    def contact(self, contact_id: int) -> ContactRow | None:
        at = self._pos.get(contact_id)
        return self._record(self._rows[at]) if at is not None else None

    def row_of(self, contact_id: int, finish: bool = True) -> int:
        """Visible row of a contact, or -1 (filtered out or unknown; with `finish` False,
        maybe not found yet: see searching())."""
        if finish:
            self.finish_search()
        at = self._pos.get(contact_id)
        if at is None:
            return -1
        try:
            return self._visible.index(at)
        except ValueError:
            return -1

    def set_known_by(self, known_by: dict[int, str]) -> None:
        """Who on the team knows each contact (the warm-intro filter); {} clears it."""
        self._known_by = dict(known_by)
        self._keys.pop(COL_KNOWN_BY, None)
        if self._sort_column == COL_KNOWN_BY:
            self._relayout()
        elif self._visible:
            last = len(self._visible) - 1
            self.dataChanged.emit(self.index(0, COL_KNOWN_BY), self.index(last, COL_KNOWN_BY))

    def all_tags(self) -> list[str]:
        found: set[str] = set()
        for tags in self._tags.values():
            found.update(tags)
        return sorted(found, key=str.casefold)

    # --- Qt model interface -------------------------------------------------------------

    def row_total(self) -> int:
        return len(self._visible)

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        # The view asks for every cell it paints; the base class checks the row and column
        # by calling rowCount and columnCount, two more calls into Python per cell.
        if parent.isValid() or not (0 <= row < len(self._visible) and 0 <= column < _COLUMNS):
            return QModelIndex()
        return self.createIndex(row, column)

    def _date_text(self, value: str | None) -> str:
        if value is None:
            return ""
        text = self._date_cache.get(value)
        if text is None:
            text = short_date(iso_date(value))
            self._date_cache[value] = text
        return text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each repaint: leave early.
        if role not in _ROLES or not index.isValid() or index.row() >= len(self._visible):
            return None
        row = self._rows[self._visible[index.row()]]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            if column in AS_IS:
                return row[AS_IS[column]]
            if column == COL_RELATIONSHIP:
                return RELATIONSHIPS.get(row[R_RELATIONSHIP], row[R_RELATIONSHIP])
            if column == COL_TAGS:
                return ", ".join(self._tags.get(row[R_ID], ()))
            if column == COL_LAST:
                return self._date_text(row[R_LAST])
            if column == COL_NEXT:
                return self._date_text(row[R_NEXT])
            if column == COL_CADENCE:
                return cadence_label(row[R_CADENCE])
            if column == COL_KNOWN_BY:
                return self._known_by.get(row[R_ID], "")
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            if column == COL_NAME and self.decoration is not None:
                return self.decoration(row[R_ID])
            return None
        if role == IdRole:
            return row[R_ID]
        if role == RowRole:
            return self._record(row)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == COL_NEXT
            and row[R_NEXT] is not None
            and row[R_NEXT] < self._today_value
        ):
            return OVERDUE
        return None

"""Qt table models for the Organisations tab: the list and the linked contacts, events,
touchpoints and reminders of one organisation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from planner.core.organisation_records import (
    KINDS,
    MEMBERSHIP_STATUSES,
    MY_ROLES,
    HostedEventRecord,
    MemberRecord,
    OrganisationSummary,
    OrganisationTouchRecord,
)
from planner.core.records import FollowUpRecord
from planner.core.vocab import CHANNELS, EVENT_STATUSES, EVENT_TYPES, TOUCH_KINDS
from planner.ui.dates import short_date

RowRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 3

# The roles data() answers, as plain ints: a view asks about a dozen roles per cell (fitting
# the columns of a big organisation's 1,600 touchpoints made 28,000 data() calls), and
# comparing each with Qt's enum members cost more than the answers.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ANSWERED = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, int(RowRole), int(IdRole)})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex


def format_date(value: date | datetime | None) -> str:
    """A date as the user's locale writes it (short form)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return short_date(value)


def _sort_value(value: Any) -> Any:
    """Sortable: dates as ISO text (empty ones first), text case-insensitively."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.casefold()
    return value


def _sort_key(value: Any) -> tuple[bool, Any]:
    """Numbers before text, so that a column mixing them never fails to compare."""
    value = _sort_value(value)
    return (isinstance(value, str), value)


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    display: Callable[[T], str]
    sort: Callable[[T], Any] | None = None
    align_right: bool = False
    tooltip: Callable[[T], str] | None = None


class RecordTableModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a list of frozen records, one column per Column.

    It sorts itself when a header is clicked (the views sort with the model's `sort`): a
    QSortFilterProxyModel in between made every painted cell a dozen more calls into Python,
    about 9 of the 28 ms one paint of the organisations list took.
    """

    COLUMNS: Sequence[Column[Any]] = ()
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._given: list[T] = []  # in the service's order
        self._rows: list[T] = []  # as shown: sorted by the clicked header, or as given
        self._sorted_by: tuple[int, bool] | None = None  # (column, descending)

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._given = list(rows)
        self._rows = self._in_order(self._given)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by `column`; column -1 goes back to the service's order (own organisations
        first, newest touchpoints first). The selection stays on the same records."""
        descending = order == Qt.SortOrder.DescendingOrder
        self._sorted_by = (column, descending) if 0 <= column < len(self.COLUMNS) else None
        # Without the sort hint: emitting it with an empty parent list crashed PySide6 6.11.
        self.layoutAboutToBeChanged.emit()
        kept = [i for i in self.persistentIndexList() if 0 <= i.row() < len(self._rows)]
        records = [self._rows[i.row()] for i in kept]
        self._rows = self._in_order(self._given)
        place = {id(record): row for row, record in enumerate(self._rows)}
        moved = [self.index(place[id(r)], i.column()) for r, i in zip(records, kept, strict=True)]
        self.changePersistentIndexList(kept, moved)
        self.layoutChanged.emit()

    def _in_order(self, rows: list[T]) -> list[T]:
        if self._sorted_by is None:
            return list(rows)
        column, descending = self._sorted_by
        value = self.COLUMNS[column].sort or self.COLUMNS[column].display
        return sorted(rows, key=lambda record: _sort_key(value(record)), reverse=descending)

    def rows(self) -> list[T]:
        return list(self._rows)

    def texts(self, column: int, limit: int) -> list[str]:
        """The first `limit` rows' text in `column` (to fit its width without Qt asking
        data() a dozen roles per cell)."""
        display = self.COLUMNS[column].display
        return [display(record) for record in self._rows[:limit]]

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def row_of_id(self, record_id: int) -> int:
        for i, record in enumerate(self._rows):
            if self.record_id(record) == record_id:
                return i
        return -1

    def record_id(self, record: T) -> int:
        return int(getattr(record, "id"))  # noqa: B009 (records differ in type)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # The base class checks the row and column by calling rowCount and columnCount: two
        # more calls into Python for every cell a view paints.
        if parent.isValid() or not (0 <= row < len(self._rows) and 0 <= column < len(self.COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role not in _ANSWERED:
            return None
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        record = self._rows[row]
        column = self.COLUMNS[index.column()]
        if role == _DISPLAY:
            return column.display(record)
        if role == _TOOLTIP:
            return (column.tooltip or column.display)(record)
        if role == RowRole:
            return record
        if role == IdRole:
            return self.record_id(record)
        if role == _ALIGNMENT and column.align_right:
            return _RIGHT
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section].header
        return None


def _count(value: int) -> str:
    return str(value) if value else ""


class OrganisationTableModel(RecordTableModel[OrganisationSummary]):
    COL_NAME, COL_CONTACTS, COL_EVENTS, COL_TOUCHPOINTS = range(4)
    COL_KIND, COL_ROLE, COL_STATUS, COL_RENEWAL, COL_LAST_ACTIVITY = range(4, 9)
    COLUMNS = (
        Column[OrganisationSummary]("Name", lambda o: o.name),
        Column[OrganisationSummary](
            "Contacts", lambda o: _count(o.contacts), lambda o: o.contacts, True
        ),
        Column[OrganisationSummary]("Events", lambda o: _count(o.events), lambda o: o.events, True),
        Column[OrganisationSummary](
            "Touchpoints", lambda o: _count(o.touchpoints), lambda o: o.touchpoints, True
        ),
        Column[OrganisationSummary]("Kind", lambda o: KINDS.get(o.kind, o.kind)),
        Column[OrganisationSummary](
            "My role", lambda o: MY_ROLES.get(o.my_role, "") if o.my_role else ""
        ),
        Column[OrganisationSummary](
            "Membership",
            lambda o: (
                MEMBERSHIP_STATUSES.get(o.membership_status, "") if o.membership_status else ""
            ),
        ),
        Column[OrganisationSummary](
            "Renewal", lambda o: format_date(o.renewal_on), lambda o: o.renewal_on
        ),
        Column[OrganisationSummary](
            "Last activity", lambda o: format_date(o.last_activity), lambda o: o.last_activity
        ),
    )
    HEADERS = tuple(c.header for c in COLUMNS)


class MemberTableModel(RecordTableModel[MemberRecord]):
    COL_NAME, COL_ROLE, COL_LINK = range(3)
    COLUMNS = (
        Column[MemberRecord]("Name", lambda r: r.name),
        Column[MemberRecord]("Role there", lambda r: r.role),
        Column[MemberRecord](
            "Link",
            lambda r: ", ".join(
                part
                for part, on in (
                    ("main organisation", r.primary),
                    ("member", r.member and not r.primary),
                    ("met here", r.met_here),
                )
                if on
            ),
        ),
    )
    HEADERS = tuple(c.header for c in COLUMNS)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # Called with (record, new role) when the role is edited in place; the tab saves it
        # as an undoable step (the model itself never writes).
        self.role_edited: Callable[[MemberRecord, str], None] | None = None

    def record_id(self, record: MemberRecord) -> int:
        return record.contact_id

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.COL_ROLE and self.role_edited is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or index.column() != self.COL_ROLE
            or self.role_edited is None
        ):
            return False
        record = self.row_at(index.row())
        text = " ".join(str(value).split())
        if text != record.role:
            self.role_edited(record, text)
        return True


class HostedEventTableModel(RecordTableModel[HostedEventRecord]):
    COL_NAME, COL_DATE, COL_TYPE, COL_STATUS = range(4)
    COLUMNS = (
        Column[HostedEventRecord]("Event", lambda r: r.name),
        Column[HostedEventRecord](
            "Date", lambda r: format_date(r.starts_local), lambda r: r.starts_local
        ),
        Column[HostedEventRecord]("Type", lambda r: EVENT_TYPES.get(r.event_type, r.event_type)),
        Column[HostedEventRecord]("Status", lambda r: EVENT_STATUSES.get(r.status, r.status)),
    )
    HEADERS = tuple(c.header for c in COLUMNS)


class OrganisationTouchTableModel(RecordTableModel[OrganisationTouchRecord]):
    COL_DATE, COL_CONTACT, COL_KIND, COL_CHANNEL, COL_NOTE = range(5)
    COLUMNS = (
        Column[OrganisationTouchRecord](
            "Date", lambda r: format_date(r.occurred_on), lambda r: r.occurred_on
        ),
        Column[OrganisationTouchRecord]("Contact", lambda r: r.contact_name),
        Column[OrganisationTouchRecord]("Kind", lambda r: TOUCH_KINDS.get(r.kind, r.kind)),
        Column[OrganisationTouchRecord]("Channel", lambda r: CHANNELS.get(r.channel, r.channel)),
        Column[OrganisationTouchRecord](
            "Note", lambda r: r.note if r.direct else f"(at a hosted event) {r.note}".strip()
        ),
    )
    HEADERS = tuple(c.header for c in COLUMNS)


class ReminderTableModel(RecordTableModel[FollowUpRecord]):
    COL_DUE, COL_PURPOSE = range(2)
    COLUMNS = (
        Column[FollowUpRecord]("Due", lambda r: format_date(r.due_date), lambda r: r.due_date),
        Column[FollowUpRecord](
            "Reminder", lambda r: r.purpose, tooltip=lambda r: f"{r.purpose}\n{r.notes}".strip()
        ),
    )
    HEADERS = tuple(c.header for c in COLUMNS)

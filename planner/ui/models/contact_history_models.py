"""Small table models for a contact's timeline (touchpoints) and referrals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from planner.core.records import ReferralRecord, TouchpointRecord
from planner.core.vocab import CHANNELS, REFERRAL_DIRECTIONS, REFERRAL_STATUSES, TOUCH_KINDS
from planner.ui.dates import long_date, short_date
from planner.ui.models.table_model import Index, TableModel

RecordRole = Qt.ItemDataRole.UserRole + 1


def date_text(value: date | None, long: bool = False) -> str:
    """A date in the user's locale; ISO dates when there is no real locale (C/POSIX)."""
    return long_date(value) if long else short_date(value)


class _RecordsModel(TableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[Any] = []

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self._records[row] if 0 <= row < len(self._records) else None

    def row_total(self) -> int:
        return len(self._records)

    def _text(self, record: Any, column: int) -> str:
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._records):
            return None
        record = self._records[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(record, index.column())
        if role == RecordRole:
            return record
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class TouchpointTableModel(_RecordsModel):
    """The whole timeline, newest first, as the service returns it.

    "By" names who logged each touchpoint ("you" for the user's own); the pane shows that
    column on a team database only.
    """

    COL_DATE, COL_CHANNEL, COL_KIND, COL_BY, COL_NOTE = range(5)
    HEADERS = ("Date", "Channel", "Kind", "By", "Note")
    # The current user's name (core.visibility.viewer); "" on a personal file.
    viewer = ""

    def _text(self, record: TouchpointRecord, column: int) -> str:
        if column == self.COL_DATE:
            return date_text(record.occurred_on)
        if column == self.COL_CHANNEL:
            return CHANNELS.get(record.channel, record.channel)
        if column == self.COL_KIND:
            return TOUCH_KINDS.get(record.kind, record.kind)
        if column == self.COL_BY:
            author = record.created_by
            return "you" if author and author == self.viewer else author
        if column == self.COL_NOTE:
            return record.note
        return ""


class ReferralTableModel(_RecordsModel):
    """Referrals and introductions; `names` resolves contact ids to names for display."""

    COL_DATE, COL_DIRECTION, COL_WHO, COL_STATUS, COL_NOTE = range(5)
    HEADERS = ("Date", "Direction", "Who", "Status", "Note / outcome")

    def __init__(self, parent: Any = None, names: Callable[[int], str] | None = None) -> None:
        super().__init__(parent)
        self._names = names or (lambda cid: f"#{cid}")
        self.viewing_id: int | None = None

    def _text(self, record: ReferralRecord, column: int) -> str:
        if column == self.COL_DATE:
            return date_text(record.occurred_on)
        if column == self.COL_DIRECTION:
            return REFERRAL_DIRECTIONS.get(record.direction, record.direction)
        if column == self.COL_WHO:
            if self.viewing_id is not None and record.contact_id != self.viewing_id:
                return f"Via {self._names(record.contact_id)}"
            if record.other_contact_id is not None:
                return self._names(record.other_contact_id)
            return ""
        if column == self.COL_STATUS:
            return REFERRAL_STATUSES.get(record.status, record.status)
        if column == self.COL_NOTE:
            return " — ".join(p for p in (record.note, record.outcome) if p)
        return ""

"""Edit > Find duplicates…: groups of likely duplicates across the database, merged on request.

Each group is shown side by side (what differs in bold) with a match score; the user picks
the contact that stays (the oldest by default) and the others fold into it (everything kept);
merging several groups at once is one undo step.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.core.changes import Changes
from planner.core.contacts import ContactService
from planner.core.dedupe import DuplicateGroup
from planner.core.errors import NotFoundError, ValidationError
from planner.core.merge import MergeService
from planner.core.records import ContactRecord, LabeledValue
from planner.ui.commands import execute_in_background
from planner.ui.commands.merge import MergeContacts
from planner.ui.context import TabContext
from planner.ui.dialogs.import_dialog import failure_text
from planner.ui.tasks import Task, run_task

log = logging.getLogger(__name__)
GroupRole = Qt.ItemDataRole.UserRole + 1


class DuplicateGroupModel(QAbstractTableModel):
    COL_KEEP, COL_OTHERS, COL_COUNT, COL_SCORE, COL_REASON = range(5)
    HEADERS = ("Keep", "Merge into it", "Contacts", "Match", "Why")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.groups: list[DuplicateGroup] = []

    def set_groups(self, groups: list[DuplicateGroup]) -> None:
        self.beginResetModel()
        self.groups = list(groups)
        self.endResetModel()

    def set_survivor(self, row: int, contact_id: int) -> None:
        """The contact the group merges into goes first (MergeContacts keeps the first)."""
        group = self.groups[row]
        if contact_id not in group.contact_ids or group.contact_ids[0] == contact_id:
            return
        order = sorted(
            range(len(group.contact_ids)), key=lambda i: group.contact_ids[i] != contact_id
        )
        self.groups[row] = replace(
            group,
            contact_ids=tuple(group.contact_ids[i] for i in order),
            names=tuple(group.names[i] for i in order),
        )
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def remove_groups(self, rows: list[int]) -> None:
        for row in sorted(rows, reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.groups[row]
            self.endRemoveRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.groups)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        group = self.groups[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            col = index.column()
            if col == self.COL_KEEP:
                return group.names[0]
            if col == self.COL_OTHERS:
                return ", ".join(group.names[1:])
            if col == self.COL_COUNT:
                return str(len(group.contact_ids))
            if col == self.COL_SCORE:
                return f"{group.score}%"
            if col == self.COL_REASON:
                return group.reason
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (
            self.COL_COUNT,
            self.COL_SCORE,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == GroupRole:
            return group
        return None


def _values(items: tuple[LabeledValue, ...]) -> str:
    return "\n".join(f"{v.value} ({v.label})" if v.label else v.value for v in items)


def _birthday(r: ContactRecord) -> str:
    if not r.birthday_month or not r.birthday_day:
        return ""
    day = f"{r.birthday_day} {calendar.month_abbr[r.birthday_month]}"
    return f"{day} {r.birthday_year}" if r.birthday_year else day


# What the side-by-side comparison shows, one row each.
COMPARE_FIELDS: tuple[tuple[str, Callable[[ContactRecord], str]], ...] = (
    ("Name", lambda r: r.name),
    ("Organisation", lambda r: r.organisation),
    ("Role", lambda r: r.role),
    ("E-mails", lambda r: _values(r.emails)),
    ("Phones", lambda r: _values(r.phones)),
    ("Links", lambda r: _values(r.urls)),
    ("Location", lambda r: r.location),
    (
        "Addresses",
        lambda r: "\n".join(
            f"{a.label}{' ★' if a.pref else ''}: {a.one_line()}" if a.label else a.one_line()
            for a in r.addresses
        ),
    ),
    ("Birthday", _birthday),
    ("Tags", lambda r: ", ".join(r.tags)),
    ("Last contact", lambda r: r.last_touch_on.isoformat() if r.last_touch_on else ""),
    ("Notes", lambda r: r.notes),
    ("Added", lambda r: r.created_at.date().isoformat() if r.created_at else ""),
)


class GroupCompareModel(QAbstractTableModel):
    """One group side by side: a column per contact, a row per field; what differs stands out."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.records: list[ContactRecord] = []
        self.keep_id: int | None = None
        self._cells: list[list[str]] = []
        self._differs: list[bool] = []

    def set_records(self, records: list[ContactRecord], keep_id: int | None) -> None:
        self.beginResetModel()
        self.records = records
        self.keep_id = keep_id
        self._cells = [[get(r) for r in records] for _label, get in COMPARE_FIELDS]
        self._differs = [
            len({" ".join(c.split()).casefold() for c in row}) > 1 for row in self._cells
        ]
        self.endResetModel()

    def set_keep(self, keep_id: int) -> None:
        self.keep_id = keep_id
        if self.records:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.records) - 1)

    def differing_fields(self) -> list[str]:
        return [COMPARE_FIELDS[i][0] for i, d in enumerate(self._differs) if d]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.records else len(COMPARE_FIELDS)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return COMPARE_FIELDS[section][0] if 0 <= section < len(COMPARE_FIELDS) else None
        if 0 <= section < len(self.records):
            record = self.records[section]
            # Both sides often read the same name: the organisation tells them apart.
            name = f"{record.name} ({record.organisation})" if record.organisation else record.name
            return f"{name} — kept" if record.id == self.keep_id else name
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        text = self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text.split("\n", 1)[0] + (" …" if "\n" in text else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return text or None
        differs = self._differs[index.row()]
        if role == Qt.ItemDataRole.FontRole and differs:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and differs:
            highlight = QGuiApplication.palette().color(QPalette.ColorRole.Highlight)
            highlight.setAlpha(48)
            return highlight
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and differs:
            return "differs"
        return None


class DuplicatesDialog(QDialog):
    groups_loaded = Signal()

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicatesDialog")
        self.setWindowTitle("Find duplicates")
        self.setAccessibleName("Find duplicates")
        self.context = context
        self.service = MergeService(context.db)
        self.loading = False
        self._task: Task[list[DuplicateGroup]] | None = None
        self._merging: Task[Changes] | None = None
        layout = QVBoxLayout(self)
        self.summary_label = QLabel("Looking for duplicates…")
        self.summary_label.setObjectName("duplicatesSummaryLabel")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        layout.addWidget(self.progress)
        self.model = DuplicateGroupModel(self)
        self.table = QTableView()
        self.table.setObjectName("duplicatesTable")
        self.table.setAccessibleName("Groups of likely duplicates")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        # Names share what is left after the short columns: all columns fit the dialog at
        # any size (at 200 % on a 1366x768 screen "Match" and "Why" were off to the right).
        for col, mode in (
            (0, QHeaderView.ResizeMode.Stretch),
            (1, QHeaderView.ResizeMode.Stretch),
            (2, QHeaderView.ResizeMode.ResizeToContents),
            (3, QHeaderView.ResizeMode.ResizeToContents),
        ):
            header.setSectionResizeMode(col, mode)
        self.table.setWordWrap(False)
        self.table.selectionModel().selectionChanged.connect(self._update_state)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        layout.addWidget(self.table, 1)
        keep_row = QHBoxLayout()
        keep_label = QLabel("&Keep:")
        self.keep_combo = QComboBox()
        self.keep_combo.setObjectName("keepContactCombo")
        self.keep_combo.setAccessibleName("The contact that stays (the others merge into it)")
        self.keep_combo.activated.connect(self._on_keep_activated)
        keep_label.setBuddy(self.keep_combo)
        self.differs_label = QLabel()
        self.differs_label.setObjectName("differsLabel")
        self.differs_label.setWordWrap(True)
        keep_row.addWidget(keep_label)
        keep_row.addWidget(self.keep_combo, 1)
        keep_row.addWidget(self.differs_label, 2)
        layout.addLayout(keep_row)
        self.compare_model = GroupCompareModel(self)
        self.compare = QTableView()
        self.compare.setObjectName("duplicatesCompareTable")
        self.compare.setAccessibleName("The selected group side by side")
        self.compare.setModel(self.compare_model)
        self.compare.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare.setWordWrap(False)
        self.compare.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.compare.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.compare, 2)
        note = QLabel(
            "Merging keeps the contact you choose (the oldest unless you pick another) and adds "
            "everything of the others to it: e-mails, phones, links, tags, touchpoints, "
            "follow-ups, referrals and events. Fields in bold differ. Undo with Edit > Undo."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.merge_button = QPushButton("&Merge selected")
        self.merge_button.setObjectName("mergeSelectedButton")
        self.merge_button.setAccessibleName("Merge the selected groups")
        self.merge_button.clicked.connect(self.merge_selected)
        self.merge_all_button = QPushButton("Merge &all")
        self.merge_all_button.setObjectName("mergeAllGroupsButton")
        self.merge_all_button.setAccessibleName("Merge every group")
        self.merge_all_button.clicked.connect(self.merge_all)
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.merge_all_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeButton")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(980, 680)
        self.reload()

    def reload(self) -> None:
        self.loading = True
        self.progress.show()
        self._update_state()
        self._task = run_task(
            self.service.duplicate_groups,
            self._on_loaded,
            lambda exc: self._on_failed(failure_text(exc)),
            owner=self,
            name="find duplicates",
        )

    def _on_loaded(self, groups: list[DuplicateGroup]) -> None:
        self.loading = False
        self.progress.hide()
        assert isinstance(groups, list)
        self.model.set_groups(groups)
        self._update_summary()
        self._update_state()
        if groups:
            self.table.selectRow(0)
        else:
            self._show_group(None)
        self.groups_loaded.emit()

    def _on_failed(self, message: str) -> None:
        self.loading = False
        self.progress.hide()
        self.summary_label.setText(f"Duplicates could not be searched: {message}")

    def _update_summary(self) -> None:
        count = self.model.rowCount()
        if count == 0:
            self.summary_label.setText("No likely duplicates found.")
        else:
            groups = "1 group of contacts looks" if count == 1 else f"{count:,} groups look"
            self.summary_label.setText(
                f"{groups} like the same person (same e-mail or LinkedIn profile, or a similar "
                "name and organisation, scored under Match). Compare them below, choose who "
                "stays, and merge."
            )

    # --- comparing ----------------------------------------------------------------------

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_group(current.row() if current.isValid() else None)

    def _show_group(self, row: int | None) -> None:
        self.keep_combo.clear()
        if row is None or not 0 <= row < self.model.rowCount():
            self.compare_model.set_records([], None)
            self.differs_label.clear()
            self.keep_combo.setEnabled(False)
            return
        group = self.model.groups[row]
        service = ContactService(self.context.db)
        records = []
        for cid in sorted(group.contact_ids):
            try:
                records.append(service.get(cid))
            except NotFoundError:
                continue
        for record in records:
            when = record.created_at.date().isoformat() if record.created_at else ""
            org = f" ({record.organisation})" if record.organisation else ""
            self.keep_combo.addItem(f"{record.name}{org} — added {when}", record.id)
        keep = group.contact_ids[0]
        self.keep_combo.setCurrentIndex(max(0, self.keep_combo.findData(keep)))
        self.keep_combo.setEnabled(len(records) > 1)
        self.compare_model.set_records(records, keep)
        differs = self.compare_model.differing_fields()
        self.differs_label.setText(
            "Differs: " + ", ".join(differs) if differs else "Every field shown is the same."
        )

    def _on_keep_activated(self, _index: int) -> None:
        row = self.table.currentIndex().row()
        keep = self.keep_combo.currentData()
        if row < 0 or keep is None:
            return
        self.model.set_survivor(row, int(keep))
        self.compare_model.set_keep(int(keep))

    def _update_state(self) -> None:
        selected = bool(self.table.selectionModel().selectedRows())
        self.merge_button.setEnabled(not self.loading and selected)
        self.merge_all_button.setEnabled(not self.loading and self.model.rowCount() > 0)

    def merge_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        self._merge(rows)

    def merge_all(self) -> None:
        self._merge(list(range(self.model.rowCount())))

    def _merge(self, rows: list[int]) -> None:
        """Merge the groups in `rows` as one undo step, off the GUI thread (hundreds of
        groups at 100,000 contacts take seconds); the buttons wait meanwhile."""
        if not rows or self.loading:
            return
        groups = [self.model.groups[r] for r in rows]
        command = MergeContacts(self.context.bus, self.service, [g.contact_ids for g in groups])
        self.loading = True
        self.progress.show()
        self._update_state()
        self._merging = execute_in_background(
            self.context.undo_stack,
            command,
            on_done=lambda _changes: self._on_merged(rows),
            on_error=self._on_merge_failed,
        )

    def _on_merged(self, rows: list[int]) -> None:
        if not shiboken6.isValid(self):
            return  # closed meanwhile: the merge is on the undo stack all the same
        self.loading = False
        self.progress.hide()
        self.model.remove_groups(rows)
        self._update_summary()
        self._update_state()
        if self.model.rowCount():
            self.table.selectRow(min(rows[0], self.model.rowCount() - 1))
        else:
            self._show_group(None)

    def _on_merge_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.loading = False
        self.progress.hide()
        # A contact deleted meanwhile says so; anything else is logged and said plainly.
        plain = isinstance(exc, (ValidationError, NotFoundError))
        QMessageBox.warning(self, "Merge", str(exc) if plain else failure_text(exc))
        self.reload()

    def done(self, result: int) -> None:
        super().done(result)
        if self._task is not None:
            self._task.wait(30)  # a search still reading finishes first
        if self._merging is not None:
            self._merging.wait(30)  # and a merge still writing

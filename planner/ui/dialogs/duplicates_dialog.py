"""Edit > Find duplicates…: groups of likely duplicates across the database, merged on request.

Each merge keeps the oldest contact of the group and folds the others into it (everything
kept); merging several groups at once is one undo step.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
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
from planner.core.dedupe import DuplicateGroup, find_duplicate_groups
from planner.core.errors import NotFoundError, ValidationError
from planner.core.merge import MergeOutcome, MergeService
from planner.ui.context import TabContext
from planner.ui.dialogs.import_dialog import Background

log = logging.getLogger(__name__)
GroupRole = Qt.ItemDataRole.UserRole + 1


class DuplicateGroupModel(QAbstractTableModel):
    COL_KEEP, COL_OTHERS, COL_COUNT, COL_REASON = range(4)
    HEADERS = ("Keep", "Merge into it", "Contacts", "Why")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.groups: list[DuplicateGroup] = []

    def set_groups(self, groups: list[DuplicateGroup]) -> None:
        self.beginResetModel()
        self.groups = list(groups)
        self.endResetModel()

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
            if col == self.COL_REASON:
                return group.reason
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.COL_COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == GroupRole:
            return group
        return None


class MergeGroupsCommand(QUndoCommand):
    """Merging one or more groups: one undo step."""

    def __init__(self, context: TabContext, groups: list[DuplicateGroup]) -> None:
        count = len(groups)
        super().__init__(f"Merge {count} duplicate group{'s' if count != 1 else ''}")
        self.context = context
        self.service = MergeService(context.db)
        self.groups = groups
        self.outcomes: list[MergeOutcome] = []

    def redo(self) -> None:
        self.outcomes = [
            self.service.merge(g.contact_ids[0], list(g.contact_ids[1:])) for g in self.groups
        ]
        self.context.bus.changed.emit(self._changes())

    def undo(self) -> None:
        for outcome in reversed(self.outcomes):
            self.service.undo(outcome)
        self.outcomes = []
        self.context.bus.changed.emit(self._changes())

    def _changes(self) -> Changes:
        """The merged contacts; their touchpoints, follow-ups and event links moved."""
        ids = [cid for g in self.groups for cid in g.contact_ids]
        return Changes.of(contacts=ids) | Changes.all("touchpoints", "follow_ups", "events")


class DuplicatesDialog(QDialog):
    groups_loaded = Signal()

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicatesDialog")
        self.setWindowTitle("Find duplicates")
        self.setAccessibleName("Find duplicates")
        self.context = context
        self.loading = False
        self._background = Background(self)
        self._background.finished.connect(self._on_loaded)
        self._background.failed.connect(self._on_failed)
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
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setWordWrap(False)
        for col, width in ((0, 260), (1, 320), (2, 76)):
            header.resizeSection(col, width)
        self.table.selectionModel().selectionChanged.connect(self._update_state)
        layout.addWidget(self.table, 1)
        note = QLabel(
            "Merging keeps the first contact and adds everything of the others to it: e-mails, "
            "phones, links, tags, touchpoints, follow-ups, referrals and events. Undo with "
            "Edit > Undo."
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
        self.resize(980, 540)
        self.reload()

    def reload(self) -> None:
        db = self.context.db

        def work() -> list[DuplicateGroup]:
            with db.session() as s:
                return find_duplicate_groups(s)

        self.loading = True
        self.progress.show()
        self._update_state()
        self._background.start(0, work)

    def _on_loaded(self, ticket: int) -> None:
        groups = self._background.take(ticket)
        self.loading = False
        self.progress.hide()
        assert isinstance(groups, list)
        self.model.set_groups(groups)
        self._update_summary()
        self._update_state()
        self.groups_loaded.emit()

    def _on_failed(self, _ticket: int, message: str) -> None:
        self.loading = False
        self.progress.hide()
        self.summary_label.setText(f"Duplicates could not be searched: {message}")

    def _update_summary(self) -> None:
        count = self.model.rowCount()
        if count == 0:
            self.summary_label.setText("No likely duplicates found.")
        else:
            self.summary_label.setText(
                f"{count:,} groups of contacts look like the same person (same e-mail, "
                "LinkedIn profile, or name and organisation). Select groups and merge them."
            )

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
        if not rows:
            return
        groups = [self.model.groups[r] for r in rows]
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.context.undo_stack.push(MergeGroupsCommand(self.context, groups))
        except (ValidationError, NotFoundError) as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Merge", str(exc))
            self.reload()
            return
        QApplication.restoreOverrideCursor()
        self.model.remove_groups(rows)
        self._update_summary()
        self._update_state()

    def done(self, result: int) -> None:
        super().done(result)
        self._background.shutdown()

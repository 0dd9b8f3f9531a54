"""File > Restore from backup…: the database's backups with their date and contact count."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.db.backup import BackupInfo

REASONS = {"manual": "Backed up by you", "copy": "Copy"}


def describe_reason(reason: str) -> str:
    if reason.startswith("before-upgrade-from-"):
        return "Before an upgrade"
    return REASONS.get(reason, reason.replace("-", " ").capitalize())


class RestoreDialog(QDialog):
    """Pick one backup; the caller restores it (a modal dialog returns data, never saves)."""

    COLUMNS = ("Taken", "Contacts", "Why", "File")

    def __init__(self, backups: list[BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle("Restore from backup")
        self.backups = backups
        intro = QLabel(
            "Choose the copy to go back to. The current database file is kept beside it "
            "(renamed to …replaced-DATE), so this can be undone by hand."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(backups), len(self.COLUMNS))
        self.table.setObjectName("backupTable")
        self.table.setAccessibleName("Backups")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for row, info in enumerate(backups):
            count = f"{info.contacts:,}" if info.contacts is not None else "unreadable"
            cells = (
                info.taken_at.strftime("%Y-%m-%d %H:%M"),
                count,
                describe_reason(info.reason),
                info.path.name,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if not info.readable:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel, Qt.Orientation.Horizontal
        )
        self.restore_button = self.buttons.addButton(
            "&Restore", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.table.doubleClicked.connect(lambda _index: self._accept_if_chosen())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.resize(720, 360)
        for row, info in enumerate(backups):
            if info.readable:
                self.table.selectRow(row)
                break

    def chosen(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        info = self.backups[rows[0].row()]
        return info if info.readable else None

    def _on_table_selection_changed(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)

    def _accept_if_chosen(self) -> None:
        if self.chosen() is not None:
            self.accept()

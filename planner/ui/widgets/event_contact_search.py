"""Type-to-find a contact (name, organisation, role, tags, notes) for the event dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from planner.core.events import ContactChoice, find_contacts
from planner.db.database import Database


class EventContactSearch(QWidget):
    """Shows up to 100 matches; large networks stay fast because the search runs in SQL."""

    chosen = Signal(int)
    selection_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("contactSearchField")
        self.search.setAccessibleName("Find a contact")
        self.search.setPlaceholderText("Find a contact by name, organisation, role…")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setObjectName("contactSearchResults")
        self.results.setAccessibleName("Matching contacts")
        self.results.setMinimumHeight(140)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.results.itemActivated.connect(
            lambda item: self.chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        )
        self.results.currentRowChanged.connect(lambda _r: self.selection_changed.emit())
        self.refresh()

    def refresh(self) -> None:
        self.results.clear()
        for choice in find_contacts(self.db, self.search.text()):
            self.results.addItem(self._item(choice))
        if self.results.count():
            self.results.setCurrentRow(0)
        self.selection_changed.emit()

    @staticmethod
    def _item(choice: ContactChoice) -> QListWidgetItem:
        extra = " · ".join(p for p in (choice.role, choice.organisation) if p)
        item = QListWidgetItem(f"{choice.name} — {extra}" if extra else choice.name)
        item.setData(Qt.ItemDataRole.UserRole, choice.id)
        return item

    def current_id(self) -> int | None:
        item = self.results.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def current_name(self) -> str:
        item = self.results.currentItem()
        return item.text().split(" — ")[0] if item is not None else ""

    def _on_search_return_pressed(self) -> None:
        self._timer.stop()
        self.refresh()
        if self.current_id() is not None:
            self.chosen.emit(int(self.current_id() or 0))

"""The Contacts tab."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from planner.ui.context import TabContext


class ContactsTab(QWidget):
    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        QVBoxLayout(self)

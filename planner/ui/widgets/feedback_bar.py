"""A one-line "what just happened" bar with Undo, of fixed height so nothing below moves."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget

from planner.ui.widgets.elided_label import ElidedLabel


class FeedbackBar(QWidget):
    def __init__(self, stack: QUndoStack, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._stack = stack
        self._index = -1  # the undo-stack index right after the reported action
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = ElidedLabel()
        self.label.setObjectName(f"{name}Text")
        self.label.setAccessibleName("Last action")
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setObjectName(f"{name}Undo")
        self.undo_button.setAccessibleName("Undo the last action")
        self.undo_button.setAutoDefault(False)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.undo_button)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        # The button keeps its place even when there is nothing to undo (no layout jump).
        policy = self.undo_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.undo_button.setSizePolicy(policy)
        self.undo_button.hide()
        self.undo_button.clicked.connect(self._on_undo_clicked)
        stack.indexChanged.connect(self._on_stack_index_changed)

    def report(self, text: str) -> None:
        """Say what the action just pushed on the undo stack did, offering to undo it."""
        self.label.setText(text)
        self._index = self._stack.index()
        self.undo_button.show()

    def text(self) -> str:
        return self.label.full_text()

    def _on_undo_clicked(self) -> None:
        if self._stack.index() == self._index:
            undone = self._stack.undoText()
            self._stack.undo()
            self.label.setText(f"Undone: {undone}")
        self.undo_button.hide()

    def _on_stack_index_changed(self, index: int) -> None:
        if index != self._index:
            self.undo_button.hide()

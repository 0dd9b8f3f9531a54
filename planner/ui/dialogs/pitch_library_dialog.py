"""The pitch library: titled elevator pitches with live word count and speaking time."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QUndoCommand
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from planner.core.changes import Changes
from planner.core.errors import ValidationError
from planner.core.pitches import PitchService, describe_length
from planner.ui.bus import Bus
from planner.ui.commands import execute
from planner.ui.commands.library import AddPitch, DeletePitch, EditPitch
from planner.ui.tabs.base import ChangeFollower


class PitchLibraryDialog(QDialog):
    """Edits the library; "Use for this event" returns the chosen pitch id.

    Each edit is a named command (planner.ui.commands.library) pushed through `push`; the
    list follows `bus.changed` like any view, so an undo or redo shows here too. Without a
    `bus` the dialog keeps one of its own (nothing else then hears of pitch edits).
    """

    def __init__(
        self,
        service: PitchService,
        push: Callable[[QUndoCommand], object],
        current_id: int | None = None,
        parent: QWidget | None = None,
        *,
        bus: Bus | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pitchLibraryDialog")
        self.setWindowTitle("Pitch library")
        self.resize(720, 460)
        self.service = service
        self._push = push
        self.bus = bus if bus is not None else Bus(self)
        self.chosen_id: int | None = None
        layout = QVBoxLayout(self)
        splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setObjectName("pitchList")
        self.list.setAccessibleName("Pitches")
        left_layout.addWidget(self.list)
        row = QHBoxLayout()
        self.new_button = QPushButton("&New")
        self.new_button.setObjectName("newPitchButton")
        self.new_button.setAccessibleName("New pitch")
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setObjectName("deletePitchButton")
        self.delete_button.setAccessibleName("Delete pitch")
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        left_layout.addLayout(row)
        splitter.addWidget(left)

        right = QWidget()
        form = QFormLayout(right)
        form.setContentsMargins(0, 0, 0, 0)
        self.title = QLineEdit()
        self.title.setObjectName("pitchTitle")
        self.title.setAccessibleName("Pitch title")
        self.text = QPlainTextEdit()
        self.text.setObjectName("pitchText")
        self.text.setAccessibleName("Pitch text")
        self.text.setTabChangesFocus(True)
        self.length = QLabel()
        self.length.setObjectName("pitchLength")
        self.save_button = QPushButton("&Save changes")
        self.save_button.setObjectName("savePitchButton")
        self.save_button.setAccessibleName("Save pitch")
        self.error = QLabel()
        self.error.setObjectName("pitchError")
        form.addRow("&Title:", self.title)
        form.addRow("Te&xt:", self.text)
        form.addRow("", self.length)
        form.addRow("", self.save_button)
        form.addRow("", self.error)
        splitter.addWidget(right)
        splitter.setSizes([220, 480])
        layout.addWidget(splitter, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.use_button = buttons.addButton(
            "&Use for this event", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.use_button.setObjectName("usePitchButton")
        self.use_button.setAccessibleName("Use the selected pitch for this event")
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self._on_use)
        layout.addWidget(buttons)
        self._connect_signals()
        self.refresh(current_id)
        self.follower = ChangeFollower(self, self.bus, self._on_changed, kinds=("pitches",))

    def _connect_signals(self) -> None:
        self.text.textChanged.connect(self._update_length)
        self.list.currentRowChanged.connect(lambda _r: self._show_current())
        self.new_button.clicked.connect(self._on_new)
        self.delete_button.clicked.connect(self._on_delete)
        self.save_button.clicked.connect(self._on_save)
        # Enter in the title saves the pitch; only the dialog's own buttons close it.
        self.title.returnPressed.connect(self._on_save)
        for button in (self.new_button, self.delete_button, self.save_button):
            button.setAutoDefault(False)

    def refresh(self, select_id: int | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for pitch in self.service.list():
            item = QListWidgetItem(pitch.title)
            item.setData(Qt.ItemDataRole.UserRole, pitch.id)
            self.list.addItem(item)
            if pitch.id == select_id:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.list.blockSignals(False)
        self._show_current()

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _show_current(self) -> None:
        pid = self.current_id()
        pitch = self.service.get(pid) if pid is not None else None
        self.title.setText(pitch.title if pitch else "")
        self.text.setPlainText(pitch.text if pitch else "")
        for w in (self.title, self.text, self.save_button, self.delete_button, self.use_button):
            w.setEnabled(pitch is not None)
        self.error.clear()

    def _update_length(self) -> None:
        self.length.setText(describe_length(self.text.toPlainText()))

    def _on_changed(self, changes: Changes) -> None:
        self.refresh(self.current_id())

    def _on_new(self) -> None:
        command = AddPitch(self.bus, self.service, "New pitch")
        execute(self._push, command)
        assert command.record is not None
        self.refresh(command.record.id)
        self.title.setFocus()
        self.title.selectAll()

    def _on_save(self) -> None:
        pid = self.current_id()
        if pid is None:
            return
        before = self.service.get(pid)
        command = EditPitch(self.bus, self.service, before, self.title.text(),
                            self.text.toPlainText())  # fmt: skip
        try:
            execute(self._push, command)
        except ValidationError as exc:
            self.error.setText(exc.message)
            return
        self.refresh(pid)

    def _on_delete(self) -> None:
        pid = self.current_id()
        if pid is None:
            return
        execute(self._push, DeletePitch(self.bus, self.service, pid))
        self.refresh()

    def _on_use(self) -> None:
        pid = self.current_id()
        if pid is None:
            return
        title, text = self.title.text(), self.text.toPlainText()
        saved = self.service.get(pid)
        if (title.strip(), text.strip()) != (saved.title, saved.text):
            self._on_save()
        self.chosen_id = pid
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The title field hands Return on after saving; it must not close the dialog too.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(
            self.focusWidget(), QLineEdit
        ):
            event.accept()
            return
        super().keyPressEvent(event)

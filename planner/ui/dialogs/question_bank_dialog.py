"""The question bank: pick questions for an event, add your own, tag them; closed ones flagged."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QUndoCommand
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.changes import Changes
from planner.core.errors import ValidationError
from planner.core.questions import QuestionRecord, QuestionService, is_closed_question
from planner.ui.bus import Bus
from planner.ui.commands import execute
from planner.ui.commands.library import AddQuestion, DeleteQuestion, EditQuestion
from planner.ui.tabs.base import ChangeFollower

CLOSED_HINT = (
    "This reads as a yes/no question. Starting with “What”, “How” or “Tell me about” "
    "usually gets people talking."
)


def question_label(q: QuestionRecord) -> str:
    text = q.text
    if q.tags:
        text += "   [" + ", ".join(q.tags) + "]"
    return text


class QuestionBankDialog(QDialog):
    """Picks the questions for an event and edits the bank.

    Each edit is a named command (planner.ui.commands.library) pushed through `push`; the
    list follows `bus.changed`, so an undo or redo shows here too. Without a `bus` the
    dialog keeps one of its own.
    """

    def __init__(
        self,
        service: QuestionService,
        picked: list[int],
        push: Callable[[QUndoCommand], object],
        parent: QWidget | None = None,
        *,
        bus: Bus | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("questionBankDialog")
        self.setWindowTitle("Question bank")
        self.resize(640, 520)
        self.service = service
        self._push = push
        self.bus = bus if bus is not None else Bus(self)
        self._picked = list(picked)
        layout = QVBoxLayout(self)
        intro = QLabel("Tick the questions to take to this event. Open questions work best.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("questionSearch")
        self.search.setAccessibleName("Search questions")
        self.search.setPlaceholderText("Search questions…")
        self.search.setClearButtonEnabled(True)
        self.tag = QComboBox()
        self.tag.setObjectName("questionTagFilter")
        self.tag.setAccessibleName("Filter by tag")
        filters.addWidget(self.search, 1)
        filters.addWidget(self.tag)
        layout.addLayout(filters)
        self.list = QListWidget()
        self.list.setObjectName("questionList")
        self.list.setAccessibleName("Questions in the bank")
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)

        add_row = QHBoxLayout()
        self.new_text = QLineEdit()
        self.new_text.setObjectName("newQuestionText")
        self.new_text.setAccessibleName("New question")
        self.new_text.setPlaceholderText("Add a question, e.g. What got you into this field?")
        self.new_tags = QLineEdit()
        self.new_tags.setObjectName("newQuestionTags")
        self.new_tags.setAccessibleName("Tags for the new question")
        self.new_tags.setPlaceholderText("tags, comma-separated")
        self.add_button = QPushButton("&Add")
        self.add_button.setObjectName("addQuestionButton")
        self.add_button.setAccessibleName("Add question to the bank")
        self.delete_button = QPushButton("&Delete from bank")
        self.delete_button.setObjectName("deleteQuestionButton")
        self.delete_button.setAccessibleName("Delete the selected question from the bank")
        self.new_tags.setMinimumWidth(180)
        add_row.addWidget(self.new_text, 3)
        add_row.addWidget(self.new_tags, 1)
        add_row.addWidget(self.add_button)
        self.update_button = QPushButton("&Update selected")
        self.update_button.setObjectName("updateQuestionButton")
        self.update_button.setAccessibleName("Save the text and tags to the selected question")
        add_row.addWidget(self.update_button)
        layout.addLayout(add_row)
        self.hint = QLabel()
        self.hint.setObjectName("closedQuestionHint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        bottom = QHBoxLayout()
        bottom.addWidget(self.delete_button)
        bottom.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("questionBankButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self._connect_signals()
        self._reload_tags()
        self.refresh()
        self.update_button.setEnabled(False)
        self.follower = ChangeFollower(self, self.bus, self._on_changed, kinds=("questions",))

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(lambda _t: self.refresh())
        self.tag.currentIndexChanged.connect(lambda _i: self.refresh())
        self.new_text.textChanged.connect(self._on_new_text_changed)
        self.new_text.returnPressed.connect(self._on_add)
        self.new_tags.returnPressed.connect(self._on_add)
        # Enter belongs to the field it is typed in; only the OK button closes the dialog.
        for button in (self.add_button, self.update_button, self.delete_button):
            button.setAutoDefault(False)
        self.add_button.clicked.connect(self._on_add)
        self.delete_button.clicked.connect(self._on_delete)
        self.update_button.clicked.connect(self._on_update)
        self.list.currentItemChanged.connect(lambda _c, _p: self._on_current_changed())
        self.list.itemChanged.connect(self._on_item_changed)

    def _reload_tags(self) -> None:
        current = self.tag.currentData()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem("All tags", "")
        for tag in self.service.all_tags():
            self.tag.addItem(tag, tag)
        self.tag.setCurrentIndex(max(0, self.tag.findData(current)))
        self.tag.blockSignals(False)

    def refresh(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for q in self.service.list(self.search.text(), str(self.tag.currentData() or "")):
            item = QListWidgetItem(question_label(q))
            item.setData(Qt.ItemDataRole.UserRole, q.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if q.id in self._picked else Qt.CheckState.Unchecked
            )
            if q.closed:
                item.setToolTip(CLOSED_HINT)
                item.setText("⚠ " + item.text())
            self.list.addItem(item)
        self.list.blockSignals(False)

    def picked_ids(self) -> list[int]:
        return list(self._picked)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        qid = int(item.data(Qt.ItemDataRole.UserRole))
        checked = item.checkState() == Qt.CheckState.Checked
        if checked and qid not in self._picked:
            self._picked.append(qid)
        elif not checked and qid in self._picked:
            self._picked.remove(qid)

    def _on_new_text_changed(self, text: str) -> None:
        self.hint.setText(CLOSED_HINT if is_closed_question(text) else "")

    def _on_add(self) -> None:
        command = AddQuestion(self.bus, self.service, self.new_text.text(), self.new_tags.text())
        try:
            execute(self._push, command)
        except ValidationError as exc:
            self.hint.setText(exc.message)
            return
        assert command.record is not None
        self._picked.append(command.record.id)
        self.new_text.clear()
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        self._reload_tags()
        self.refresh()

    def _current_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _on_current_changed(self) -> None:
        """Selecting a question puts it in the boxes below, to edit and Update."""
        qid = self._current_id()
        self.update_button.setEnabled(qid is not None)
        if qid is None:
            return
        q = self.service.get(qid)
        self.new_text.setText(q.text)
        self.new_tags.setText(", ".join(q.tags))

    def _on_update(self) -> None:
        qid = self._current_id()
        if qid is None:
            return
        before = self.service.get(qid)
        command = EditQuestion(self.bus, self.service, before, self.new_text.text(),
                               self.new_tags.text())  # fmt: skip
        try:
            execute(self._push, command)
        except ValidationError as exc:
            self.hint.setText(exc.message)
            return
        self._select(qid)

    def _select(self, question_id: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == question_id:
                self.list.setCurrentRow(row)

    def _on_delete(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        qid = int(item.data(Qt.ItemDataRole.UserRole))
        if qid in self._picked:
            self._picked.remove(qid)
        execute(self._push, DeleteQuestion(self.bus, self.service, qid))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A line edit passes Return on to the dialog after handling it; closing here would
        # throw away the question being typed.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(
            self.focusWidget(), QLineEdit
        ):
            event.accept()
            return
        super().keyPressEvent(event)

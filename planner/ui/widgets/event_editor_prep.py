"""The event editor's Pitch & questions page (mixed into EventEditor): the library pitch
or a tailored one, and the questions picked from the bank."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem

from planner.core.events import EventDetail
from planner.core.pitches import PitchService, describe_length
from planner.core.questions import QuestionService
from planner.ui.commands.events import ChoosePitch, ChooseQuestions, PlanEdit
from planner.ui.context import TabContext

if TYPE_CHECKING:
    from planner.ui.widgets.event_editor_view import EventEditorView

    _Base = EventEditorView
else:
    _Base = object


class EventPrepController(_Base):
    """Mixed into EventEditor, which provides the widgets, `_plan` and `reload`."""

    context: TabContext
    pitches: PitchService
    questions: QuestionService
    event_id: int | None
    detail: EventDetail | None

    if TYPE_CHECKING:

        def _plan(self, command: type[PlanEdit], *args: Any) -> bool: ...

        def _update(self, text: str, **changes: Any) -> None: ...

        def reload(self) -> None: ...

    def _connect_prep(self) -> None:
        self.pitch_choice.activated.connect(lambda _i: self._on_pitch_chosen())
        self.pitch_library_button.clicked.connect(self.open_pitch_library)
        self.pitch_reset_button.clicked.connect(self._on_pitch_reset)
        self.pitch_text.textChanged.connect(self._update_pitch_length)
        self.pitch_text.committed.connect(
            lambda text: self._update("Tailor pitch", pitch_text=text)
        )
        self.choose_questions_button.clicked.connect(self.choose_questions)
        self.remove_question_button.clicked.connect(self._on_remove_question)

    def _update_pitch_length(self) -> None:
        self.pitch_length.setText(describe_length(self.pitch_text.toPlainText()))

    def _load_prep(self, detail: EventDetail) -> None:
        self.pitch_choice.clear()
        self.pitch_choice.addItem("No library pitch", None)
        for pitch in self.pitches.list():
            self.pitch_choice.addItem(pitch.title, pitch.id)
        self.pitch_choice.setCurrentIndex(max(0, self.pitch_choice.findData(detail.event.pitch_id)))
        self.pitch_reset_button.setEnabled(detail.event.pitch_id is not None)
        self.pitch_text.set_saved_text(detail.event.pitch_text)
        self._update_pitch_length()
        question_row = self.question_list.currentRow()
        self.question_list.clear()
        closed = 0
        for q in detail.questions:
            item = QListWidgetItem(("⚠ " if q.closed else "") + q.text)
            item.setData(Qt.ItemDataRole.UserRole, q.id)
            if q.closed:
                closed += 1
                item.setToolTip("A yes/no question; an open one keeps the conversation going.")
            self.question_list.addItem(item)
        self.question_list.setCurrentRow(min(question_row, self.question_list.count() - 1))
        if closed:
            self.question_warning.setText(
                f"{closed} of these can be answered with a yes or no. Rephrasing them to start "
                "with “What”, “How” or “Tell me about” tends to get people talking."
            )
        elif not detail.questions:
            self.question_warning.setText("No questions picked yet.")
        else:
            self.question_warning.setText("")

    def _on_pitch_chosen(self) -> None:
        if self.event_id is None or self.detail is None:
            return
        pitch_id = self.pitch_choice.currentData()
        if pitch_id == self.detail.event.pitch_id:
            return
        self._plan(ChoosePitch, pitch_id)

    def _on_pitch_reset(self) -> None:
        if self.event_id is None or self.detail is None or self.detail.event.pitch_id is None:
            return
        self._plan(ChoosePitch, self.detail.event.pitch_id, "Reset pitch")

    def open_pitch_library(self) -> None:
        from planner.ui.dialogs.pitch_library_dialog import PitchLibraryDialog

        current = self.detail.event.pitch_id if self.detail else None
        dialog = PitchLibraryDialog(
            self.pitches, self.context.undo_stack.push, current, self, bus=self.context.bus
        )
        accepted = dialog.exec() == PitchLibraryDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted and dialog.chosen_id is not None and self.event_id is not None:
            self._plan(ChoosePitch, dialog.chosen_id)
        else:
            self.reload()

    def choose_questions(self) -> None:
        from planner.ui.dialogs.question_bank_dialog import QuestionBankDialog

        if self.detail is None:
            return
        picked = [q.id for q in self.detail.questions]
        dialog = QuestionBankDialog(
            self.questions, picked, self.context.undo_stack.push, self, bus=self.context.bus
        )
        accepted = dialog.exec() == QuestionBankDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted and (chosen := dialog.picked_ids()) != picked:
            self._plan(ChooseQuestions, chosen)
        else:
            self.reload()

    def _on_remove_question(self) -> None:
        item = self.question_list.currentItem()
        if item is None or self.detail is None:
            return
        qid = int(item.data(Qt.ItemDataRole.UserRole))
        rest = [q.id for q in self.detail.questions if q.id != qid]
        self._plan(ChooseQuestions, rest, "Remove question")

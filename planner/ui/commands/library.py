"""Undo commands for the pitch library and the question bank: add, edit, delete."""

from __future__ import annotations

from planner.core.changes import Changes
from planner.core.pitches import PitchRecord, PitchService
from planner.core.questions import QuestionRecord, QuestionService
from planner.ui.bus import Bus
from planner.ui.commands.base import Command


class AddPitch(Command):
    """A new pitch; undo deletes it, redo brings it back with the same id and uuid."""

    def __init__(self, bus: Bus, service: PitchService, title: str, text: str = "") -> None:
        super().__init__(bus, "New pitch")
        self.service = service
        self.title = title
        self.body = text
        self.record: PitchRecord | None = None

    def apply(self) -> Changes:
        if self.record is None:
            self.record = self.service.create(self.title, self.body)
        else:
            self.service.restore(self.record)
        return Changes.of(pitches=[self.record.id])

    def revert(self) -> Changes:
        assert self.record is not None
        self.service.delete(self.record.id)
        return Changes.of(pitches=[self.record.id])


class EditPitch(Command):
    """New title and text for one pitch; undo puts the old ones back."""

    def __init__(self, bus: Bus, service: PitchService, before: PitchRecord, title: str,
                 text: str) -> None:  # fmt: skip
        super().__init__(bus, "Edit pitch")
        self.service = service
        self.before = before
        self.title = title
        self.body = text

    def apply(self) -> Changes:
        self.service.update(self.before.id, self.title, self.body)
        return Changes.of(pitches=[self.before.id])

    def revert(self) -> Changes:
        self.service.update(self.before.id, self.before.title, self.before.text)
        return Changes.of(pitches=[self.before.id])


class DeletePitch(Command):
    """Delete a pitch from the library (events keep their own copy); undo restores it."""

    def __init__(self, bus: Bus, service: PitchService, pitch_id: int) -> None:
        super().__init__(bus, "Delete pitch")
        self.service = service
        self.pitch_id = pitch_id
        self.record: PitchRecord | None = None

    def apply(self) -> Changes:
        self.record = self.service.delete(self.pitch_id)
        return Changes.of(pitches=[self.pitch_id])

    def revert(self) -> Changes:
        assert self.record is not None
        self.service.restore(self.record)
        return Changes.of(pitches=[self.pitch_id])


class AddQuestion(Command):
    """A new question in the bank; redo brings back the same id (events' picks name it)."""

    def __init__(self, bus: Bus, service: QuestionService, text: str, tags: str = "") -> None:
        super().__init__(bus, "Add question")
        self.service = service
        self.body = text
        self.tags = tags
        self.record: QuestionRecord | None = None

    def apply(self) -> Changes:
        if self.record is None:
            self.record = self.service.create(self.body, self.tags)
        else:
            self.service.restore(self.record)
        return Changes.of(questions=[self.record.id])

    def revert(self) -> Changes:
        assert self.record is not None
        _, picks = self.service.delete(self.record.id)
        return Changes.of(questions=[self.record.id], events=[e for e, _pos in picks])


class EditQuestion(Command):
    """New text and tags for one question; undo puts the old ones back."""

    def __init__(self, bus: Bus, service: QuestionService, before: QuestionRecord, text: str,
                 tags: str) -> None:  # fmt: skip
        super().__init__(bus, "Edit question")
        self.service = service
        self.before = before
        self.body = text
        self.tags = tags

    def apply(self) -> Changes:
        self.service.update(self.before.id, self.body, self.tags)
        return Changes.of(questions=[self.before.id])

    def revert(self) -> Changes:
        self.service.update(self.before.id, self.before.text, ", ".join(self.before.tags))
        return Changes.of(questions=[self.before.id])


class DeleteQuestion(Command):
    """Delete a question and its picks in events; undo restores both."""

    def __init__(self, bus: Bus, service: QuestionService, question_id: int) -> None:
        super().__init__(bus, "Delete question")
        self.service = service
        self.question_id = question_id
        self.record: QuestionRecord | None = None
        self.picks: tuple[tuple[int, int], ...] = ()

    def _changes(self) -> Changes:
        return Changes.of(questions=[self.question_id], events=[e for e, _pos in self.picks])

    def apply(self) -> Changes:
        self.record, self.picks = self.service.delete(self.question_id)
        return self._changes()

    def revert(self) -> Changes:
        assert self.record is not None
        self.service.restore(self.record, self.picks)
        return self._changes()

"""OptionalDateEdit: a date that can be switched off; says so once per user change."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate

from planner.ui.widgets.optional_date_edit import OptionalDateEdit


def test_set_value_shows_without_emitting(qtbot: Any) -> None:
    edit = OptionalDateEdit("due", "Due date")
    qtbot.addWidget(edit)
    seen: list[object] = []
    edit.date_changed.connect(seen.append)
    edit.set_value(date(2026, 5, 4))
    assert edit.value() == date(2026, 5, 4) and edit.edit.isEnabled()
    edit.set_value(None)
    assert edit.value() is None and not edit.edit.isEnabled()
    assert seen == []
    assert edit.enabled_box.objectName() == "dueSet" and edit.edit.accessibleName() == "Due date"


def test_ticking_and_unticking_emit_the_date_and_none(qtbot: Any) -> None:
    edit = OptionalDateEdit("due", "Due date")
    qtbot.addWidget(edit)
    edit.set_value(None)
    edit.edit.setDate(QDate(2026, 7, 1))
    with qtbot.waitSignal(edit.date_changed) as ticked:
        edit.enabled_box.setChecked(True)
    assert ticked.args == [date(2026, 7, 1)]
    with qtbot.waitSignal(edit.date_changed) as unticked:
        edit.enabled_box.setChecked(False)
    assert unticked.args == [None]


def test_typing_a_date_emits_when_the_edit_is_finished(qtbot: Any) -> None:
    edit = OptionalDateEdit("due", "Due date")
    qtbot.addWidget(edit)
    edit.set_value(date(2026, 1, 1))
    seen: list[object] = []
    edit.date_changed.connect(seen.append)
    edit.edit.setDate(QDate(2026, 1, 2))  # typing alone does not save yet
    assert seen == []
    edit.edit.editingFinished.emit()
    assert seen == [date(2026, 1, 2)]

"""The contact form's field widgets: labelled lists, birthday, tags, the contact picker."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from planner.core.records import LabeledValue
from planner.ui.widgets.contact_fields import (
    BirthdayEdit,
    ContactPicker,
    LabeledValuesEditor,
    TagLineEdit,
    show_error,
)


def test_labeled_values_round_trip_add_and_remove(qtbot: Any) -> None:
    editor = LabeledValuesEditor("emails", ["work", "home"], "E-mail")
    qtbot.addWidget(editor)
    editor.show()
    editor.set_values([LabeledValue("work", "ana@globex.example"), LabeledValue("x", "a@b.c")])
    assert editor.values() == [
        LabeledValue("work", "ana@globex.example"),
        LabeledValue("x", "a@b.c"),
    ]
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert len(editor.value_edits()) == 3
    assert editor.values()[-1] == LabeledValue("x", "a@b.c")  # the empty new row is left out
    remove = editor.findChild(QToolButton, "emailsRemove0")
    assert remove is not None
    with qtbot.waitSignal(editor.edited):
        qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert editor.values() == [LabeledValue("x", "a@b.c")]


def test_an_error_goes_as_soon_as_the_value_is_right(qtbot: Any) -> None:
    editor = LabeledValuesEditor("emails", ["work"], "E-mail")
    qtbot.addWidget(editor)
    editor.show()
    editor.set_check(lambda value: "" if "@" in value else "Not an e-mail address.")
    editor.set_values([LabeledValue("work", "ana.globex.example")])
    show_error(editor.error, "Not an e-mail address.")
    assert editor.error.isVisible()
    edit = editor.value_edits()[0]
    edit.setFocus()
    qtbot.keyClicks(edit, "x")  # still wrong: the message stays
    assert editor.error.isVisible()
    edit.selectAll()
    qtbot.keyClicks(edit, "ana@globex.example")
    assert not editor.error.isVisible()


def test_birthday_year_is_optional_and_clear_empties_it(qtbot: Any) -> None:
    birthday = BirthdayEdit()
    qtbot.addWidget(birthday)
    seen: list[object] = []
    birthday.edited.connect(lambda: seen.append(birthday.value()))
    birthday.set_value(4, 18, None)
    assert birthday.value() == (4, 18, None) and seen == []  # loading does not emit
    birthday.year.setValue(1990)
    assert seen[-1] == (4, 18, 1990)
    qtbot.mouseClick(birthday.clear_button, Qt.MouseButton.LeftButton)
    assert birthday.value() == (None, None, None) and seen[-1] == (None, None, None)


def test_tags_split_on_commas(qtbot: Any) -> None:
    tags = TagLineEdit()
    qtbot.addWidget(tags)
    tags.set_tags(["fintech", "speaker"])
    assert tags.text() == "fintech, speaker"
    tags.setText(" ai ,, ml , ")
    assert tags.tags() == ["ai", "ml"]


def test_contact_picker_picks_by_label_and_clears(qtbot: Any) -> None:
    people = [(1, "Ana Ruiz"), (2, "Ben Okafor")]
    picker = ContactPicker(
        lambda text: [p for p in people if text.lower() in p[1].lower()], "referrer", "Referrer"
    )
    qtbot.addWidget(picker)
    picker.show()
    picker.edit.setFocus()
    qtbot.keyClicks(picker.edit, "Ben Okafor")
    with qtbot.waitSignal(picker.picked):
        picker.edit.editingFinished.emit()
    assert picker.contact_id == 2
    with qtbot.waitSignal(picker.picked):
        qtbot.mouseClick(picker.clear_button, Qt.MouseButton.LeftButton)
    assert picker.contact_id is None and picker.edit.text() == ""
    picker.set_contact(1, "Ana Ruiz")
    assert picker.edit.text() == "Ana Ruiz" and picker.contact_id == 1

"""PickerDialog: type to filter (the search runs on Return or after a pause), pick ids."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from planner.ui.dialogs import picker_dialog
from planner.ui.dialogs.picker_dialog import PickerDialog, pick_items

PEOPLE = [(1, "Ana Ruiz"), (2, "Ben Okafor"), (3, "Anaïs Martin")]


def _search(calls: list[str]) -> Any:
    def search(text: str) -> list[tuple[int, str]]:
        calls.append(text)
        return [(i, name) for i, name in PEOPLE if text.lower() in name.lower()]

    return search


def test_return_filters_at_once_and_the_first_match_is_current(qtbot: Any) -> None:
    calls: list[str] = []
    dialog = PickerDialog("Pick people", _search(calls), hint="Who was there?")
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 3 and calls == [""]
    dialog.filter_edit.setText("an")
    qtbot.keyClick(dialog.filter_edit, Qt.Key.Key_Return)
    assert calls[-1] == "an" and dialog.list.count() == 2
    assert dialog.list.currentRow() == 0
    dialog.list.item(1).setSelected(True)
    dialog.list.item(0).setSelected(True)
    assert sorted(dialog.selected_ids()) == [1, 3]


def test_typing_waits_for_a_pause_before_searching(qtbot: Any) -> None:
    calls: list[str] = []
    dialog = PickerDialog("Pick", _search(calls))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.filter_edit, "ben")
    assert calls == [""]  # not once per letter
    qtbot.waitUntil(lambda: calls[-1] == "ben")
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["Ben Okafor"]


def test_single_choice_and_cancel(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = PickerDialog("Pick one", _search([]), multi=False)
    qtbot.addWidget(dialog)
    dialog.list.item(0).setSelected(True)
    dialog.list.item(1).setSelected(True)
    assert dialog.selected_ids() == [2]
    monkeypatch.setattr(PickerDialog, "exec", lambda self: int(QDialog.DialogCode.Rejected))
    assert pick_items(None, "Pick", _search([])) == []

    def accept_first(self: PickerDialog) -> int:
        self.list.item(0).setSelected(True)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(picker_dialog.PickerDialog, "exec", accept_first)
    assert pick_items(None, "Pick", _search([])) == [1]

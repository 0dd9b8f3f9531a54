"""Esc on a dialog with typed text asks before discarding it; an untouched dialog just closes."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from planner.ui.dialogs.touchpoint_dialog import TouchpointDialog
from planner.ui.discard_guard import install_discard_guard


@pytest.fixture(autouse=True)
def guard(qapp: QApplication) -> None:
    install_discard_guard(qapp)


def _dialog(qtbot: Any) -> TouchpointDialog:
    dialog = TouchpointDialog("Ada Lovelace")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_esc_with_a_typed_note_asks_and_keeps_it(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(args[1])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", answer)
    dialog = _dialog(qtbot)
    note = dialog.findChild(object, "touchNote") or dialog.note  # type: ignore[attr-defined]
    note.setFocus()
    qtbot.keyClicks(note, "She asked about the Difference Engine")
    qtbot.keyClick(note, Qt.Key.Key_Escape)
    assert asked == ["Discard what you typed?"]
    assert dialog.isVisible()
    assert "Difference Engine" in note.toPlainText()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    qtbot.keyClick(note, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result() == TouchpointDialog.DialogCode.Rejected


def test_esc_on_an_untouched_dialog_closes_at_once(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked"))
    dialog = _dialog(qtbot)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()

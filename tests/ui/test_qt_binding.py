"""Guards against Qt binding bugs that would crash the running app."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_do_not_leak_none_references(qtbot: object) -> None:
    """PySide6 6.12.0 lost a reference to None per void call; on Python 3.11 that kills the app
    after a few thousand repaints. A correct binding leaves None's count where it was."""
    label = QLabel()
    qtbot.addWidget(label)  # type: ignore[attr-defined]
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    assert abs(sys.getrefcount(None) - before) < 50

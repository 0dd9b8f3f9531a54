"""ElidedLabel: one line whatever it says; cut text ends in "…" with the whole in the tooltip."""

from __future__ import annotations

from typing import Any

from planner.ui.widgets.elided_label import ElidedLabel


def test_elided_label_keeps_its_line_and_tells_the_whole_text(qtbot: Any) -> None:
    label = ElidedLabel()
    qtbot.addWidget(label)
    label.resize(80, 20)
    label.show()
    empty_height = label.sizeHint().height()
    long_text = "Imported 30,000 contacts from Connections.csv into the address book"
    label.setText(long_text)
    assert label.sizeHint().height() == empty_height
    assert label.full_text() == long_text and label.is_elided()
    assert label.toolTip() == long_text and label.accessibleDescription() == long_text
    label.setText("Done")
    assert not label.is_elided() and label.toolTip() == ""


def test_a_callers_own_tooltip_wins(qtbot: Any) -> None:
    label = ElidedLabel("A rather long status line that will not fit")
    qtbot.addWidget(label)
    label.resize(60, 20)
    label.show()
    label.setToolTip("Status")
    label.setText("Another long status line that will not fit either")
    assert label.toolTip() == "Status"

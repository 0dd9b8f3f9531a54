"""A teammate changed the record you were editing: keep yours, take theirs, or pick per field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.conflicts import FIELD_NAMES, Conflict, describe


def value_text(value: Any) -> str:
    """A field's value as the dialog shows it."""
    if value is None or value == "" or value == ():
        return "—"
    if isinstance(value, list | tuple):
        parts = []
        for item in value:
            label = getattr(item, "label", "")
            text = getattr(item, "value", item)
            parts.append(f"{label}: {text}" if label else str(text))
        return "; ".join(parts) or "—"
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "…"


class ConflictDialog(QDialog):
    """Shows what clashes; choice() gives the user's values to save (possibly none)."""

    KEEP_MINE = "mine"
    TAKE_THEIRS = "theirs"
    MERGE = "merge"

    def __init__(
        self,
        conflict: Conflict,
        what: str = "contact",
        parent: QWidget | None = None,
        show: Callable[[str, Any], str] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle("Changed by someone else")
        self.conflict = conflict
        self.decision = self.TAKE_THEIRS
        layout = QVBoxLayout(self)
        headline = QLabel(f"<b>{describe(conflict, what)}</b>")
        headline.setObjectName("conflictHeadline")
        headline.setWordWrap(True)
        layout.addWidget(headline)
        layout.addWidget(
            QLabel("You changed some of the same fields. Choose which version to keep:")
        )
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Field</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Yours</b>"), 0, 1)
        grid.addWidget(QLabel(f"<b>{conflict.who}'s</b>"), 0, 2)
        self.mine_buttons: dict[str, QRadioButton] = {}
        for row, key in enumerate(conflict.clashing, start=1):
            name = FIELD_NAMES.get(key, key.replace("_", " "))
            grid.addWidget(QLabel(name.capitalize()), row, 0)
            text = show or (lambda _key, value: value_text(value))
            mine = QRadioButton(text(key, conflict.mine.get(key)))
            mine.setObjectName(f"conflictMine_{key}")
            mine.setAccessibleName(f"Keep my {name}")
            theirs = QRadioButton(text(key, conflict.theirs.get(key)))
            theirs.setObjectName(f"conflictTheirs_{key}")
            theirs.setAccessibleName(f"Take their {name}")
            group = QButtonGroup(self)
            group.addButton(mine)
            group.addButton(theirs)
            mine.setChecked(True)
            grid.addWidget(mine, row, 1)
            grid.addWidget(theirs, row, 2)
            self.mine_buttons[key] = mine
        layout.addLayout(grid)
        others = [k for k in conflict.mine if k not in conflict.clashing]
        if others:
            note = QLabel("Your other changes are kept in any case.")
            note.setObjectName("conflictNote")
            layout.addWidget(note)
        buttons = QDialogButtonBox()
        self.keep_mine_button = self._button(buttons, "conflictKeepMine", "&Keep mine")
        self.take_theirs_button = self._button(buttons, "conflictTakeTheirs", "&Take theirs")
        self.merge_button = self._button(buttons, "conflictMerge", "Save &merge")
        self.keep_mine_button.clicked.connect(lambda: self._finish(self.KEEP_MINE))
        self.take_theirs_button.clicked.connect(lambda: self._finish(self.TAKE_THEIRS))
        self.merge_button.clicked.connect(lambda: self._finish(self.MERGE))
        self.merge_button.setDefault(True)
        layout.addWidget(buttons)

    @staticmethod
    def _button(box: QDialogButtonBox, name: str, text: str) -> QPushButton:
        button = box.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(name)
        return button

    def _finish(self, decision: str) -> None:
        self.decision = decision
        self.accept()

    def choice(self) -> dict[str, Any]:
        """The user's values to write over the current record (theirs stays for the rest)."""
        return choose(self.conflict, self.decision, self.picked_mine())

    def picked_mine(self) -> set[str]:
        return {k for k, button in self.mine_buttons.items() if button.isChecked()}


def choose(conflict: Conflict, decision: str, mine_fields: set[str]) -> dict[str, Any]:
    """Keep mine: all my values; take theirs: mine that clash with nothing; merge: per field."""
    keep: Mapping[str, Any] = conflict.mine
    if decision == ConflictDialog.KEEP_MINE:
        return dict(keep)
    chosen = set() if decision == ConflictDialog.TAKE_THEIRS else mine_fields
    return {k: v for k, v in keep.items() if k not in conflict.clashing or k in chosen}

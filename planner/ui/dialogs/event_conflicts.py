"""Stale saves of event plans and organisations: a teammate saved the same record since the
user's copy was read. Their change is kept; the user's goes on top (merged by itself when the
fields differ, through the conflict dialog when the same field changed on both sides)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from PySide6.QtWidgets import QDialog, QWidget

from planner.core.conflicts import describe, find_conflict
from planner.core.errors import ConflictError, ValidationError
from planner.ui.dialogs.conflict_dialog import ConflictDialog

R = TypeVar("R")


def save_over_theirs(
    parent: QWidget,
    what: str,
    fields: Iterable[str],
    seen: R,
    values: Mapping[str, Any],
    current: R,
    save: Callable[[R, dict[str, Any]], R],
    say: Callable[[str], object],
) -> R:
    """Save `values` on top of `current` (theirs); returns the record now.

    `save(base, wanted)` saves `wanted` as one undo step expecting `base`'s version, raising
    ConflictError when it moved again. Keeping theirs entirely (or cancelling the dialog)
    saves nothing and returns their record.
    """
    names = tuple(fields)
    for _attempt in range(3):
        conflict = find_conflict(seen, current, values, names)
        wanted = dict(values)
        if conflict.clashing:
            dialog = ConflictDialog(conflict, what, parent)
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            wanted = dialog.choice() if accepted else {}
            dialog.deleteLater()
            if not wanted:
                say(f"{describe(conflict, what)}. Their version is kept.")
        else:
            say(f"{describe(conflict, what)}. Your change was added to theirs.")
        if not wanted:
            return current
        try:
            return save(current, wanted)
        except ConflictError as again:
            seen, current = current, again.current
    raise ValidationError("", f"This {what} keeps changing under you; try again in a moment.")

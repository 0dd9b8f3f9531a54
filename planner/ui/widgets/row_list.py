"""A table whose rows are the things it lists (contacts, events, follow-ups...)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView


def select_rows(view: QAbstractItemView) -> None:
    """Clicks select whole rows, and Tab leaves the list. Qt's default Tab moved across the
    row's cells, unseen since the whole row is highlighted, and then on to the next row:
    pressing Tab a few times silently showed another contact (at 200 %, with one column
    shown, every press did)."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setTabKeyNavigation(False)

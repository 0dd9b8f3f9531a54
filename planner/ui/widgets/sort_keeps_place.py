"""After a click on a column header re-sorts a list, the current row is scrolled back into
view: the row the user was on otherwise lands somewhere off screen and they lose their place."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractItemView, QTableView


def keep_current_row_in_view_on_sort(view: QTableView) -> None:
    def scroll() -> None:
        current = view.currentIndex()
        if current.isValid():
            view.scrollTo(current, QAbstractItemView.ScrollHint.EnsureVisible)

    # In the next turn of the loop: the sort is done by then whichever slot runs first.
    view.horizontalHeader().sortIndicatorChanged.connect(
        lambda *_: QTimer.singleShot(0, view, scroll)
    )

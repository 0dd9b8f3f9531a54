"""Fitting a big list's columns to a sample of its rows, measured in Python.

Qt's ResizeToContents and resizeColumnsToContents ask the model's data() about a dozen roles
per cell (through a sort proxy, three Python calls each), on every layout: at 100,000
contacts that was 9,000-30,000 calls and 30-70 ms of frozen window per list. Measuring the
display texts of the first rows with the view's font costs a few hundred calls, once per
refill.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QStyle, QTableView

# Rows measured per column.
FIT_ROWS = 60


def cell_padding(view: QTableView) -> int:
    """What a cell adds to its text's width (as Qt's item delegate measures it)."""
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view)
    return 2 * (margin + 1) + 4


def fit_columns(
    view: QTableView, columns: Iterable[int], texts: Callable[[int, int], list[str]]
) -> None:
    """Size each of `columns` to its header and `texts(column, FIT_ROWS)`, the display texts
    of its first rows."""
    header = view.horizontalHeader()
    metrics = view.fontMetrics()
    pad = cell_padding(view)
    for column in columns:
        sample = texts(column, FIT_ROWS)
        width = max((metrics.horizontalAdvance(t) for t in sample), default=0) + pad
        header.resizeSection(column, max(width, header.sectionSizeHint(column)))

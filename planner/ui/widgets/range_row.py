"""A "from … to …" row that folds onto two lines when its column is too narrow for one.

At 200 % scaling the event editor's column is about 350 px wide, and two date-time fields
side by side made its page scroll sideways with the end date cut off. Folded, the row reads
"<start> to" over "<end>", both fields in one column; its minimum width is then one field's.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget


class RangeRow(QWidget):
    def __init__(self, start: QWidget, end: QWidget, word: str = "to") -> None:
        super().__init__()
        self.start = start
        self.end = end
        self.word = QLabel(word)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(0, 1)
        self._folded: bool | None = None
        self._place(folded=False)
        QWidget.setTabOrder(start, end)  # the focus chain does not follow the grid

    def is_folded(self) -> bool:
        return bool(self._folded)

    def _one_line_width(self) -> int:
        spacing = max(0, self._grid.horizontalSpacing())
        return (
            self.start.minimumSizeHint().width()
            + self.word.sizeHint().width()
            + self.end.minimumSizeHint().width()
            + 2 * spacing
        )

    def _place(self, folded: bool) -> None:
        if folded == self._folded:
            return
        self._folded = folded
        for widget in (self.start, self.word, self.end):
            self._grid.removeWidget(widget)
        self._grid.addWidget(self.start, 0, 0)
        self._grid.addWidget(self.word, 0, 1)
        self._grid.addWidget(self.end, 1 if folded else 0, 0 if folded else 2)
        self._grid.setColumnStretch(2, 0 if folded else 1)
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        # The folded minimum whatever the current layout, so that the column can get narrower
        # than one line and the row then folds (a one-line minimum would force a scroll bar).
        widest = max(self.start.minimumSizeHint().width(), self.end.minimumSizeHint().width())
        spacing = max(0, self._grid.horizontalSpacing())
        hint = super().minimumSizeHint()
        return QSize(widest + spacing + self.word.sizeHint().width(), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place(folded=event.size().width() < self._one_line_width())
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        # A field's own width changed (an all-day event shows dates without times): one line
        # may fit now, or no longer, at the same width.
        if event.type() == QEvent.Type.LayoutRequest:
            self._place(folded=self.width() < self._one_line_width())
        return super().event(event)

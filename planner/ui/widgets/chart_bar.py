"""A small bar chart drawn with QPainter: grouped or stacked bars, axes, legend, tooltips.

Why our own and not QtCharts: the overview needs four bar charts over at most a dozen
categories. QtCharts comes in PySide6-Addons (a 59 MB wheel, 160 MB installed, for every
developer and pip user), its themes do not follow the system palette, and it is being
superseded by Qt Graphs. This widget takes its colours from the palette (so light and dark
themes and live theme switches just work), shows tooltips on hover and with the keyboard
(Left/Right move between categories), and costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QLocale, QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

from planner.ui.widgets.chart_palette import series_color
from planner.ui.widgets.chart_scale import format_ticks, nice_ticks


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]
    # A key of chart_palette.SERIES_COLORS.
    color: str = "blue"


PAD = 10.0
LEGEND_SWATCH = 10.0


class BarChart(QWidget):
    """Categories along x, one bar per series (grouped) or one bar of segments (stacked)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.setAccessibleName(title)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(260, 220)
        self._categories: tuple[str, ...] = ()
        self._details: tuple[str, ...] = ()
        self._series: tuple[Series, ...] = ()
        self._stacked = False
        self._horizontal = False
        self._x_title = ""
        self._y_title = ""
        self._empty_text = "Nothing to show yet"
        self._hover = -1
        self._current = -1

    # --- data -----------------------------------------------------------------------------

    def set_data(
        self,
        categories: Sequence[str],
        series: Sequence[Series],
        *,
        stacked: bool = False,
        horizontal: bool = False,
        details: Sequence[str] | None = None,
        x_title: str = "",
        y_title: str = "",
        empty_text: str = "Nothing to show yet",
    ) -> None:
        """`categories` are the axis labels (may hold a line break); `details` the long names."""
        self._categories = tuple(categories)
        self._details = (
            tuple(details)
            if details is not None
            else tuple(c.replace("\n", " ") for c in categories)
        )
        self._series = tuple(series)
        self._stacked = stacked
        self._horizontal = horizontal
        self._x_title = x_title
        self._y_title = y_title
        self._empty_text = empty_text
        if self._current >= len(self._categories):
            self._current = len(self._categories) - 1
        self.setAccessibleDescription(self.summary())
        self.update()

    @property
    def categories(self) -> tuple[str, ...]:
        return self._categories

    @property
    def series(self) -> tuple[Series, ...]:
        return self._series

    def value(self, series: int, category: int) -> float:
        values = self._series[series].values
        return values[category] if category < len(values) else 0.0

    def is_empty(self) -> bool:
        return not any(v for s in self._series for v in s.values)

    def summary(self) -> str:
        """The data as a sentence, for screen readers."""
        if self.is_empty():
            return f"{self.title}: {self._empty_text}"
        parts = [self.category_text(i) for i in range(len(self._categories))]
        return f"{self.title}. " + "; ".join(parts)

    def category_text(self, index: int) -> str:
        values = ", ".join(
            f"{s.name} {self.format_value(self.value(n, index))}"
            for n, s in enumerate(self._series)
        )
        return f"{self._details[index]}: {values}"

    @staticmethod
    def format_value(value: float) -> str:
        """Exact, with the user's digit grouping (the axis may say 33k; the tooltip 32,967)."""
        if value == int(value):
            return QLocale().toString(int(value))
        return QLocale().toString(value, "f", 1)

    def tooltip_html(self, index: int) -> str:
        rows = "".join(
            f"<tr><td><span style='color:{series_color(s.color, self.palette()).name()}'>"
            f"&#9632;</span> {s.name}</td>"
            f"<td align='right'>&nbsp;<b>{self.format_value(self.value(n, index))}</b></td></tr>"
            for n, s in enumerate(self._series)
        )
        if self._stacked and len(self._series) > 1:
            total = sum(self.value(n, index) for n in range(len(self._series)))
            rows += (
                f"<tr><td>Total</td><td align='right'>&nbsp;{self.format_value(total)}</td></tr>"
            )
        return f"<b>{self._details[index]}</b><table>{rows}</table>"

    # --- geometry -------------------------------------------------------------------------

    def _maximum(self) -> float:
        if not self._series or not self._categories:
            return 0.0
        n = len(self._categories)
        if self._stacked:
            return max(sum(self.value(s, i) for s in range(len(self._series))) for i in range(n))
        return max(self.value(s, i) for s in range(len(self._series)) for i in range(n))

    def _fonts(self) -> tuple[QFont, QFont]:
        title = QFont(self.font())
        title.setBold(True)
        small = QFont(self.font())
        if small.pointSizeF() > 0:
            small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
        return title, small

    def _layout(self) -> tuple[QRectF, list[float], float]:
        """(plot rectangle, value ticks, room for category labels) for this size and data."""
        title_font, small = self._fonts()
        tm = QFontMetricsF(title_font)
        sm = QFontMetricsF(small)
        ticks = nice_ticks(self._maximum())
        tick_w = max(sm.horizontalAdvance(label) for label in format_ticks(ticks))
        top = PAD + tm.height() + 6 + (sm.height() + 6 if self._series else 0)
        if self._horizontal:
            # Category names on the left (as wide as the widest, up to a third of the chart).
            widest = max((sm.horizontalAdvance(c) for c in self._details), default=0.0)
            label_w = min(widest + 8, self.width() / 3)
            left = PAD + label_w
            bottom = PAD + sm.height() + 4 + (sm.height() + 2 if self._x_title else 0)
            right = PAD + tick_w / 2
            room = label_w
        else:
            lines = max((c.count("\n") + 1 for c in self._categories), default=1)
            room = sm.height() * lines + 4
            left = PAD + (sm.height() + 4 if self._y_title else 0) + tick_w + 6
            bottom = PAD + room + (sm.height() + 2 if self._x_title else 0)
            right = PAD
        rect = QRectF(
            left,
            top,
            max(10.0, self.width() - left - right),
            max(10.0, self.height() - top - bottom),
        )
        return rect, ticks, room

    def _slot(self, plot: QRectF, index: int) -> QRectF:
        n = max(1, len(self._categories))
        if self._horizontal:
            height = plot.height() / n
            return QRectF(plot.left(), plot.top() + index * height, plot.width(), height)
        width = plot.width() / n
        return QRectF(plot.left() + index * width, plot.top(), width, plot.height())

    def bar_rect(self, series: int, category: int) -> QRectF:
        """Where a bar (or stacked segment) is drawn; empty when its value is 0."""
        plot, ticks, _ = self._layout()
        return self._bar_rect(plot, ticks[-1], series, category)

    def _bar_rect(self, plot: QRectF, top: float, series: int, category: int) -> QRectF:
        """Computed along (thickness across the slot, length along the value axis)."""
        slot = self._slot(plot, category)
        across = slot.height() if self._horizontal else slot.width()
        length = plot.width() if self._horizontal else plot.height()
        scale = length / top if top else 0.0
        value = self.value(series, category)
        if self._stacked:
            thick = min(across * 0.6, 56.0)
            offset = (across - thick) / 2
            start = sum(self.value(s, category) for s in range(series)) * scale
        else:
            n = max(1, len(self._series))
            group = min(across * 0.8, 28.0 * n)
            thick = max(1.0, group / n - 2)
            offset = (across - group) / 2 + series * (group / n) + 1
            start = 0.0
        size = value * scale
        if self._horizontal:
            return QRectF(plot.left() + start, slot.top() + offset, size, thick)
        return QRectF(slot.left() + offset, plot.bottom() - start - size, thick, size)

    def category_at(self, pos: QPointF | QPoint) -> int:
        """The category under a point of the plot area or its label, or -1."""
        point = QPointF(pos)
        plot, _, room = self._layout()
        band = plot.adjusted(-room, 0, 0, 0) if self._horizontal else plot.adjusted(0, 0, 0, room)
        if not self._categories or not band.contains(point):
            return -1
        n = len(self._categories)
        if self._horizontal:
            index = int((point.y() - plot.top()) / (plot.height() / n))
        else:
            index = int((point.x() - plot.left()) / (plot.width() / n))
        return index if 0 <= index < n else -1

    def tooltip_at(self, pos: QPointF | QPoint) -> str:
        title_font, _small = self._fonts()
        if pos.y() < PAD + QFontMetricsF(title_font).height() and self.shown_title() != self.title:
            return self.title  # cut short on the card
        index = self.category_at(pos)
        return self.tooltip_html(index) if index >= 0 else ""

    def sizeHint(self) -> QSize:
        return QSize(440, 300)

    def shown_title(self) -> str:
        """The title as it fits the card: cut with "…" when narrow (the tooltip has it all),
        never clipped mid-letter at the card's edge."""
        title_font, _small = self._fonts()
        return QFontMetricsF(title_font).elidedText(
            self.title, Qt.TextElideMode.ElideRight, self.width() - 2 * PAD
        )

    # --- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        muted = QColor(text)
        muted.setAlphaF(0.7)
        grid = QColor(text)
        grid.setAlphaF(0.12)
        title_font, small = self._fonts()
        sm = QFontMetricsF(small)

        # Card background, a touch apart from the window in both themes.
        card = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(pal.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(card, 6, 6)

        painter.setFont(title_font)
        painter.setPen(text)
        title_rect = QRectF(PAD, PAD, self.width() - 2 * PAD, QFontMetricsF(title_font).height())
        painter.drawText(
            title_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.shown_title(),
        )

        plot, ticks, room = self._layout()
        painter.setFont(small)
        self._paint_legend(painter, title_rect.bottom() + 6, sm, text)
        top = ticks[-1]
        self._paint_value_axis(painter, plot, ticks, sm, grid, muted)

        # Hover / keyboard highlight band behind the bars.
        highlight = pal.color(QPalette.ColorRole.Highlight)
        bands = [(self._hover, 0.10)]
        if self.hasFocus():
            bands.append((self._current, 0.18))
        for index, alpha in bands:
            if 0 <= index < len(self._categories):
                band = QColor(highlight)
                band.setAlphaF(alpha)
                painter.fillRect(self._slot(plot, index), band)

        # Bars.
        painter.setPen(Qt.PenStyle.NoPen)
        for s, series in enumerate(self._series):
            painter.setBrush(series_color(series.color, pal))
            for i in range(len(self._categories)):
                rect = self._bar_rect(plot, top, s, i)
                if rect.height() > 0 and rect.width() > 0:
                    radius = min(2.0, rect.width() / 4, rect.height() / 4)
                    painter.drawRoundedRect(rect, radius, radius)

        painter.setPen(QPen(muted, 1))
        if self._horizontal:
            painter.drawLine(plot.topLeft(), plot.bottomLeft())
        else:
            painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        self._paint_categories(painter, plot, room, sm, muted)

        if self.is_empty():
            painter.setPen(muted)
            flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
            painter.drawText(plot.adjusted(12, 0, -12, 0), flags, self._empty_text)

        if self.hasFocus():
            focus = QColor(highlight)
            painter.setPen(QPen(focus, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 6, 6)
        painter.end()

    def _paint_value_axis(
        self,
        painter: QPainter,
        plot: QRectF,
        ticks: list[float],
        sm: QFontMetricsF,
        grid: QColor,
        muted: QColor,
    ) -> None:
        """Grid lines, tick labels and the value-axis title."""
        top = ticks[-1]
        for tick, text in zip(ticks, format_ticks(ticks), strict=True):
            share = tick / top if top else 0.0
            if self._horizontal:
                x = plot.left() + share * plot.width()
                painter.setPen(QPen(grid, 1))
                painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
                painter.setPen(muted)
                label = QRectF(x - 40, plot.bottom() + 3, 80, sm.height())
                painter.drawText(label, Qt.AlignmentFlag.AlignHCenter, text)
            else:
                y = plot.bottom() - share * plot.height()
                painter.setPen(QPen(grid, 1))
                painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
                painter.setPen(muted)
                label = QRectF(0, y - sm.height() / 2, plot.left() - 6, sm.height())
                align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                painter.drawText(label, align, text)
        painter.setPen(muted)
        if self._horizontal and self._y_title:
            below = QRectF(plot.left(), plot.bottom() + sm.height() + 4, plot.width(), sm.height())
            painter.drawText(below, Qt.AlignmentFlag.AlignCenter, self._y_title)
        elif self._y_title:
            painter.save()
            painter.translate(PAD, plot.center().y())
            painter.rotate(-90)
            painter.drawText(
                QRectF(-plot.height() / 2, 0, plot.height(), sm.height()),
                Qt.AlignmentFlag.AlignCenter,
                self._y_title,
            )
            painter.restore()

    def _paint_categories(
        self, painter: QPainter, plot: QRectF, room: float, sm: QFontMetricsF, muted: QColor
    ) -> None:
        """Category labels, skipping some along x when they would collide."""
        n = len(self._categories)
        if not n:
            return
        painter.setPen(muted)
        if self._horizontal:
            for i, name in enumerate(self._details):
                slot = self._slot(plot, i)
                rect = QRectF(PAD, slot.top(), room - 8, slot.height())
                elided = sm.elidedText(name, Qt.TextElideMode.ElideRight, rect.width())
                align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                painter.drawText(rect, align, elided)
            return
        slot_w = plot.width() / n
        widest = max(sm.horizontalAdvance(line) for c in self._categories for line in c.split("\n"))
        every = 1
        while every < n and slot_w * every < widest + 6:
            every += 1
        for i, category in enumerate(self._categories):
            if (n - 1 - i) % every:
                continue
            center = self._slot(plot, i).center().x()
            rect = QRectF(center - slot_w * every / 2, plot.bottom() + 3, slot_w * every, room)
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, category
            )
        if self._x_title:
            painter.drawText(
                QRectF(plot.left(), plot.bottom() + room, plot.width(), sm.height() + 2),
                Qt.AlignmentFlag.AlignCenter,
                self._x_title,
            )

    def _paint_legend(self, painter: QPainter, y: float, sm: QFontMetricsF, text: QColor) -> None:
        if not self._series:
            return
        x = PAD
        for series in self._series:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(series_color(series.color, self.palette()))
            swatch_y = y + (sm.height() - LEGEND_SWATCH) / 2
            painter.drawRoundedRect(QRectF(x, swatch_y, LEGEND_SWATCH, LEGEND_SWATCH), 2, 2)
            x += LEGEND_SWATCH + 4
            painter.setPen(text)
            width = sm.horizontalAdvance(series.name)
            painter.drawText(
                QRectF(x, y, width + 2, sm.height()), Qt.AlignmentFlag.AlignVCenter, series.name
            )
            x += width + 14

    # --- interaction ----------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self.update()
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.category_at(event.position())
        if index != self._hover:
            self._hover = index
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = -1
        self.update()
        super().leaveEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self._current < 0 and self._categories:
            self._current = len(self._categories) - 1
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    @property
    def current(self) -> int:
        return self._current

    def keyPressEvent(self, event: QKeyEvent) -> None:
        n = len(self._categories)
        moves = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Home: -n,
            Qt.Key.Key_End: n,
        }
        step = moves.get(Qt.Key(event.key()))
        if step is None or not n:
            super().keyPressEvent(event)
            return
        self._current = max(0, min(n - 1, (self._current if self._current >= 0 else 0) + step))
        self.setAccessibleDescription(self.category_text(self._current))
        plot, _, _ = self._layout()
        anchor = self._slot(plot, self._current).center().toPoint()
        QToolTip.showText(self.mapToGlobal(anchor), self.tooltip_html(self._current), self)
        self.update()
        event.accept()

"""A six-week month grid that paints per-day follow-up and event counts and takes drops."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QLocale, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from planner.core import scheduling
from planner.core.followups import DayCount
from planner.ui.models.agenda_model import MIME_FOLLOWUP_IDS, decode_ids, locale_date

HEADER_HEIGHT = 24
OVERDUE = QColor("#d0452f")
EVENT = QColor("#7b5cd6")


@dataclass(frozen=True)
class _Look:
    """The palette colours and fonts one paint uses, worked out once per paint."""

    base: QColor
    text: QColor
    dim: QColor
    grid: QColor
    highlight: QColor
    highlighted_text: QColor
    dark: bool
    overdue_fill: QColor
    out_fill: QColor
    selected_fill: QColor
    drop_fill: QColor
    small: QFont
    bold: QFont
    locale: QLocale

    @classmethod
    def of(cls, widget: QWidget) -> _Look:
        pal = widget.palette()
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        highlight = pal.color(QPalette.ColorRole.Highlight)
        dark = base.lightness() < 128

        def tint(color: QColor, alpha: int) -> QColor:
            tinted = QColor(color)
            tinted.setAlpha(alpha)
            return tinted

        small = QFont(widget.font())
        small.setPointSizeF(max(7.0, widget.font().pointSizeF() * 0.85))
        bold = QFont(widget.font())
        bold.setBold(True)
        return cls(
            base=base,
            text=text,
            dim=pal.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText),
            grid=pal.color(QPalette.ColorRole.Mid),
            highlight=highlight,
            highlighted_text=pal.color(QPalette.ColorRole.HighlightedText),
            dark=dark,
            overdue_fill=tint(QColor(OVERDUE), 36 if dark else 28),
            out_fill=tint(text, 10 if dark else 8),
            selected_fill=tint(highlight, 90 if dark else 55),
            drop_fill=tint(highlight, 150),
            small=small,
            bold=bold,
            locale=QLocale(),
        )


class MonthGrid(QWidget):
    """Keyboard: arrows move a day/week, PageUp/PageDown a month, Home goes to today."""

    date_selected = Signal(object)  # date
    month_changed = Signal(int, int)  # year, month
    date_activated = Signal(object)  # date: Enter or double-click
    followups_dropped = Signal(list, object)  # follow-up ids, date

    def __init__(self, first_day_of_week: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monthGrid")
        self.setAccessibleName("Month calendar")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.setMouseTracking(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._first_day = first_day_of_week
        self._today = date.today()
        self._selected = self._today
        self._year, self._month = self._today.year, self._today.month
        self._counts: dict[date, DayCount] = {}
        self._drop_target: date | None = None
        self._update_accessible()

    # --- state ----------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self._year

    @property
    def month(self) -> int:
        return self._month

    @property
    def selected_date(self) -> date:
        return self._selected

    @property
    def first_day_of_week(self) -> int:
        return self._first_day

    def visible_range(self) -> tuple[date, date]:
        return scheduling.month_grid_range(self._year, self._month, self._first_day)

    def set_first_day_of_week(self, first: int) -> None:
        if first != self._first_day:
            self._first_day = first if 1 <= first <= 7 else 1
            self.month_changed.emit(self._year, self._month)
            self.update()

    def set_today(self, today: date) -> None:
        self._today = today
        self.update()

    def set_counts(self, counts: dict[date, DayCount]) -> None:
        self._counts = counts
        self._update_accessible()
        self.update()

    def counts(self) -> dict[date, DayCount]:
        return self._counts

    def set_month(self, year: int, month: int) -> None:
        if (year, month) == (self._year, self._month):
            return
        self._year, self._month = year, month
        self.month_changed.emit(year, month)
        self.update()

    def set_selected_date(self, day: date) -> None:
        """Select a day, turning to its month when it lies outside the one shown."""
        changed = day != self._selected
        self._selected = day
        if (day.year, day.month) != (self._year, self._month):
            self.set_month(day.year, day.month)
        if changed:
            self._update_accessible()
            self.date_selected.emit(day)
        self.update()

    def _update_accessible(self) -> None:
        self.setAccessibleDescription(self.day_summary(self._selected))

    # --- geometry -------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(560, 420)

    def minimumSizeHint(self) -> QSize:
        return QSize(280, 220)

    def _cell_size(self) -> tuple[float, float]:
        return self.width() / 7, (self.height() - HEADER_HEIGHT) / scheduling.GRID_WEEKS

    def cell_rect(self, day: date) -> QRect:
        start, _end = self.visible_range()
        offset = (day - start).days
        if not 0 <= offset < scheduling.GRID_WEEKS * 7:
            return QRect()
        w, h = self._cell_size()
        row, col = divmod(offset, 7)
        x0, x1 = round(col * w), round((col + 1) * w)
        y0 = HEADER_HEIGHT + round(row * h)
        y1 = HEADER_HEIGHT + round((row + 1) * h)
        return QRect(x0, y0, x1 - x0, y1 - y0)

    def date_at(self, pos: QPoint) -> date | None:
        if pos.y() < HEADER_HEIGHT or pos.x() < 0 or pos.x() >= self.width():
            return None
        w, h = self._cell_size()
        col = min(6, int(pos.x() / w))
        row = int((pos.y() - HEADER_HEIGHT) / h)
        if not 0 <= row < scheduling.GRID_WEEKS:
            return None
        start, _end = self.visible_range()
        return start + timedelta(days=row * 7 + col)

    # --- painting -------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        look = _Look.of(self)
        painter.fillRect(self.rect(), look.base)
        self._paint_header(painter, look)
        start, _end = self.visible_range()
        for offset in range(scheduling.GRID_WEEKS * 7):
            self._paint_cell(painter, look, start + timedelta(days=offset))
        painter.setPen(QPen(look.grid, 1))
        painter.drawLine(0, self.height() - 1, self.width() - 1, self.height() - 1)
        painter.drawLine(self.width() - 1, HEADER_HEIGHT, self.width() - 1, self.height() - 1)
        if self.hasFocus():
            rect = self.cell_rect(self._selected)
            if not rect.isNull():
                pen = QPen(look.highlight, 2)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.end()

    def _paint_header(self, painter: QPainter, look: _Look) -> None:
        """Day names over the columns, short or narrow as the width allows."""
        w, _h = self._cell_size()
        painter.setFont(look.bold)
        painter.setPen(look.dim)
        fmt = QLocale.FormatType.ShortFormat if w > 60 else QLocale.FormatType.NarrowFormat
        for col in range(7):
            iso = (self._first_day - 1 + col) % 7 + 1
            painter.drawText(
                QRect(round(col * w), 0, round(w), HEADER_HEIGHT),
                int(Qt.AlignmentFlag.AlignCenter),
                look.locale.standaloneDayName(iso, fmt),
            )

    def _paint_cell(self, painter: QPainter, look: _Look, day: date) -> None:
        """One day: its fills (outside the month, overdue, selected, drop), edges, number."""
        rect = self.cell_rect(day)
        in_month = day.month == self._month
        count = self._counts.get(day)
        overdue = count is not None and count.open > 0 and day < self._today
        if not in_month:
            painter.fillRect(rect, look.out_fill)
        if overdue:
            painter.fillRect(rect, look.overdue_fill)
        if day == self._selected:
            painter.fillRect(rect, look.selected_fill)
        if day == self._drop_target:
            painter.fillRect(rect, look.drop_fill)
        # Top and left edges only, so neighbouring cells share one-pixel lines.
        painter.setPen(QPen(look.grid, 1))
        painter.drawLine(rect.topLeft(), rect.topRight())
        painter.drawLine(rect.topLeft(), rect.bottomLeft())

        number_rect = QRect(rect.left() + 4, rect.top() + 3, 26, 20)
        if day == self._today:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(look.highlight)
            painter.drawEllipse(QRectF(number_rect).adjusted(0, -1, 0, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(look.highlighted_text)
            painter.setFont(look.bold)
        else:
            painter.setPen(look.text if in_month else look.dim)
            painter.setFont(look.bold if day == self._selected else self.font())
        painter.drawText(number_rect, int(Qt.AlignmentFlag.AlignCenter), str(day.day))
        if count is not None:
            self._paint_counts(painter, look, rect, count, overdue)

    @staticmethod
    def _paint_counts(
        painter: QPainter, look: _Look, rect: QRect, count: DayCount, overdue: bool
    ) -> None:
        """ "3 due", "1 done", "2 events" under the day number, as many lines as fit."""
        painter.setFont(look.small)
        lines: list[tuple[str, QColor]] = []
        if count.open:
            label = "overdue" if overdue else "due"
            lines.append(
                (f"{look.locale.toString(count.open)} {label}", OVERDUE if overdue else look.text)
            )
        if count.done:
            lines.append((f"{look.locale.toString(count.done)} done", look.dim))
        if count.events:
            word = "event" if count.events == 1 else "events"
            lines.append((f"{count.events} {word}", EVENT.lighter(140) if look.dark else EVENT))
        line_h = painter.fontMetrics().height()
        left, width, y = rect.left() + 6, rect.width() - 10, rect.top() + 24
        if y + line_h > rect.bottom():
            # A short cell (a small window, 200 % scaling): the first line beside the number,
            # so a busy day never looks empty.
            left, width, y = rect.left() + 32, rect.width() - 36, rect.top() + 5
            lines = lines[:1]
        for label, color in lines:
            if y + line_h > rect.bottom():
                break
            painter.setPen(color)
            painter.drawText(
                QRect(left, y, width, line_h),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                painter.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight, width),
            )
            y += line_h

    # --- input ----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        day = self._selected
        moves = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -7,
            Qt.Key.Key_Down: 7,
        }
        if key in moves:
            self.set_selected_date(day + timedelta(days=moves[key]))
        elif key == Qt.Key.Key_PageUp:
            self.set_selected_date(scheduling.add_months(day, -1))
        elif key == Qt.Key.Key_PageDown:
            self.set_selected_date(scheduling.add_months(day, 1))
        elif key == Qt.Key.Key_Home:
            self.set_selected_date(self._today)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.date_activated.emit(self._selected)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        day = self.date_at(event.position().toPoint())
        if day is not None and event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.set_selected_date(day)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        day = self.date_at(event.position().toPoint())
        if day is not None:
            self.date_activated.emit(day)
            event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        step = -1 if event.angleDelta().y() > 0 else 1
        if event.angleDelta().y():
            self.set_selected_date(scheduling.add_months(self._selected, step))
            event.accept()

    def day_summary(self, day: date) -> str:
        """What a day holds, in words (tooltip and screen readers)."""
        count = self._counts.get(day, DayCount())
        parts = []
        if count.open:
            late = " (overdue)" if day < self._today else ""
            parts.append(f"{count.open} open follow-up{'s' if count.open != 1 else ''}{late}")
        if count.done:
            parts.append(f"{count.done} done")
        if count.events:
            parts.append(f"{count.events} event{'s' if count.events != 1 else ''}")
        return f"{locale_date(day, long=True)}: {', '.join(parts) or 'nothing planned'}"

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            day = self.date_at(event.pos())
            if day is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.day_summary(day), self)
            return True
        return super().event(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    # --- drops ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME_FOLLOWUP_IDS):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        day = self.date_at(event.position().toPoint())
        if day is None or not event.mimeData().hasFormat(MIME_FOLLOWUP_IDS):
            self._drop_target = None
            event.ignore()
        else:
            self._drop_target = day
            event.acceptProposedAction()
        self.update()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._drop_target = None
        self.update()

    def dropEvent(self, event: QDropEvent) -> None:
        self._drop_target = None
        self.update()
        day = self.date_at(event.position().toPoint())
        ids = decode_ids(event.mimeData())
        if day is None or not ids:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.followups_dropped.emit(ids, day)

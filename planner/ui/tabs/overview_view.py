"""The Overview tab's widgets: the Today column (follow-ups, events, losing touch) and the charts.

`OverviewView` builds and fills them from an `Overview` record; `OverviewTab`
(overview_tab.py) reads the data and handles the actions.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from planner.core import overview as ov
from planner.core.event_results import RESULT_WINDOW_DAYS, EventResult
from planner.core.events import format_cost
from planner.core.vocab import GOAL_KINDS, RELATIONSHIPS
from planner.ui.dates import long_date, short_date, short_datetime

if TYPE_CHECKING:
    from planner.ui.widgets.chart_bar import BarChart

ItemRole = Qt.ItemDataRole.UserRole + 1


def _goal_label(goal: ov.GoalProgress) -> str:
    """A short name for a goal: its description, else its kind."""
    return goal.description or GOAL_KINDS.get(goal.kind, goal.kind)


def _short_name(name: str, limit: int = 14) -> str:
    """An axis label: long event names are cut (the tooltip has the whole name)."""
    name = " ".join(name.split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _result_detail(result: EventResult) -> str:
    """The tooltip title of one event's bars: name, date, cost per new contact."""
    text = f"{result.name}, {short_date(result.day)}: {result.new} new of {result.met} met"
    per_new = result.cost_per_new_cents
    if per_new is not None and result.cost_cents:
        text += f", {format_cost(per_new, result.currency)} per new contact"
    return text


class TodayItemDelegate(QStyledItemDelegate):
    """Two lines per item: a bold title and a muted detail line, both elided to fit."""

    def _lines(self, index: QModelIndex) -> tuple[str, str]:
        title, _, detail = str(index.data(Qt.ItemDataRole.DisplayRole) or "").partition("\n")
        return title, detail

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        fm = QFontMetrics(option.font)
        lines = 2 if self._lines(index)[1] else 1
        return QSize(option.rect.width(), fm.height() * lines + 10)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title, detail = self._lines(index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        color = opt.palette.color(role)
        rect = opt.rect.adjusted(6, 5, -6, -5)
        fm = QFontMetrics(opt.font)
        painter.save()
        bold = QFont(opt.font)
        bold.setBold(bool(detail))
        painter.setFont(bold)
        painter.setPen(color)
        line = QRect(rect.left(), rect.top(), rect.width(), fm.height())
        elided = QFontMetrics(bold).elidedText(title, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        if detail:
            painter.setFont(opt.font)
            if not selected:
                color.setAlphaF(0.72)
            painter.setPen(color)
            line.translate(0, fm.height())
            elided = fm.elidedText(detail, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(
                line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
            )
        separator = opt.palette.color(QPalette.ColorRole.Mid)
        separator.setAlphaF(0.5)
        painter.setPen(separator)
        painter.drawLine(opt.rect.bottomLeft(), opt.rect.bottomRight())
        painter.restore()


class TodayList(QListWidget):
    """A short list whose items open where they are handled, on one click or Enter."""

    opened = Signal(str, int)

    def __init__(self, name: str, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setItemDelegate(TodayItemDelegate(self))
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.setMouseTracking(True)
        self.itemClicked.connect(self._on_item_clicked)

    def add(self, text: str, tooltip: str, kind: str, item_id: int) -> None:
        item = QListWidgetItem(text)
        item.setToolTip(f"{text}\n\n{tooltip}")
        item.setData(ItemRole, (kind, item_id))
        self.addItem(item)

    def add_note(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.addItem(item)

    def fit(self, max_rows: int = 8) -> None:
        """As tall as its items (up to `max_rows`), so the column does not scroll twice."""
        height = sum(self.sizeHintForRow(i) for i in range(min(self.count(), max_rows)))
        self.setFixedHeight(max(24, height + 2 * self.frameWidth() + 2))

    def _on_item_clicked(self, item: QListWidgetItem) -> None:
        self._open(item)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            item = self.currentItem()
            if item is not None:
                self._open(item)
                event.accept()
                return
        super().keyPressEvent(event)

    def _open(self, item: QListWidgetItem) -> None:
        target = item.data(ItemRole)
        if target:
            self.opened.emit(target[0], int(target[1]))


class OverviewView(QWidget):
    """The page: a heading line, the Today column and a grid of charts, in a scroll area."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._locale = QLocale()
        self._build()

    # --- building -------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.setContentsMargins(12, 8, 12, 4)
        self.heading = QLabel()
        self.heading.setObjectName("overviewHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.status = QLabel()
        self.status.setObjectName("overviewStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Wraps in a narrow window (200 % on a small screen) instead of making the whole tab
        # wider than the window, which scrolled the Export button out of sight.
        self.status.setWordWrap(True)
        self.export_button = QPushButton("E&xport overview as PNG/PDF…")
        self.export_button.setObjectName("exportOverviewButton")
        self.export_button.setAccessibleName("Export overview as PNG or PDF")
        self.export_button.setToolTip("Save this page as an image or a PDF, e.g. for a mentor")
        header.addWidget(self.heading)
        header.addSpacing(12)
        header.addWidget(self.status, 1)
        header.addWidget(self.export_button)
        outer.addLayout(header)
        self._build_body(outer)
        self._show_heading()

    def _build_body(self, outer: QVBoxLayout) -> None:
        """The Today column beside the charts, in a scroll area."""
        self.scroll = QScrollArea()
        self.scroll.setObjectName("overviewScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.content = QWidget()
        self.content.setObjectName("overviewContent")
        self.content.setAutoFillBackground(True)
        body = QHBoxLayout(self.content)
        body.setContentsMargins(12, 4, 12, 12)
        body.setSpacing(12)

        today = QVBoxLayout()
        today.setSpacing(8)
        self.followups_box, self.followups_list = self._today_box(
            "Follow-ups due", "overviewFollowUps", "Follow-ups due today and overdue"
        )
        self.events_box, self.events_list = self._today_box(
            "Next events", "overviewEvents", "Next event plans and their goals"
        )
        self.losing_box, self.losing_list = self._today_box(
            "Losing touch", "overviewLosingTouch", "Contacts whose keep-in-touch time has passed"
        )
        for box in (self.followups_box, self.events_box, self.losing_box):
            today.addWidget(box)
        today.addStretch(1)
        column = QWidget()
        column.setObjectName("overviewToday")
        column.setLayout(today)
        column.setFixedWidth(330)
        today.setContentsMargins(0, 0, 0, 0)
        body.addWidget(column)
        charts = self._build_charts(body)
        self.scroll.setWidget(self.content)
        outer.addWidget(self.scroll, 1)

        self.setTabOrder(self.export_button, self.followups_list)
        self.setTabOrder(self.followups_list, self.events_list)
        self.setTabOrder(self.events_list, self.losing_list)
        previous: QWidget = self.losing_list
        for chart in charts:
            self.setTabOrder(previous, chart)
            previous = chart

    def _build_charts(self, body: QHBoxLayout) -> list[BarChart]:
        """The five charts in a grid; returns the four small ones in tab order."""
        # Chart code is imported here, not at module level, so start-up does not pay for it.
        from planner.ui.widgets.chart_bar import BarChart

        self.activity_chart = BarChart("Touches and new contacts per month")
        self.cadence_chart = BarChart("Keep-in-touch health by relationship")
        self.give_ask_chart = BarChart("Give and ask per month")
        self.goals_chart = BarChart("Event goals per month")
        self.results_chart = BarChart("What recent events returned")
        grid = QGridLayout()
        grid.setSpacing(12)
        charts: list[tuple[str, BarChart]] = [
            ("activityChart", self.activity_chart),
            ("cadenceChart", self.cadence_chart),
            ("giveAskChart", self.give_ask_chart),
            ("goalsChart", self.goals_chart),
        ]
        for i, (name, chart) in enumerate(charts):
            chart.setObjectName(name)
            chart.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            grid.addWidget(chart, i // 2, i % 2)
        self.results_chart.setObjectName("eventResultsChart")
        self.results_chart.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        grid.addWidget(self.results_chart, 2, 0, 1, 2)
        body.addLayout(grid, 1)
        return [chart for _name, chart in charts]

    def _today_box(self, title: str, name: str, accessible: str) -> tuple[QGroupBox, TodayList]:
        box = QGroupBox(title)
        box.setObjectName(name + "Box")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        lst = TodayList(name, accessible)
        layout.addWidget(lst)
        return box, lst

    # --- showing --------------------------------------------------------------------------

    def _show_heading(self) -> None:
        self.heading.setText(f"Today, {long_date(date.today())}")

    def _date(self, day: date) -> str:
        return short_date(day)

    def _apply(self, data: ov.Overview) -> None:
        self._show_heading()
        items = data.today_items
        self.status.setText(
            f"{items.followups_total:,} follow-ups due · {items.losing_touch_total:,} losing touch"
        )
        self._fill_followups(items)
        self._fill_events(items)
        self._fill_losing(items)
        self._fill_charts(data)

    def _fill_followups(self, items: ov.TodaySummary) -> None:
        lst = self.followups_list
        lst.clear()
        for f in items.followups:
            when = (
                "due today"
                if f.days_overdue == 0
                else f"{f.days_overdue} day{'s' if f.days_overdue != 1 else ''} overdue"
            )
            purpose = f.purpose or "Follow up"
            title = f"{f.contact_name} — {purpose}" if f.contact_name else purpose
            lst.add(
                f"{title}\n{when} ({self._date(f.due_date)})",
                f"Open this follow-up in the calendar: {title}",
                "followup",
                f.id,
            )
        if not items.followups:
            lst.add_note("Nothing due today. Well done.")
        self.followups_box.setTitle(
            self._count_title("Follow-ups due", items.followups, items.followups_total)
        )
        lst.fit()

    def _fill_events(self, items: ov.TodaySummary) -> None:
        lst = self.events_list
        lst.clear()
        for e in items.events:
            when = short_datetime(e.starts_local) if e.starts_local else "date not set"
            if e.goals:
                goals = ", ".join(f"{_goal_label(g)} {g.progress}/{g.target}" for g in e.goals)
                progress = f"{e.goals_met} of {len(e.goals)} goals met · {goals}"
            else:
                progress = "No goals yet"
            lst.add(f"{e.name} · {when}\n{progress}", f"Open the plan for {e.name}", "event", e.id)
        if not items.events:
            lst.add_note("No upcoming events planned.")
        lst.fit()

    def _fill_losing(self, items: ov.TodaySummary) -> None:
        lst = self.losing_list
        lst.clear()
        for c in items.losing_touch:
            who = f"{c.name}, {c.organisation}" if c.organisation else c.name
            rel = RELATIONSHIPS.get(c.relationship, c.relationship)
            days = f"{c.days_overdue} day{'s' if c.days_overdue != 1 else ''}"
            lst.add(
                f"{who}\n{rel} · due {days} ago, nothing planned",
                f"Open {c.name}",
                "contact",
                c.contact_id,
            )
        if not items.losing_touch:
            lst.add_note("Everyone with a cadence is on track.")
        self.losing_box.setTitle(
            self._count_title("Losing touch", items.losing_touch, items.losing_touch_total)
        )
        lst.fit()

    @staticmethod
    def _count_title(title: str, shown: tuple[object, ...], total: int) -> str:
        if total > len(shown):
            return f"{title} ({len(shown)} of {total:,})"
        return f"{title} ({total})" if total else title

    def _month_labels(self, months: tuple[ov.MonthActivity, ...]) -> tuple[list[str], list[str]]:
        labels, details = [], []
        for i, a in enumerate(months):
            short = self._locale.monthName(a.month.month, QLocale.FormatType.ShortFormat)
            long = self._locale.monthName(a.month.month, QLocale.FormatType.LongFormat)
            labels.append(f"{short}\n{a.month.year}" if i == 0 or a.month.month == 1 else short)
            details.append(f"{long} {a.month.year}")
        return labels, details

    def _fill_charts(self, data: ov.Overview) -> None:
        self._fill_month_charts(data)
        self._fill_results_chart(data)
        self._fill_cadence_chart(data)

    def _fill_month_charts(self, data: ov.Overview) -> None:
        from planner.ui.widgets.chart_bar import Series

        labels, details = self._month_labels(data.months)
        months = data.months
        self.activity_chart.set_data(
            labels,
            [
                Series("Touchpoints", tuple(a.touchpoints for a in months), "blue"),
                Series("New contacts", tuple(a.new_contacts for a in months), "orange"),
            ],
            details=details,
            x_title="Month",
            y_title="Count",
            empty_text="No touchpoints or new contacts in the last 12 months",
        )
        self.give_ask_chart.set_data(
            labels,
            [
                Series("Gave value", tuple(a.gave for a in months), "green"),
                Series("Asked", tuple(a.asked for a in months), "purple"),
            ],
            details=details,
            x_title="Month",
            y_title="Touchpoints",
            empty_text="Log touchpoints as “gave value” or “asked” to see the balance",
        )
        self.goals_chart.set_data(
            labels,
            [
                Series("Goals set", tuple(a.goals_set for a in months), "grey"),
                Series("Goals met", tuple(a.goals_met for a in months), "blue"),
            ],
            details=details,
            x_title="Month of the event",
            y_title="Goals",
            empty_text="No event goals in the last 12 months",
        )

    def _fill_results_chart(self, data: ov.Overview) -> None:
        from planner.ui.widgets.chart_bar import Series

        results = data.event_results
        self.results_chart.set_data(
            [f"{_short_name(r.name)}\n{short_date(r.day)}" for r in results],
            [
                Series("Met", tuple(r.met for r in results), "blue"),
                Series("Goal", tuple(r.goal for r in results), "grey"),
                Series(
                    f"Follow-ups sent in {RESULT_WINDOW_DAYS} days",
                    tuple(r.sent for r in results),
                    "green",
                ),
                Series(
                    f"Answered in {RESULT_WINDOW_DAYS} days",
                    tuple(r.answered for r in results),
                    "orange",
                ),
            ],
            details=[_result_detail(r) for r in results],
            x_title="Event",
            y_title="People",
            empty_text="Mark events as attended and record who you met to see what they return",
        )

    def _fill_cadence_chart(self, data: ov.Overview) -> None:
        from planner.ui.widgets.chart_bar import Series

        cadence = data.cadence
        names = [RELATIONSHIPS.get(c.relationship, c.relationship) for c in cadence]
        self.cadence_chart.set_data(
            names,
            [
                Series("On time", tuple(c.on_time for c in cadence), "green"),
                Series(
                    f"Due within {ov.DUE_SOON_DAYS} days",
                    tuple(c.due_soon for c in cadence),
                    "amber",
                ),
                Series("Overdue", tuple(c.overdue for c in cadence), "red"),
            ],
            stacked=True,
            horizontal=True,
            details=names,
            x_title="Relationship",
            y_title="Contacts",
            empty_text="Give contacts a keep-in-touch cadence to see this",
        )

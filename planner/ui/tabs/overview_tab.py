"""The Overview tab: Today's follow-ups, events and lapsing contacts, and four charts.

Data is read off the GUI thread (one OverviewService call through planner.ui.tasks.run_task) and
refreshed when the bus says something changed; a burst of signals is folded into one
refresh by a short single-shot timer, and only the parts an edit can affect are read again.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QLocale,
    QModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QImage,
    QKeyEvent,
    QPainter,
    QPalette,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
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
from planner.core.changes import Changes
from planner.core.event_results import RESULT_WINDOW_DAYS, EventResult
from planner.core.events import format_cost
from planner.core.vocab import GOAL_KINDS, RELATIONSHIPS
from planner.ui.context import TabContext
from planner.ui.dates import long_date, short_date, short_datetime
from planner.ui.tasks import run_task

if TYPE_CHECKING:
    from planner.ui.widgets.chart_bar import BarChart

log = logging.getLogger(__name__)

# Signals sent together by one action (and in quick succession) make one refresh.
DEBOUNCE_MS = 15
# How many follow-ups / lapsed contacts and events the Today column lists (fits 1200x780).
TODAY_ROWS = 6
TODAY_EVENTS = 3
EXPORT_TITLE_HEIGHT = 40
ItemRole = Qt.ItemDataRole.UserRole + 1

# What each bus signal can change, so a refresh reads only that again.
# Which sections show each kind of data: an edit reloads only those.
SECTIONS_FOR_KIND: dict[str, frozenset[str]] = {
    "contacts": frozenset({ov.NEW_CONTACTS, ov.CADENCE, ov.LOSING, ov.FOLLOWUPS}),
    "touchpoints": frozenset({ov.TOUCHES, ov.CADENCE, ov.LOSING}),
    "referrals": frozenset(),
    "follow_ups": frozenset({ov.FOLLOWUPS, ov.LOSING}),
    "events": frozenset({ov.GOALS, ov.EVENTS}),
    "organisations": frozenset({ov.FOLLOWUPS}),
    "pitches": frozenset(),
    "questions": frozenset(),
    "settings": frozenset({ov.CADENCE, ov.LOSING}),
}


def sections_for(changes: Changes) -> frozenset[str]:
    """The Overview sections an edit may have changed."""
    out: set[str] = set()
    for kind in changes.kinds():
        out |= SECTIONS_FOR_KIND[kind]
    return frozenset(out)


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


class OverviewTab(QWidget):
    """Opened each morning: what needs doing today, and how the network is doing."""

    refreshed = Signal()
    # After the first read, whether it worked or not (the main window waits for it).
    load_finished = Signal()

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = ov.OverviewService(context.db)
        self.data: ov.Overview | None = None
        self._failed = False
        self._pending: set[str] = set(ov.SECTIONS)
        # The sections being read on a pool thread (None when no read is running): reads
        # never overlap, a change meanwhile is read when this one is in.
        self._loading: frozenset[str] | None = None
        self._locale = QLocale()
        self._build()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)  # start(ms) below always passes it too
        self._debounce.timeout.connect(self._start_load)
        self._midnight = QTimer(self)
        self._midnight.setSingleShot(True)
        self._midnight.timeout.connect(self._on_midnight)
        self._arm_midnight()
        # Bound methods, not lambdas: Qt drops these connections when the tab is deleted
        # (the bus outlives the tabs when another database is opened).
        # Sections pile up in _pending while hidden; showEvent reads them (one rule, below).
        bus = context.bus
        bus.changed.connect(self._on_bus_changed)

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
        self.export_button = QPushButton("E&xport overview as PNG/PDF…")
        self.export_button.setObjectName("exportOverviewButton")
        self.export_button.setAccessibleName("Export overview as PNG or PDF")
        self.export_button.setToolTip("Save this page as an image or a PDF, e.g. for a mentor")
        self.export_button.clicked.connect(self.export_overview)
        header.addWidget(self.heading)
        header.addSpacing(12)
        header.addWidget(self.status, 1)
        header.addWidget(self.export_button)
        outer.addLayout(header)

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
        self.scroll.setWidget(self.content)
        outer.addWidget(self.scroll, 1)

        for lst in (self.followups_list, self.events_list, self.losing_list):
            lst.opened.connect(self._on_list_opened)
        self.setTabOrder(self.export_button, self.followups_list)
        self.setTabOrder(self.followups_list, self.events_list)
        self.setTabOrder(self.events_list, self.losing_list)
        previous: QWidget = self.losing_list
        for _name, chart in charts:
            self.setTabOrder(previous, chart)
            previous = chart
        self._show_heading()

    def _today_box(self, title: str, name: str, accessible: str) -> tuple[QGroupBox, TodayList]:
        box = QGroupBox(title)
        box.setObjectName(name + "Box")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        lst = TodayList(name, accessible)
        layout.addWidget(lst)
        return box, lst

    # --- loading --------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._loading is not None

    def data_pending(self) -> bool:
        """True until the first read has been shown (or has failed)."""
        return self.data is None and not self._failed

    def refresh(self, sections: frozenset[str] | set[str] = ov.SECTIONS) -> None:
        """Ask for a refresh of `sections`; many requests in a burst make one read."""
        self._pending |= set(sections)
        self._debounce.start(DEBOUNCE_MS)

    def _on_bus_changed(self, changes: Changes) -> None:
        sections = sections_for(changes)
        if sections:
            self.refresh(sections)

    def _start_load(self) -> None:
        if not self._pending or self._loading is not None:
            return  # a load is running; _on_loaded starts the next one
        if not self.isVisible():
            return  # read when shown (showEvent): a hidden tab costs nothing
        sections = frozenset(self._pending)
        self._pending.clear()
        self._loading = sections
        if self.data is None:
            self.status.setText("Loading…")
        service, previous = self.service, self.data
        run_task(
            lambda: service.overview(
                date.today(),
                sections=sections,
                previous=previous,
                limit=TODAY_ROWS,
                events=TODAY_EVENTS,
            ),
            self._on_loaded,
            self._on_failed,
            owner=self,
            name="read overview",
        )

    def _on_loaded(self, data: ov.Overview) -> None:
        self._loading = None
        self.data = data
        self._apply(data)
        self.refreshed.emit()
        self.load_finished.emit()
        if self._pending:
            self._debounce.start(DEBOUNCE_MS)

    def _on_failed(self, exc: BaseException) -> None:
        log.error("Could not read the overview", exc_info=exc)
        if self._loading is not None:
            # Not retried at once (it would likely fail again); read with the next change.
            self._pending |= self._loading
        self._loading = None
        self.status.setText(f"The overview could not be read: {exc}")
        self._failed = True
        self.load_finished.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending:
            self._debounce.start(0 if self.data is None else DEBOUNCE_MS)

    def _arm_midnight(self) -> None:
        now = datetime.now()
        tomorrow = datetime.combine(now.date() + timedelta(days=1), time(0, 0, 5))
        self._midnight.start(int((tomorrow - now).total_seconds() * 1000))

    def _on_midnight(self) -> None:
        self._arm_midnight()
        self.refresh(ov.SECTIONS)

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

    # --- actions --------------------------------------------------------------------------

    def _on_list_opened(self, kind: str, item_id: int) -> None:
        self.context.bus.open_requested.emit(kind, item_id)

    def focus_search(self) -> None:
        """Ctrl+F on this tab: start at the Today lists."""
        self.followups_list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def export_overview(self) -> None:
        """Save the page as PNG or PDF, for a status update to a mentor or manager."""
        default = Path.home() / f"network-overview-{date.today().isoformat()}.png"
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export overview",
            str(default),
            "PNG image (*.png);;PDF document (*.pdf)",
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".png", ".pdf"):
            target = target.with_suffix(".pdf" if "pdf" in chosen.lower() else ".png")
        try:
            if target.suffix.lower() == ".pdf":
                self._write_pdf(target)
            else:
                self._write_png(target)
        except OSError as exc:
            log.warning("Overview export to %s failed: %s", target, exc)
            QMessageBox.warning(self, "Export overview", f"The overview could not be saved: {exc}")
            return
        # In the window's status bar: the overview's own status line keeps its counts.
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(f"Saved {target}", 8000)

    def export_title(self) -> str:
        return f"Network overview, {long_date(date.today())}"

    def _render_page(self, painter: QPainter, palette: QPalette) -> None:
        """The title line, then the page content, at the painter's origin in widget pixels."""
        width = self.content.width()
        title_h = EXPORT_TITLE_HEIGHT
        painter.fillRect(QRect(0, 0, width, title_h), palette.color(QPalette.ColorRole.Window))
        font = QFont(self.heading.font())
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(
            QRect(12, 0, width - 24, title_h),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.export_title(),
        )
        # Vector output on a PDF: the widgets paint themselves, so text stays text.
        self.content.render(painter, QPoint(0, title_h))

    def _write_png(self, target: Path) -> None:
        """As seen on screen (light or dark), with a title line for context."""
        ratio = self.devicePixelRatioF()
        size = QSize(self.content.width(), self.content.height() + EXPORT_TITLE_HEIGHT)
        image = QImage(size * ratio, QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(ratio)
        image.fill(self.palette().color(QPalette.ColorRole.Window))
        painter = QPainter(image)
        try:
            self._render_page(painter, self.palette())
        finally:
            painter.end()
        if not image.save(str(target), "PNG"):
            raise OSError(f"could not write {target}")

    def _write_pdf(self, target: Path) -> None:
        """A4 landscape, always in the light theme so that it prints well."""
        from PySide6.QtCore import QMarginsF
        from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

        from planner import APP_NAME

        writer = QPdfWriter(str(target))
        writer.setTitle(self.export_title())
        writer.setCreator(APP_NAME)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Landscape,
                QMarginsF(10, 10, 10, 10),
                QPageLayout.Unit.Millimeter,
            )
        )
        writer.setResolution(144)
        had_palette = self.content.testAttribute(Qt.WidgetAttribute.WA_SetPalette)
        old_palette = QPalette(self.content.palette())
        light = QApplication.style().standardPalette()
        self.content.setPalette(light)
        painter = QPainter()
        try:
            if not painter.begin(writer):
                raise OSError(f"could not write {target}")
            page = writer.pageLayout().paintRectPixels(writer.resolution())
            height = self.content.height() + EXPORT_TITLE_HEIGHT
            scale = min(page.width() / self.content.width(), page.height() / height)
            painter.scale(scale, scale)
            self._render_page(painter, light)
        finally:
            if painter.isActive():
                painter.end()
            # An empty palette means "inherit again" (the screen theme).
            self.content.setPalette(old_palette if had_palette else QPalette())
        if not target.exists() or target.stat().st_size == 0:
            raise OSError(f"could not write {target}")

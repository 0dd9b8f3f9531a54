"""The Calendar tab's reads: the month grid's counts, the agenda and the side lists, each a
read (callable on a worker) and a show. The first read runs on a worker when the tab is first
shown; later ones (a change, another month) run here, the grid's counts cached per range.

A mixin of `CalendarTab` (the controller): it uses the tab's widgets and service.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QLocale, QTimer
from PySide6.QtWidgets import QTableView

from planner.core import scheduling
from planner.core.followups import AgendaItem, CalendarEvent, DayCount
from planner.ui.models.agenda_model import (
    FollowUpTableModel,
    LosingTouchTableModel,
    locale_date,
    locale_time,
)
from planner.ui.tabs.base import FirstRead, lay_out_now

LOSING_COUNT_CAP = 1000
MAX_AGENDA_EVENTS = 3
# Grid ranges whose day counts are kept (about two years of paging back and forth).
COUNTS_CACHED = 24


def _event_when(event: CalendarEvent, start: date, end: date) -> str:
    """When an event falls on a day: "09:30", "all day", "day 2 of 3" (a week's agenda adds
    the date)."""
    shown = max(event.first_day, start)
    if event.days > 1:
        when = f"day {(shown - event.first_day).days + 1} of {event.days}"
        if shown == event.first_day and not event.all_day:
            when += f", from {locale_time(event.starts.time())}"
    elif event.all_day:
        when = "all day"
    else:
        when = locale_time(event.starts.time())
    return f"{locale_date(shown)} {when}" if start != end else when


# What the first read brings: the grid's counts, the agenda (items, total, events) and the side
# lists (overdue, its total, losing touch, its total).
Agenda = tuple[list[AgendaItem], int, list[CalendarEvent]]
SideLists = tuple[list[AgendaItem], int, list[Any], int]


class CalendarLoading:
    """Reading and showing what the Calendar tab lists. Mixed into CalendarTab."""

    # Provided by CalendarTab.
    service: Any
    grid: Any
    follower: Any
    agenda_model: Any
    agenda_view: Any
    agenda_title: Any
    agenda_events: Any
    agenda_empty: Any
    overdue_model: Any
    overdue_view: Any
    overdue_title: Any
    losing_model: Any
    losing_view: Any
    losing_title: Any
    month_label: Any
    _today: date
    _week_mode: bool
    _refresh_pending: bool
    first_read: FirstRead
    _counts_cache: dict[tuple[date, date], dict[date, DayCount]]

    if TYPE_CHECKING:

        def _selected_in(self, view: QTableView) -> list[int]: ...

        def _update_actions(self) -> None: ...

    def data_pending(self) -> bool:
        """True until the first read has been shown (load_finished follows)."""
        return not self.first_read.loaded

    def _read_in_background(self) -> None:
        """The first read, on a worker: the month's counts, the selected day's agenda and the
        side lists (about 60 ms of queries at 100,000 contacts)."""
        if self.first_read.loaded:  # a user action has read already (see show_day)
            self.refresh()
            return
        service, today = self.service, date.today()
        grid, agenda = self.grid.visible_range(), self.agenda_range()
        self._today = today
        self.grid.set_today(today)
        self._show_month()

        def fetch() -> tuple[dict[date, DayCount], Agenda, SideLists]:
            counts = service.day_counts(*grid)
            return counts, self._read_agenda(*agenda, grid, counts), self._read_side_lists(today)

        def show(result: tuple[dict[date, DayCount], Agenda, SideLists]) -> None:
            if (grid, agenda) != (self.grid.visible_range(), self.agenda_range()):
                self.refresh()  # the user moved meanwhile: read what is shown now
                return
            counts, agenda_read, side = result
            self._counts_cache[grid] = counts
            self.grid.set_counts(counts)
            self._show_agenda(*agenda, *agenda_read)
            self._show_side_lists(today, *side)
            lay_out_now(self.agenda_view, self.overdue_view, self.losing_view)

        def fail(exc: BaseException) -> None:
            self.agenda_title.setText(f"The calendar could not be read: {exc}")

        self.first_read.start(fetch, show, fail)

    def show_day(self, day: date) -> None:
        """Select `day` and have its agenda listed now (an item on it is asked for)."""
        self.grid.set_selected_date(day)
        if not self.first_read.loaded:
            self.refresh()

    def refresh(self) -> None:
        """Reload everything shown (after changes here or in another tab)."""
        self.first_read.read_here()  # its answer, still on the way, is dropped
        self._refresh_pending = False
        self._today = date.today()
        self.grid.set_today(self._today)
        self._counts_cache.clear()
        self._load_counts()
        self._load_agenda()
        self._load_side_lists()

    def _schedule_refresh(self) -> None:
        if not self._refresh_pending:
            self._refresh_pending = True
            QTimer.singleShot(0, self._run_pending_refresh)

    def _run_pending_refresh(self) -> None:
        if self._refresh_pending:
            self.refresh()

    def _load_counts(self) -> None:
        self._show_month()
        if not self.first_read.loaded:
            return  # the first read, still to come, reads what is shown then
        start, end = self.grid.visible_range()
        counts = self._counts_cache.get((start, end))
        if counts is None:
            if len(self._counts_cache) >= COUNTS_CACHED:
                self._counts_cache.clear()
            counts = self._counts_cache[(start, end)] = self.service.day_counts(start, end)
        self.grid.set_counts(counts)

    def _show_month(self) -> None:
        month = QLocale().standaloneMonthName(self.grid.month, QLocale.FormatType.LongFormat)
        self.month_label.setText(f"{month} {self.grid.year}")

    def agenda_range(self) -> tuple[date, date]:
        day = self.grid.selected_date
        if not self._week_mode:
            return day, day
        start = scheduling.week_start(day, self.grid.first_day_of_week)
        return start, start + timedelta(days=6)

    def _load_agenda(self) -> None:
        if not self.first_read.loaded:
            return  # the first read, still to come, reads what is shown then
        start, end = self.agenda_range()
        grid = self.grid.visible_range()
        self._show_agenda(start, end, *self._read_agenda(start, end, grid, self.grid.counts()))

    def _read_agenda(
        self,
        start: date,
        end: date,
        grid: tuple[date, date],
        counts: dict[date, DayCount],
    ) -> Agenda:
        """The range's first page, its total and its events (callable on any thread)."""
        page = FollowUpTableModel.PAGE
        items = self.service.list_range(start, end, limit=page)
        total = self._count_between(start, end, grid, counts) if len(items) >= page else len(items)
        return items, total, self.service.events_on(start, end)

    def _show_agenda(
        self,
        start: date,
        end: date,
        items: list[AgendaItem],
        total: int,
        events: list[CalendarEvent],
    ) -> None:
        keep = set(self._selected_in(self.agenda_view))

        def load(offset: int, count: int) -> list[AgendaItem]:
            return self.service.list_range(start, end, limit=count, offset=offset)

        self.agenda_model.set_items(items, self._today, load)
        if start == end:
            title = locale_date(start, long=True)
        else:
            title = f"Week of {locale_date(start)} – {locale_date(end)}"
        if total:
            title += f"  ({total:,} follow-up{'s' if total != 1 else ''})"
        self.agenda_title.setText(title)
        if events:
            parts = []
            for event in events[:MAX_AGENDA_EVENTS]:
                parts.append(
                    f"<b>{escape(_event_when(event, start, end))}</b> {escape(event.name)}"
                )
            if len(events) > MAX_AGENDA_EVENTS:
                parts.append(f"and {len(events) - MAX_AGENDA_EVENTS} more")
            self.agenda_events.setText("Events: " + " · ".join(parts))
            self.agenda_events.show()
        else:
            self.agenda_events.hide()
        self.agenda_empty.setVisible(not items)
        self._reselect(self.agenda_view, self.agenda_model, keep)
        self._update_actions()

    def _count_between(
        self, start: date, end: date, grid: tuple[date, date], counts: dict[date, DayCount]
    ) -> int:
        """From the grid's per-day counts when they cover the range (no extra query)."""
        first, last = grid
        if first <= start and end <= last and counts:
            return sum(
                c.open + c.done
                for offset in range((end - start).days + 1)
                if (c := counts.get(start + timedelta(days=offset))) is not None
            )
        return self.service.count_range(start, end)

    def _load_side_lists(self) -> None:
        self._show_side_lists(self._today, *self._read_side_lists(self._today))

    def _read_side_lists(self, today: date) -> SideLists:
        """Overdue and losing touch, first pages and totals (callable on any thread)."""
        service, page = self.service, FollowUpTableModel.PAGE
        overdue = service.overdue(today, page)
        total = service.overdue_count(today) if len(overdue) >= page else len(overdue)
        page = LosingTouchTableModel.PAGE
        losing = service.losing_touch(today, page)
        losing_total = (
            service.losing_touch_count(today, LOSING_COUNT_CAP)
            if len(losing) >= page
            else len(losing)
        )
        return overdue, total, losing, losing_total

    def _show_side_lists(
        self,
        today: date,
        overdue: list[AgendaItem],
        total: int,
        losing: list[Any],
        losing_total: int,
    ) -> None:
        keep = set(self._selected_in(self.overdue_view))
        self.overdue_model.set_items(
            overdue, today, lambda offset, n: self.service.overdue(today, n, offset)
        )
        self.overdue_title.setText(f"Overdue ({total:,})")
        self._reselect(self.overdue_view, self.overdue_model, keep)
        total = losing_total
        self.losing_model.set_items(
            losing, lambda offset, n: self.service.losing_touch(today, n, offset)
        )
        shown = f"{LOSING_COUNT_CAP:,}+" if total > LOSING_COUNT_CAP else f"{total:,}"
        self.losing_title.setText(f"Losing touch ({shown})")
        self._update_actions()

    @staticmethod
    def _reselect(view: QTableView, model: FollowUpTableModel, ids: set[int]) -> None:
        if not ids:
            return
        selection = view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for followup_id in ids:
            row = model.row_of(followup_id)
            if row >= 0:
                selection.select(model.index(row, 0), flags)

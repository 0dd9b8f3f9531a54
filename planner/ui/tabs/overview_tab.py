"""The Overview tab's behaviour: reading its data, refreshing on changes, opening, exporting.

The widgets are built and filled by `OverviewView` (overview_view.py). Data is read off the GUI
thread (one OverviewService call through planner.ui.tasks.run_task) and refreshed when the bus
says something changed; a burst of signals is folded into one refresh by a short single-shot
timer, and only the parts an edit can affect are read again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QImage, QPainter, QPalette, QShowEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox, QWidget

from planner.core import overview as ov
from planner.core.changes import Changes
from planner.ui.context import TabContext
from planner.ui.dates import long_date
from planner.ui.tabs.overview_view import ItemRole, OverviewView, TodayItemDelegate, TodayList
from planner.ui.tasks import run_task

__all__ = ["ItemRole", "OverviewTab", "TodayItemDelegate", "TodayList", "sections_for"]

log = logging.getLogger(__name__)

# Signals sent together by one action (and in quick succession) make one refresh.
DEBOUNCE_MS = 15
# How many follow-ups / lapsed contacts and events the Today column lists (fits 1200x780).
TODAY_ROWS = 6
TODAY_EVENTS = 3
EXPORT_TITLE_HEIGHT = 40

# What each bus signal can change, so a refresh reads only that again.
# Which sections show each kind of data: an edit reloads only those.
SECTIONS_FOR_KIND: dict[str, frozenset[str]] = {
    "contacts": frozenset({ov.NEW_CONTACTS, ov.CADENCE, ov.LOSING, ov.FOLLOWUPS}),
    "photos": frozenset(),  # always with "contacts"
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


class OverviewTab(OverviewView):
    """Opened each morning: what needs doing today, and how the network is doing."""

    refreshed = Signal()
    # After the first read, whether it worked or not (the main window waits for it).
    load_finished = Signal()

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.export_button.clicked.connect(self.export_overview)
        for lst in (self.followups_list, self.events_list, self.losing_list):
            lst.opened.connect(self._on_list_opened)
        self.service = ov.OverviewService(context.db)
        self.data: ov.Overview | None = None
        self._failed = False
        self._pending: set[str] = set(ov.SECTIONS)
        # The sections being read on a pool thread (None when no read is running): reads
        # never overlap, a change meanwhile is read when this one is in.
        self._loading: frozenset[str] | None = None
        # The halves of the running read (see _read_part), keyed "months" and "rest".
        self._parts: dict[str, object] = {}
        self._generation = 0
        self._load_day = date.today()
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
        today, service, previous = date.today(), self.service, self.data
        # The two halves on two worker threads: SQLite reads them on two cores at once.
        self._generation += 1
        self._parts = {}
        self._load_day = today
        if service.months_wanted(today, sections, previous):
            self._read_part(
                "months", lambda: service.months_part(today, sections=sections, previous=previous)
            )
        else:
            assert previous is not None
            self._parts["months"] = previous.months
        self._read_part(
            "rest",
            lambda: service.today_part(
                today,
                sections=sections,
                previous=previous,
                limit=TODAY_ROWS,
                events=TODAY_EVENTS,
            ),
        )

    def _read_part(self, name: str, read: Callable[[], object]) -> None:
        """Read one half; the second to arrive shows both (a failed load's other half is
        dropped: its generation is over)."""
        generation = self._generation

        def done(part: object) -> None:
            if generation != self._generation or self._loading is None:
                return
            self._parts[name] = part
            if len(self._parts) == 2:
                parts = self._parts
                self._on_loaded(ov.assemble(self._load_day, parts["months"], parts["rest"]))  # type: ignore[arg-type]

        def failed(exc: BaseException) -> None:
            if generation == self._generation and self._loading is not None:
                self._on_failed(exc)

        run_task(read, done, failed, owner=self, name=f"read overview {name}")

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

"""The contacts list's columns: fitted to the width it has (important columns first, the rest
elided, their full text in tooltips; in a list too narrow for that, the least useful columns
step aside until it widens) and the widths the user chose kept across restarts."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QTableView, QWidget

from planner.core.vocab import RELATIONSHIPS
from planner.ui.dates import short_date
from planner.ui.models.contact_columns import (
    COL_CADENCE,
    COL_KNOWN_BY,
    COL_LAST,
    COL_NAME,
    COL_NEXT,
    COL_ORGANISATION,
    COL_RELATIONSHIP,
    COL_ROLE,
    COL_TAGS,
    HEADERS,
)

# Fitted to their content and the last to give way: who, the dates that drive the work and
# (with the warm-intro filter) who on the team knows them.
IMPORTANT = frozenset({COL_NAME, COL_LAST, COL_NEXT, COL_KNOWN_BY})
# Of those, what gives way last of all.
DATES = frozenset({COL_LAST, COL_NEXT})
# Default widths of the text columns, in average characters.
TEXT_CHARS = {COL_NAME: 20, COL_ORGANISATION: 16, COL_ROLE: 14, COL_TAGS: 12, COL_KNOWN_BY: 18}
# Flexible columns keep this many characters before the important ones give way.
FLOOR_CHARS = 8
# The name keeps this many, whatever else has to step aside.
NAME_CHARS = 12
# Which columns step aside first when the list is too narrow for every column to say
# something (a contact selected at 200 % leaves it about 180 px): never the name.
STEP_ASIDE = (
    COL_CADENCE, COL_TAGS, COL_ROLE, COL_RELATIONSHIP, COL_ORGANISATION, COL_LAST, COL_NEXT,
    COL_KNOWN_BY,
)  # fmt: skip


def fit_widths(
    wanted: Sequence[int],
    available: int,
    minimum: int,
    important: Collection[int] = IMPORTANT,
    floor: int = 0,
    last: Collection[int] = (),
) -> list[int]:
    """Column widths that fill `available` pixels without going over it when possible.

    Spare room goes to the columns that are not important, in proportion to their width. A
    shortfall is taken from those first, down to `floor` (a few characters still say
    something), then from the important ones but the `last` (dates) down to twice `floor`,
    then from every column in proportion, down to `minimum`.
    """
    widths = [max(minimum, int(w)) for w in wanted]
    everything = list(range(len(widths)))
    flexible = [c for c in everything if c not in important] or everything
    excess = sum(widths) - available
    if excess < 0:
        total = sum(widths[c] for c in flexible)
        for c in flexible:
            widths[c] += -excess * widths[c] // total
        return widths
    low = max(minimum, floor)
    stages = (
        (flexible, low),
        ([c for c in everything if c not in last], 2 * low),
        (everything, minimum),
    )
    for group, least in stages:
        room = {c: widths[c] - least for c in group if widths[c] > least}
        total = sum(room.values())
        if excess <= 0 or total <= 0:
            continue
        take = min(excess, total)
        for c, spare in room.items():
            widths[c] -= min(spare, -(-take * spare // total))  # rounded up: never over
        excess = sum(widths) - available
    return widths


class ContactsView(QTableView):
    """The list; whenever its width changes the columns are fitted again, so it never needs
    to scroll sideways at a normal window size (also at 200 % scaling on a small screen)."""

    # The user resized a column: the widths of all columns now (to keep across restarts).
    widths_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._user_widths: list[int] | None = None
        # Hidden by choice (show_column); any other hidden column stepped aside for room.
        self._hidden: set[int] = set()
        self._fitting = False
        self._resized: int | None = None
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(300)
        self._save_timer.timeout.connect(self._on_save_timer_timeout)

    def connect_header(self) -> None:
        """Follow the user's column resizing (call once the model is set)."""
        self.horizontalHeader().sectionResized.connect(self._on_header_section_resized)

    def set_user_widths(self, widths: Sequence[int] | None) -> None:
        """Widths the user chose earlier (a restart): fitted like the defaults from now on."""
        self._user_widths = list(widths) if widths else None
        self.fit_columns()

    def viewportEvent(self, event: QEvent) -> bool:
        # The viewport, not the view: a vertical scroll bar coming or going changes it too.
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.Resize:
            assert isinstance(event, QResizeEvent)
            if event.size().width() != event.oldSize().width():
                self.fit_columns()
        return handled

    def default_widths(self) -> list[int]:
        """What each column needs to show its usual content, in this font."""
        metrics = self.fontMetrics()
        pad = 2 * metrics.averageCharWidth() + 6
        char = metrics.averageCharWidth()

        def text(*samples: str) -> int:
            return max(metrics.horizontalAdvance(s) for s in samples) + pad

        day = short_date(date(2026, 12, 28))
        widths = [char * TEXT_CHARS.get(c, 10) + pad for c in range(len(HEADERS))]
        widths[COL_RELATIONSHIP] = text(*RELATIONSHIPS.values())
        widths[COL_LAST] = text(day, HEADERS[COL_LAST])
        widths[COL_NEXT] = text(day, HEADERS[COL_NEXT])
        widths[COL_CADENCE] = text("12 weeks", HEADERS[COL_CADENCE])
        return widths

    def fit_columns(self, keep: int | None = None) -> None:
        """Fit the columns to the viewport; `keep` (a column the user just sized) gives way
        last, like the important ones."""
        header = self.horizontalHeader()
        count = header.count()
        if not count:
            return
        defaults = self.default_widths()[:count]
        wanted = self._user_widths
        if wanted is None or len(wanted) != count:
            wanted = defaults
        floor = FLOOR_CHARS * self.fontMetrics().averageCharWidth()
        shown = self._step_aside(wanted, defaults, floor)
        important = IMPORTANT if keep is None else IMPORTANT | {keep}
        widths = fit_widths(
            [wanted[c] for c in shown],
            self.viewport().width(),
            header.minimumSectionSize(),
            [i for i, c in enumerate(shown) if c in important],
            floor,
            [i for i, c in enumerate(shown) if c in DATES],
        )
        self._fitting = True
        try:
            for column, width in zip(shown, widths, strict=True):
                self.setColumnWidth(column, width)
        finally:
            self._fitting = False

    def _step_aside(self, wanted: Sequence[int], defaults: Sequence[int], floor: int) -> list[int]:
        """Hide the columns there is no room for (see STEP_ASIDE), show those there is room
        for again; returns the columns shown. Each keeps `floor` pixels, the dates and the
        name what they need to be read whole."""
        count = self.horizontalHeader().count()
        least = {c: floor for c in range(count)}
        for column in DATES:
            least[column] = min(wanted[column], defaults[column])
        least[COL_NAME] = NAME_CHARS * self.fontMetrics().averageCharWidth()
        candidates = [c for c in range(count) if c not in self._hidden]
        room = self.viewport().width()
        aside: set[int] = set()
        for column in STEP_ASIDE:
            if sum(least[c] for c in candidates if c not in aside) <= room:
                break
            if column in candidates:
                aside.add(column)
        self._fitting = True
        try:
            for column in range(count):
                hide = column in self._hidden or column in aside
                if self.isColumnHidden(column) != hide:
                    self.setColumnHidden(column, hide)
        finally:
            self._fitting = False
        return [c for c in candidates if c not in aside]

    def stepped_aside(self) -> frozenset[int]:
        """The columns hidden now for lack of room (they come back when the list widens)."""
        count = self.horizontalHeader().count()
        return frozenset(c for c in range(count) if self.isColumnHidden(c)) - self._hidden

    def show_column(self, column: int, shown: bool) -> None:
        """Show or hide a column and share the width again."""
        if (column in self._hidden) == shown:
            if shown:
                self._hidden.discard(column)
            else:
                self._hidden.add(column)
            self.fit_columns()

    def _on_header_section_resized(self, column: int, _old: int, _new: int) -> None:
        # The last section stretches by itself whenever the view resizes: not the user.
        header = self.horizontalHeader()
        last = max(c for c in range(header.count()) if not header.isSectionHidden(c))
        if self._fitting or column >= last:
            return
        self._resized = column
        self._save_timer.start()

    def _current_widths(self) -> list[int]:
        """Every column's width; a hidden one keeps the width it had (or its default)."""
        count = self.horizontalHeader().count()
        before = (
            self._user_widths if self._user_widths and len(self._user_widths) == count else None
        )
        fallback = before or self.default_widths()
        return [
            fallback[c] if self.isColumnHidden(c) else self.columnWidth(c) for c in range(count)
        ]

    def _on_save_timer_timeout(self) -> None:
        # The others make room for the column the user sized, so nothing scrolls sideways.
        self._user_widths = self._current_widths()
        self.fit_columns(keep=self._resized)
        widths = self._current_widths()
        self._user_widths = widths
        self.widths_changed.emit(widths)

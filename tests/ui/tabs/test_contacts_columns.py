"""#16 item 13: the contacts list's columns fit the width (important ones first, the rest
elided with tooltips), never scroll sideways at a normal size, and keep the user's widths
across restarts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from planner.core.contacts import ContactService
from planner.settings import SettingsStore
from planner.ui.dates import short_date
from planner.ui.models.contact_columns import (
    COL_CADENCE,
    COL_LAST,
    COL_NAME,
    COL_NEXT,
    COL_ORGANISATION,
    HEADERS,
)
from planner.ui.tabs.contacts_columns import fit_widths
from planner.ui.tabs.contacts_tab import ContactsTab
from tests.ui.contacts_tab_helper import shown_contacts_tab


def test_fit_widths_gives_spare_room_to_the_flexible_columns() -> None:
    assert fit_widths([100, 50, 50], 300, 20, important={0}) == [100, 100, 100]


def test_fit_widths_takes_from_the_flexible_columns_first_then_from_all() -> None:
    # 60 too wide: the flexible ones give it, down to their floor of 30.
    assert fit_widths([100, 80, 80], 200, 20, important={0}, floor=30) == [100, 50, 50]
    # Still too wide at the floor: everyone gives way, down to the minimum.
    widths = fit_widths([100, 80, 80], 100, 20, important={0}, floor=30)
    assert sum(widths) <= 100 and min(widths) >= 20 and widths[0] > widths[1]
    # Nothing left to give: the minimum holds (the view scrolls only then).
    assert fit_widths([100, 80], 10, 20, important={0}) == [20, 20]


@pytest.fixture
def tab(qtbot: Any, tab_context: Any, db: Any) -> ContactsTab:
    svc = ContactService(db)
    svc.create(
        {
            "name": "Maximiliana Fitzgerald-Oyelaran",
            "organisation": "International Federation of Networking Professionals",
            "role": "Head of Partnerships",
            "cadence_days": 30,
        }
    )
    return shown_contacts_tab(qtbot, tab_context, (1200, 700))


def total_width(tab: ContactsTab) -> int:
    return sum(tab.view.columnWidth(c) for c in range(len(HEADERS)))


def test_default_size_fits_the_dates_and_elides_the_rest_with_tooltips(
    qtbot: Any, tab: ContactsTab
) -> None:
    view = tab.view
    metrics = view.fontMetrics()
    day = metrics.horizontalAdvance(short_date(date(2026, 12, 28)))
    for column in (COL_LAST, COL_NEXT):
        assert view.columnWidth(column) > day
        assert tab.model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert total_width(tab) <= view.viewport().width()
    qtbot.waitUntil(lambda: view.horizontalScrollBar().maximum() == 0)
    # The long organisation is elided in its cell; its tooltip holds it whole.
    cell = tab.model.index(0, COL_ORGANISATION)
    text = cell.data()
    assert metrics.horizontalAdvance(text) > view.columnWidth(COL_ORGANISATION)
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == text


@pytest.mark.parametrize("width", [1000, 760, 640])
def test_a_narrow_window_never_scrolls_sideways(qtbot: Any, tab: ContactsTab, width: int) -> None:
    """What QT_SCALE_FACTOR=2 on a 1600x1000 screen leaves: about 800 logical pixels."""
    tab.resize(width, 500)
    qtbot.waitUntil(lambda: tab.view.width() < 600 or width == 1000)
    view = tab.view
    assert total_width(tab) <= view.viewport().width()
    qtbot.waitUntil(lambda: view.horizontalScrollBar().maximum() == 0)
    if width < 760:
        return  # smaller than any normal window: everything elides, nothing scrolls
    # The name keeps a dozen characters and the dates stay whole.
    metrics = view.fontMetrics()
    assert view.columnWidth(COL_NAME) >= 12 * metrics.averageCharWidth()
    day = metrics.horizontalAdvance(short_date(date(2026, 12, 28)))
    assert min(view.columnWidth(COL_LAST), view.columnWidth(COL_NEXT)) > day


def test_column_widths_the_user_chose_are_kept_across_restarts(
    qtbot: Any, tab: ContactsTab, tab_context: Any
) -> None:
    header = tab.view.horizontalHeader()
    header.resizeSection(COL_ORGANISATION, 220)  # as a drag of the header's handle does

    def saved() -> Any:
        state = SettingsStore(tab_context.settings.path).preferences.ui_state
        return state.get("contacts_table", {}).get("column_widths")

    qtbot.waitUntil(lambda: saved() is not None)
    chosen = saved()[COL_ORGANISATION]
    assert 200 <= chosen <= 220  # all but a few pixels, when every other column is at its floor
    # The other columns made room: still nothing to scroll sideways.
    assert total_width(tab) <= tab.view.viewport().width()
    again = ContactsTab(tab_context)
    qtbot.addWidget(again)
    again.resize(1200, 700)
    again.show()
    qtbot.waitExposed(again)
    assert abs(again.view.columnWidth(COL_ORGANISATION) - chosen) <= 2
    assert total_width(again) <= again.view.viewport().width()


def test_dates_give_way_last() -> None:
    # Name (0) and the date (1) are important; the date is kept whole longest.
    widths = fit_widths([200, 90, 80], 220, 20, important={0, 1}, floor=40, last={1})
    assert widths == [90, 90, 40]  # the name down to twice the floor, the date whole


def test_a_contact_shown_at_200_percent_leaves_the_name_readable(
    qtbot: Any, tab: ContactsTab
) -> None:
    """1366x768 at QT_SCALE_FACTOR=2: the detail pane takes most of 683 px, and the list
    used to shrink every column to "…". The least useful columns step aside instead."""
    tab.resize(683, 560)
    tab.view.selectionModel().setCurrentIndex(
        tab.model.index(0, COL_NAME),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.waitUntil(lambda: tab.detail is not None and tab.detail.isVisible())
    view = tab.view
    qtbot.waitUntil(lambda: view.width() < 300)
    metrics = view.fontMetrics()
    assert view.columnWidth(COL_NAME) >= 12 * metrics.averageCharWidth()
    assert total_width(tab) <= view.viewport().width()
    assert view.horizontalScrollBar().maximum() == 0
    assert view.isColumnHidden(COL_CADENCE) and COL_CADENCE in view.stepped_aside()
    shown = [c for c in range(len(HEADERS)) if not view.isColumnHidden(c)]
    # What is left says something: no column is cut down to a couple of letters.
    assert all(view.columnWidth(c) >= 8 * metrics.averageCharWidth() for c in shown)

    # Room again (the window made larger): every column is back.
    tab.resize(1600, 700)
    qtbot.waitUntil(lambda: not view.stepped_aside())
    assert not view.isColumnHidden(COL_CADENCE) and not view.isColumnHidden(COL_ORGANISATION)

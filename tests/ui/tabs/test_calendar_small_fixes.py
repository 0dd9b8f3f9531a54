"""Small first-week fixes on the calendar side: the date picker starts today, the losing-touch
list reads sensibly for never-contacted people, the Schedule link uses the palette."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from planner.core.contact_rows import new_contact
from planner.core.followups import FollowUpDraft
from planner.ui.context import TabContext
from planner.ui.models.agenda_model import LosingTouchTableModel
from planner.ui.tabs.calendar_tab import CalendarTab

TODAY = date.today()


@pytest.fixture
def tab(qtbot: Any, tab_context: TabContext) -> CalendarTab:
    widget = CalendarTab(tab_context)
    qtbot.addWidget(widget)
    widget.resize(1200, 780)
    widget.show()
    qtbot.waitUntil(lambda: not widget.data_pending())  # type: ignore[attr-defined]
    return widget


def test_pick_a_date_opens_on_today(tab: CalendarTab, monkeypatch: pytest.MonkeyPatch) -> None:
    with tab.context.db.session() as s:
        cid = new_contact(s, "Ana Ruiz").id
    old = TODAY - timedelta(days=40)
    fu = tab.service.create(FollowUpDraft(cid, old, purpose="late"))[0]
    tab.refresh()
    tab.overdue_view.setFocus()
    tab.overdue_view.selectRow(tab.overdue_model.row_of(fu.id))
    opened: list[date] = []
    monkeypatch.setattr(
        CalendarTab, "pick_date", lambda self, initial: opened.append(initial) or None
    )
    tab.reschedule_selected()
    assert opened == [TODAY]


def test_losing_touch_never_contacted_and_link_colour(tab: CalendarTab) -> None:
    with tab.context.db.session() as s:
        never = new_contact(s, "Never Met", cadence_days=90)
        never.next_touch_due = TODAY - timedelta(days=714)
    tab.refresh()
    model = tab.losing_model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Never Met")
    last = model.index(row, LosingTouchTableModel.COL_LAST).data()
    lapsed = model.index(row, LosingTouchTableModel.COL_LAPSED).data()
    assert (last, lapsed) == ("Never contacted", "cadence 90 days")
    palette = QPalette(QGuiApplication.palette())
    palette.setColor(QPalette.ColorRole.Link, QColor("#8ab4f8"))  # a dark theme's link
    QGuiApplication.setPalette(palette)
    try:
        colour = model.index(row, LosingTouchTableModel.COL_SCHEDULE).data(
            Qt.ItemDataRole.ForegroundRole
        )
        assert QColor(colour).name() == "#8ab4f8"
    finally:
        QGuiApplication.setPalette(QPalette())

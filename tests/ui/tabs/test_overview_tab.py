"""The Overview tab: Today lists open items, edits elsewhere refresh it, export writes files."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QListWidget, QMainWindow

from planner.core import overview as ov
from planner.core.changes import Changes
from planner.db import models as m
from planner.db.database import Database
from planner.ui.context import TabContext
from planner.ui.tabs.overview_tab import OverviewTab

TODAY = date.today()


def _seed(db: Database) -> dict[str, int]:
    ids: dict[str, int] = {}
    now = datetime.now(timezone.utc)
    with db.session() as s:
        ann = m.Contact(
            name="Ann Lapsed",
            organisation="Globex",
            relationship="mentor",
            cadence_days=30,
            next_touch_due=TODAY - timedelta(days=12),
            created_at=now,
        )
        bob = m.Contact(
            name="Bob Planned",
            relationship="peer",
            cadence_days=30,
            next_touch_due=TODAY - timedelta(days=3),
            created_at=now,
        )
        s.add_all([ann, bob])
        s.flush()
        follow = m.FollowUp(
            contact_id=bob.id, due_date=TODAY - timedelta(days=2), purpose="send the slides"
        )
        renewal = m.FollowUp(contact_id=None, due_date=TODAY, purpose="Renew IEEE membership")
        event = m.EventPlan(
            name="Data Meetup",
            starts_local=datetime.combine(TODAY + timedelta(days=3), datetime.min.time()),
            status="registered",
        )
        s.add_all([follow, renewal, event])
        s.flush()
        s.add(m.EventGoal(event_id=event.id, kind="meet_new", description="Meet 3 new", target=3))
        s.add(m.Touchpoint(contact_id=ann.id, occurred_on=TODAY, channel="call", kind="asked"))
        ids.update(ann=ann.id, bob=bob.id, follow=follow.id, renewal=renewal.id, event=event.id)
    return ids


def _texts(lst: QListWidget) -> list[str]:
    return [lst.item(i).text() for i in range(lst.count())]


@pytest.fixture
def seeded(tab_context: TabContext) -> dict[str, int]:
    return _seed(tab_context.db)


@pytest.fixture
def tab(qtbot: Any, tab_context: TabContext, seeded: dict[str, int]) -> OverviewTab:
    widget = OverviewTab(tab_context)
    qtbot.addWidget(widget)
    widget.resize(1200, 780)
    with qtbot.waitSignal(widget.refreshed, timeout=5000):
        widget.show()
    return widget


def test_today_lists_what_needs_doing(tab: OverviewTab, seeded: dict[str, int]) -> None:
    follow = _texts(tab.followups_list)
    assert follow[0].startswith("Bob Planned — send the slides\n2 days overdue")
    # A reminder without a contact (an organisation renewal) shows its purpose.
    assert follow[1].startswith("Renew IEEE membership\ndue today")
    assert _texts(tab.losing_list) == [
        "Ann Lapsed, Globex\nMentor · due 12 days ago, nothing planned"
    ]
    events = _texts(tab.events_list)
    assert len(events) == 1 and events[0].startswith("Data Meetup")
    assert "0 of 1 goals met · Meet 3 new 0/3" in events[0]
    assert tab.followups_box.title() == "Follow-ups due (2)"
    assert tab.status.text() == "2 follow-ups due · 1 losing touch"


def test_charts_show_the_monthly_numbers(tab: OverviewTab) -> None:
    chart = tab.activity_chart
    assert len(chart.categories) == 12
    assert [s.name for s in chart.series] == ["Touchpoints", "New contacts"]
    assert chart.value(0, 11) == 1  # the touchpoint logged today
    assert chart.value(1, 11) == 2  # both contacts were added this month
    assert tab.give_ask_chart.value(1, 11) == 1  # "asked"
    assert tab.goals_chart.value(0, 11) == (1 if TODAY.month == (TODAY + timedelta(3)).month else 0)
    cadence = tab.cadence_chart
    assert cadence.categories == ("Mentor", "Peer")
    assert cadence.value(2, 0) == 1 and cadence.value(2, 1) == 1  # both overdue
    tip = chart.tooltip_html(11)
    assert "Touchpoints" in tip and "<b>1</b>" in tip
    assert "Touchpoints 1" in chart.accessibleDescription()


def test_an_edit_elsewhere_updates_the_overview(
    qtbot: Any, tab: OverviewTab, tab_context: TabContext, seeded: dict[str, int]
) -> None:
    before = tab.activity_chart.value(0, 11)
    with tab_context.db.session() as s:
        s.add(
            m.Touchpoint(
                contact_id=seeded["ann"], occurred_on=TODAY, channel="email", kind="gave_value"
            )
        )
        ann = s.get(m.Contact, seeded["ann"])
        assert ann is not None
        ann.next_touch_due = TODAY + timedelta(days=30)
    with qtbot.waitSignal(tab.refreshed, timeout=5000):
        tab_context.bus.changed.emit(Changes.all("touchpoints"))
    assert tab.activity_chart.value(0, 11) == before + 1
    assert tab.give_ask_chart.value(0, 11) == 1
    assert _texts(tab.losing_list) == ["Everyone with a cadence is on track."]
    assert tab.cadence_chart.value(0, 0) == 1  # Ann is now on time

    with tab_context.db.session() as s:
        follow = s.get(m.FollowUp, seeded["follow"])
        assert follow is not None
        follow.status = "done"
    with qtbot.waitSignal(tab.refreshed, timeout=5000):
        tab_context.bus.changed.emit(Changes.all("follow_ups"))
    assert _texts(tab.followups_list)[0].startswith("Renew IEEE membership")
    assert [t.split("\n")[0] for t in _texts(tab.losing_list)] == ["Bob Planned"]


def test_a_burst_of_signals_refreshes_once(
    qtbot: Any, tab: OverviewTab, tab_context: TabContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[frozenset[str]] = []
    real = tab.service.today_part

    def counting(*args: Any, **kwargs: Any) -> ov.TodayPart:
        calls.append(frozenset(kwargs["sections"]))
        return real(*args, **kwargs)

    # The Today half is read on every refresh (the month half only when months changed).
    monkeypatch.setattr(tab.service, "today_part", counting)
    bus = tab_context.bus
    with qtbot.waitSignal(tab.refreshed, timeout=5000):
        bus.changed.emit(Changes.all("touchpoints"))
        bus.changed.emit(Changes.all("follow_ups"))
        bus.changed.emit(Changes.all("touchpoints"))
        bus.changed.emit(Changes.all("events"))
    assert len(calls) == 1
    assert calls[0] == {ov.TOUCHES, ov.CADENCE, ov.LOSING, ov.FOLLOWUPS, ov.GOALS, ov.EVENTS}
    assert not tab.loading and not tab._debounce.isActive()


def test_hidden_tab_reads_again_only_when_shown(
    qtbot: Any, tab: OverviewTab, tab_context: TabContext, seeded: dict[str, int]
) -> None:
    tab.hide()
    with tab_context.db.session() as s:
        s.add(m.FollowUp(contact_id=seeded["ann"], due_date=TODAY, purpose="call Ann"))
    tab_context.bus.changed.emit(Changes.all("follow_ups"))
    qtbot.waitUntil(lambda: not tab._debounce.isActive(), timeout=2000)
    assert not tab.loading
    assert len(_texts(tab.followups_list)) == 2
    with qtbot.waitSignal(tab.refreshed, timeout=5000):
        tab.show()
    assert len(_texts(tab.followups_list)) == 3
    assert _texts(tab.losing_list) == ["Everyone with a cadence is on track."]


def test_one_click_or_enter_opens_where_it_is_handled(
    qtbot: Any, tab: OverviewTab, tab_context: TabContext, seeded: dict[str, int]
) -> None:
    lst = tab.followups_list
    rect = lst.visualItemRect(lst.item(0))
    with qtbot.waitSignal(tab_context.bus.open_requested, timeout=2000) as blocker:
        qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["followup", seeded["follow"]]

    tab.losing_list.setFocus()
    tab.losing_list.setCurrentRow(0)
    with qtbot.waitSignal(tab_context.bus.open_requested, timeout=2000) as blocker:
        qtbot.keyClick(tab.losing_list, Qt.Key.Key_Return)
    assert blocker.args == ["contact", seeded["ann"]]

    events = tab.events_list
    with qtbot.waitSignal(tab_context.bus.open_requested, timeout=2000) as blocker:
        qtbot.mouseClick(
            events.viewport(),
            Qt.MouseButton.LeftButton,
            pos=events.visualItemRect(events.item(0)).center(),
        )
    assert blocker.args == ["event", seeded["event"]]


def test_notes_in_empty_lists_open_nothing(
    qtbot: Any, tab_context: TabContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    widget = OverviewTab(tab_context)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.refreshed, timeout=5000):
        widget.show()
    assert _texts(widget.followups_list) == ["Nothing due today. Well done."]
    assert widget.activity_chart.is_empty()
    opened: list[tuple[str, int]] = []
    tab_context.bus.open_requested.connect(lambda kind, i: opened.append((kind, i)))
    lst = widget.followups_list
    qtbot.mouseClick(
        lst.viewport(), Qt.MouseButton.LeftButton, pos=lst.visualItemRect(lst.item(0)).center()
    )
    assert opened == []


@pytest.mark.parametrize(
    ("name", "chosen", "header"),
    [
        ("overview.png", "PNG image (*.png)", b"\x89PNG\r\n\x1a\n"),
        ("overview.pdf", "PDF document (*.pdf)", b"%PDF-"),
        ("status-update", "PDF document (*.pdf)", b"%PDF-"),
    ],
)
def test_export_writes_png_or_pdf(
    qtbot: Any,
    tab: OverviewTab,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    chosen: str,
    header: bytes,
) -> None:
    target = tmp_path / name
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), chosen))
    )
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(tab)
    counts = tab.status.text()
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    written = target if target.suffix else target.with_suffix(".pdf")
    data = written.read_bytes()
    assert data.startswith(header)
    assert len(data) > 2000
    # Said in the window's status bar; the overview keeps its follow-up and losing-touch counts.
    assert window.statusBar().currentMessage() == f"Saved {written}"
    assert tab.status.text() == counts
    window.takeCentralWidget()  # the tab fixture closes the tab itself


def test_export_cancelled_writes_nothing(
    qtbot: Any, tab: OverviewTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert list(tmp_path.glob("*.png")) == []
    assert not tab.status.text().startswith("Saved")


def test_chart_tooltip_follows_the_mouse_and_keys(qtbot: Any, tab: OverviewTab) -> None:
    chart = tab.activity_chart
    bar = chart.bar_rect(0, 11)
    assert bar.height() > 0
    inside = QPoint(int(bar.center().x()), int(bar.center().y()))
    assert chart.category_at(inside) == 11
    assert "Touchpoints" in chart.tooltip_at(inside)
    assert chart.tooltip_at(QPoint(2, 2)) == ""
    chart.setFocus()
    qtbot.waitUntil(chart.hasFocus, timeout=2000)
    assert chart.current == 11
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.current == 10
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    assert chart.current == 0
    assert chart.accessibleDescription() == chart.category_text(0)


def test_a_deleted_tab_ignores_the_bus(qtbot: Any, tab_context: TabContext) -> None:
    import shiboken6

    widget = OverviewTab(tab_context)
    shiboken6.delete(widget)
    # pytest-qt fails the test if a slot raises (e.g. a timer of the deleted tab).
    tab_context.bus.changed.emit(Changes.all("touchpoints"))
    tab_context.bus.changed.emit(Changes.all("contacts"))


def test_debounce_interval_survives_the_first_show(tab: OverviewTab) -> None:
    # The first show reads at once (interval 0); later edits must still be folded together.
    tab.refresh({ov.FOLLOWUPS})
    assert tab._debounce.interval() > 0


def test_a_failed_read_is_reported_and_the_next_edit_retries(
    qtbot: Any,
    tab: OverviewTab,
    tab_context: TabContext,
    seeded: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = tab.service.today_part

    def broken(*args: Any, **kwargs: Any) -> ov.TodayPart:
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(tab.service, "today_part", broken)
    tab_context.bus.changed.emit(Changes.all("touchpoints"))
    qtbot.waitUntil(lambda: "could not be read" in tab.status.text(), timeout=5000)
    assert "disk I/O error" in tab.status.text()
    assert not tab.loading
    monkeypatch.setattr(tab.service, "today_part", real)
    with tab_context.db.session() as s:
        s.add(m.Touchpoint(contact_id=seeded["ann"], occurred_on=TODAY, channel="call", kind="met"))
    # The failed read's parts are read again with the next change, whatever it was.
    with qtbot.waitSignal(tab.refreshed, timeout=5000):
        tab_context.bus.changed.emit(Changes.all("events"))
    assert tab.status.text() == "2 follow-ups due · 1 losing touch"
    assert tab.activity_chart.value(0, 11) == 2

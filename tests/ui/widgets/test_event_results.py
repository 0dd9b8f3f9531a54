"""Event results: people met vs goal, follow-ups sent and answered within 14 days, cost per
new contact — on the event and as an Overview chart across events."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from planner.core.event_results import event_result
from planner.core.events import EventService
from planner.core.followups import FollowUpService
from planner.db import models as m
from planner.db.database import Database
from planner.ui.context import TabContext

DAY = date.today() - timedelta(days=30)


def _event(db: Database) -> int:
    events = EventService(db)
    event_id = events.create(
        "Fintech Forum",
        starts_local=datetime.combine(DAY, datetime.min.time()) + timedelta(hours=9),
        status="attended",
        cost_cents=6000,
        currency="EUR",
    )[0].id
    events.add_goal(event_id, "meet_new", target=5)
    for line in ("Ana Ruiz, Globex", "Bo Li, Initech", "Cy Young, Acme"):
        events.mark_met(event_id, quick_add=line)
    made = events.create_followups(event_id, 3)[0]
    followups = FollowUpService(db)
    # Two follow-ups sent within two weeks, the third late.
    for fu, days in zip(made, (3, 10, 20), strict=True):
        followups.complete(fu.id, DAY + timedelta(days=days))[0]
        with db.session() as s:
            row = s.get(m.FollowUp, fu.id)
            assert row is not None
            row.completed_at = datetime.combine(
                DAY + timedelta(days=days), datetime.min.time(), timezone.utc
            )
    # Ana wrote back a week later (a touch logged by hand, not by a follow-up).
    ana = made[0].contact_id
    assert ana is not None
    with db.session() as s:
        s.add(m.Touchpoint(contact_id=ana, occurred_on=DAY + timedelta(days=7), channel="email",
                           kind="caught_up", note="replied"))  # fmt: skip
    return event_id


def test_results_of_one_event(db: Database) -> None:
    event_id = _event(db)
    result = event_result(db, event_id)
    assert result is not None
    assert (result.met, result.new, result.goal) == (3, 3, 5)
    assert (result.followups, result.sent, result.answered) == (3, 2, 1)
    assert result.cost_per_new_cents == 2000


def test_results_on_the_event_and_in_the_overview(qtbot: Any, tab_context: TabContext) -> None:
    from planner.ui.tabs.events_tab import EventsTab
    from planner.ui.tabs.overview_tab import OverviewTab

    event_id = _event(tab_context.db)
    tab = EventsTab(tab_context)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: not tab.data_pending())  # type: ignore[attr-defined]
    tab.select_event(event_id)
    text = tab.editor.results_line.text()
    assert "Met 3 (3 new) against a goal of 5" in text
    assert "follow-ups sent within 14 days: 2 of 3" in text
    assert "answered within 14 days: 1 of 3" in text
    assert "20.00 EUR per new contact" in text

    overview = OverviewTab(tab_context)
    qtbot.addWidget(overview)
    with qtbot.waitSignal(overview.refreshed, timeout=10000):
        overview.show()
    chart = overview.results_chart
    assert chart.categories[0].startswith("Fintech Forum\n")
    assert [s.name for s in chart.series][:2] == ["Met", "Goal"]
    assert (chart.value(0, 0), chart.value(1, 0), chart.value(2, 0), chart.value(3, 0)) == (
        3,
        5,
        2,
        1,
    )
    assert "20.00 EUR per new contact" in chart.tooltip_html(0)

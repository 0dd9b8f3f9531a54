"""#16 item 14: the contact page lists the person's open follow-ups, with Complete and Snooze
(one undo step each, the list refreshed through the bus)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from planner.core.contacts import ContactService
from planner.core.followups import FollowUpDraft, FollowUpService
from planner.core.touchpoints import TouchpointService
from planner.ui.tabs.contacts_tab import ContactsTab
from planner.ui.widgets.contact_followups import FollowUpsPane


@pytest.fixture
def setup(qtbot: Any, tab_context: Any) -> tuple[ContactsTab, dict[str, int]]:
    db = tab_context.db
    ana = ContactService(db).create({"name": "Ana Ruiz", "cadence_days": 30})[0].id
    other = ContactService(db).create({"name": "Ben Okafor"})[0].id
    svc = FollowUpService(db)
    today = date.today()
    late, _ = svc.create(FollowUpDraft(ana, today - timedelta(days=2), purpose="Send the deck"))
    soon, _ = svc.create(FollowUpDraft(ana, today + timedelta(days=5), purpose="Coffee"))
    svc.create(FollowUpDraft(other, today, purpose="Not Ana's"))
    tab = ContactsTab(tab_context)
    qtbot.addWidget(tab)
    tab.resize(1200, 760)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: not tab.loading)
    tab.select_contact(ana)
    return tab, {"ana": ana, "late": late.id, "soon": soon.id}


def _rows(pane: FollowUpsPane) -> list[str]:
    return [pane.list.item(r).text() for r in range(pane.list.count())]


def test_open_followups_are_listed_with_date_and_title(
    setup: tuple[ContactsTab, dict[str, int]],
) -> None:
    tab, _ids = setup
    pane = tab.detail.followups_pane
    assert pane.isVisible()
    rows = _rows(pane)
    assert len(rows) == 2
    assert rows[0].endswith("Send the deck (overdue)") and rows[1].endswith("Coffee")
    assert pane.selected() is not None and pane.selected().purpose == "Send the deck"


def test_snooze_moves_it_in_one_undo_step_and_the_list_follows(
    qtbot: Any, setup: tuple[ContactsTab, dict[str, int]]
) -> None:
    tab, ids = setup
    pane = tab.detail.followups_pane
    svc = FollowUpService(tab.context.db)
    before = svc.get(ids["late"]).due_date
    pane.snooze_menu.actions()[0].trigger()  # until tomorrow
    assert svc.get(ids["late"]).due_date == date.today() + timedelta(days=1)
    qtbot.waitUntil(lambda: "Send the deck" in _rows(pane)[0] and "overdue" not in _rows(pane)[0])
    stack = tab.context.undo_stack
    assert stack.count() == 1 and stack.undoText().startswith("Snooze")
    stack.undo()
    assert svc.get(ids["late"]).due_date == before
    qtbot.waitUntil(lambda: _rows(pane)[0].endswith("(overdue)"))


def test_complete_logs_the_touch_in_one_undo_step(
    qtbot: Any, setup: tuple[ContactsTab, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    tab, ids = setup
    pane = tab.detail.followups_pane
    seen: list[str] = []

    def accept(dialog: Any) -> bool:
        seen.append(dialog.windowTitle())
        return True

    monkeypatch.setattr(FollowUpsPane, "ask_outcome", lambda self, dialog: accept(dialog))
    pane.complete_button.click()
    assert seen == ["Complete: Ana Ruiz"]
    svc = FollowUpService(tab.context.db)
    assert svc.get(ids["late"]).status == "done"
    touches = TouchpointService(tab.context.db).timeline(ids["ana"])
    assert [t.note for t in touches] == ["Send the deck"]
    # The list drops it (Coffee stays; the cadence's next follow-up is not added while one
    # is already open).
    qtbot.waitUntil(lambda: len(_rows(pane)) == 1)
    assert _rows(pane)[0].endswith("Coffee")
    stack = tab.context.undo_stack
    assert stack.count() == 1
    stack.undo()
    assert svc.get(ids["late"]).status == "open"
    assert TouchpointService(tab.context.db).timeline(ids["ana"]) == []
    qtbot.waitUntil(lambda: len(_rows(pane)) == 2)


def test_no_open_followups_no_pane(qtbot: Any, setup: tuple[ContactsTab, dict[str, int]]) -> None:
    tab, ids = setup
    other = [r.id for r in ContactService(tab.context.db).rows() if r.name == "Ben Okafor"]
    svc = FollowUpService(tab.context.db)
    for item in svc.list_range(date.today(), date.today()):
        svc.cancel(item.id)
    tab.select_contact(other[0])
    assert not tab.detail.followups_pane.isVisible()
    tab.select_contact(ids["ana"])
    assert tab.detail.followups_pane.isVisible()

"""#18: "who on the team knows someone at <organisation>" as a filter of the contacts list,
with the teammates who know each contact in a Known by column; the query runs off the GUI
thread and follows teammates' new touchpoints."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from planner.core.contacts import ContactService
from planner.core.touchpoints import TouchpointService
from planner.ui.models.contact_columns import COL_KNOWN_BY, COL_NAME
from planner.ui.tabs.contacts_tab import ContactsTab
from tests.ui.contacts_tab_helper import shown_contacts_tab


@pytest.fixture
def people(db: Any) -> dict[str, int]:
    contacts, touches = ContactService(db), TouchpointService(db)
    db.user = "Priya"
    ids = {
        "ana": contacts.create({"name": "Ana Ruiz", "organisation": "Globex"})[0].id,
        "bo": contacts.create({"name": "Bo Li", "organisation": "Globex"})[0].id,
        "di": contacts.create({"name": "Di Wu", "organisation": "Initech"})[0].id,
    }
    db.user = "Sam"
    touches.log(ids["ana"], date(2026, 5, 2), "email", "caught_up")
    touches.log(ids["ana"], date(2026, 6, 2), "call", "caught_up")
    db.user = "Lee"  # the person at the window: a third teammate
    return ids


@pytest.fixture
def tab(qtbot: Any, tab_context: Any, people: dict[str, int]) -> ContactsTab:
    return shown_contacts_tab(qtbot, tab_context, (1200, 700))


def rows(tab: ContactsTab) -> dict[str, str]:
    model = tab.model
    return {
        model.index(r, COL_NAME).data(): model.index(r, COL_KNOWN_BY).data()
        for r in range(model.rowCount())
    }


def choose(qtbot: Any, tab: ContactsTab, organisation: str) -> None:
    combo = tab.intro_filter
    at = next(i for i in range(combo.count()) if combo.itemText(i).startswith(organisation))
    with qtbot.waitSignal(tab.intros_applied):
        combo.setCurrentIndex(at)


def test_pick_an_organisation_and_see_who_knows_its_people(
    qtbot: Any, tab: ContactsTab, tab_context: Any, people: dict[str, int]
) -> None:
    assert tab.view.isColumnHidden(COL_KNOWN_BY)
    assert tab.intro_label.buddy() is tab.intro_filter  # Alt+K reaches it
    assert [tab.intro_filter.itemText(i) for i in range(tab.intro_filter.count())] == [
        "any organisation",
        "Globex (2)",
        "Initech (1)",
    ]
    choose(qtbot, tab, "Globex")
    assert rows(tab) == {"Ana Ruiz": "Sam (2), Priya (added)", "Bo Li": "Priya (added)"}
    assert not tab.view.isColumnHidden(COL_KNOWN_BY)
    assert "2 contacts at Globex; 2 teammates know 2 of them" in tab.message.text()
    assert tab.count_label.text() == "2 of 3"
    # Combined with the other filters, like any filter.
    tab.search.setText("bo")
    assert list(rows(tab)) == ["Bo Li"]
    tab.search.clear()

    # A teammate logs a touchpoint: the column follows without choosing again.
    tab_context.db.user = "Lee"
    _record, changes = TouchpointService(tab_context.db).log(
        people["bo"], date(2026, 7, 1), "video", "met"
    )
    with qtbot.waitSignal(tab.intros_applied):
        tab_context.bus.changed.emit(changes)
    assert rows(tab)["Bo Li"] == "Lee (1), Priya (added)"

    tab.clear_filters()
    assert tab.intro_filter.currentIndex() == 0
    assert tab.view.isColumnHidden(COL_KNOWN_BY)
    assert len(rows(tab)) == 3


def test_the_known_by_column_sorts(qtbot: Any, tab: ContactsTab) -> None:
    from PySide6.QtCore import Qt

    choose(qtbot, tab, "Globex")
    tab.view.sortByColumn(COL_KNOWN_BY, Qt.SortOrder.DescendingOrder)
    assert list(rows(tab)) == ["Ana Ruiz", "Bo Li"]
    tab.view.sortByColumn(COL_KNOWN_BY, Qt.SortOrder.AscendingOrder)
    assert list(rows(tab)) == ["Bo Li", "Ana Ruiz"]


def test_a_personal_file_has_no_warm_intro_filter(qtbot: Any, tab_context: Any) -> None:
    tab_context.db.user = ""
    widget = ContactsTab(tab_context)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: not widget.loading)
    assert widget.intro_filter.isHidden() and widget.intro_label.isHidden()


def test_a_team_database_offers_the_filter(tab: ContactsTab) -> None:
    assert tab.intro_filter.isVisible() and tab.intro_label.isVisible()


def test_asking_again_with_the_same_answer_keeps_the_list_where_it_was(
    qtbot: Any, tab: ContactsTab, tab_context: Any, people: dict[str, int]
) -> None:
    """A teammate's touchpoint asks again; when the same people come back, only the Known by
    column changes: the list is not refiltered and scrolled back to its top."""
    choose(qtbot, tab, "Globex")
    scrolled: list[bool] = []
    tab.view.scrollToTop = lambda: scrolled.append(True)  # type: ignore[method-assign]
    tab_context.db.user = "Lee"
    _record, changes = TouchpointService(tab_context.db).log(
        people["bo"], date(2026, 7, 1), "video", "met"
    )
    with qtbot.waitSignal(tab.intros_applied):
        tab_context.bus.changed.emit(changes)
    assert rows(tab)["Bo Li"] == "Lee (1), Priya (added)"
    assert scrolled == []
    choose(qtbot, tab, "Initech")  # a new answer is a new list: from its top
    assert scrolled == [True]

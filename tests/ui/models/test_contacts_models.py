"""The contacts list and history models pass Qt's model checks and filter/sort correctly."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QPersistentModelIndex, Qt

from planner.core.contacts import ContactRow
from planner.core.records import ReferralRecord, TouchpointRecord
from planner.core.text import search_blob
from planner.ui.models.contact_columns import (
    COL_CADENCE,
    COL_KNOWN_BY,
    COL_NAME,
    COL_NEXT,
    COL_ORGANISATION,
)
from planner.ui.models.contact_history_models import ReferralTableModel, TouchpointTableModel
from planner.ui.models.contact_rows import ContactFilter, cadence_label
from planner.ui.models.contact_table_model import ContactTableModel

TODAY = date(2026, 6, 1)


def row(cid: int, name: str, org: str = "", rel: str = "peer", **kw: Any) -> ContactRow:
    tags = kw.get("tags", ())
    last, due = kw.get("last"), kw.get("due")
    return ContactRow(
        cid,
        name,
        org,
        kw.get("role", ""),
        rel,
        last.isoformat() if last else None,
        due.isoformat() if due else None,
        kw.get("cadence"),
        search_blob(name, org, *tags),
        tags,
    )


def sample() -> list[ContactRow]:
    rows = [
        row(1, "Zoë Achterberg", "Globex", "mentor", tags=("fintech",), due=TODAY, cadence=30),
        row(2, "Ben Okafor", "initech", last=TODAY - timedelta(days=3)),
        row(3, "Ana García", "", "client", due=TODAY + timedelta(days=9), cadence=14),
        row(4, "Ana Li", "Hooli", tags=("ai", "fintech"), last=TODAY - timedelta(days=40)),
    ]
    # The service hands rows over in name order (folded search text).
    return sorted(rows, key=lambda r: r.search_text)


def names(model: ContactTableModel) -> list[str]:
    return [model.index(r, COL_NAME).data() for r in range(model.rowCount())]


def test_model_passes_qt_checks_through_filter_and_sort(qtmodeltester: Any) -> None:
    model = ContactTableModel(today=lambda: TODAY)
    model.set_rows(sample())
    qtmodeltester.check(model)
    model.set_filter(ContactFilter(text="ana"))
    model.sort(COL_NEXT, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.update_rows([row(3, "Ana García", "Acme", "client")])
    model.remove_ids([4])
    qtmodeltester.check(model)
    # The warm-intro filter's Known by column, sorted by it too.
    model.set_known_by({3: "Priya (2)", 1: "Sam (added)"})
    model.sort(COL_KNOWN_BY, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)
    assert model.index(0, COL_KNOWN_BY).data() == "Priya (2)"
    model.set_known_by({})
    qtmodeltester.check(model)


def test_filters_combine_and_search_is_folded() -> None:
    model = ContactTableModel(today=lambda: TODAY)
    model.set_rows(sample())
    assert names(model) == ["Ana García", "Ana Li", "Ben Okafor", "Zoë Achterberg"]
    model.set_filter(ContactFilter(text="ZOE"))
    assert names(model) == ["Zoë Achterberg"]
    model.set_filter(ContactFilter(text="an"))
    model.set_filter(ContactFilter(text="ana"))
    model.set_filter(ContactFilter(text="ana ho"))
    assert names(model) == ["Ana Li"]
    model.set_filter(ContactFilter(text="an"))  # backspace to a cached result
    assert names(model) == ["Ana García", "Ana Li"]
    model.set_filter(ContactFilter(tag="fintech"))
    assert names(model) == ["Ana Li", "Zoë Achterberg"]
    model.set_filter(ContactFilter(tag="fintech", relationship="mentor"))
    assert names(model) == ["Zoë Achterberg"]
    model.set_filter(ContactFilter(due=True))
    assert names(model) == ["Zoë Achterberg"]
    model.set_filter(ContactFilter(never_contacted=True, text="a"))
    assert names(model) == ["Ana García", "Zoë Achterberg"]
    assert model.total_count() == 4


def test_sorting_dates_and_text_with_empty_last() -> None:
    model = ContactTableModel(today=lambda: TODAY)
    model.set_rows(sample())
    model.sort(COL_NEXT, Qt.SortOrder.AscendingOrder)
    assert names(model)[:2] == ["Zoë Achterberg", "Ana García"]
    model.sort(COL_NEXT, Qt.SortOrder.DescendingOrder)
    assert names(model) == ["Ana García", "Zoë Achterberg", "Ana Li", "Ben Okafor"]
    model.sort(COL_ORGANISATION, Qt.SortOrder.AscendingOrder)
    assert names(model) == ["Zoë Achterberg", "Ana Li", "Ben Okafor", "Ana García"]
    model.sort(COL_CADENCE, Qt.SortOrder.AscendingOrder)
    assert names(model)[:2] == ["Ana García", "Zoë Achterberg"]
    assert model.index(0, COL_CADENCE).data() == "2 weeks"
    assert cadence_label(90) == "90 days" and cadence_label(None) == ""


def test_selection_follows_the_contact_when_sorting() -> None:
    model = ContactTableModel(today=lambda: TODAY)
    model.set_rows(sample())
    kept = QPersistentModelIndex(model.index(model.row_of(2), COL_NAME))
    model.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert kept.data() == "Ben Okafor"
    model.update_rows([row(2, "Ben Okafor", "Zeta Corp")])
    assert kept.data() == "Ben Okafor"


def test_overdue_dates_are_marked() -> None:
    model = ContactTableModel(today=lambda: TODAY + timedelta(days=1))
    model.set_rows(sample())
    zoe = model.index(model.row_of(1), COL_NEXT)
    ana = model.index(model.row_of(3), COL_NEXT)
    assert zoe.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert ana.data(Qt.ItemDataRole.ForegroundRole) is None


def test_history_models(qtmodeltester: Any) -> None:
    touches = TouchpointTableModel()
    touches.set_records(
        [
            TouchpointRecord(1, "u1", 1, TODAY, "call", "gave_value", "sent notes"),
            TouchpointRecord(2, "u2", 1, TODAY - timedelta(days=9), "email", "asked"),
        ]
    )
    qtmodeltester.check(touches)
    assert touches.index(0, TouchpointTableModel.COL_KIND).data() == "Gave value"
    referrals = ReferralTableModel(names={7: "Ben Okafor", 1: "Zoë"}.get)
    referrals.viewing_id = 1
    referrals.set_records(
        [
            ReferralRecord(1, "r1", 1, "i_asked", "made", TODAY, other_contact_id=7),
            ReferralRecord(2, "r2", 7, "i_made", "asked", TODAY, other_contact_id=1),
        ]
    )
    qtmodeltester.check(referrals)
    assert referrals.index(0, ReferralTableModel.COL_WHO).data() == "Ben Okafor"
    assert referrals.index(1, ReferralTableModel.COL_WHO).data() == "Via Ben Okafor"
    assert referrals.index(0, ReferralTableModel.COL_DIRECTION).data() == "I asked"


def test_an_index_built_on_the_loading_thread_gives_the_same_list() -> None:
    from planner.ui.models.contact_rows import index_rows

    rows = list(reversed(sample()))  # not in name order: sorted on the loading thread
    plain, prepared = ContactTableModel(today=lambda: TODAY), ContactTableModel(today=lambda: TODAY)
    plain.set_rows(rows)
    index = index_rows(rows)
    assert index.name_order == [3, 2, 1, 0] and not index.in_place
    prepared.set_rows(rows, None, index)
    assert (
        names(prepared) == names(plain) == ["Ana García", "Ana Li", "Ben Okafor", "Zoë Achterberg"]
    )
    prepared.set_filter(ContactFilter(text="ana"))
    assert names(prepared) == ["Ana García", "Ana Li"]
    assert prepared.row_of(4) == 1 and prepared.contact(2) is not None
    assert index_rows(sample()).name_order == [0, 1, 2, 3] and index_rows(sample()).in_place


def test_a_list_sorted_on_the_loading_thread_is_the_list_sorted_here() -> None:
    from planner.ui.models.contact_columns import COL_LAST, COL_TAGS, sorted_index
    from planner.ui.models.contact_rows import index_rows

    rows = sample()
    tags = {r.id: r.tags for r in rows if r.tags}
    for column in (COL_NAME, COL_NEXT, COL_LAST, COL_TAGS, COL_CADENCE):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            descending = order == Qt.SortOrder.DescendingOrder
            index = sorted_index(index_rows(rows), rows, tags, column, descending)
            assert index.sorted_by == (column, descending) and index.order is not None
            plain, prepared = (
                ContactTableModel(today=lambda: TODAY),
                ContactTableModel(today=lambda: TODAY),
            )
            for model in (plain, prepared):
                model.sort(column, order)
            plain.set_rows(rows)
            prepared.set_rows(rows, None, index)
            assert names(prepared) == names(plain), (column, order)
            prepared.set_filter(ContactFilter(text="ana"))
            plain.set_filter(ContactFilter(text="ana"))
            assert names(prepared) == names(plain)
    # Sorted for another column than the list's: the list sorts itself.
    index = sorted_index(index_rows(rows), rows, tags, COL_NEXT, True)
    model = ContactTableModel(today=lambda: TODAY)
    model.set_rows(rows, None, index)
    assert names(model) == ["Ana García", "Ana Li", "Ben Okafor", "Zoë Achterberg"]
    # Known by, sorted without a warm-intro answer: not used once the list has one.
    index = sorted_index(index_rows(rows), rows, tags, COL_KNOWN_BY, True)
    model = ContactTableModel(today=lambda: TODAY)
    model.sort(COL_KNOWN_BY, Qt.SortOrder.DescendingOrder)
    model.set_known_by({2: "Priya (3)"})
    model.set_rows(rows, None, index)
    assert names(model)[0] == "Ben Okafor"

"""#20: a search over many contacts shows its first rows at once and appends the rest in
slices between events (contact_search); the result is the same as a search done at once."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from planner.core.contacts import ContactRow
from planner.core.text import fold, search_blob
from planner.ui.models import contact_rows, contact_search
from planner.ui.models.contact_columns import COL_NAME
from planner.ui.models.contact_rows import ContactFilter, SearchScan
from planner.ui.models.contact_table_model import ContactTableModel, IdRole

WORDS = ["ana", "ben", "anabel", "zoe", "kim", "lena", "banana"]


def _rows(count: int) -> list[ContactRow]:
    rows = []
    for cid in range(1, count + 1):
        name = f"{WORDS[cid % len(WORDS)].title()} {WORDS[(cid * 3) % len(WORDS)].title()} {cid}"
        org = "Globex" if cid % 5 == 0 else "Initech"
        blob = search_blob(name, org)
        rows.append(ContactRow(cid, name, org, "", "peer", None, None, None, blob, ()))
    return sorted(rows, key=lambda r: r.search_text)


def _expected(rows: list[ContactRow], text: str) -> list[int]:
    words = fold(text).split()
    return [r.id for r in rows if all(w in r.search_text for w in words)]


def _ids(model: ContactTableModel) -> list[int]:
    return [model.index(r, COL_NAME).data(IdRole) for r in range(model.rowCount())]


@pytest.fixture
def sliced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny slices, so 600 rows take many of them (100,000 do in the app)."""
    monkeypatch.setattr(contact_search, "FIRST_ROWS", 10)
    monkeypatch.setattr(contact_search, "SLICE_SECONDS", 0.0)
    monkeypatch.setattr(contact_search, "TYPING_PAUSE_MS", 0)
    monkeypatch.setattr(contact_rows, "SCAN_CHUNK", 20)


def test_a_search_shows_its_first_rows_then_appends_the_rest(
    qtbot: Any, qtmodeltester: Any, sliced: None
) -> None:
    rows = _rows(600)
    model = ContactTableModel()
    model.set_rows(rows)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.set_filter(ContactFilter(text="an"))
    assert model.searching()
    first = _ids(model)
    assert 10 <= len(first) < len(_expected(rows, "an"))
    assert first == _expected(rows, "an")[: len(first)]  # the top of the final list
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.search_finished, timeout=5000):
        pass
    assert not model.searching()
    assert _ids(model) == _expected(rows, "an")
    assert inserted and inserted[0][0] == len(first)
    qtmodeltester.check(model)


def test_typing_on_while_a_search_runs_gives_the_full_answer(qtbot: Any, sliced: None) -> None:
    rows = _rows(600)
    model = ContactTableModel()
    model.set_rows(rows)
    for text in ("a", "an", "ana", "ana ", "ana z"):
        model.set_filter(ContactFilter(text=text))
        assert _ids(model) == _expected(rows, text)[: model.rowCount()]
    qtbot.waitUntil(lambda: not model.searching(), timeout=5000)
    assert _ids(model) == _expected(rows, "ana z")
    # Backspace to a search that finished earlier: its answer again, complete.
    model.set_filter(ContactFilter(text="ana"))
    qtbot.waitUntil(lambda: not model.searching(), timeout=5000)
    assert _ids(model) == _expected(rows, "ana")


def test_asking_for_a_row_or_the_ids_finishes_the_search(sliced: None) -> None:
    rows = _rows(600)
    model = ContactTableModel()
    model.set_rows(rows)
    model.set_filter(ContactFilter(text="globex"))
    assert model.searching()
    last = _expected(rows, "globex")[-1]
    assert model.row_of(last, finish=False) == -1  # not reached yet
    assert model.row_of(last) == len(_expected(rows, "globex")) - 1
    assert not model.searching()
    model.set_filter(ContactFilter(text="ben"))
    assert model.visible_ids() == _expected(rows, "ben")


def test_sorting_or_an_edit_during_a_search_keeps_every_match(sliced: None) -> None:
    rows = _rows(600)
    model = ContactTableModel()
    model.set_rows(rows)
    model.set_filter(ContactFilter(text="lena"))
    assert model.searching()
    model.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert sorted(model.visible_ids()) == sorted(_expected(rows, "lena"))
    assert not model.searching()


def test_a_scan_hands_what_it_has_not_seen_to_the_next_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(contact_rows, "SCAN_CHUNK", 1)
    texts = ["ana x", "ben", "ana y", "anabel", "zoe ana"]
    scan = SearchScan(texts)
    scan.add([0, 1, 2, 3, 4], ["ana"], texts)
    first = scan.run(1, 10.0)
    assert first == [0]
    follow = SearchScan(texts)
    follow.add(first, ["anab"])  # what was shown, checked for the new word
    scan.hand_over(follow, ["anab"])  # the rest, checked for every word
    assert scan.done()
    assert follow.run(100, 10.0) == [3]
    assert follow.done()


def test_new_rows_with_a_search_on_are_searched_in_slices_too(
    qtbot: Any, qtmodeltester: Any, sliced: None
) -> None:
    """A reload (set_rows) while a search is on: the first screenful at once, the rest
    appended, never one scan of everything on the GUI thread."""
    model = ContactTableModel()
    model.set_rows(_rows(300))
    model.set_filter(ContactFilter(text="an"))
    qtbot.waitUntil(lambda: not model.searching(), timeout=5000)
    rows = _rows(600)
    with qtbot.waitSignal(model.search_finished, timeout=5000):
        model.set_rows(rows)
        assert model.searching()
        first = _ids(model)
        assert 10 <= len(first) < len(_expected(rows, "an"))
        assert first == _expected(rows, "an")[: len(first)]
    assert _ids(model) == _expected(rows, "an")
    qtmodeltester.check(model)
    # What needs every row (a contact's row) still finds it at once.
    model.set_rows(_rows(300))
    last = _expected(_rows(300), "an")[-1]
    assert model.row_of(last) == len(_expected(_rows(300), "an")) - 1
    assert not model.searching()

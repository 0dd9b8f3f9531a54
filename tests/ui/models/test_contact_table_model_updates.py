"""Edits reach the contacts list without re-sorting it when the order cannot have moved,
and a reload hands the old rows to a pool thread to free."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from planner.core.contacts import ContactRow
from planner.core.text import search_blob
from planner.ui import tasks
from planner.ui.models.contact_columns import COL_NAME, COL_NEXT
from planner.ui.models.contact_table_model import ContactTableModel


def _row(cid: int, name: str, due: date | None = None, tags: tuple[str, ...] = ()) -> ContactRow:
    return ContactRow(cid, name, "", "", "peer", None, due.isoformat() if due else None, 30,
                      search_blob(name, "", *tags), tags)  # fmt: skip


def _model(qtmodeltester: Any) -> ContactTableModel:
    model = ContactTableModel(today=lambda: date(2026, 6, 1))
    model.set_rows([_row(1, "Ana"), _row(2, "Ben", date(2026, 7, 1)), _row(3, "Cleo")])
    qtmodeltester.check(model)
    return model


def _signals(model: ContactTableModel) -> list[str]:
    seen: list[str] = []
    model.layoutChanged.connect(lambda *_a: seen.append("layout"))
    model.modelReset.connect(lambda: seen.append("reset"))
    model.dataChanged.connect(lambda top, _bottom, *_a: seen.append(f"data {top.row()}"))
    return seen


def test_a_touch_while_sorted_by_name_repaints_one_row(qtmodeltester: Any) -> None:
    model = _model(qtmodeltester)
    seen = _signals(model)
    model.update_rows([_row(2, "Ben", date(2026, 9, 1))])
    assert seen == ["data 1"]  # no re-sort of the whole list
    assert model.contact(2).next_touch_due == date(2026, 9, 1)  # type: ignore[union-attr]
    assert model.visible_ids() == [1, 2, 3]
    qtmodeltester.check(model)


def test_a_change_that_can_move_a_row_re_sorts(qtmodeltester: Any) -> None:
    model = _model(qtmodeltester)
    model.sort(COL_NEXT, Qt.SortOrder.AscendingOrder)
    assert model.visible_ids()[0] == 2
    seen = _signals(model)
    model.update_rows([_row(3, "Cleo", date(2026, 6, 2))])  # the sort key moved
    assert "layout" in seen
    assert model.visible_ids()[:2] == [3, 2]
    model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    seen.clear()
    model.update_rows([_row(1, "Ana", tags=("vip",))])  # the searched text changed
    assert "layout" in seen
    assert model.contact(1).tags == ("vip",)  # type: ignore[union-attr]


def test_a_reload_frees_the_old_rows_off_the_gui_thread(
    qtbot: Any, qtmodeltester: Any, monkeypatch: Any
) -> None:
    model = _model(qtmodeltester)
    old_rows = model._rows
    released: list[object] = []
    real = tasks.release

    def spy(*containers: object) -> None:
        released.extend(containers)
        real(*containers)

    import planner.ui.models.contact_table_model as module

    monkeypatch.setattr(module, "release", spy)
    model.set_rows([_row(4, "Dan")])
    assert any(c is old_rows for c in released)
    del old_rows, released[:]
    qtbot.waitUntil(lambda: tasks.running() == 0)
    assert model.visible_ids() == [4]

"""#16 item 10: "Imported in <file>" and "Added today" narrow the list to exactly what an
import brought, for a bulk edit; a later import updates both without re-ticking."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog
from sqlalchemy import update

from planner.core.contacts import ContactService
from planner.core.importer import ImportOutcome, ImportService
from planner.db import models as m
from planner.interop.contact_files import read_contacts
from planner.ui.dialogs.import_dialog import IMPORT_CHANGES
from planner.ui.tabs.contacts_tab import ContactsTab
from tests.ui.contacts_tab_helper import shown_contacts_tab

GOOGLE = b"Name,Company,E-mail\r\nMei Tan,Hooli,mei@hooli.example\r\nBo Li,Acme,\r\n"
LINKEDIN = b"Name,Company,E-mail\r\nMei Tan,Hooli,mei@hooli.example\r\nIda Moe,Umbrella,\r\n"


def run_import(tab_context: Any, data: bytes, source: str) -> ImportOutcome:
    service = ImportService(tab_context.db)
    outcome = service.commit(service.preview(read_contacts(data)), source=source)
    tab_context.bus.changed.emit(IMPORT_CHANGES)  # as the import dialog's command does
    return outcome


def shown(tab: ContactsTab) -> set[int]:
    return {tab.model.contact_id(r) for r in range(tab.model.rowCount())}  # type: ignore[misc]


@pytest.fixture
def tab(qtbot: Any, tab_context: Any, db: Any) -> ContactsTab:
    svc = ContactService(db)
    for name in ("Old Friend", "Another One"):
        svc.create({"name": name})
    with db.session() as s:  # added last week
        s.execute(update(m.Contact).values(created_at=datetime.now(timezone.utc) - timedelta(7)))
    return shown_contacts_tab(qtbot, tab_context, (1200, 700))


def test_imported_in_lists_recent_imports_and_bulk_edit_hits_exactly_them(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tab_context: Any, tab: ContactsTab
) -> None:
    combo = tab.import_filter
    assert not combo.isEnabled() and combo.count() == 1  # nothing imported yet
    first = run_import(tab_context, GOOGLE, "google.csv")
    qtbot.waitUntil(lambda: combo.count() == 2 and not tab.loading)
    assert combo.isEnabled()
    assert combo.itemText(1).startswith("Imported in google.csv, ")
    combo.setCurrentIndex(1)
    assert shown(tab) == set(first.created_ids)
    assert tab.count_label.text() == "2 of 4"

    second = run_import(tab_context, LINKEDIN, "linkedin.csv")
    qtbot.waitUntil(lambda: combo.count() == 3 and not tab.loading)
    # The newest import comes first; the one chosen stays chosen and still filters.
    assert combo.itemText(1).startswith("Imported in linkedin.csv")
    assert combo.currentData() == first.import_id
    assert shown(tab) == set(first.created_ids)
    combo.setCurrentIndex(combo.findData(second.import_id))
    mei = next(c.contact_id for c in second.merged)
    assert shown(tab) == {mei, *second.created_ids}

    tab.view.selectAll()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("from-linkedin", True))
    tab.bulk_add_tag()
    svc = ContactService(tab_context.db)

    def tagged() -> set[int]:
        return {cid for cid, tags in svc.table_data().tags.items() if "from-linkedin" in tags}

    qtbot.waitUntil(lambda: bool(tagged()))
    assert tagged() == {mei, *second.created_ids}
    tab.clear_filters()
    assert combo.currentIndex() == 0 and len(shown(tab)) == 5


def test_added_today_takes_in_a_second_import_without_re_ticking(
    qtbot: Any, tab_context: Any, tab: ContactsTab
) -> None:
    first = run_import(tab_context, GOOGLE, "google.csv")
    qtbot.waitUntil(lambda: tab.model.total_count() == 4 and not tab.loading)
    tab.added_today_filter.setChecked(True)
    assert shown(tab) == set(first.created_ids)
    second = run_import(tab_context, LINKEDIN, "linkedin.csv")
    qtbot.waitUntil(lambda: tab.model.total_count() == 5 and not tab.loading)
    assert shown(tab) == {*first.created_ids, *second.created_ids}
    assert tab.added_today_filter.isChecked()


def test_undoing_the_chosen_import_drops_it_from_the_filter(
    qtbot: Any, tab_context: Any, tab: ContactsTab
) -> None:
    outcome = run_import(tab_context, GOOGLE, "google.csv")
    qtbot.waitUntil(lambda: tab.import_filter.count() == 2 and not tab.loading)
    tab.import_filter.setCurrentIndex(1)
    ImportService(tab_context.db).undo(outcome)
    tab_context.bus.changed.emit(IMPORT_CHANGES)
    qtbot.waitUntil(lambda: tab.import_filter.count() == 1 and not tab.loading)
    assert tab.import_filter.currentIndex() == 0
    assert len(shown(tab)) == 2

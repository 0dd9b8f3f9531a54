"""#18 in the contact detail pane: who wrote each touchpoint and note, the contact's
visibility, notes private by default; every save one undo step."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt

from planner.core.contacts import ContactService
from planner.core.notes import NoteService
from planner.core.touchpoints import TouchpointService
from planner.ui.tabs.contacts_tab import ContactsTab
from tests.ui.contacts_tab_helper import shown_contacts_tab


def _tab(qtbot: Any, tab_context: Any) -> ContactsTab:
    return shown_contacts_tab(qtbot, tab_context, (1200, 760))


@pytest.fixture
def team(tab_context: Any) -> dict[str, int]:
    """A team database as Priya sees it: Lee logged a call and wrote two notes."""
    db = tab_context.db
    db.user = "Lee"
    ana = ContactService(db).create({"name": "Ana Ruiz"})[0].id
    TouchpointService(db).log(ana, date(2026, 3, 1), "call", "caught_up", "Lee's call")
    NoteService(db).add(ana, "Lee's shared note", "shared")
    NoteService(db).add(ana, "Lee's private note")
    db.user = "Priya"
    TouchpointService(db).log(ana, date(2026, 3, 2), "email", "gave_value", "Priya's mail")
    return {"ana": ana}


def test_touchpoints_and_notes_show_their_author_in_team_mode(
    qtbot: Any, tab_context: Any, team: dict[str, int]
) -> None:
    tab = _tab(qtbot, tab_context)
    tab.select_contact(team["ana"])
    detail = tab.detail
    model = detail.touch_model
    assert not detail.timeline.isColumnHidden(model.COL_BY)
    by = {model.index(r, model.COL_NOTE).data(): model.index(r, model.COL_BY).data()
          for r in range(model.rowCount())}  # fmt: skip
    assert by == {"Lee's call": "Lee", "Priya's mail": "you"}
    notes = detail.notes_pane
    texts = [notes.list.item(r).text() for r in range(notes.list.count())]
    # Lee's private note is not Priya's to read; the shared one says whose it is.
    assert len(texts) == 1 and texts[0].startswith("Lee's shared note\n")
    assert "by Lee" in texts[0] and "shared with the team" in texts[0]
    notes.list.setCurrentRow(0)
    assert not notes.edit_button.isEnabled()  # a teammate's note is theirs to change


def test_a_note_is_private_by_default_and_adding_it_is_one_undo_step(
    qtbot: Any, tab_context: Any, team: dict[str, int]
) -> None:
    tab = _tab(qtbot, tab_context)
    tab.select_contact(team["ana"])
    notes = tab.detail.notes_pane
    tab.detail.tabs.setCurrentWidget(notes)
    assert notes.share.isVisible() and not notes.share.isChecked()
    qtbot.keyClicks(notes.editor, "Moving to Berlin in May")
    qtbot.keyClick(notes.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert notes.editor.toPlainText() == ""
    svc = NoteService(tab_context.db)
    mine = [n for n in svc.list_for(team["ana"]) if n.created_by == "Priya"]
    assert [(n.text, n.visibility) for n in mine] == [("Moving to Berlin in May", "private")]
    qtbot.waitUntil(lambda: notes.list.count() == 2)
    assert "by you · private" in notes.list.item(0).text()
    tab_context.db.user = "Lee"
    assert "Moving to Berlin in May" not in {n.text for n in svc.list_for(team["ana"])}
    tab_context.db.user = "Priya"
    assert tab_context.undo_stack.undoText() == "Add note"
    tab_context.undo_stack.undo()
    qtbot.waitUntil(lambda: notes.list.count() == 1)
    assert [n.created_by for n in svc.list_for(team["ana"])] == ["Lee"]
    # An empty note is refused where it was typed.
    notes.add_button.click()
    assert notes.error.isVisible()


def test_the_contact_form_sets_visibility_as_one_undo_step(
    qtbot: Any, tab_context: Any, team: dict[str, int]
) -> None:
    tab = _tab(qtbot, tab_context)
    tab.select_contact(team["ana"])
    combo = tab.detail.visibility
    assert combo.isVisible() and combo.currentData() == "shared"
    combo.setCurrentIndex(combo.findData("private"))
    combo.activated.emit(combo.currentIndex())
    contacts = ContactService(tab_context.db)
    assert contacts.get(team["ana"]).visibility == "private"
    tab_context.undo_stack.undo()
    assert contacts.get(team["ana"]).visibility == "shared"
    qtbot.waitUntil(lambda: combo.currentData() == "shared")
    # Made private, it is left to its creator (Lee): Sam no longer sees it.
    combo.setCurrentIndex(combo.findData("private"))
    combo.activated.emit(combo.currentIndex())
    tab_context.db.user = "Sam"
    assert team["ana"] not in {r.id for r in contacts.rows()}
    tab_context.db.user = "Lee"
    assert team["ana"] in {r.id for r in contacts.rows()}


def test_a_personal_file_shows_neither_authors_nor_visibility(qtbot: Any, tab_context: Any) -> None:
    ana = ContactService(tab_context.db).create({"name": "Ana Ruiz"})[0].id
    tab = _tab(qtbot, tab_context)
    tab.select_contact(ana)
    detail = tab.detail
    assert not detail.visibility.isVisible()
    assert detail.timeline.isColumnHidden(detail.touch_model.COL_BY)
    assert not detail.notes_pane.share.isVisible()

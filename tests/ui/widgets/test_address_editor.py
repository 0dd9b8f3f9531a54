"""The contact form shows every address with its type and preferred mark, and saves edits."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from planner.core.contacts import ContactService
from planner.core.records import LabeledValue, PostalAddress
from planner.ui.tabs.contacts_tab import ContactsTab
from tests.ui.contacts_tab_helper import shown_contacts_tab

HOME = PostalAddress(label="home", street="12 Rue Oberkampf", locality="Paris", country="France")
WORK = PostalAddress(label="work", street="1 Quai\nÉtage 3", locality="Lyon", pref=True)


@pytest.fixture
def tab(qtbot: Any, tab_context: Any) -> ContactsTab:
    svc = ContactService(tab_context.db)
    svc.create(
        {
            "name": "Inès Duval",
            "addresses": [WORK, HOME],
            "emails": [
                LabeledValue("home", "ines@home.example"),
                LabeledValue("work", "ines@acme.example", True),
            ],
        }
    )
    return shown_contacts_tab(qtbot, tab_context, (1366, 768))


def test_addresses_are_shown_and_edited_in_the_form(qtbot: Any, tab: ContactsTab) -> None:
    svc = ContactService(tab.context.db)
    tab.select_contact(1)
    editor = tab.detail.addresses
    assert editor.values() == [WORK, HOME]
    first, second = editor.rows()
    assert first.pref.isChecked() and first.pref.text() == "★"
    assert first.street.toPlainText() == "1 Quai\nÉtage 3"
    # Typing a postcode saves it to that address, nothing else changes.
    code = second.parts["postal_code"]
    code.setFocus()
    qtbot.keyClicks(code, "75011")
    qtbot.keyClick(code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: svc.get(1).addresses[1].postal_code == "75011")
    assert svc.get(1).addresses[0] == WORK
    # Marking the home address preferred unmarks work: one preferred at most.
    # (a save shows the saved contact again: its rows are new widgets)
    qtbot.mouseClick(editor.rows()[1].pref, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: svc.get(1).addresses[1].pref)
    assert not svc.get(1).addresses[0].pref
    # An address is added with a type and removed again.
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    third = editor.rows()[2]
    third.label.setCurrentText("Cottage")
    third.parts["locality"].setText("Lille")
    third.parts["locality"].editingFinished.emit()
    qtbot.waitUntil(lambda: len(svc.get(1).addresses) == 3)
    assert svc.get(1).addresses[2] == PostalAddress(label="Cottage", locality="Lille")


def test_an_email_edit_keeps_the_preferred_mark(qtbot: Any, tab: ContactsTab) -> None:
    svc = ContactService(tab.context.db)
    tab.select_contact(1)
    emails = tab.detail.emails
    assert [v.pref for v in emails.values()] == [False, True]
    edit = emails.value_edits()[0]
    edit.setText("ines@maison.example")
    edit.editingFinished.emit()
    qtbot.waitUntil(lambda: svc.get(1).emails[0].value == "ines@maison.example")
    assert svc.get(1).emails[1] == LabeledValue("work", "ines@acme.example", True)

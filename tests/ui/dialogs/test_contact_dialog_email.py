"""#16 item 6 in the New contact dialog: the e-mail message shows all its lines and goes as
soon as the address is corrected (it stayed until the next "Add contact" before)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint

from planner.ui.dialogs.contact_dialog import NewContactDialog


def test_email_message_is_whole_and_goes_once_the_address_is_right(qtbot: Any) -> None:
    dialog = NewContactDialog(lambda draft: [])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Zoe Achterberg")
    qtbot.keyClicks(dialog.email, "zoe.achterberg@@globex")
    dialog.ok_button.click()
    error = dialog.email_error
    assert error.isVisible() and dialog.isVisible()
    # Both lines of the wrapped message fit in the label and the label in the dialog.
    needed = error.heightForWidth(error.width())
    assert error.height() >= needed > error.fontMetrics().height()
    error_bottom = error.mapTo(dialog, QPoint(0, error.height())).y()
    assert error_bottom <= dialog.ok_button.mapTo(dialog, QPoint(0, 0)).y()
    # Correcting the address takes the message away at once, without pressing Add.
    dialog.email.selectAll()
    qtbot.keyClicks(dialog.email, "zoe@globex.example")
    assert not error.isVisible()
    dialog.ok_button.click()
    assert dialog.result() == NewContactDialog.DialogCode.Accepted
    assert dialog.draft().email == "zoe@globex.example"


def test_visibility_is_asked_on_a_team_database_only(qtbot: Any) -> None:
    personal = NewContactDialog(lambda draft: [])
    team = NewContactDialog(lambda draft: [], team=True)
    for dialog in (personal, team):
        qtbot.addWidget(dialog)
        dialog.show()
    assert not personal.visibility.isVisible()
    assert team.visibility.isVisible() and team.draft().visibility == "shared"
    team.visibility.setCurrentIndex(team.visibility.findData("private"))
    assert team.draft().visibility == "private"

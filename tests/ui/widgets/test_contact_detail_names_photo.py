"""Name parts and the photo in the contact detail pane, driven on a real database."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage

from planner.core.contacts import ContactService
from planner.ui.tabs.contacts_tab import ContactsTab


def _png(width: int = 300, height: int = 200) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366aa"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_name_parts_edit_the_display_name_and_photo_shows(qtbot: Any, tab_context: Any) -> None:
    svc = ContactService(tab_context.db)
    cid = svc.create({"name": "José Rodríguez"})[0].id
    svc.update(cid, {"photo": _png(), "photo_type": "image/png"})
    other = svc.create({"name": "Url Photo"})[0].id
    svc.update(other, {"photo_url": "https://example.com/p.jpg"})
    tab = ContactsTab(tab_context)
    qtbot.addWidget(tab)
    tab.resize(1200, 780)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: not tab.loading)
    tab.select_contact(cid)
    detail = tab.detail
    edits = detail.line_edits
    assert (edits["given_name"].text(), edits["family_name"].text()) == ("José", "Rodríguez")
    assert detail.name_derived.isChecked()
    # The photo is scaled for display; the stored bytes are untouched.
    pixmap = detail.photo.pixmap()
    assert detail.photo.isVisible() and not pixmap.isNull()
    assert max(pixmap.width(), pixmap.height()) / pixmap.devicePixelRatio() <= 72
    # A second given name: the display name follows.
    edit = edits["given_name"]
    edit.setFocus()
    edit.setText("José Luis")  # keyClicks cannot type "é" offscreen
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    record = svc.get(cid)
    assert (record.name, record.given_name, record.name_custom) == (
        "José Luis Rodríguez",
        "José Luis",
        False,
    )
    assert detail.line_edits["name"].text() == "José Luis Rodríguez"
    # The user's own display name: kept when a part changes.
    name = edits["name"]
    name.setFocus()
    name.setText("Pepe Rodríguez")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert svc.get(cid).name_custom and not detail.name_derived.isChecked()
    prefix = edits["name_prefix"]
    qtbot.keyClicks(prefix, "Dr.")
    qtbot.keyClick(prefix, Qt.Key.Key_Return)
    assert svc.get(cid).name == "Pepe Rodríguez"
    assert svc.get(cid).name_prefix == "Dr."
    # Back to the parts.
    detail.name_derived.click()
    assert svc.get(cid).name == "Dr. José Luis Rodríguez"
    assert detail.title.text() == "Dr. José Luis Rodríguez"
    # Undo walks back one edit at a time.
    tab_context.undo_stack.undo()
    assert svc.get(cid).name == "Pepe Rodríguez"
    detail.grab().save("/tmp/interop-detail-photo.png")
    tab.select_contact(other)
    assert "Photo (online)" in detail.photo.text() and detail.photo.isVisible()
    detail.grab().save("/tmp/interop-detail.png")

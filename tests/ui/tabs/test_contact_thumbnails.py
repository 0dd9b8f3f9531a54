"""The contacts list shows each contact's photo as a small thumbnail beside the name."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import QApplication

from planner.core.changes import Changes
from planner.core.contacts import ContactService
from planner.core.touchpoints import TouchpointService
from planner.ui.models import contact_photos
from planner.ui.models.contact_columns import COL_NAME
from planner.ui.tabs.contacts_tab import ContactsTab
from tests.ui.contacts_tab_helper import shown_contacts_tab


def _png(color: str, width: int = 300, height: int = 200) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


@pytest.fixture
def tab(qtbot: Any, tab_context: Any) -> ContactsTab:
    svc = ContactService(tab_context.db)
    svc.create({"name": "Ada Lovelace", "photo": _png("red"), "photo_type": "image/png"})
    svc.create({"name": "Grace Hopper"})
    svc.create({"name": "Broken Photo", "photo": b"not an image", "photo_type": "image/png"})
    return shown_contacts_tab(qtbot, tab_context, (1000, 600))


def _decoration(tab: ContactsTab, name: str) -> Any:
    model = tab.model
    row = next(r for r in range(model.rowCount()) if model.row_data(r).name == name)
    return model.data(model.index(row, COL_NAME), Qt.ItemDataRole.DecorationRole)


def test_the_photo_is_a_small_cached_thumbnail(
    qtbot: Any, tab: ContactsTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.waitUntil(lambda: isinstance(_decoration(tab, "Ada Lovelace"), QPixmap))
    pixmap = _decoration(tab, "Ada Lovelace")
    ratio = pixmap.devicePixelRatio()
    assert pixmap.width() / ratio == contact_photos.THUMB
    assert pixmap.height() / ratio == contact_photos.THUMB
    assert pixmap.toImage().pixelColor(5, 5) == QColor("red")
    # No photo, or bytes that are no image: no thumbnail, and the list keeps working.
    qtbot.waitUntil(lambda: tab.photos._without >= {2, 3})
    assert _decoration(tab, "Grace Hopper") is None
    assert _decoration(tab, "Broken Photo") is None
    # Painting again reads nothing: the scaled pixmap is kept.
    reads: list[list[int]] = []
    load = tab.photos._load
    monkeypatch.setattr(tab.photos, "_load", lambda ids: reads.append(list(ids)) or load(ids))
    for _ in range(3):
        tab.view.viewport().repaint()
        assert _decoration(tab, "Ada Lovelace") is pixmap
    assert reads == []


def test_a_changed_photo_shows_the_new_one(qtbot: Any, tab: ContactsTab) -> None:
    qtbot.waitUntil(lambda: isinstance(_decoration(tab, "Ada Lovelace"), QPixmap))
    _, changes = ContactService(tab.context.db).update(1, {"photo": _png("blue")})
    assert changes.photos == {1} and 1 in changes.contacts
    tab.context.bus.changed.emit(changes)

    def blue() -> bool:
        found = _decoration(tab, "Ada Lovelace")
        return isinstance(found, QPixmap) and found.toImage().pixelColor(5, 5) == QColor("blue")

    qtbot.waitUntil(blue)


def test_an_edit_that_keeps_the_photo_reads_no_photo(
    qtbot: Any, tab: ContactsTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Logging a touchpoint or renaming changes the contact's row, not its photo: the kept
    thumbnail stays and no database read is made for it."""
    qtbot.waitUntil(lambda: isinstance(_decoration(tab, "Ada Lovelace"), QPixmap))
    qtbot.waitUntil(lambda: tab.photos._without >= {2, 3})
    pixmap = _decoration(tab, "Ada Lovelace")
    reads: list[list[int]] = []
    load = tab.photos._load
    monkeypatch.setattr(tab.photos, "_load", lambda ids: reads.append(list(ids)) or load(ids))
    _, logged = TouchpointService(tab.context.db).log_many(
        [1, 2], date(2025, 3, 1), "email", "caught_up"
    )
    _, renamed = ContactService(tab.context.db).update(1, {"name": "Ada King"})
    assert not logged.photos and not renamed.photos
    tab.context.bus.changed.emit(logged | renamed)
    qtbot.waitUntil(lambda: not tab.loading)
    tab.view.viewport().repaint()
    QApplication.processEvents()
    assert _decoration(tab, "Ada King") is pixmap
    assert reads == []
    # The whole list changed (an import): every thumbnail is read again.
    tab.context.bus.changed.emit(Changes.all("contacts"))
    qtbot.waitUntil(lambda: not tab.loading)
    qtbot.waitUntil(lambda: isinstance(_decoration(tab, "Ada King"), QPixmap))
    assert reads and 1 in reads[-1]

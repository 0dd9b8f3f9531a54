"""Photo thumbnails for the contacts list's name column, loaded a screenful at a time.

The list asks for the thumbnails of the rows it paints; the missing ones are read and scaled
off the GUI thread (QImage, as core stores the bytes as given) in one batch, then kept as
small pixmaps, so scrolling 100,000 contacts never decodes a photo twice or waits on one.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable

from PySide6.QtCore import QAbstractItemModel, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage, QPixmap

from planner.core.changes import Changes
from planner.ui.tasks import run_task

log = logging.getLogger(__name__)

# Logical size of a thumbnail; scaled for the screen's device pixel ratio.
THUMB = 20
# Pixmaps kept (a few screenfuls of 100k rows); contacts known to have none cost a set entry.
MAX_CACHED = 3000


def scaled_thumbnails(photos: dict[int, bytes], pixels: int) -> dict[int, QImage | None]:
    """Decodes and scales on a worker thread (QImage is safe there, QPixmap is not)."""
    out: dict[int, QImage | None] = {}
    for cid, data in photos.items():
        image = QImage.fromData(data)
        if image.isNull():
            out[cid] = None
            continue
        side = min(image.width(), image.height())
        # A square from the middle, as contact apps show faces.
        square = image.copy((image.width() - side) // 2, (image.height() - side) // 2, side, side)
        out[cid] = square.scaled(
            QSize(pixels, pixels),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return out


class ContactPhotoCache(QObject):
    """Gives the model its thumbnails (`model.decoration`); forgets those whose photo changed."""

    def __init__(
        self,
        model: object,
        load: Callable[[Iterable[int]], dict[int, bytes]],
        bus: object | None = None,
    ) -> None:
        super().__init__(model if isinstance(model, QObject) else None)
        self._model = model
        self._load = load
        self._pixmaps: OrderedDict[int, QPixmap] = OrderedDict()
        self._without: set[int] = set()
        self._wanted: set[int] = set()
        self._loading: set[int] = set()
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(0)
        self._flush.timeout.connect(self._on_flush_timeout)
        model.decoration = self.thumbnail  # type: ignore[attr-defined]
        if bus is not None:
            bus.changed.connect(self._on_bus_changed)  # type: ignore[attr-defined]

    def thumbnail(self, contact_id: int) -> QPixmap | None:
        pixmap = self._pixmaps.get(contact_id)
        if pixmap is not None:
            self._pixmaps.move_to_end(contact_id)
            return pixmap
        if contact_id not in self._without and contact_id not in self._loading:
            self._wanted.add(contact_id)
            self._flush.start()
        return None

    def forget(self, contact_ids: Iterable[int] | None = None) -> None:
        if contact_ids is None:
            self._pixmaps.clear()
            self._without.clear()
            return
        for cid in contact_ids:
            self._pixmaps.pop(cid, None)
            self._without.discard(cid)

    def _on_bus_changed(self, changes: Changes) -> None:
        # Only a changed photo is read again: a touchpoint or a tag changes a contact's row
        # (named in `contacts`), never its photo, and re-reading it would cost a database
        # round trip per edit.
        if changes.all_of("contacts") or changes.all_of("photos"):
            self.forget()
        elif changes.photos:
            self.forget(changes.photos)

    def _on_flush_timeout(self) -> None:
        ids = sorted(self._wanted)
        self._wanted.clear()
        if not ids:
            return
        self._loading.update(ids)
        screen = QGuiApplication.primaryScreen()
        ratio = screen.devicePixelRatio() if screen is not None else 1.0
        pixels = max(1, round(THUMB * ratio))
        load = self._load

        def work() -> dict[int, QImage | None]:
            return scaled_thumbnails(load(ids), pixels)

        run_task(
            work,
            lambda result: self._on_loaded(ids, result, ratio),
            lambda exc: self._on_failed(ids, exc),
            owner=self,
            name="contact thumbnails",
        )

    def _on_loaded(self, ids: list[int], images: dict[int, QImage | None], ratio: float) -> None:
        self._loading.difference_update(ids)
        for cid in ids:
            image = images.get(cid)
            if image is None:
                self._without.add(cid)
                continue
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            self._pixmaps[cid] = pixmap
        while len(self._pixmaps) > MAX_CACHED:
            self._pixmaps.popitem(last=False)
        model = self._model
        if any(cid in self._pixmaps for cid in ids) and isinstance(model, QAbstractItemModel):
            rows = model.rowCount()
            if rows:
                # The whole name column: the view repaints only the rows it shows.
                model.dataChanged.emit(
                    model.index(0, 0), model.index(rows - 1, 0), [Qt.ItemDataRole.DecorationRole]
                )

    def _on_failed(self, ids: list[int], exc: BaseException) -> None:
        # A photo that cannot be read is shown as none; the list itself keeps working.
        log.warning("Contact thumbnails could not be loaded: %s", exc)
        self._loading.difference_update(ids)
        self._without.update(ids)

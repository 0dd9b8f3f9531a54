"""The one refresh rule: visible views refresh at once, hidden ones once when shown."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from planner.core.changes import Changes
from planner.ui.bus import Bus
from planner.ui.tabs.base import ChangeFollower


def test_visible_view_refreshes_at_once_hidden_view_on_show(qtbot) -> None:
    bus = Bus()
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    first, second = QWidget(), QWidget()
    tabs.addTab(first, "First")
    tabs.addTab(second, "Second")
    seen: dict[str, list[Changes]] = {"first": [], "second": []}
    ChangeFollower(first, bus, seen["first"].append)
    follower = ChangeFollower(second, bus, seen["second"].append, ("contacts",))
    tabs.show()
    qtbot.waitExposed(tabs)

    bus.changed.emit(Changes.of(contacts=[1]))
    bus.changed.emit(Changes.of(contacts=[2], events=[9]))
    bus.changed.emit(Changes.of(events=[3]))  # not a kind `second` follows
    assert seen["first"] == [
        Changes.of(contacts=[1]),
        Changes.of(contacts=[2], events=[9]),
        Changes.of(events=[3]),
    ]
    assert seen["second"] == []
    assert follower.dirty

    tabs.setCurrentIndex(1)
    assert seen["second"] == [Changes.of(contacts=[1, 2], events=[9])]  # merged, once
    assert not follower.dirty
    tabs.setCurrentIndex(0)
    tabs.setCurrentIndex(1)
    assert len(seen["second"]) == 1  # nothing new: no refresh


def test_mark_dirty_and_flush(qtbot) -> None:
    bus = Bus()
    view = QWidget()
    qtbot.addWidget(view)
    seen: list[Changes] = []
    follower = ChangeFollower(view, bus, seen.append)
    follower.flush()
    assert seen == []
    follower.mark_dirty()
    view.show()
    assert seen == [Changes.all()]


def test_views_keyed_by_kind_know_every_kind() -> None:
    """A kind added to Changes must not break a view that maps kinds to what it reloads."""
    from planner.core.changes import KINDS
    from planner.ui.tabs.overview_tab import SECTIONS_FOR_KIND, sections_for

    assert set(SECTIONS_FOR_KIND) == set(KINDS)
    assert sections_for(Changes.all()) == frozenset().union(*SECTIONS_FOR_KIND.values())

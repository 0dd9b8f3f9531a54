"""Live updates: a batch of teammates' notifications becomes one Changes; without a server
the listener says it is not connected instead of waiting."""

from __future__ import annotations

import pytest

from planner.core.changes import Changes
from planner.db.listen import ChangeListener, ListenLost
from planner.ui.bus import Bus
from planner.ui.live import LiveUpdates, changes_of


def test_a_batch_becomes_one_changes() -> None:
    changes = changes_of({"contacts": {3, 4}, "events": None, "follow_ups": {9}})
    assert changes.contacts == {3, 4} and changes.follow_ups == {9}
    assert changes.photos == {3, 4}
    assert changes.all_of("events") and not changes.all_of("contacts")
    assert changes_of({}) == Changes()


def test_a_listener_never_waits_when_not_connected() -> None:
    listener = ChangeListener("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert not listener.connected
    with pytest.raises(ListenLost):
        listener.poll()
    listener.close()  # closing twice, or unopened, is harmless


def test_live_updates_deliver_a_settled_batch_once(qtbot: object) -> None:
    bus = Bus()
    live = LiveUpdates("postgresql+psycopg://nobody@127.0.0.1:1/none", bus)
    seen: list[Changes] = []
    bus.changed.connect(seen.append)
    live._pending = {"contacts": {1}}
    live._pending["touchpoints"] = {2}
    with qtbot.waitSignal(bus.changed, timeout=2000):  # type: ignore[attr-defined]
        live._settle.start()
    # A teammate's contact edit may have been its photo.
    assert seen == [Changes.of(contacts=[1], photos=[1], touchpoints=[2])]
    assert not live.ready
    live.stop()
    live._pending = {"contacts": {5}}
    live._deliver()  # stopped: nothing more goes out
    assert len(seen) == 1

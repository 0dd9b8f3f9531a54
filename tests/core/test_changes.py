"""Changes: the ids an edit touched, combined with `|`."""

from __future__ import annotations

import dataclasses

import pytest

from planner.core.changes import KINDS, NOTHING, Changes


def test_empty_changes_are_falsy_and_touch_nothing() -> None:
    assert Changes().is_empty()
    assert not Changes()
    assert Changes() == NOTHING
    assert not Changes().touches()
    assert Changes().kinds() == frozenset()


def test_of_accepts_any_iterable_and_freezes() -> None:
    c = Changes.of(contacts=[1, 2, 2], touchpoints=(x for x in [7]), settings=["cadence"])
    assert c.contacts == frozenset({1, 2})
    assert c.touchpoints == frozenset({7})
    assert c.settings == frozenset({"cadence"})
    assert c.touches("contacts")
    assert not c.touches("events", "follow_ups")
    assert c.kinds() == {"contacts", "touchpoints", "settings"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.contacts = frozenset()  # type: ignore[misc]


def test_union_merges_every_kind() -> None:
    a = Changes.of(contacts=[1], events=[3])
    b = Changes.of(contacts=[2], follow_ups=[4], referrals=[5], organisations=[6])
    both = a | b
    assert both.contacts == {1, 2}
    assert both.events == {3}
    assert both.follow_ups == {4}
    assert both.referrals == {5}
    assert both.organisations == {6}
    assert Changes.merge([a, b, Changes()]) == both
    assert a | Changes() == a


def test_everything_touches_each_kind() -> None:
    c = Changes.all()
    assert not c.is_empty()
    assert all(c.touches(k) for k in KINDS)
    assert c.kinds() == frozenset(KINDS)
    assert (Changes.of(contacts=[1]) | c).everything


def test_a_kind_can_change_as_a_whole() -> None:
    c = Changes.all("contacts") | Changes.of(events=[1])
    assert c.all_of("contacts") and not c.all_of("events")
    assert c.touches("contacts") and c.touches("events") and not c.touches("follow_ups")
    assert c.kinds() == {"contacts", "events"}
    assert not c.everything and not c.is_empty()
    assert "all contacts" in repr(c)
    assert c.only("events") == Changes.of(events=[1])
    with pytest.raises(ValueError):
        Changes.all("nonsense")  # type: ignore[arg-type]


def test_only_keeps_the_named_kinds() -> None:
    c = Changes.of(contacts=[1], touchpoints=[2], events=[3])
    assert c.only("contacts", "events") == Changes.of(contacts=[1], events=[3])


def test_or_with_something_else_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        _ = Changes() | {1}  # type: ignore[operator]


def test_repr_is_short() -> None:
    assert "contacts=[1, 2, 3, 4, 5]" in repr(Changes.of(contacts=range(1, 10_000)))
    assert repr(Changes.all()) == "Changes(everything)"


def test_a_changed_photo_names_its_contact_too() -> None:
    c = Changes.of(photos=[3], contacts=[4])
    assert c.photos == {3}
    assert c.contacts == {3, 4}
    assert (c | Changes.of(photos=[5])).photos == {3, 5}
    assert not Changes.of(contacts=[4]).photos
    assert c.only("contacts").photos == frozenset()
    assert "photos" in Changes.all().whole

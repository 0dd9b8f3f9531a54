"""What an edit changed, as data: the ids touched per kind, returned by every mutating service.

Services return `(record, Changes)`; the UI emits the `Changes` once on its bus and every view
reloads only what it touches. Nothing else describes or announces a change, so the CLI, the
GUI and undo all see the same facts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Literal

Kind = Literal[
    "contacts",
    "touchpoints",
    "follow_ups",
    "events",
    "organisations",
    "referrals",
    "settings",
]

KINDS: tuple[Kind, ...] = (
    "contacts",
    "touchpoints",
    "follow_ups",
    "events",
    "organisations",
    "referrals",
    "settings",
)


def _ids(values: Iterable[int] | None) -> frozenset[int]:
    return frozenset(int(v) for v in values) if values is not None else frozenset()


@dataclass(frozen=True)
class Changes:
    """The ids an edit touched, per kind (`settings` holds preference names).

    `everything` says "assume all of it changed" (a database was swapped, a restore ran):
    every view reloads fully. Combine with `|`; an empty `Changes()` means nothing happened.
    """

    contacts: frozenset[int] = field(default_factory=frozenset)
    touchpoints: frozenset[int] = field(default_factory=frozenset)
    follow_ups: frozenset[int] = field(default_factory=frozenset)
    events: frozenset[int] = field(default_factory=frozenset)
    organisations: frozenset[int] = field(default_factory=frozenset)
    referrals: frozenset[int] = field(default_factory=frozenset)
    settings: frozenset[str] = field(default_factory=frozenset)
    everything: bool = False

    @classmethod
    def of(
        cls,
        *,
        contacts: Iterable[int] | None = None,
        touchpoints: Iterable[int] | None = None,
        follow_ups: Iterable[int] | None = None,
        events: Iterable[int] | None = None,
        organisations: Iterable[int] | None = None,
        referrals: Iterable[int] | None = None,
        settings: Iterable[str] | None = None,
    ) -> Changes:
        """Build from any iterables (lists, generators, sets); None means none of that kind."""
        return cls(
            contacts=_ids(contacts),
            touchpoints=_ids(touchpoints),
            follow_ups=_ids(follow_ups),
            events=_ids(events),
            organisations=_ids(organisations),
            referrals=_ids(referrals),
            settings=frozenset(settings) if settings is not None else frozenset(),
        )

    @classmethod
    def all(cls) -> Changes:
        """Everything may have changed: views reload in full."""
        return cls(everything=True)

    def __or__(self, other: object) -> Changes:
        if not isinstance(other, Changes):
            return NotImplemented
        return Changes(
            contacts=self.contacts | other.contacts,
            touchpoints=self.touchpoints | other.touchpoints,
            follow_ups=self.follow_ups | other.follow_ups,
            events=self.events | other.events,
            organisations=self.organisations | other.organisations,
            referrals=self.referrals | other.referrals,
            settings=self.settings | other.settings,
            everything=self.everything or other.everything,
        )

    @staticmethod
    def merge(parts: Iterable[Changes]) -> Changes:
        """The union of many (for a loop over contacts, say)."""
        out = Changes()
        for part in parts:
            out = out | part
        return out

    def is_empty(self) -> bool:
        return not self.everything and not any(getattr(self, k) for k in KINDS)

    def __bool__(self) -> bool:
        return not self.is_empty()

    def touches(self, *kinds: Kind) -> bool:
        """True when any of these kinds changed (all of them when none are named)."""
        if self.everything:
            return True
        return any(getattr(self, k) for k in (kinds or KINDS))

    def kinds(self) -> frozenset[Kind]:
        """The kinds with at least one id (all kinds when `everything`)."""
        if self.everything:
            return frozenset(KINDS)
        return frozenset(k for k in KINDS if getattr(self, k))

    def only(self, *kinds: Kind) -> Changes:
        """The same Changes limited to these kinds (what one view cares about)."""
        keep = set(kinds)
        values = {
            f.name: getattr(self, f.name) if f.name in keep else frozenset()
            for f in fields(self)
            if f.name != "everything"
        }
        return Changes(**values, everything=self.everything)

    def __repr__(self) -> str:
        if self.everything:
            return "Changes(everything)"
        parts = [f"{k}={sorted(getattr(self, k))[:5]}" for k in KINDS if getattr(self, k)]
        return f"Changes({', '.join(parts)})"


NOTHING = Changes()

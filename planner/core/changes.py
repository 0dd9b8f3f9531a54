"""What an edit changed, as data: the ids touched per kind, returned by every mutating service.

Services return `(record, Changes)`; the UI emits the `Changes` once on its bus and every view
reloads only what it touches. Nothing else describes or broadcasts a change, so the CLI, the
GUI and undo all see the same facts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Literal

Kind = Literal[
    "contacts",
    "photos",
    "touchpoints",
    "follow_ups",
    "events",
    "organisations",
    "referrals",
    "pitches",
    "questions",
    "settings",
]

KINDS: tuple[Kind, ...] = (
    "contacts",
    "photos",
    "touchpoints",
    "follow_ups",
    "events",
    "organisations",
    "referrals",
    "pitches",
    "questions",
    "settings",
)


def _ids(values: Iterable[int] | None) -> frozenset[int]:
    return frozenset(int(v) for v in values) if values is not None else frozenset()


@dataclass(frozen=True)
class Changes:
    """The ids an edit touched, per kind (`settings` holds preference names).

    `photos` names the contacts whose photo changed: always listed in `contacts` too, and
    apart so the list's thumbnails are read again only when a photo did change (logging a
    touchpoint changes a contact's row, never its photo).

    `whole` names kinds changed as a whole, when listing ids would say nothing useful (an
    import of 30,000 contacts, a database swapped): views reload those kinds fully.
    `Changes.all()` is every kind whole. Combine with `|`; `Changes()` means nothing happened.
    """

    contacts: frozenset[int] = field(default_factory=frozenset)
    photos: frozenset[int] = field(default_factory=frozenset)
    touchpoints: frozenset[int] = field(default_factory=frozenset)
    follow_ups: frozenset[int] = field(default_factory=frozenset)
    events: frozenset[int] = field(default_factory=frozenset)
    organisations: frozenset[int] = field(default_factory=frozenset)
    referrals: frozenset[int] = field(default_factory=frozenset)
    pitches: frozenset[int] = field(default_factory=frozenset)
    questions: frozenset[int] = field(default_factory=frozenset)
    settings: frozenset[str] = field(default_factory=frozenset)
    whole: frozenset[Kind] = field(default_factory=frozenset)

    @classmethod
    def of(
        cls,
        *,
        contacts: Iterable[int] | None = None,
        photos: Iterable[int] | None = None,
        touchpoints: Iterable[int] | None = None,
        follow_ups: Iterable[int] | None = None,
        events: Iterable[int] | None = None,
        organisations: Iterable[int] | None = None,
        referrals: Iterable[int] | None = None,
        pitches: Iterable[int] | None = None,
        questions: Iterable[int] | None = None,
        settings: Iterable[str] | None = None,
    ) -> Changes:
        """Build from any iterables (lists, generators, sets); None means none of that kind.

        A contact named in `photos` is named in `contacts` as well."""
        photo_ids = _ids(photos)
        return cls(
            contacts=_ids(contacts) | photo_ids,
            photos=photo_ids,
            touchpoints=_ids(touchpoints),
            follow_ups=_ids(follow_ups),
            events=_ids(events),
            organisations=_ids(organisations),
            referrals=_ids(referrals),
            pitches=_ids(pitches),
            questions=_ids(questions),
            settings=frozenset(settings) if settings is not None else frozenset(),
        )

    @classmethod
    def all(cls, *kinds: Kind) -> Changes:
        """These kinds (every kind when none are named) changed as a whole."""
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"Unknown kinds: {sorted(unknown)}")
        return cls(whole=frozenset(kinds or KINDS))

    @property
    def everything(self) -> bool:
        """Every kind changed as a whole (a database swapped, say)."""
        return self.whole >= frozenset(KINDS)

    def all_of(self, kind: Kind) -> bool:
        """True when `kind` changed as a whole: its ids are not listed, reload it fully."""
        return kind in self.whole

    def __or__(self, other: object) -> Changes:
        if not isinstance(other, Changes):
            return NotImplemented
        return Changes(
            contacts=self.contacts | other.contacts,
            photos=self.photos | other.photos,
            touchpoints=self.touchpoints | other.touchpoints,
            follow_ups=self.follow_ups | other.follow_ups,
            events=self.events | other.events,
            organisations=self.organisations | other.organisations,
            referrals=self.referrals | other.referrals,
            pitches=self.pitches | other.pitches,
            questions=self.questions | other.questions,
            settings=self.settings | other.settings,
            whole=self.whole | other.whole,
        )

    @staticmethod
    def merge(parts: Iterable[Changes]) -> Changes:
        """The union of many (for a loop over contacts, say)."""
        out = Changes()
        for part in parts:
            out = out | part
        return out

    def is_empty(self) -> bool:
        return not self.whole and not any(getattr(self, k) for k in KINDS)

    def __bool__(self) -> bool:
        return not self.is_empty()

    def touches(self, *kinds: Kind) -> bool:
        """True when any of these kinds changed (any kind when none are named)."""
        return any(k in self.whole or getattr(self, k) for k in (kinds or KINDS))

    def kinds(self) -> frozenset[Kind]:
        """The kinds that changed (by id or as a whole)."""
        return frozenset(k for k in KINDS if k in self.whole or getattr(self, k))

    def only(self, *kinds: Kind) -> Changes:
        """The same Changes limited to these kinds (what one view cares about)."""
        keep = set(kinds)
        values = {
            f.name: getattr(self, f.name) if f.name in keep else frozenset()
            for f in fields(self)
            if f.name != "whole"
        }
        return Changes(**values, whole=self.whole & keep)

    def __repr__(self) -> str:
        if self.everything:
            return "Changes(everything)"
        parts = [f"{k}={sorted(getattr(self, k))[:5]}" for k in KINDS if getattr(self, k)]
        parts += [f"all {k}" for k in KINDS if k in self.whole]
        return f"Changes({', '.join(parts)})"


NOTHING = Changes()

"""The import's preview: the file's rows grouped into people, each matched against the
database (new, duplicate, possible namesake, same as an earlier row, error)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.core.bulk import CHUNK
from planner.core.dedupe import (
    conflicts,
    describe_key,
    email_key,
    group_by_keys,
    linkedin_key,
    load_database_keys,
    name_matches,
)
from planner.core.import_cards import ContactCard, ParseResult, RowError, merge_cards
from planner.core.import_checks import check_card
from planner.db import models as m
from planner.db.database import Database

# Per duplicate group: what to do with it.
SKIP = "skip"
MERGE = "merge"
NEW = "new"
CHOICES: dict[str, str] = {
    MERGE: "Merge into existing",
    SKIP: "Skip",
    NEW: "Import as new",
}
_KEY_RANK = {"u": 0, "e": 1, "l": 2, "n": 3}


@dataclass(frozen=True, slots=True)
class ImportGroup:
    """File rows that are one person (maybe matching a contact already in the database)."""

    index: int
    card: ContactCard
    lines: tuple[int, ...]
    existing_id: int | None = None
    existing_name: str = ""
    reason: str = ""
    # Only the name and organisation match: the user decides (skipped unless they choose).
    proposed: bool = False


@dataclass(frozen=True, slots=True)
class PreviewRow:
    line: int
    name: str
    organisation: str
    email: str
    # new, duplicate (of a contact in the database), possible (same name and organisation
    # as a contact: the user decides), same (as an earlier row), error
    status: str
    group: int = -1
    detail: str = ""
    # Values that failed the checks (kept in the notes instead).
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportPreview:
    format: str
    rows: tuple[PreviewRow, ...]
    groups: tuple[ImportGroup, ...]
    errors: tuple[RowError, ...]
    encoding: str = ""

    @property
    def new_count(self) -> int:
        return sum(1 for g in self.groups if g.existing_id is None)

    @property
    def duplicate_count(self) -> int:
        return sum(1 for g in self.groups if g.existing_id is not None and not g.proposed)

    @property
    def proposed_count(self) -> int:
        return sum(1 for g in self.groups if g.proposed)

    @property
    def problem_rows(self) -> int:
        """Rows whose bad values were kept in the notes instead of the typed fields."""
        return sum(1 for r in self.rows if r.problems)

    @property
    def problem_count(self) -> int:
        return sum(len(r.problems) for r in self.rows)

    def default_choices(self) -> dict[int, str]:
        def choice(g: ImportGroup) -> str:
            if g.existing_id is None:
                return NEW
            return SKIP if g.proposed else MERGE

        return {g.index: choice(g) for g in self.groups}


@dataclass(frozen=True)
class _Matches:
    """What the database says about the file's groups (by group index)."""

    # The contact each group matches and the key it matched by, or (None, "").
    per_group: list[tuple[int | None, str]]
    # The e-mail and LinkedIn keys of the contacts matched by name alone.
    strong_of: dict[int, set[str]]
    # The keys of the groups matched by name alone.
    name_keys: dict[int, Any]
    names: dict[int, str]


def build_preview(db: Database, parsed: ParseResult, region: str) -> ImportPreview:
    """Groups the file's rows into people and matches them against the database; numbers
    without +country are read in `region`."""
    cards = [check_card(c, region) for c in parsed.cards]
    # Tuples, not sets: a few hundred thousand sets cost far more memory.
    key_sets: list[Any] = [tuple(c.keys()) for c in cards]
    members_of = group_by_keys(key_sets)
    in_file = name_matches(key_sets, members_of)
    group_keys = [
        key_sets[members[0]] if len(members) == 1 else set().union(*(key_sets[i] for i in members))
        for members in members_of
    ]
    del key_sets
    with db.session() as s:
        found = _match_database(s, group_keys, with_uids=any(c.uid for c in cards))
    # Only name matches need their keys again: let the rest go (300,000 sets).
    del group_keys
    groups: list[ImportGroup] = []
    status_of: dict[int, PreviewRow] = {}
    for gi, members in enumerate(members_of):
        group, note = _group(gi, members, cards, found)
        groups.append(group)
        if not note and gi in in_file:
            note = _in_file_note(cards, members_of, *in_file[gi])
        first_line = cards[members[0]].line
        for pos, i in enumerate(members):
            status_of[i] = _row(cards[i], group, pos, note, first_line)
    rows = [status_of[i] for i in range(len(cards))]
    rows.extend(
        PreviewRow(e.line, e.name, "", "", "error", -1, e.message[:1].upper() + e.message[1:])
        for e in parsed.errors
    )
    rows.sort(key=lambda r: r.line)
    return ImportPreview(
        parsed.format, tuple(rows), tuple(groups), tuple(parsed.errors), parsed.encoding
    )


def _match_database(s: Session, group_keys: Sequence[Any], with_uids: bool) -> _Matches:
    """Each group's best match among the contacts, and what telling namesakes apart needs."""
    db_keys = load_database_keys(s, with_uids=with_uids)
    per_group = [_best_match(keys, db_keys) for keys in group_keys]
    by_name = sorted({cid for cid, k in per_group if cid is not None and k[:1] == "n"})
    name_keys = {gi: group_keys[gi] for gi, (_c, k) in enumerate(per_group) if k[:1] == "n"}
    wanted = {cid for cid, _k in per_group if cid is not None}
    return _Matches(per_group, _strong_keys(s, by_name), name_keys, _names(s, wanted))


def _best_match(keys: Any, db_keys: dict[str, int]) -> tuple[int | None, str]:
    """The strongest evidence wins (same UID, then e-mail, LinkedIn), then the oldest contact;
    a name and organisation alone is only a proposal (checked in _group)."""
    best: tuple[int, int, str] | None = None
    for key in keys:
        cid = db_keys.get(key)
        if cid is None:
            continue
        candidate = (_KEY_RANK.get(key[0], 9), cid, key)
        if best is None or candidate < best:
            best = candidate
    return (best[1], best[2]) if best else (None, "")


def _names(s: Session, wanted: set[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    ids = sorted(wanted)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        names.update(
            s.execute(select(m.Contact.id, m.Contact.name).where(m.Contact.id.in_(chunk))).all()
        )
    return names


def _group(
    gi: int, members: Sequence[int], cards: Sequence[ContactCard], found: _Matches
) -> tuple[ImportGroup, str]:
    """The rows `members` as one person with their match, and the note that says why a
    namesake in the database is a different person ("" when none is)."""
    card = cards[members[0]]
    for i in members[1:]:
        card = merge_cards(card, cards[i])
    existing_id, key = found.per_group[gi]
    existing_name = found.names.get(existing_id, "") if existing_id is not None else ""
    proposed = False
    note = ""
    if existing_id is not None and key.startswith("n:"):
        # E-mails or LinkedIn profiles on both sides with nothing in common: namesakes.
        theirs = found.strong_of.get(existing_id, set())
        mine = {k for k in found.name_keys[gi] if k[:1] in ("e", "l")}
        if conflicts(mine, theirs):
            note = (
                f"Same name and organisation as {existing_name}, but a different "
                "e-mail or LinkedIn profile: a different person"
            )
            existing_id, key, existing_name = None, "", ""
        else:
            proposed = True
    group = ImportGroup(
        index=gi,
        card=card,
        lines=tuple(cards[i].line for i in members),
        existing_id=existing_id,
        existing_name=existing_name,
        reason=describe_key(key) if key else "",
        proposed=proposed,
    )
    return group, note


def _in_file_note(
    cards: Sequence[ContactCard], members_of: Sequence[Sequence[int]], other_gi: int, clash: bool
) -> str:
    """Why a group with the same name and organisation as an earlier one stays apart."""
    other = cards[members_of[other_gi][0]]
    return f"Same name and organisation as line {other.line}; " + (
        "a different e-mail or LinkedIn profile, so a different person"
        if clash
        else "imported separately (no shared e-mail or profile to prove it)"
    )


def _row(card: ContactCard, group: ImportGroup, pos: int, note: str, first_line: int) -> PreviewRow:
    """The preview line of one file row, the `pos`-th of its group."""
    email = card.emails[0].value if card.emails else ""
    if group.existing_id is not None and group.proposed:
        status, detail = (
            "possible",
            f"Maybe {group.existing_name} — {group.reason}; skipped unless you choose to merge",
        )
    elif group.existing_id is not None:
        status, detail = "duplicate", f"{group.existing_name} — {group.reason}"
    elif pos == 0:
        status, detail = "new", note
    else:
        status, detail = "same", f"Same person as line {first_line}"
    return PreviewRow(
        card.line, card.name, card.organisation, email, status, group.index, detail, card.problems
    )


def _strong_keys(session: Session, contact_ids: Sequence[int]) -> dict[int, set[str]]:
    """The e-mail and LinkedIn keys of some contacts (to tell namesakes apart)."""
    out: dict[int, set[str]] = {}
    for start in range(0, len(contact_ids), CHUNK):
        chunk = list(contact_ids[start : start + CHUNK])
        for cid, value in session.execute(
            select(m.ContactEmail.contact_id, m.ContactEmail.value).where(
                m.ContactEmail.contact_id.in_(chunk)
            )
        ):
            key = email_key(value)
            if key:
                out.setdefault(cid, set()).add(key)
        for cid, value in session.execute(
            select(m.ContactUrl.contact_id, m.ContactUrl.value).where(
                m.ContactUrl.contact_id.in_(chunk)
            )
        ):
            key = linkedin_key(value)
            if key:
                out.setdefault(cid, set()).add(key)
    return out

"""Duplicate keys for contacts: e-mail, LinkedIn profile, folded name plus organisation, UID.

Two contacts are likely the same person when they share any key. The keys are plain strings
with a prefix ("e:", "l:", "n:", "u:") so one dictionary can hold all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.core.text import fold
from planner.db import models as m

_LINKEDIN_RE = re.compile(r"linkedin\.com/(in|pub)/([^/?#\s]+)", re.IGNORECASE)
_PUNCT_RE = re.compile(r"[^\w\s]+", re.UNICODE)


def email_key(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("mailto:"):
        value = value[7:]
    return f"e:{value}" if "@" in value else ""


def linkedin_slug(url: str) -> str:
    """The profile part of a LinkedIn URL, whatever the scheme, subdomain or trailing bits."""
    match = _LINKEDIN_RE.search(unquote(url) if "%" in url else url)
    if not match:
        return ""
    return f"{match.group(1).lower()}/{match.group(2).lower().rstrip('/')}"


def linkedin_key(url: str) -> str:
    slug = linkedin_slug(url)
    return f"l:{slug}" if slug else ""


def fast_fold(text: str) -> str:
    """Same result as text.fold, much faster for plain ASCII (most names and addresses)."""
    if text.isascii():
        return " ".join(text.lower().split())
    return fold(text)


def fast_search_blob(*parts: str) -> str:
    """Same result as text.search_blob, for bulk writes."""
    return fast_fold(" ".join(part for part in parts if part))


def folded_name(text: str) -> str:
    folded = fast_fold(text)
    if folded.replace(" ", "").isalnum():
        return folded
    return " ".join(_PUNCT_RE.sub(" ", folded).split())


def name_key(name: str, organisation: str) -> str:
    folded = folded_name(name)
    if not folded:
        return ""
    return f"n:{folded}|{folded_name(organisation)}"


def uid_key(uid: str) -> str:
    uid = uid.strip().lower()
    if uid.startswith("urn:uuid:"):
        uid = uid[9:]
    return f"u:{uid}" if uid else ""


def contact_keys(
    name: str,
    organisation: str,
    emails: Iterable[str] = (),
    urls: Iterable[str] = (),
    uid: str = "",
) -> set[str]:
    keys = {email_key(e) for e in emails} | {linkedin_key(u) for u in urls}
    keys.add(name_key(name, organisation))
    keys.add(uid_key(uid))
    keys.discard("")
    return keys


def describe_key(key: str) -> str:
    """Why two contacts were matched, in words."""
    kind, _, value = key.partition(":")
    if kind == "e":
        return f"same e-mail {value}"
    if kind == "l":
        return "same LinkedIn profile"
    if kind == "u":
        return "same contact (UID)"
    return "same name and organisation"


def _plain_rows(session: Session, statement: Any) -> list[Any]:
    """Rows of a SELECT of plain integers and strings, straight from the DB-API cursor.

    The SQL is still compiled by SQLAlchemy for the database in use; skipping its result
    rows makes reading a few hundred thousand e-mails several times faster.
    """
    conn = session.connection()
    compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled))
        return list(cursor.fetchall())
    finally:
        cursor.close()


def load_database_keys(session: Session, with_uids: bool = True) -> dict[str, int]:
    """Every dedupe key of the database -> the oldest contact holding it, in three queries.

    Contacts come in id order, so the first one seen with a key is the oldest.
    """
    keys: dict[str, int] = {}
    put = keys.setdefault
    orgs: dict[str, str] = {}
    for cid, name, org, uuid in _plain_rows(
        session,
        select(m.Contact.id, m.Contact.name, m.Contact.organisation, m.Contact.uuid).order_by(
            m.Contact.id
        ),
    ):
        # Organisations repeat a lot: fold each once.
        folded_org = orgs.get(org)
        if folded_org is None:
            folded_org = orgs[org] = folded_name(org or "")
        folded = folded_name(name)
        if folded:
            put(f"n:{folded}|{folded_org}", cid)
        if with_uids and uuid:
            put(f"u:{uuid.lower()}", cid)
    # Table order here (sorting by contact would read through the index, far slower): keep
    # the smallest contact id by hand.
    for cid, value in _plain_rows(session, select(m.ContactEmail.contact_id, m.ContactEmail.value)):
        value = value.strip().lower()
        if "@" in value:
            key = f"e:{value[7:] if value.startswith('mailto:') else value}"
            if put(key, cid) > cid:
                keys[key] = cid
    for cid, value in _plain_rows(
        session,
        select(m.ContactUrl.contact_id, m.ContactUrl.value).where(
            m.ContactUrl.value.like("%linkedin.com/%")
        ),
    ):
        key = linkedin_key(value)
        if key and put(key, cid) > cid:
            keys[key] = cid
    return keys


class UnionFind:
    """Groups of indices joined by shared keys."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller index stays the root, so a group is named by its first member.
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


STRONG = ("u", "e", "l")


def is_strong(key: str) -> bool:
    """UID, e-mail and LinkedIn profile name one person; a name and organisation do not."""
    return key[:1] in STRONG and key[1:2] == ":"


def conflicts(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether two records' strong identifiers say they are different people: different UIDs,
    different LinkedIn profiles, or e-mail addresses on both sides with none in common."""
    ka, kb = set(a), set(b)
    for kind in ("u", "l", "e"):
        sa = {k for k in ka if k.startswith(kind + ":")}
        sb = {k for k in kb if k.startswith(kind + ":")}
        if sa and sb and not sa & sb:
            return True
    return False


def group_by_keys(key_sets: list[set[str]], uids: list[str] | None = None) -> list[list[int]]:
    """Indices that share a strong key (UID, e-mail, LinkedIn), transitively, unless the two
    sides' UIDs or LinkedIn profiles differ; groups in order of their first member.

    A shared name and organisation never joins records here (two "David Smith, Google" are
    often two people): `name_matches` lists those pairs so the caller can propose them.
    """
    del uids  # UIDs are part of the key sets ("u:").
    uf = UnionFind(len(key_sets))
    first: dict[str, int] = {}
    # UIDs and LinkedIn keys of the groups formed so far (singletons read their own key set):
    # one set per record would cost a few hundred bytes each at 300,000 rows.
    joined: dict[int, set[str]] = {}

    def ids(root: int) -> set[str]:
        found = joined.get(root)
        if found is None:
            found = {k for k in key_sets[root] if k[:1] in ("u", "l")}
        return found

    for i, keys in enumerate(key_sets):
        for key in sorted(keys) if len(keys) > 1 else keys:
            if not is_strong(key):
                continue
            j = first.setdefault(key, i)
            if j == i:
                continue
            ri, rj = uf.find(i), uf.find(j)
            if ri == rj:
                continue
            a, b = ids(ri), ids(rj)
            if _ids_conflict(a, b):
                continue
            uf.union(ri, rj)
            joined.pop(ri, None)
            joined.pop(rj, None)
            joined[uf.find(ri)] = a | b
    groups: dict[int, list[int]] = {}
    for i in range(len(key_sets)):
        groups.setdefault(uf.find(i), []).append(i)
    return [groups[root] for root in sorted(groups)]


def _ids_conflict(a: set[str], b: set[str]) -> bool:
    for kind in ("u:", "l:"):
        sa = {k for k in a if k.startswith(kind)}
        sb = {k for k in b if k.startswith(kind)}
        if sa and sb and not sa & sb:
            return True
    return False


def name_matches(key_sets: list[set[str]], groups: list[list[int]]) -> dict[int, tuple[int, bool]]:
    """Group -> (an earlier group with the same name and organisation, whether their
    identifiers conflict): shown to the user, never merged silently."""
    group_of: dict[int, int] = {}
    group_keys: list[set[str]] = []
    for gi, members in enumerate(groups):
        keys: set[str] = set()
        for i in members:
            group_of[i] = gi
            keys.update(key_sets[i])
        group_keys.append(keys)
    first: dict[str, int] = {}
    out: dict[int, tuple[int, bool]] = {}
    for gi, keys in enumerate(group_keys):
        for key in keys:
            if key.startswith("n:"):
                other = first.setdefault(key, gi)
                if other != gi and gi not in out:
                    out[gi] = (other, conflicts(group_keys[other], keys))
    return out


@dataclass(frozen=True)
class DuplicateGroup:
    """Contacts in the database that look like one person; the first is the oldest."""

    contact_ids: tuple[int, ...]
    names: tuple[str, ...]
    reason: str
    # 100 for a shared e-mail, LinkedIn profile or UID; lower for a fuzzy name/organisation.
    score: int = 100


# Blocks of contacts compared pairwise by fuzzy score are capped: a very common token
# ("smith" among 100,000 contacts) would otherwise mean millions of comparisons.
_MAX_BLOCK = 400
NAME_THRESHOLD = 88
ORG_THRESHOLD = 80


def _name_tokens(name: str) -> list[str]:
    return folded_name(name).split()


def fuzzy_score(name_a: str, org_a: str, name_b: str, org_b: str) -> tuple[int, int, int]:
    """(name match, organisation match, score shown to the user), each 0-100.

    The matches decide: token order, case and accents do not count, and one organisation
    contained in the other ("ING" in "ING Bank") matches. The score says how alike the texts
    are as written, so an exact duplicate shows 100 and "Zoë Müller" / "Muller Zoe" less.
    """
    from rapidfuzz import fuzz

    name = fuzz.token_sort_ratio(folded_name(name_a), folded_name(name_b))
    oa, ob = folded_name(org_a), folded_name(org_b)
    org = 100.0 if not oa and not ob else (fuzz.token_set_ratio(oa, ob) if oa and ob else 60.0)
    written_name = fuzz.token_sort_ratio(name_a.casefold(), name_b.casefold())
    written_org = fuzz.token_sort_ratio(org_a.casefold(), org_b.casefold()) if oa and ob else org
    score = 0.6 * written_name + 0.4 * (org + written_org) / 2
    return round(name), round(org), round(score)


def find_duplicate_groups(session: Session) -> list[DuplicateGroup]:
    """Groups of likely duplicates across the whole database (for Edit > Find duplicates).

    Strong identifiers (e-mail, LinkedIn profile) join contacts unless their profiles differ.
    Names are compared fuzzily (rapidfuzz) within blocks that share a name token, and a pair
    is proposed when name and organisation are close and their e-mails or profiles do not
    say they are different people.
    """
    rows = session.execute(
        select(m.Contact.id, m.Contact.name, m.Contact.organisation).order_by(m.Contact.id)
    ).all()
    strong = _strong_keys(session, rows)
    uf = UnionFind(len(rows))
    # Group root -> (score, why its members were joined).
    edge_reason: dict[int, tuple[int, str]] = {}
    _join_shared_keys(strong, uf, edge_reason)
    _join_similar_names(rows, strong, uf, edge_reason)
    return _groups(rows, uf, edge_reason)


def _strong_keys(session: Session, rows: Sequence[Any]) -> list[set[str]]:
    """The e-mail and LinkedIn keys of each contact, by its index in `rows`."""
    index = {cid: i for i, (cid, _n, _o) in enumerate(rows)}
    strong: list[set[str]] = [set() for _ in rows]
    for cid, value in session.execute(select(m.ContactEmail.contact_id, m.ContactEmail.value)):
        key = email_key(value)
        if key and cid in index:
            strong[index[cid]].add(key)
    for cid, value in session.execute(
        select(m.ContactUrl.contact_id, m.ContactUrl.value).where(
            m.ContactUrl.value.like("%linkedin.com/%")
        )
    ):
        key = linkedin_key(value)
        if key and cid in index:
            strong[index[cid]].add(key)
    return strong


def _join_shared_keys(
    strong: list[set[str]], uf: UnionFind, edge_reason: dict[int, tuple[int, str]]
) -> None:
    """Contacts that share an e-mail or LinkedIn profile are one group (score 100)."""
    for members in group_by_keys(strong):
        for i in members[1:]:
            uf.union(members[0], i)
        if len(members) > 1:
            shared = set.intersection(*(strong[i] for i in members))
            reason = describe_key(sorted(shared)[0]) if shared else "shared e-mail or profile"
            edge_reason[members[0]] = (100, reason)


def _join_similar_names(
    rows: Sequence[Any],
    strong: list[set[str]],
    uf: UnionFind,
    edge_reason: dict[int, tuple[int, str]],
) -> None:
    """The fuzzy pass: block by each name token (folded), compare within blocks."""
    from rapidfuzz import fuzz

    folded = [folded_name(n) for _c, n, _o in rows]
    blocks: dict[str, list[int]] = {}
    for i, text in enumerate(folded):
        for token in set(text.split()):
            if len(token) >= 2:
                blocks.setdefault(token, []).append(i)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > _MAX_BLOCK:
            continue
        for x in range(len(members)):
            i = members[x]
            for y in range(x + 1, len(members)):
                j = members[y]
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                if uf.find(i) == uf.find(j):
                    continue
                if fuzz.token_sort_ratio(folded[i], folded[j]) < NAME_THRESHOLD:
                    continue
                if conflicts(strong[i], strong[j]):
                    continue
                name, org, score = fuzzy_score(
                    rows[i][1], rows[i][2] or "", rows[j][1], rows[j][2] or ""
                )
                if org < ORG_THRESHOLD:
                    continue
                uf.union(i, j)
                exact = name == 100 and folded_name(rows[i][2] or "") == folded_name(
                    rows[j][2] or ""
                )
                reason = "same name and organisation" if exact else "similar name and organisation"
                root = uf.find(i)
                previous = edge_reason.get(root)
                edge_reason[root] = (min(score, previous[0]) if previous else score, reason)


def _groups(
    rows: Sequence[Any], uf: UnionFind, edge_reason: dict[int, tuple[int, str]]
) -> list[DuplicateGroup]:
    """The groups of two or more, in the order of their oldest contact."""
    by_root: dict[int, list[int]] = {}
    for i in range(len(rows)):
        by_root.setdefault(uf.find(i), []).append(i)
    out = []
    for root, members in sorted(by_root.items(), key=lambda kv: kv[1][0]):
        if len(members) < 2:
            continue
        score, reason = edge_reason.get(root, (100, "shared details"))
        if len(members) > 2 and reason.startswith("similar"):
            reason = "similar names and organisations"
        out.append(
            DuplicateGroup(
                contact_ids=tuple(rows[i][0] for i in members),
                names=tuple(
                    f"{rows[i][1]} ({rows[i][2]})" if rows[i][2] else rows[i][1] for i in members
                ),
                reason=reason,
                score=score,
            )
        )
    return out

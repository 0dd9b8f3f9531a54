"""Stale saves in team mode: which fields a teammate changed, said the way people say it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

# How fields are named in "Priya changed this contact 2 minutes ago: phone, notes".
FIELD_NAMES: dict[str, str] = {
    "name": "name",
    "name_prefix": "name",
    "given_name": "name",
    "middle_name": "name",
    "family_name": "name",
    "name_suffix": "name",
    "nickname": "nickname",
    "phonetic_name": "name",
    "organisation": "organisation",
    "role": "role",
    "industry": "industry",
    "relationship": "relationship",
    "how_met_kind": "how met",
    "how_met_text": "how met",
    "how_met_event_id": "event where met",
    "referred_by_id": "referred by",
    "location": "location",
    "birthday_month": "birthday",
    "birthday_day": "birthday",
    "birthday_year": "birthday",
    "interests": "interests",
    "notes": "notes",
    "cadence_days": "keep-in-touch rhythm",
    "emails": "e-mail",
    "phones": "phone",
    "urls": "links",
    "tags": "tags",
    "visibility": "visibility",
    # Follow-ups ("notes" and "visibility" above are shared).
    "contact_id": "contact",
    "due_date": "due date",
    "due_time": "time",
    "time_zone": "time zone",
    "channel": "channel",
    "purpose": "purpose",
    "status": "status",
    "owner": "owner",
}


@dataclass(frozen=True)
class Conflict:
    """What the user saved from their copy, against what is in the database now."""

    mine: Mapping[str, Any]
    theirs: Mapping[str, Any]
    # Fields the teammate changed since the user's copy was read.
    changed: tuple[str, ...]
    # Of those, the ones the user changed too (the ones to choose between).
    clashing: tuple[str, ...]
    who: str
    when: datetime | None


def changed_fields(seen: Any, current: Any, fields: Iterable[str]) -> tuple[str, ...]:
    """Fields whose value differs between the copy the user saw and the record now."""
    return tuple(f for f in fields if getattr(seen, f, None) != getattr(current, f, None))


def find_conflict(
    seen: Any, current: Any, mine: Mapping[str, Any], fields: Iterable[str] | None = None
) -> Conflict:
    """`fields`: the record's fields to compare (a contact's when None)."""
    changed = changed_fields(seen, current, FIELD_NAMES if fields is None else fields)
    clashing = tuple(
        f for f in mine if f in changed and _norm(mine[f]) != _norm(getattr(current, f, None))
    )
    return Conflict(
        mine=dict(mine),
        theirs={f: getattr(current, f, None) for f in (*changed, *mine)},
        changed=changed,
        clashing=clashing,
        who=getattr(current, "updated_by", "") or "Someone else",
        when=getattr(current, "updated_at", None),
    )


def _norm(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def field_list(fields: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(FIELD_NAMES.get(f, f.replace("_", " ")) for f in fields))


def ago(when: datetime | None, now: datetime | None = None) -> str:
    """'just now', '2 minutes ago', '3 hours ago', '2 days ago'."""
    if when is None:
        return "recently"
    now = now or datetime.now(timezone.utc)
    seconds = max(0, int((now - when).total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"


def describe(conflict: Conflict, what: str = "contact", now: datetime | None = None) -> str:
    """'Priya changed this contact 2 minutes ago: phone, notes'."""
    text = f"{conflict.who} changed this {what} {ago(conflict.when, now)}"
    fields = field_list(conflict.changed)
    return f"{text}: {fields}" if fields else text

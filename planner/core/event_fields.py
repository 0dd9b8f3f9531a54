"""An event's own fields: which ones an edit may change, and their checks (a
`ValidationError` names the field)."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from planner.core.errors import ValidationError
from planner.core.vocab import EVENT_STATUSES, EVENT_TYPES
from planner.db import models as m

EDITABLE_FIELDS = frozenset(
    {
        "name",
        "event_type",
        "starts_local",
        "ends_local",
        "all_day",
        "time_zone",
        "venue",
        "url",
        "cost_cents",
        "currency",
        "status",
        "description",
        "takeaways",
        "pitch_id",
        "pitch_text",
    }
)
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@lru_cache(maxsize=1)
def time_zone_names() -> frozenset[str]:
    """The IANA zone names an event may be in (read once: the list is long)."""
    return frozenset(available_timezones())


def validated(changes: dict[str, Any]) -> dict[str, Any]:
    """The changes checked and tidied (names and codes trimmed, times without seconds)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(sorted(unknown)[0], "This field cannot be changed here.")
    out = dict(changes)
    if "name" in out:
        out["name"] = " ".join(str(out["name"]).split())
        if not out["name"]:
            raise ValidationError("name", "Give the event a name.")
        if len(out["name"]) > 300:
            raise ValidationError("name", "Keep the name under 300 characters.")
    if "event_type" in out and out["event_type"] not in EVENT_TYPES:
        raise ValidationError("event_type", "Choose one of the listed event types.")
    if "status" in out and out["status"] not in EVENT_STATUSES:
        raise ValidationError("status", "Choose idea, registered, attended or skipped.")
    if "time_zone" in out:
        out["time_zone"] = str(out["time_zone"] or "").strip()
        if out["time_zone"] and out["time_zone"] not in time_zone_names():
            raise ValidationError(
                "time_zone", f"“{out['time_zone']}” is not a known time zone (e.g. Europe/Paris)."
            )
    for key in ("starts_local", "ends_local"):
        value = out.get(key)
        if value is not None and key in out:
            if not isinstance(value, datetime):
                raise ValidationError(key, "Enter a date and time.")
            # Wall-clock time in the event's zone: stored naive, without seconds.
            out[key] = value.replace(tzinfo=None, second=0, microsecond=0)
    if "cost_cents" in out and out["cost_cents"] is not None:
        cost = out["cost_cents"]
        if not isinstance(cost, int) or cost < 0:
            raise ValidationError("cost", "The cost cannot be negative.")
    if "currency" in out:
        out["currency"] = str(out["currency"] or "").strip().upper()
        if out["currency"] and not _CURRENCY.match(out["currency"]):
            raise ValidationError("currency", "Use a three-letter currency code, e.g. EUR or USD.")
    for key in ("venue", "url", "description", "takeaways", "pitch_text"):
        if key in out:
            out[key] = str(out[key] or "")
    if "url" in out:
        out["url"] = out["url"].strip()
        if len(out["url"]) > 2000:
            raise ValidationError("url", "The link is too long.")
    return out


def check_dates(event: m.EventPlan) -> None:
    """An event cannot end before it starts (checked on the row, after the edit)."""
    if event.starts_local and event.ends_local and event.ends_local < event.starts_local:
        raise ValidationError("ends_local", "The event cannot end before it starts.")

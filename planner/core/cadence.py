"""The keep-in-touch rule: the next touch is due `cadence` days after the last one."""

from __future__ import annotations

from datetime import date, timedelta


def next_touch_due(
    last_touch: date | None, added_on: date, cadence_days: int | None
) -> date | None:
    """Counts from the last touchpoint, or from when the contact was added if there is none."""
    if not cadence_days or cadence_days <= 0:
        return None
    start = last_touch if last_touch is not None else added_on
    return start + timedelta(days=cadence_days)

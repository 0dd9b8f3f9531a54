"""Axis arithmetic for the charts: round tick steps (1, 2, 5 x 10^n) that cover the data."""

from __future__ import annotations

import math


def nice_step(span: float, max_ticks: int = 5) -> float:
    """The smallest round step that covers `span` in at most `max_ticks` intervals."""
    if span <= 0 or max_ticks < 1:
        return 1.0
    raw = span / max_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw:
            # Counts are whole numbers: never a step below 1.
            return max(1.0, step)
    return max(1.0, 10 * magnitude)


def nice_ticks(maximum: float, max_ticks: int = 5) -> list[float]:
    """Ticks from 0 to a round value at or above `maximum` (0..1 when there is no data)."""
    step = nice_step(maximum, max_ticks)
    top = step * max(1, math.ceil(maximum / step - 1e-9))
    count = round(top / step)
    return [i * step for i in range(count + 1)]


def format_ticks(ticks: list[float]) -> list[str]:
    """Labels for one axis in one unit: 0, 5k, 10k rather than 0, 5,000, 10k."""
    top = max((abs(t) for t in ticks), default=0.0)
    if top >= 1_000_000:
        return [_short(t, 1_000_000, "M") for t in ticks]
    if top >= 10_000:
        return [_short(t, 1000, "k") for t in ticks]
    return [format_tick(t) for t in ticks]


def _short(value: float, unit: int, suffix: str) -> str:
    if value == 0:
        return "0"
    text = f"{value / unit:.1f}".rstrip("0").rstrip(".")
    return f"{text}{suffix}"


def format_tick(value: float) -> str:
    """12, 1.5k, 2M: short enough for a narrow axis."""
    if abs(value) >= 1_000_000:
        text = f"{value / 1_000_000:.1f}".rstrip("0").rstrip(".")
        return f"{text}M"
    if abs(value) >= 10_000:
        text = f"{value / 1000:.1f}".rstrip("0").rstrip(".")
        return f"{text}k"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:g}"

"""An event's own fields (core.event_fields): which may change and how they are checked."""

from __future__ import annotations

from datetime import datetime

import pytest

from planner.core.errors import ValidationError
from planner.core.event_fields import check_dates, time_zone_names, validated
from planner.db import models as m


def test_validated_tidies_what_it_keeps() -> None:
    out = validated(
        {
            "name": "  FinTech   Forum ",
            "currency": " eur ",
            "starts_local": datetime(2026, 5, 12, 9, 0, 42),
            "url": " https://example.com ",
        }
    )
    assert out == {
        "name": "FinTech Forum",
        "currency": "EUR",
        "starts_local": datetime(2026, 5, 12, 9, 0),
        "url": "https://example.com",
    }
    assert "Europe/Lisbon" in time_zone_names()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sequence": 3}, "sequence"),
        ({"name": " "}, "name"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"cost_cents": -5}, "cost"),
        ({"event_type": "rave"}, "event_type"),
    ],
)
def test_validated_names_the_bad_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        validated(dict(changes))
    assert err.value.field == field


def test_check_dates_refuses_an_end_before_the_start() -> None:
    event = m.EventPlan(
        name="x", starts_local=datetime(2026, 5, 12, 9), ends_local=datetime(2026, 5, 12, 8)
    )
    with pytest.raises(ValidationError) as err:
        check_dates(event)
    assert err.value.field == "ends_local"

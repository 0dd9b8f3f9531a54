"""ContactService.clean: every kind of field checked and normalised, the bad one named."""

from __future__ import annotations

import pytest

from planner.core.contacts import MAX_CADENCE_DAYS, MAX_PHOTO_BYTES, ContactService
from planner.core.errors import ValidationError
from planner.core.records import LabeledValue
from planner.db.database import Database


@pytest.fixture
def service(db: Database) -> ContactService:
    return ContactService(db)


def test_single_values_are_normalised(service: ContactService) -> None:
    out = service.clean(
        {
            "name": "  Ana Kim  ",
            "role": "  CTO ",
            "given_name": " Ana   Maria ",
            "name_custom": 1,
            "photo_type": "image/png" * 10,
            "photo_url": "",
            "notes": "  kept as typed ",
            "cadence_days": "30",
            "how_met_event_id": "",
            "birthday_month": "4",
            "relationship": "mentor",
            "how_met_kind": None,
        }
    )
    assert out == {
        "name": "Ana Kim",
        "role": "CTO",
        "given_name": "Ana Maria",
        "name_custom": True,
        "photo_type": ("image/png" * 10)[:32],
        "photo_url": "",
        "notes": "  kept as typed ",
        "cadence_days": 30,
        "how_met_event_id": None,
        "birthday_month": 4,
        "relationship": "mentor",
        "how_met_kind": "",
    }
    assert service.clean({"cadence_days": 0}) == {"cadence_days": None}


def test_lists_drop_blanks_and_repeated_tags(service: ContactService) -> None:
    out = service.clean(
        {
            "emails": [LabeledValue("work ", " Ana@Example.com "), LabeledValue("", "  ")],
            "tags": ["Fintech", " fintech ", "", "AI  lab"],
        }
    )
    assert [(e.label, e.value) for e in out["emails"]] == [("work", "Ana@example.com")]
    assert out["tags"] == ["Fintech", "AI lab"]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"favourite_colour": "red"}, "favourite_colour", "not a contact field"),
        ({"name": "   "}, "name", "needs a name"),
        ({"family_name": "x" * 101}, "family_name", "under 100 letters"),
        ({"photo": "not bytes"}, "photo", "image data"),
        ({"photo": b"x" * (MAX_PHOTO_BYTES + 1)}, "photo", "larger than"),
        ({"relationship": "boss"}, "relationship", "Unknown relationship"),
        ({"how_met_kind": "séance"}, "how_met_kind", "Unknown way of meeting"),
        ({"cadence_days": MAX_CADENCE_DAYS + 1}, "cadence_days", "between 1 and"),
        ({"emails": [LabeledValue("", "not-an-address")]}, "emails", ""),
    ],
)
def test_bad_values_name_their_field(
    service: ContactService, changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        service.clean(changes)
    assert caught.value.field == field
    assert words in caught.value.message

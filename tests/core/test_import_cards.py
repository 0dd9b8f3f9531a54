"""Cards: name parts filled from the display name, and two cards of one person merged without
losing anything (core.import_cards)."""

from __future__ import annotations

from datetime import date

from planner.core.import_cards import (
    ContactCard,
    address_norm,
    email_norm,
    merge_cards,
    phone_norm,
    url_norm,
)
from planner.core.records import LabeledValue, PostalAddress


def test_norms_make_two_spellings_one_value() -> None:
    assert email_norm(" Ana@Globex.Example ") == "ana@globex.example"
    assert phone_norm("+353 (85) 123-4567") == phone_norm("+353851234567")
    assert url_norm("https://www.Example.com/in/ana/") == url_norm("example.com/in/ana")
    one = PostalAddress(street="1 Quay St", locality="Cork")
    two = PostalAddress(street="1  quay st", locality="CORK")
    assert address_norm(one) == address_norm(two)


def test_name_parts_come_from_the_display_name() -> None:
    card = ContactCard(name="Dr. Ana María Ruiz").with_name_parts()
    assert (card.given_name, card.family_name) != ("", "")
    assert not card.name_custom
    built = ContactCard(name="", given_name="Mei", family_name="Tan").with_name_parts()
    assert built.name == "Mei Tan"


def test_merge_cards_keeps_everything_of_both() -> None:
    a = ContactCard(
        name="Ana Ruiz",
        emails=(LabeledValue("work", "ana@globex.example", True),),
        notes="Met at PyCon",
        tags=("python",),
        connected_on=date(2024, 5, 1),
        addresses=(PostalAddress(street="1 Quay St", locality="Cork", pref=True),),
    )
    b = ContactCard(
        name="Ana R.",
        organisation="Globex",
        emails=(
            LabeledValue("", "ANA@globex.example"),
            LabeledValue("home", "ana@home.example"),
        ),
        notes="Likes climbing",
        tags=("python", "climbing"),
        connected_on=date(2023, 1, 9),
        addresses=(
            PostalAddress(street="1 quay st", locality="cork"),
            PostalAddress(street="2 Main St", locality="Cork", pref=True),
        ),
    )
    merged = merge_cards(a, b)
    assert merged.name == "Ana Ruiz"
    assert merged.organisation == "Globex"
    assert [e.value for e in merged.emails] == ["ana@globex.example", "ana@home.example"]
    assert merged.notes == "Met at PyCon\n\nLikes climbing"
    assert merged.tags == ("python", "climbing")
    assert merged.connected_on == date(2023, 1, 9)
    # The second source's address joins, but the first one stays the preferred one.
    assert [(x.street, x.pref) for x in merged.addresses] == [
        ("1 Quay St", True),
        ("2 Main St", False),
    ]


def test_merge_cards_and_merging_into_a_contact_fill_the_relationship_alike() -> None:
    """Two rows of one person in one file merge as a row merges into a saved contact: a real
    relationship replaces an empty one or the catch-all "other", never the other way round."""
    other = ContactCard(name="Ana Ruiz", relationship="other")
    mentor = ContactCard(name="Ana Ruiz", relationship="mentor")
    assert merge_cards(other, mentor).relationship == "mentor"
    assert merge_cards(mentor, other).relationship == "mentor"

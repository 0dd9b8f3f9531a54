"""Names: the display name from its parts, and splitting a typed name without losing words."""

from __future__ import annotations

import pytest

from planner.core.names import PART_MAX, display_name, split_name


def test_display_name_joins_the_parts_in_order_with_single_spaces() -> None:
    assert display_name("Dr.", " José ", "Luis", "Rodríguez", "Jr.") == (
        "Dr. José Luis Rodríguez Jr."
    )
    assert display_name("", "Ana", "", "", "") == "Ana"
    assert display_name("", "", "", "", "") == ""


@pytest.mark.parametrize(
    ("typed", "given", "family"),
    [
        ("Ana Ruiz", "Ana", "Ruiz"),
        ("José Luis Rodríguez", "José Luis", "Rodríguez"),  # a middle word stays with the given
        ("Ludwig van Beethoven", "Ludwig", "van Beethoven"),
        ("Madonna", "Madonna", ""),
    ],
)
def test_split_keeps_every_word(typed: str, given: str, family: str) -> None:
    parts = split_name(typed)
    assert (parts.given, parts.family) == (given, family)
    assert sorted(parts.display().split()) == sorted(typed.split())


def test_names_that_do_not_split_cleanly_stay_whole() -> None:
    # A title that is also a name, and a nickname in quotes: nothing is guessed.
    assert split_name("Prince Harry").given == "Prince Harry"
    assert split_name('William "Bill" Gates').given == 'William "Bill" Gates'
    assert split_name("   ").display() == ""
    assert len(split_name("x" * 500).given) == PART_MAX

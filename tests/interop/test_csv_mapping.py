"""Any other CSV (interop.csv_mapping): the mapping guessed from headers in several languages,
and rows read through it."""

from __future__ import annotations

import pytest

from planner.interop.csv_cells import Row
from planner.interop.csv_mapping import FIELDS, guess_mapping, mapped_reader


def test_guess_mapping() -> None:
    headers = ["Nom", "Firma", "E-Mail-Adresse", "Work email", "Téléphone", "Nom", "Whatever"]
    assert guess_mapping(headers) == ("name", "organisation", "email", "email", "phone", "", "")
    assert set(guess_mapping(headers)) <= set(FIELDS)


def test_rows_read_through_the_mapping() -> None:
    read = mapped_reader(("name", "email", "tags", ""))
    card = read(Row({}, ["Ana Ruiz", "ana@a.example; ana@b.example", "x, y", "skip"]), 2)
    assert card is not None
    assert [e.value for e in card.emails] == ["ana@a.example", "ana@b.example"]
    assert card.tags == ("x", "y")
    assert read(Row({}, ["", "", "", ""]), 3) is None
    with pytest.raises(ValueError):
        read(Row({}, ["", "ana@a.example", "", ""]), 4)

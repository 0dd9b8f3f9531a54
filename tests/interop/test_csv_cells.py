"""Values out of CSV cells (interop.csv_cells): birthdays in their many spellings, labels,
tags, and the formula guard that undoes itself."""

from __future__ import annotations

from datetime import date

from planner.core.names import NameParts
from planner.interop.csv_cells import (
    Row,
    name_fields,
    neutralise,
    parse_birthday,
    parse_connected_on,
    tags_of,
    unneutralise,
    url_label,
)


def test_formula_guard_round_trips() -> None:
    for cell in ("=1+1", " -2", "@SUM(A1)", "'=x", "plain", "\tx"):
        assert unneutralise(neutralise(cell)) == cell
    assert neutralise("=1+1") == "'=1+1"


def test_dates_labels_and_tags() -> None:
    assert parse_birthday("1985-03-09") == (3, 9, 1985)
    assert parse_birthday("--03-09") == (3, 9, None)
    assert parse_connected_on("12 Nov 2025") == date(2025, 11, 12)
    assert url_label("https://www.linkedin.com/in/ana") == "linkedin"
    assert tags_of(["* myContacts", "* Fintech", "Fintech ", "", "AI"]) == ("Fintech", "AI")


def test_row_reads_cells_by_header() -> None:
    row = Row({"first name": 0, "notes": 1}, [" Ana ", "'=not a formula "])
    assert row.get("First Name") == "Ana"
    assert row.raw("Notes") == "=not a formula "
    assert row.first("Given Name", "First Name") == "Ana"
    fields = name_fields(NameParts(given="Ana", family="Ruiz"), "Ana R.")
    assert (fields["name"], fields["name_custom"]) == ("Ana R.", True)

"""Reading a contacts CSV (interop.csv_read): the layout detected, a wrong choice refused,
broken rows reported by line with the person they name."""

from __future__ import annotations

import pytest

from planner.core.import_cards import UnreadableFileError
from planner.interop.csv_read import detect_csv_format, parse_csv_text


def test_detect_csv_format() -> None:
    assert detect_csv_format(["First Name", "Last Name", "Connected On"]) == "linkedin"
    assert detect_csv_format(["Name", "Labels"]) == "google"
    assert detect_csv_format(["First Name", "E-mail Address", "Company"]) == "outlook"
    assert detect_csv_format(["Who", "Where"]) == "csv"


def test_parse_reports_broken_rows_and_refuses_a_wrong_layout() -> None:
    text = "Name,E-mail,Company\r\nAna Ruiz,ana@globex.example,Globex\r\n,,Hooli\r\n"
    result = parse_csv_text(text, encoding="utf-8")
    assert result.format == "csv" and result.mapping == ("name", "email", "organisation")
    assert [c.name for c in result.cards] == ["Ana Ruiz"]
    assert [(e.line, e.message) for e in result.errors] == [(3, "the name cell is empty")]
    with pytest.raises(UnreadableFileError):
        parse_csv_text(text, fmt="linkedin")
    with pytest.raises(UnreadableFileError):
        parse_csv_text(text, mapping=("", "email", "organisation"))

"""The quick-add line parser."""

from __future__ import annotations

import pytest

from planner.core.quick_add import QuickAddFields, parse_quick_add


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Ana Ruiz, Globex, Head of Data", QuickAddFields("Ana Ruiz", "Globex", "Head of Data")),
        ("  Ana   Ruiz ,Globex  ", QuickAddFields("Ana Ruiz", "Globex", "")),
        ("Ana Ruiz", QuickAddFields("Ana Ruiz")),
        ("Ana Ruiz,, Head of Data", QuickAddFields("Ana Ruiz", "", "Head of Data")),
        ("Ana Ruiz,,,", QuickAddFields("Ana Ruiz")),
        (
            "Ludwig van der Berg, Van Oord, CTO",
            QuickAddFields("Ludwig van der Berg", "Van Oord", "CTO"),
        ),
        (
            "María José de la Cruz; Banco Santander; Directora, Riesgos",
            QuickAddFields("María José de la Cruz", "Banco Santander", "Directora, Riesgos"),
        ),
        ("Zoë O’Brien-Łukasik - Ørsted", QuickAddFields("Zoë O’Brien-Łukasik", "Ørsted")),
        ("李小龙, 腾讯", QuickAddFields("李小龙", "腾讯")),
        (
            "Jean-Luc d'Artagnan (Société Générale)",
            QuickAddFields("Jean-Luc d'Artagnan", "Société Générale"),
        ),
        (
            "Ana Ruiz <ana.ruiz@globex.example>, Globex",
            QuickAddFields("Ana Ruiz", "Globex", "", "ana.ruiz@globex.example"),
        ),
        ("", QuickAddFields("")),
        (", Globex", QuickAddFields("", "Globex")),
    ],
)
def test_parse_quick_add(line: str, expected: QuickAddFields) -> None:
    assert parse_quick_add(line) == expected


def test_hyphenated_names_are_not_split() -> None:
    assert parse_quick_add("Anne-Marie Smith-Jones, Acme").name == "Anne-Marie Smith-Jones"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Ana Ruiz, Globex, in Fintech",
            QuickAddFields("Ana Ruiz", "Globex", "", industry="Fintech"),
        ),
        (
            "Ana Ruiz, Globex, Head of Data, mentor",
            QuickAddFields("Ana Ruiz", "Globex", "Head of Data", relationship="mentor"),
        ),
        (
            "Bo Li, Industry Leader, Initech, industry: Open banking",
            QuickAddFields(
                "Bo Li", "Initech", "", industry="Open banking", relationship="industry_leader"
            ),
        ),
        # A role that merely contains the word stays a role.
        ("Cy Young, Acme, Peer reviewer", QuickAddFields("Cy Young", "Acme", "Peer reviewer")),
    ],
)
def test_parse_industry_and_relationship(line: str, expected: QuickAddFields) -> None:
    assert parse_quick_add(line) == expected

"""The preview (core.import_preview): rows grouped into people and matched against a real
database: new, duplicate, possible namesake, a different person, same as an earlier row."""

from __future__ import annotations

from planner.core.contact_rows import new_contact
from planner.core.import_cards import ContactCard, ParseResult, RowError
from planner.core.import_preview import MERGE, NEW, SKIP, build_preview
from planner.core.records import LabeledValue
from planner.db.database import Database


def _card(line: int, name: str, org: str = "", email: str = "") -> ContactCard:
    emails = (LabeledValue("", email),) if email else ()
    return ContactCard(name=name, line=line, organisation=org, emails=emails)


def test_build_preview_matches_rows_against_the_database(db: Database) -> None:
    with db.session() as s:
        ana = new_contact(s, "Ana Ruiz", organisation="Globex", emails=["ana@globex.example"])
        new_contact(s, "Bo Lind", organisation="Initech")
        new_contact(s, "Cy Park", organisation="Hooli", emails=["cy@hooli.example"])
        s.flush()
        ana_id = ana.id
    parsed = ParseResult(
        "csv",
        (
            _card(2, "Ana R.", "Globex", "ANA@globex.example"),
            _card(3, "Mei Tan", "Hooli", "mei@hooli.example"),
            _card(4, "Mei T.", "", "mei@hooli.example"),
            _card(5, "Bo Lind", "Initech"),
            _card(6, "Cy Park", "Hooli", "cy.park@elsewhere.example"),
        ),
        (RowError(7, "the row has no name", "Zed"),),
    )
    preview = build_preview(db, parsed, "")
    by_line = {r.line: r for r in preview.rows}
    assert [r.line for r in preview.rows] == [2, 3, 4, 5, 6, 7]
    assert by_line[2].status == "duplicate" and "Ana Ruiz" in by_line[2].detail
    assert (by_line[3].status, by_line[4].status) == ("new", "same")
    assert by_line[4].detail == "Same person as line 3"
    assert by_line[5].status == "possible"
    assert by_line[6].status == "new" and "a different person" in by_line[6].detail
    assert (by_line[7].status, by_line[7].detail) == ("error", "The row has no name")
    groups = {g.lines: g for g in preview.groups}
    assert groups[(2,)].existing_id == ana_id
    assert groups[(3, 4)].card.organisation == "Hooli"
    assert (preview.new_count, preview.duplicate_count, preview.proposed_count) == (2, 1, 1)
    assert sorted(preview.default_choices().values()) == sorted([MERGE, NEW, NEW, SKIP])

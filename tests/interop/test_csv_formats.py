"""Contact CSV layouts (LinkedIn, Google, Outlook, generic), encodings, delimiters, export."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from planner.core.importer import ContactCard, UnreadableFileError
from planner.core.records import LabeledValue
from planner.interop.contact_files import read_contacts, read_contacts_file
from planner.interop.csv_formats import (
    decode_bytes,
    guess_mapping,
    neutralise,
    parse_birthday,
    parse_csv_text,
    write_google_csv,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def test_linkedin_with_notes_preamble() -> None:
    result = read_contacts_file(DATA / "linkedin_connections.csv")
    assert result.format == "linkedin"
    names = [c.name for c in result.cards]
    # The preamble's text is not a contact; the row of bare commas is skipped silently.
    assert names == ["Amara Okafor", "Łukasz Kowalski", "Aoife Murphy"]
    amara, lukasz, aoife = result.cards
    assert amara.connected_on == date(2025, 11, 12)
    assert amara.urls == (LabeledValue("linkedin", "https://www.linkedin.com/in/amara-okafor"),)
    assert amara.emails == ()
    assert lukasz.organisation == "Initech, Inc."
    assert aoife.role == "Engineer, Platform"
    assert [(e.line, "Connected On" in e.message) for e in result.errors] == [(9, True)]


def test_linkedin_old_layout_without_url_column() -> None:
    result = read_contacts_file(DATA / "linkedin_old.csv")
    assert result.format == "linkedin"
    assert [c.name for c in result.cards] == ["Hiroshi Tanaka", "Chloé Dubois"]
    assert result.cards[0].connected_on == date(2019, 6, 5)
    assert result.cards[0].urls == ()


def test_google_current_layout() -> None:
    result = read_contacts_file(DATA / "google_contacts.csv")
    assert result.format == "google"
    aoife, kwame = result.cards
    assert aoife.name == "Aoife Murphy"
    # " ::: " joins several values in one cell.
    assert [e.value for e in aoife.emails] == ["aoife.murphy@globex.example", "aoife@home.example"]
    assert aoife.emails[0].label == "work"
    # Labels become tags without "* " system prefixes, myContacts or starred.
    assert aoife.tags == ("Climbing",)
    assert aoife.notes == "Loves climbing,\nand bad puns."
    assert aoife.location == "1 Quay St, Galway"
    assert aoife.urls[0].label == "linkedin"
    assert (kwame.birthday_month, kwame.birthday_day, kwame.birthday_year) == (12, 25, None)


def test_google_legacy_layout_utf16() -> None:
    result = read_contacts_file(DATA / "google_legacy.csv")
    assert result.format == "google"
    assert result.encoding == "utf-16"
    mei, jose = result.cards
    assert mei.name == "Mei Wang"
    assert mei.organisation == "Hooli"
    assert mei.role == "PM"
    assert mei.tags == ("Product",)
    assert (mei.birthday_month, mei.birthday_day) == (3, 8)
    assert jose.name == "José Santos"
    assert len(jose.emails) == 2


def test_outlook_desktop_cp1252() -> None:
    result = read_contacts_file(DATA / "outlook_desktop.csv")
    assert result.format == "outlook"
    assert result.encoding == "cp1252"
    ines, bjorn = result.cards
    # Outlook's "Title" column is the name prefix.
    assert ines.name == "Ms. Inês Costa"
    assert (ines.name_prefix, ines.given_name, ines.family_name) == ("Ms.", "Inês", "Costa")
    assert ines.role == "Consultant"
    assert ines.birthday_month is None  # 0/0/00 means no date
    assert ines.tags == ("Clients", "Lisbon")
    assert ines.notes == "Prefers calls.\nBest before 10:00, “never” on Fridays."
    assert ines.phones[0] == LabeledValue("mobile", "+351 912 345 678")
    assert (bjorn.birthday_year, bjorn.birthday_month, bjorn.birthday_day) == (1985, 4, 12)
    assert [e.value for e in bjorn.emails] == ["bjorn@silverline.example", "bjorn.j@mail.example"]


def test_outlook_com_layout() -> None:
    result = read_contacts_file(DATA / "outlook_com.csv")
    assert result.format == "outlook"
    (fatima,) = result.cards
    assert fatima.name == "Fatima Haddad"
    assert fatima.organisation == "Umbrella Health"
    assert fatima.role == "Director of Operations"
    assert fatima.notes == "Runs the health meetup."


def test_generic_csv_semicolons_cp1252_and_mapping() -> None:
    data = (DATA / "generic_semicolon.csv").read_bytes()
    guessed = read_contacts(data)
    assert guessed.format == "csv"
    assert guessed.columns == ("Nom", "Courriel", "Société", "Remarques")
    assert guessed.mapping[0] == "name"
    mapped = read_contacts(data, "csv", ["name", "email", "organisation", "notes"])
    zoe, omar = mapped.cards
    assert zoe.name == "Zoë Achterberg"
    assert zoe.emails == (LabeledValue("", "zoe@achterberg.example"),)
    assert zoe.organisation == "Vandelay"
    assert zoe.notes == "Multi-line\nnote; with semicolon"
    assert omar.line == 4


def test_generic_csv_row_without_name_is_an_error() -> None:
    result = read_contacts_file(DATA / "generic.csv")
    assert [c.name for c in result.cards] == ["Liam Brown"]
    assert result.cards[0].tags == ("alumni", "hiking")
    assert [e.line for e in result.errors] == [3]


def test_csv_without_name_column_is_refused() -> None:
    with pytest.raises(UnreadableFileError, match="name"):
        read_contacts_file(DATA / "no_name_column.csv")


def test_huge_field_is_refused() -> None:
    text = "Name,Notes\r\nAna," + '"' + "x" * 3_000_000 + '"\r\n'
    with pytest.raises(UnreadableFileError, match="larger than"):
        read_contacts(text.encode())


def test_spreadsheet_file_is_refused() -> None:
    with pytest.raises(UnreadableFileError, match="Excel"):
        read_contacts(b"PK\x03\x04" + b"\x00" * 100)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Name\r\nZoë\r\n".encode(), "utf-8"),
        ("Name\r\nZoë\r\n".encode("utf-8-sig"), "utf-8-sig"),
        ("Name\r\nZoë\r\n".encode("utf-16"), "utf-16"),
        ("Name\r\nZoë\r\n".encode("utf-16-le"), "utf-16-le"),
        ("Name\r\nZoë\r\n".encode("cp1252"), "cp1252"),
    ],
)
def test_encodings(data: bytes, encoding: str) -> None:
    text, found = decode_bytes(data)
    assert found == encoding
    assert text.replace("\r\n", "\n") == "Name\nZoë\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1985-04-12", (4, 12, 1985)),
        ("19850412", (4, 12, 1985)),
        ("--12-25", (12, 25, None)),
        (" --12-25", (12, 25, None)),
        ("--1225", (12, 25, None)),
        ("1604-12-25", (12, 25, None)),
        ("4/12/1985", (4, 12, 1985)),
        ("25/12/1985", (12, 25, 1985)),
        ("0/0/00", (None, None, None)),
        ("", (None, None, None)),
    ],
)
def test_birthdays(text: str, expected: tuple[int | None, int | None, int | None]) -> None:
    assert parse_birthday(text) == expected


def test_impossible_birthday_says_why() -> None:
    with pytest.raises(ValueError, match="not a real date"):
        parse_birthday("1985-02-30")


def test_guess_mapping() -> None:
    assert guess_mapping(["First Name", "Surname", "E-mail", "Company", "Whatever"]) == (
        "first_name",
        "last_name",
        "email",
        "organisation",
        "",
    )


def test_guess_mapping_other_languages() -> None:
    headers = ["Vorname", "Nachname", "E-Mail-Adresse", "Telefon (mobil)", "LinkedIn profile"]
    assert guess_mapping(headers) == ("first_name", "last_name", "email", "phone", "url")


@pytest.mark.parametrize("cell", ["=1+1", "+44 20", "-5", "@SUM(A1)"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    card = ContactCard(name=cell if cell[0] != "-" else "Ana", notes=cell, role=cell)
    text = write_google_csv([card])
    rows = list(csv.reader(io.StringIO(text)))
    assert not any(c.startswith(("=", "+", "-", "@")) for c in rows[1])
    # ...and we read our own guard back as the original text.
    (back,) = parse_csv_text(text).cards
    assert back.notes == cell and back.role == cell


def test_google_csv_round_trip() -> None:
    card = ContactCard(
        name="Zoë van der Berg",
        given_name="Zoë",
        family_name="van der Berg",
        organisation="Acme, Inc.",
        role="Head of Data",
        industry="Fintech",
        relationship="mentor",
        how_met_kind="event",
        how_met_text="FinTech Forum",
        location="Berlin, Germany",
        birthday_month=12,
        birthday_day=25,
        interests="climbing",
        notes='Two lines,\n"quoted" text',
        cadence_days=30,
        emails=(LabeledValue("work", "zoe@acme.example"), LabeledValue("home", "z@h.example")),
        phones=(LabeledValue("mobile", "+49 170 1234567"),),
        urls=(LabeledValue("linkedin", "https://www.linkedin.com/in/zoe"),),
        tags=("ai", "speaker"),
    )
    other = ContactCard(name="Ana", emails=(LabeledValue("", "ana@example.net"),))
    result = parse_csv_text(write_google_csv([card, other]))
    assert result.format == "google"
    back, back_other = result.cards
    assert back == replace(card, line=2)
    assert back_other.name == "Ana" and back_other.emails == other.emails


def test_tab_separated_with_line_break_in_a_quoted_cell() -> None:
    text = 'Name\tEmail\tNotes\r\nAna Ruiz\tana@example.net\t"first line\r\nsecond, line"\r\n'
    result = read_contacts(text.encode())
    (ana,) = result.cards
    assert (ana.name, ana.emails[0].value) == ("Ana Ruiz", "ana@example.net")
    assert ana.notes == "first line\nsecond, line"


def test_format_override_linkedin_on_a_google_file_is_refused() -> None:
    data = (DATA / "google_contacts.csv").read_bytes()
    with pytest.raises(UnreadableFileError, match="LinkedIn"):
        read_contacts(data, "linkedin")

"""What goes in comes out the same: escaping, names, pref, namesakes, bad values, photos."""

from __future__ import annotations

import base64
import csv
import io
from pathlib import Path

import pytest
import vobject
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from planner.app import main
from planner.core.importer import MERGE, SKIP, ContactCard, ImportService
from planner.core.records import LabeledValue
from planner.core.text_safety import neutralise_text
from planner.db import models as m
from planner.db.database import Database
from planner.interop.contact_files import read_contacts, write_contacts
from planner.interop.csv_formats import neutralise, parse_csv_text, unneutralise, write_google_csv
from planner.interop.vcard import parse_vcard_text, write_vcards

SEPARATORS = ["\r", "\n", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
KINDS = ["vcard3", "vcard4", "csv"]


def _round_trip(card: ContactCard, kind: str) -> tuple[ContactCard, ...]:
    return read_contacts(write_contacts([card], kind).encode("utf-8")).cards


# --- escaping ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("sep", SEPARATORS)
def test_a_separator_in_a_note_cannot_inject_a_contact(kind: str, sep: str) -> None:
    note = f"harmless{sep}END:VCARD{sep}BEGIN:VCARD{sep}FN:Evil{sep}EMAIL:evil@attacker.example"
    card = ContactCard(name="Ana Ruiz", given_name="Ana", family_name="Ruiz", notes=note)
    text = write_contacts([card], kind)
    if kind != "csv":
        # Nothing but CR LF ends a line in what we write.
        body = text.replace("\r\n", "")
        assert not any(s in body for s in SEPARATORS)
    (back,) = _round_trip(card, kind)
    assert back.emails == ()
    assert back.notes == neutralise_text(note)


@pytest.mark.parametrize("kind", KINDS)
def test_nul_in_a_note_keeps_the_export_importable(kind: str) -> None:
    card = ContactCard(name="Ana", given_name="Ana", notes="before\x00after")
    (back,) = _round_trip(card, kind)
    assert back.notes == "beforeafter"


@pytest.mark.parametrize(
    "cell", ["=1+1", "  =HYPERLINK(1)", "\n=cmd", "\r\n+1", " \t@SUM(A1)", "-2", "\t=x"]
)
def test_csv_formula_guard_covers_leading_whitespace(cell: str) -> None:
    guarded = neutralise(cell)
    assert guarded.startswith("'")
    assert unneutralise(guarded) == neutralise_text(cell)


def test_apostrophe_the_user_typed_survives_a_csv_round_trip() -> None:
    card = ContactCard(name="Ana", given_name="Ana", notes="'=already quoted", role="'-minus")
    (back,) = parse_csv_text(write_google_csv([card])).cards
    assert back.notes == "'=already quoted"
    assert back.role == "'-minus"


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes=_text, org=_text, kind=st.sampled_from(KINDS))
@example(notes="\x1b" * 30, org="", kind="csv")  # control characters once read as "binary"
def test_round_trip_keeps_arbitrary_text(notes: str, org: str, kind: str) -> None:
    """Export -> import gives the same contact: the text byte for byte, except that line
    separators become line feeds and NUL goes (documented in planner.core.text_safety)."""
    card = ContactCard(
        name="Ana Ruiz", given_name="Ana", family_name="Ruiz", notes=notes, organisation=org
    )
    cards = _round_trip(card, kind)
    assert len(cards) == 1
    (back,) = cards
    assert back.notes == neutralise_text(notes)
    assert back.organisation == " ".join(neutralise_text(org).split()) or back.organisation == (
        neutralise_text(org).strip()
    )
    assert (back.name, back.given_name, back.family_name) == ("Ana Ruiz", "Ana", "Ruiz")
    assert back.emails == ()


# --- names ---------------------------------------------------------------------------------

GOOGLE = (
    "First Name,Middle Name,Last Name,Name Prefix,Name Suffix,Nickname,Organization Name,"
    "E-mail 1 - Label,E-mail 1 - Value\r\n"
    "Ada,Augusta,Lovelace,Dr.,Jr.,Ada L,Analytical,* Work,ada@engine.example\r\n"
)
OUTLOOK = (
    "Title,First Name,Middle Name,Last Name,Suffix,Company,Job Title,E-mail Address\r\n"
    ",José Luis,,Rodríguez,,BBVA,Analyst,jl@bbva.example\r\n"
)


@pytest.mark.parametrize("kind", KINDS)
def test_google_name_parts_survive_every_export(kind: str) -> None:
    (card,) = read_contacts(GOOGLE.encode()).cards
    assert (card.name_prefix, card.given_name, card.middle_name, card.family_name) == (
        "Dr.",
        "Ada",
        "Augusta",
        "Lovelace",
    )
    assert card.name_suffix == "Jr." and card.nickname == "Ada L"
    (back,) = _round_trip(card, kind)
    assert back.name_parts() == card.name_parts()
    assert back.name == "Dr. Ada Augusta Lovelace Jr." and back.nickname == "Ada L"


def test_two_word_given_name_from_outlook_exports_as_given_name() -> None:
    (card,) = read_contacts(OUTLOOK.encode()).cards
    vcard = vobject.readOne(write_vcards([card], "3.0"))
    assert vcard.n.value.given == "José Luis"
    assert vcard.n.value.family == "Rodríguez"
    rows = list(csv.DictReader(io.StringIO(write_google_csv([card]))))
    assert (rows[0]["First Name"], rows[0]["Last Name"]) == ("José Luis", "Rodríguez")


def test_vcard_n_with_particles_and_a_custom_display_name() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:de Vries;Marieke;;;\r\nFN:Marieke de Vries (ING)\r\n"
        "END:VCARD\r\n"
    )
    (card,) = parse_vcard_text(text).cards
    assert (card.given_name, card.family_name) == ("Marieke", "de Vries")
    assert card.name == "Marieke de Vries (ING)" and card.name_custom
    (back,) = _round_trip(card, "vcard4")
    assert back.name == card.name and back.family_name == "de Vries"


# --- pref ----------------------------------------------------------------------------------


def test_preferred_email_is_primary_and_written_back() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\nN:Ruiz;Ana;;;\r\n"
        "EMAIL;type=INTERNET;type=HOME:home@example.net\r\n"
        "EMAIL;type=INTERNET;type=WORK;type=pref:work@example.com\r\n"
        "TEL;type=CELL:+44 7700 900123\r\nTEL;type=WORK;type=pref:+44 20 7946 0000\r\n"
        "END:VCARD\r\n"
    )
    (card,) = parse_vcard_text(text).cards
    assert [e.value for e in card.emails] == ["work@example.com", "home@example.net"]
    assert card.phones[0].value == "+44 20 7946 0000"
    out3 = vobject.readOne(write_vcards([card], "3.0"))
    prefs = [e.value for e in out3.contents["email"] if "PREF" in e.params.get("TYPE", [])]
    assert prefs == ["work@example.com"]
    out4 = write_vcards([card], "4.0")
    assert "EMAIL;TYPE=work;PREF=1:work@example.com" in out4
    v4 = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:X\r\nEMAIL:a@x.example\r\nEMAIL;PREF=1:b@x.example\r\n"
    (card4,) = parse_vcard_text(v4 + "END:VCARD\r\n").cards
    assert card4.emails[0].value == "b@x.example"


# --- records kept apart ----------------------------------------------------------------------


def test_nested_vcard_is_reported_and_not_fused() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Outer Person\r\nEMAIL:outer@example.net\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Inner Person\r\nEMAIL:inner@example.net\r\n"
        "END:VCARD\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Third\r\nEND:VCARD\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut short\r\n"
    )
    result = parse_vcard_text(text)
    assert [(c.name, [e.value for e in c.emails]) for c in result.cards] == [
        ("Inner Person", ["inner@example.net"]),
        ("Third", []),
    ]
    assert [e.line for e in result.errors] == [1, 15, 16]
    assert "END:VCARD" in result.errors[0].message
    assert "cut short" in result.errors[2].message


LINKEDIN = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    "David,Smith,https://www.linkedin.com/in/david-smith-1,d1@example.com,Google,Engineer,"
    "12 Nov 2025\r\n"
    "David,Smith,https://www.linkedin.com/in/david-smith-2,d2@example.com,Google,Designer,"
    "12 Nov 2025\r\n"
)


def test_namesakes_with_different_profiles_stay_two_people(db: Database) -> None:
    service = ImportService(db)
    preview = service.preview(read_contacts(LINKEDIN.encode()))
    assert [r.status for r in preview.rows] == ["new", "new"]
    assert "different" in preview.rows[1].detail
    outcome = service.commit(preview)
    assert outcome.created == 2
    with db.session() as s:
        roles = sorted(c.role for c in s.scalars(select(m.Contact)))
    assert roles == ["Designer", "Engineer"]
    # Importing again matches each to its own contact by profile.
    again = service.preview(read_contacts(LINKEDIN.encode()))
    assert [r.status for r in again.rows] == ["duplicate", "duplicate"]
    assert len({g.existing_id for g in again.groups}) == 2


def test_name_and_organisation_alone_is_only_proposed(db: Database) -> None:
    service = ImportService(db)
    service.commit(service.preview(read_contacts(b"Name,Company\r\nMei Tan,Hooli\r\n")))
    text = b"Name,Company,E-mail\r\nMei Tan,Hooli,\r\n"
    preview = service.preview(read_contacts(text))
    (group,) = preview.groups
    assert group.proposed and group.existing_id is not None
    assert preview.rows[0].status == "possible"
    assert preview.default_choices() == {0: SKIP}
    outcome = service.commit(preview)
    assert (outcome.created, outcome.merged_count, outcome.skipped) == (0, 0, 1)
    merged = service.commit(preview, {0: MERGE})
    assert merged.merged_count == 1


def test_conflicting_email_with_a_database_namesake_is_a_new_person(db: Database) -> None:
    service = ImportService(db)
    first = b"Name,Company,E-mail\r\nMei Tan,Hooli,mei@hooli.example\r\n"
    service.commit(service.preview(read_contacts(first)))
    other = b"Name,Company,E-mail\r\nMei Tan,Hooli,mei.tan@gmail.example\r\n"
    preview = service.preview(read_contacts(other))
    assert preview.rows[0].status == "new"
    assert "different person" in preview.rows[0].detail
    assert service.commit(preview).created == 1


# --- validation at the door ------------------------------------------------------------------

BAD = (
    "Name,E-mail,Phone,Website,Notes\r\n"
    "Tomás Ortega,tomas@@bbva.example,call me maybe,javascript:alert(1),Met at a fair\r\n"
    "Ana Ruiz,not-an-email,+44 20 7946 0000,https://ana.example,\r\n"
    "Bo Li,a@b@c,,mailto:bo@li.example,\r\n"
)


def test_bad_values_go_to_notes_and_are_counted(db: Database) -> None:
    service = ImportService(db)
    preview = service.preview(read_contacts(BAD.encode()))
    problems = {r.name: r.problems for r in preview.rows}
    assert len(problems["Tomás Ortega"]) == 3
    assert len(problems["Ana Ruiz"]) == 1 and len(problems["Bo Li"]) == 1
    assert preview.problem_count == 5
    outcome = service.commit(preview)
    assert outcome.problems == 5 and "5 bad values" in outcome.summary()
    with db.session() as s:
        tomas = s.scalars(select(m.Contact).where(m.Contact.name == "Tomás Ortega")).one()
        assert (tomas.emails, tomas.phones, tomas.urls) == ([], [], [])
        assert tomas.notes.startswith("Met at a fair\n\n")
        assert "tomas@@bbva.example" in tomas.notes and "javascript:alert(1)" in tomas.notes
        ana = s.scalars(select(m.Contact).where(m.Contact.name == "Ana Ruiz")).one()
        assert [p.value for p in ana.phones] == ["+44 20 7946 0000"]
        assert [u.value for u in ana.urls] == ["https://ana.example"]
        assert ana.emails == []
        bo = s.scalars(select(m.Contact).where(m.Contact.name == "Bo Li")).one()
        assert [u.value for u in bo.urls] == ["mailto:bo@li.example"]


def test_dry_run_counts_bad_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD.encode())
    code = main(["--data-dir", str(tmp_path / "app"), "--database", str(tmp_path / "d.sqlite3"),
                 "import-contacts", "--dry-run", str(path)])  # fmt: skip
    assert code == 0
    captured = capsys.readouterr()
    assert "errors: 5" in captured.out and "bad values: 5" in captured.out
    assert "not a valid e-mail" in captured.err and "bad.csv:2:" in captured.err


def test_mixed_utf8_is_not_read_as_cp1252(db: Database) -> None:
    data = "Name,Company\r\nZoë Utf8,Ça va\r\n".encode() + b"Bad \xff Byte,x\r\n"
    parsed = read_contacts(data)
    assert parsed.encoding.startswith("utf-8")
    assert parsed.cards[0].name == "Zoë Utf8"
    preview = ImportService(db).preview(parsed)
    assert preview.encoding == parsed.encoding
    assert preview.rows[0].problems == ()
    assert "not valid in the file's encoding" in preview.rows[1].problems[0]


# --- photos --------------------------------------------------------------------------------


def test_photos_in_and_out_and_oversized_reported(db: Database) -> None:
    small = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    big = base64.b64encode(b"\xff\xd8" + b"\x00" * (10 * 1024 * 1024 + 10)).decode()
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Small Photo\r\n"
        f"PHOTO;ENCODING=b;TYPE=PNG:{base64.b64encode(small).decode()}\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Url Photo\r\n"
        "PHOTO:https://lh3.googleusercontent.com/a/photo.jpg\r\nEND:VCARD\r\n"
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Huge Photo\r\nPHOTO;ENCODING=b:{big}\r\nEND:VCARD\r\n"
    )
    result = parse_vcard_text(text)
    small_card, url_card, huge = result.cards
    assert small_card.photo == small and small_card.photo_type == "image/png"
    assert url_card.photo_url == "https://lh3.googleusercontent.com/a/photo.jpg"
    assert huge.photo is None and "10 MB" in huge.problems[0]
    for kind in ("vcard3", "vcard4"):
        back = read_contacts(write_contacts([small_card, url_card], kind).encode()).cards
        assert back[0].photo == small and back[1].photo_url == url_card.photo_url
    google = (
        b"First Name,Last Name,Photo,Labels\r\n"
        b"Ana,Ruiz,https://lh3.googleusercontent.com/x.jpg,* myContacts\r\n"
    )
    (ana,) = read_contacts(google).cards
    assert ana.photo_url == "https://lh3.googleusercontent.com/x.jpg"
    (again,) = _round_trip(ana, "csv")
    assert again.photo_url == ana.photo_url
    service = ImportService(db)
    preview = service.preview(result)
    assert preview.rows[2].problems
    service.commit(preview)
    with db.session() as s:
        rows = {c.name: (c.photo, c.photo_url) for c in s.scalars(select(m.Contact))}
    assert rows["Small Photo"][0] == small
    assert rows["Url Photo"][1].endswith("photo.jpg")
    assert rows["Huge Photo"] == (None, "")


def test_labeled_values_keep_their_order(db: Database) -> None:
    card = ContactCard(
        name="Ana Ruiz",
        emails=(LabeledValue("home", "h@example.net"), LabeledValue("work", "w@example.com")),
    )
    (back,) = _round_trip(card, "vcard4")
    assert [e.value for e in back.emails] == ["h@example.net", "w@example.com"]

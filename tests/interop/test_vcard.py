"""vCard reading (2.1 / 3.0 / 4.0 as Apple, Outlook, Google write them) and writing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import vobject

from planner.core.importer import ContactCard, UnreadableFileError
from planner.core.records import LabeledValue
from planner.interop.contact_files import read_contacts, read_contacts_file
from planner.interop.vcard import parse_vcard_text, write_vcards

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def test_apple_3_0_grouped_labels_photo_bday_without_year() -> None:
    result = read_contacts_file(DATA / "apple_3.0.vcf")
    assert result.format == "vcard"
    assert result.encoding == "utf-8-sig"
    amara, joerg = result.cards
    assert amara.name == "Amara Okafor"
    assert amara.organisation == "Redwood Partners"
    assert amara.role == "Head of Data"
    assert [e.value for e in amara.emails] == [
        "amara@redwood.example",
        "a.okafor@work.example",
        "amara.alumni@uni.example",
    ]
    # item1.X-ABLabel _$!<Other>!$_ and a custom label.
    assert [e.label for e in amara.emails] == ["other", "work", "Alumni"]
    assert [(p.label, p.value) for p in amara.phones] == [
        ("mobile", "+44 7700 900123"),
        ("work", "+44 20 7946 0000"),
    ]
    assert amara.urls[0] == LabeledValue(
        "linkedin", "https://www.linkedin.com/in/amara-okafor", True
    )
    assert (amara.birthday_month, amara.birthday_day, amara.birthday_year) == (12, 25, None)
    assert amara.notes == (
        "Met at the FinTech Forum, talked about open banking.\nFollow up in spring."
    )
    assert amara.tags == ("fintech", "speaker")
    assert amara.location == "1 Fintech Way, London, EC1A 1BB, United Kingdom"
    assert amara.photo is not None and amara.photo.startswith(b"\x89PNG")
    assert amara.photo_type == "image/png"
    # Folded lines are joined; the space after the fold marker belongs to the text.
    assert "longer than seventy-five octets" in joerg.notes
    assert "Zoë was the one who introduced us." in joerg.notes
    assert joerg.name == "Dr. Jörg Müller"
    assert (joerg.birthday_year, joerg.birthday_month, joerg.birthday_day) == (1980, 3, 4)


def test_outlook_2_1_quoted_printable_charset_and_bad_photo() -> None:
    result = read_contacts_file(DATA / "outlook_2.1.vcf")
    sofia, linh = result.cards
    assert sofia.name == "Sofía García"
    assert sofia.organisation == "Northwind Labs"
    # 2.1 notes: commas are text, =0D=0A is a line break, "=" at the end is a soft break.
    assert sofia.notes == (
        "Knows the hiring managers, ask about the data role.\n"
        "Second line, with a comma and a soft break."
    )
    assert sofia.photo is not None and sofia.photo.startswith(b"\xff\xd8")
    assert (sofia.birthday_year, sofia.birthday_month, sofia.birthday_day) == (1985, 4, 12)
    # A photo that is not base64 is dropped; the contact is kept.
    assert linh.name == "Linh Nguyễn"
    assert linh.photo is None
    assert result.errors == ()


def test_vcard_4_0_data_uri_photo_and_mmdd_birthday() -> None:
    (soren,) = read_contacts_file(DATA / "google_4.0.vcf").cards
    assert soren.name == "Søren Nielsen"
    assert (soren.birthday_month, soren.birthday_day, soren.birthday_year) == (7, 4, None)
    assert soren.photo is not None and soren.photo.startswith(b"\x89PNG")
    assert soren.tags == ("design", "copenhagen")
    assert soren.phones == (LabeledValue("mobile", "+45 20 12 34 56"),)


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("binary.vcf", "binary"),
        ("empty.csv", "empty"),
    ],
)
def test_unreadable_files_say_why(name: str, needle: str) -> None:
    with pytest.raises(UnreadableFileError) as info:
        read_contacts_file(DATA / name)
    assert needle in info.value.message


def test_huge_property_is_refused() -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nNOTE:" + "x" * 3_000_000 + "\r\nEND:VCARD\r\n"
    with pytest.raises(UnreadableFileError, match="larger than"):
        read_contacts(text.encode())


def test_broken_card_is_an_error_row_others_are_kept() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nBDAY:2020-13-45\r\nFN:Bad Date\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nothing else\r\nEND:VCARD\r\n"
    )
    result = parse_vcard_text(text)
    assert [c.name for c in result.cards] == ["Ana Ruiz"]
    assert [e.line for e in result.errors] == [5, 10]
    assert "not a real date" in result.errors[0].message
    assert "no name" in result.errors[1].message


def _card() -> ContactCard:
    return ContactCard(
        name="Zoë van der Berg",
        given_name="Zoë",
        family_name="van der Berg",
        organisation="Acme; Labs, Inc.",
        role="Head of Data",
        industry="Fintech",
        relationship="mentor",
        how_met_kind="event",
        how_met_text="FinTech Forum, London",
        location="Berlin, Germany",
        birthday_month=2,
        birthday_day=29,
        interests="open banking, climbing",
        notes="Line one, with comma;\nline two \\ backslash",
        cadence_days=45,
        emails=(LabeledValue("work", "zoe@acme.example"), LabeledValue("Alumni", "z@uni.example")),
        phones=(LabeledValue("mobile", "+49 170 1234567"), LabeledValue("pager", "123")),
        urls=(
            LabeledValue("linkedin", "https://www.linkedin.com/in/zoe"),
            LabeledValue("website", "https://zoe.example"),
        ),
        tags=("ai", "speaker, keynote"),
        photo=b"\xff\xd8\xff\xe0" + bytes(range(200)),
        photo_type="image/jpeg",
        uid="0b7e3f60-3f7a-4a39-9d54-4c7d1f1b8a11",
    )


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_write_then_read_gives_the_same_card(version: str) -> None:
    card = _card()
    text = write_vcards([card], version)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n") if "PHOTO" not in line)
    (back,) = parse_vcard_text(text).cards
    assert back == replace(card, line=1)


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_written_vcard_is_read_by_vobject(version: str) -> None:
    text = write_vcards([_card()], version)
    parsed = vobject.readOne(text)
    assert parsed.version.value == version
    assert parsed.fn.value == "Zoë van der Berg"
    assert sorted(e.value for e in parsed.contents["email"]) == [
        "z@uni.example",
        "zoe@acme.example",
    ]


def test_lf_lowercase_escaped_colon_social_profile_and_cp1252() -> None:
    text = (
        "begin:vcard\nversion:3.0\nfn:Inês Costa\nurl:https\\://ines.example\n"
        "X-SOCIALPROFILE;type=linkedin;x-user=ines:https://www.linkedin.com/in/ines-costa\n"
        "note:Café meeting\nend:vcard\n"
    )
    (card,) = read_contacts(text.encode("cp1252")).cards
    assert card.name == "Inês Costa"
    assert card.notes == "Café meeting"
    assert [(u.label, u.value) for u in card.urls] == [
        ("website", "https://ines.example"),
        ("linkedin", "https://www.linkedin.com/in/ines-costa"),
    ]


def test_card_without_fn_uses_n_then_organisation_then_email() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Tanaka;Hiroshi;;Dr.;\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nORG:Tyrell Corp\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:only@example.net\r\nEND:VCARD\r\n"
    )
    assert [c.name for c in parse_vcard_text(text).cards] == [
        "Dr. Hiroshi Tanaka",
        "Tyrell Corp",
        "only@example.net",
    ]


def test_text_before_the_first_card_is_refused() -> None:
    with pytest.raises(UnreadableFileError, match="not part of a vCard"):
        parse_vcard_text("hello\r\nBEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n")

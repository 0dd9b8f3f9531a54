"""What each vCard property adds to a card (interop.vcard_properties): labels from Apple's
X-ABLabel, the preferred value first, a broken photo a problem and not an error."""

from __future__ import annotations

from vobject.base import textLineToContentLine  # type: ignore[import-untyped]

from planner.interop.vcard_properties import CardBuilder, apply_property


def _card(*lines: str) -> CardBuilder:
    card = CardBuilder(1, "3.0")
    for number, text in enumerate(lines, start=2):
        apply_property(card, textLineToContentLine(text, number))
    return card


def test_properties_fill_the_card() -> None:
    card = _card(
        "FN:Ana Ruiz",
        "N:Ruiz;Ana;;Dr.;",
        "ORG:Globex;Data",
        "TITLE:Head of Data",
        "EMAIL;TYPE=INTERNET;TYPE=WORK:ana@globex.example",
        "item1.EMAIL;TYPE=INTERNET;TYPE=PREF:ana@home.example",
        "item1.X-ABLabel:_$!<Other>!$_",
        "TEL;TYPE=CELL:+34 600 000 000",
        "URL:https://www.linkedin.com/in/ana",
        "ADR;TYPE=HOME:;;1 Quay St;Cork;;;Ireland",
        "CATEGORIES:Fintech,myContacts",
        "BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-09",
        "X-PLANNER-CADENCE:30",
        "PHOTO;ENCODING=b;TYPE=JPEG:not base64 at all!",
    ).card()
    assert (card.name, card.given_name, card.name_prefix) == ("Ana Ruiz", "Ana", "Dr.")
    assert (card.organisation, card.role) == ("Globex", "Head of Data")
    assert [(e.label, e.value, e.pref) for e in card.emails] == [
        ("other", "ana@home.example", True),
        ("work", "ana@globex.example", False),
    ]
    assert [(p.label, p.value) for p in card.phones] == [("mobile", "+34 600 000 000")]
    assert [u.label for u in card.urls] == ["linkedin"]
    assert [(a.street, a.locality, a.label) for a in card.addresses] == [
        ("1 Quay St", "Cork", "home")
    ]
    assert card.tags == ("Fintech",)
    assert (card.birthday_month, card.birthday_day, card.birthday_year) == (3, 9, None)
    assert card.cadence_days == 30
    assert card.photo is None

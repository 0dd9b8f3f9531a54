"""Ordered, typed postal addresses and `pref` on every kind of value: read, stored, written back."""

from __future__ import annotations

from pathlib import Path

import vobject

from planner.core.contacts import ContactService
from planner.core.importer import ContactCard, ImportService
from planner.core.records import LabeledValue, PostalAddress
from planner.db.database import Database
from planner.interop.contact_files import read_contacts
from planner.interop.csv_formats import parse_csv_text, write_google_csv
from planner.interop.vcard import parse_vcard_text, write_vcards

VCARD_30 = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:Inès Duval\r\n"
    "N:Duval;Inès;;;\r\n"
    "EMAIL;TYPE=INTERNET;TYPE=HOME:ines@home.example\r\n"
    "EMAIL;TYPE=INTERNET;TYPE=WORK;TYPE=pref:ines@acme.example\r\n"
    "ADR;TYPE=HOME:;;12 Rue Oberkampf;Paris;;75011;France\r\n"
    "ADR;TYPE=WORK,PREF:;Bât. B;1 Quai de Seine\\nÉtage 3;Lyon;ARA;69001;France\r\n"
    "item1.ADR:PO 44;;;Lille;;59000;France\r\n"
    "item1.X-ABLabel:Cottage\r\n"
    "END:VCARD\r\n"
)


def _ines() -> ContactCard:
    (card,) = parse_vcard_text(VCARD_30).cards
    return card


def test_every_adr_is_kept_with_its_type_and_the_preferred_first() -> None:
    card = _ines()
    assert card.addresses == (
        PostalAddress(
            label="work",
            street="1 Quai de Seine\nÉtage 3",
            locality="Lyon",
            region="ARA",
            postal_code="69001",
            country="France",
            extended="Bât. B",
            pref=True,
        ),
        PostalAddress(
            label="home",
            street="12 Rue Oberkampf",
            locality="Paris",
            postal_code="75011",
            country="France",
        ),
        PostalAddress(
            label="Cottage", locality="Lille", postal_code="59000", country="France", po_box="PO 44"
        ),
    )
    # The short location is the preferred address on one line.
    assert card.location == "Bât. B, 1 Quai de Seine, Étage 3, Lyon, ARA, 69001, France"
    # The WORK e-mail carries pref: it is first and marked, HOME follows unmarked.
    assert card.emails == (
        LabeledValue("work", "ines@acme.example", True),
        LabeledValue("home", "ines@home.example", False),
    )


def test_vcard_3_and_4_write_type_and_pref_and_read_back_the_same() -> None:
    card = _ines()
    text3 = write_vcards([card], "3.0")
    assert "EMAIL;TYPE=WORK;TYPE=INTERNET;TYPE=PREF:ines@acme.example" in text3
    assert "EMAIL;TYPE=HOME;TYPE=INTERNET:ines@home.example" in text3
    assert "ADR;TYPE=WORK;TYPE=PREF:;Bât. B;1 Quai de Seine\\nÉtage 3;Lyon;ARA;69001;France" in (
        text3.replace("\r\n ", "")
    )
    assert "adr3.X-ABLabel:Cottage" in text3
    text4 = write_vcards([card], "4.0")
    assert "ADR;TYPE=work;PREF=1:" in text4
    assert "EMAIL;TYPE=work;PREF=1:ines@acme.example" in text4
    assert "ADR;TYPE=home:" in text4
    for text in (text3, text4):
        (back,) = parse_vcard_text(text).cards
        assert back.addresses == card.addresses
        assert back.emails == card.emails
        assert back.location == card.location
        # An independent parser sees three addresses, the pref one typed as such.
        parsed = vobject.readOne(text)
        adrs = parsed.contents["adr"]
        assert [a.value.city for a in adrs] == ["Lyon", "Paris", "Lille"]
        params = {k.upper(): [v.upper() for v in vs] for k, vs in adrs[0].params.items()}
        assert "PREF" in params.get("TYPE", []) or params.get("PREF") == ["1"]


def test_google_csv_writes_all_addresses_and_the_primary_mark() -> None:
    card = _ines()
    text = write_google_csv([card])
    header = text.splitlines()[0]
    assert "Address 3 - Country" in header and "Address 1 - PO Box" in header
    assert "* Work" in text
    (back,) = parse_csv_text(text).cards
    assert back.addresses == card.addresses
    assert back.emails == card.emails
    assert back.location == card.location


def test_google_and_outlook_address_columns_are_read() -> None:
    google = (
        "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,"
        "E-mail 2 - Value,Address 1 - Label,Address 1 - Street,Address 1 - City,"
        "Address 1 - Country,Address 2 - Label,Address 2 - Formatted\r\n"
        "Kwame,Mensah,Home,k@home.example,* Work,k@work.example,Home,3 High St,Accra,Ghana,"
        '* Work,"Ring Road 9\nAccra"\r\n'
    )
    (kwame,) = parse_csv_text(google).cards
    assert kwame.emails[0] == LabeledValue("work", "k@work.example", True)
    assert kwame.addresses == (
        PostalAddress(label="work", street="Ring Road 9\nAccra", pref=True),
        PostalAddress(label="home", street="3 High St", locality="Accra", country="Ghana"),
    )
    assert kwame.location == "Ring Road 9, Accra"
    outlook = (
        "First Name,Last Name,Company,E-mail Address,Business Street,Business Street 2,"
        "Business City,Business Postal Code,Business Country/Region,Home Street,Home City\r\n"
        "José Luis,Rodríguez,Acme,jl@acme.example,Calle Mayor 1,Planta 2,Madrid,28013,"
        "Spain,"
        "Calle Luna 5,Toledo\r\n"
    )
    (jose,) = parse_csv_text(outlook).cards
    assert [(a.label, a.street, a.locality) for a in jose.addresses] == [
        ("work", "Calle Mayor 1\nPlanta 2", "Madrid"),
        ("home", "Calle Luna 5", "Toledo"),
    ]


def test_imported_addresses_and_pref_are_stored_shown_and_exported(db: Database) -> None:
    service = ImportService(db)
    outcome = service.commit(service.preview(read_contacts(VCARD_30.encode())))
    (cid,) = outcome.created_ids
    record = ContactService(db).get(cid)
    assert record.addresses == _ines().addresses
    assert record.emails[0] == LabeledValue("work", "ines@acme.example", True)
    (card,) = service.load_cards([cid])
    assert card.addresses == record.addresses
    (again,) = parse_vcard_text(write_vcards([card], "4.0")).cards
    assert again.addresses == record.addresses
    # Importing the same card again adds nothing; a new address is merged in and undone.
    moved = VCARD_30.replace("Lille", "Roubaix")
    second = service.commit(service.preview(read_contacts(moved.encode())))
    assert second.created_ids == ()
    after = ContactService(db).get(cid).addresses
    assert [a.locality for a in after] == ["Lyon", "Paris", "Lille", "Roubaix"]
    assert not after[-1].pref
    service.undo(second)
    assert ContactService(db).get(cid).addresses == record.addresses


def test_the_form_saves_addresses_in_order_and_rejects_an_overlong_part(db: Database) -> None:
    contacts = ContactService(db)
    record, _ = contacts.create({"name": "Ana Ruiz"})
    home = PostalAddress(label="home", street="  Calle  Sol 3 ", locality="Sevilla")
    work = PostalAddress(label="work", locality="Madrid", pref=True)
    saved, _ = contacts.update(record.id, {"addresses": [work, home, PostalAddress()]})
    assert saved.addresses == (
        work,
        PostalAddress(label="home", street="Calle Sol 3", locality="Sevilla"),
    )
    import pytest

    from planner.core.errors import ValidationError

    with pytest.raises(ValidationError) as raised:
        contacts.update(record.id, {"addresses": [PostalAddress(postal_code="9" * 41)]})
    assert raised.value.field == "addresses"
    assert contacts.get(record.id).addresses == saved.addresses


def test_a_location_without_addresses_round_trips_as_a_location(tmp_path: Path) -> None:
    card = ContactCard(name="Ana", location="Berlin, Germany")
    for text in (write_vcards([card], "3.0"), write_vcards([card], "4.0")):
        (back,) = parse_vcard_text(text).cards
        assert (back.location, back.addresses) == ("Berlin, Germany", ())
    (back,) = parse_csv_text(write_google_csv([card])).cards
    assert (back.location, back.addresses) == ("Berlin, Germany", ())


def test_a_preferred_web_address_reads_back_preferred() -> None:
    """The writer marks the preferred URL; the reader dropped the mark (and its order)."""
    card = ContactCard(
        name="Inès Martin",
        urls=(
            LabeledValue("blog", "https://ines.example/blog", False),
            LabeledValue("work", "https://acme.example/ines", True),
        ),
    )
    for version in ("3.0", "4.0"):
        (back,) = parse_vcard_text(write_vcards([card], version)).cards
        assert [(u.value, u.pref) for u in back.urls] == [
            ("https://acme.example/ines", True),
            ("https://ines.example/blog", False),
        ]

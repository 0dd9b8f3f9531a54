"""Import preview, commit, undo, dedupe (in the file and against the database), round trips."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from planner.core.contact_rows import new_contact
from planner.core.demo import generate_demo
from planner.core.importer import (
    MERGE,
    NEW,
    SKIP,
    ContactCard,
    ImportService,
    ParseResult,
)
from planner.core.records import LabeledValue
from planner.core.text import search_blob
from planner.db import models as m
from planner.db.database import Database, open_database
from planner.interop.contact_files import read_contacts, read_contacts_file, write_contacts

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def _count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)))


def _import(db: Database, name: str) -> object:
    service = ImportService(db)
    return service.commit(service.preview(read_contacts_file(DATA / name)))


def test_linkedin_import_creates_contacts_with_first_touchpoint(db: Database) -> None:
    outcome = _import(db, "linkedin_connections.csv")
    assert outcome.created == 3 and outcome.errors == 1
    with db.session() as s:
        amara = s.scalars(select(m.Contact).where(m.Contact.name == "Amara Okafor")).one()
        (touch,) = s.scalars(select(m.Touchpoint).where(m.Touchpoint.contact_id == amara.id))
        assert (touch.kind, touch.channel, touch.occurred_on) == (
            "met",
            "social",
            date(2025, 11, 12),
        )
        assert "LinkedIn" in touch.note
        assert amara.last_touch_on == date(2025, 11, 12)
        assert amara.search_text == search_blob("Amara Okafor", "Redwood Partners", "Head of Data")
        assert [u.label for u in amara.urls] == ["linkedin"]


def test_importing_the_same_file_twice_creates_nothing_new(db: Database) -> None:
    for name in ("linkedin_connections.csv", "apple_3.0.vcf", "google_legacy.csv"):
        _import(db, name)
    before = (_count(db, m.Contact), _count(db, m.Touchpoint), _count(db, m.ContactEmail))
    for name in ("linkedin_connections.csv", "apple_3.0.vcf", "google_legacy.csv"):
        outcome = _import(db, name)
        assert outcome.created == 0
        assert outcome.unchanged == outcome.merged_count > 0
    assert (_count(db, m.Contact), _count(db, m.Touchpoint), _count(db, m.ContactEmail)) == before


def test_linkedin_then_google_merges_the_people_in_both(db: Database) -> None:
    _import(db, "linkedin_connections.csv")
    outcome = _import(db, "google_contacts.csv")
    assert (outcome.created, outcome.merged_count) == (1, 1)
    with db.session() as s:
        (aoife,) = s.scalars(select(m.Contact).where(m.Contact.name == "Aoife Murphy"))
        assert [e.value for e in aoife.emails] == [
            "aoife.murphy@globex.example",
            "aoife@home.example",
        ]
        assert [p.value for p in aoife.phones] == ["+353 85 123 4567"]
        assert [t.name for t in aoife.tags] == ["Climbing"]
        assert aoife.birthday_year == 1990
        assert aoife.role == "Engineer, Platform"  # the existing value is kept
        assert "climbing" in aoife.search_text


def test_preview_statuses_and_within_file_duplicates(db: Database) -> None:
    with db.session() as s:
        new_contact(s, "Ana Ruiz", organisation="Globex", emails=["ana@globex.example"])
    text = (
        b"Name,E-mail,Company\r\n"
        b"Ana R.,ANA@globex.example,Globex\r\n"
        b"Mei Tan,mei@example.net,Hooli\r\n"
        b"Mei Tan,mei.tan@hooli.example,Hooli\r\n"
        b",nobody@example.net,\r\n"
        b"M. Tan,MEI@example.net,\r\n"
    )
    preview = ImportService(db).preview(read_contacts(text))
    statuses = [(r.line, r.status) for r in preview.rows]
    # Same name and organisation but different e-mails: two people, kept apart (and said so);
    # a shared e-mail is one person.
    assert statuses == [(2, "duplicate"), (3, "new"), (4, "new"), (5, "error"), (6, "same")]
    assert "Ana Ruiz" in preview.rows[0].detail and "e-mail" in preview.rows[0].detail
    assert "line 3" in preview.rows[2].detail
    assert "line 3" in preview.rows[4].detail
    assert (preview.new_count, preview.duplicate_count) == (2, 1)
    # Nothing is written by a preview.
    assert _count(db, m.Contact) == 1
    outcome = ImportService(db).commit(preview)
    assert (outcome.created, outcome.merged_count) == (2, 1)
    with db.session() as s:
        meis = s.scalars(select(m.Contact).where(m.Contact.name == "Mei Tan")).all()
        assert sorted([e.value for e in c.emails] for c in meis) == [
            ["mei.tan@hooli.example"],
            ["mei@example.net"],
        ]
        ana = s.scalars(select(m.Contact).where(m.Contact.name == "Ana Ruiz")).one()
        assert len(ana.emails) == 1  # same address, other case: not added twice


@pytest.mark.parametrize(("choice", "contacts"), [(SKIP, 1), (MERGE, 1), (NEW, 2)])
def test_choice_per_duplicate_group(db: Database, choice: str, contacts: int) -> None:
    with db.session() as s:
        new_contact(s, "Ana Ruiz", organisation="Globex", emails=["ana@globex.example"])
    card = ContactCard(
        name="Ana Ruiz", organisation="Globex", emails=(LabeledValue("", "ana@globex.example"),),
        phones=(LabeledValue("mobile", "+34 600 000 000"),),
    )  # fmt: skip
    service = ImportService(db)
    preview = service.preview(ParseResult("csv", (card,)))
    (group,) = preview.groups
    outcome = service.commit(preview, {group.index: choice})
    assert _count(db, m.Contact) == contacts
    assert _count(db, m.ContactPhone) == (0 if choice == SKIP else 1)
    assert outcome.skipped == (1 if choice == SKIP else 0)


def test_undo_takes_back_created_and_merged_details(db: Database) -> None:
    _import(db, "linkedin_connections.csv")
    with db.session() as s:
        aoife = s.scalars(select(m.Contact).where(m.Contact.name == "Aoife Murphy")).one()
        snapshot = (aoife.notes, aoife.birthday_year, aoife.search_text, aoife.last_touch_on)
    counts = [
        _count(db, t) for t in (m.Contact, m.ContactEmail, m.ContactPhone, m.Tag, m.Touchpoint)
    ]
    service = ImportService(db)
    outcome = service.commit(service.preview(read_contacts_file(DATA / "google_contacts.csv")))
    assert _count(db, m.Contact) == counts[0] + 1
    service.undo(outcome)
    assert [
        _count(db, t) for t in (m.Contact, m.ContactEmail, m.ContactPhone, m.Tag, m.Touchpoint)
    ] == counts
    with db.session() as s:
        aoife = s.scalars(select(m.Contact).where(m.Contact.name == "Aoife Murphy")).one()
        assert (
            aoife.notes,
            aoife.birthday_year,
            aoife.search_text,
            aoife.last_touch_on,
        ) == snapshot
        assert [t.name for t in aoife.tags] == []


def test_photo_is_stored(db: Database) -> None:
    _import(db, "apple_3.0.vcf")
    with db.session() as s:
        amara = s.scalars(select(m.Contact).where(m.Contact.name == "Amara Okafor")).one()
        assert amara.photo is not None and amara.photo.startswith(b"\x89PNG")
        assert amara.photo_type == "image/png"
        assert (amara.birthday_month, amara.birthday_day, amara.birthday_year) == (12, 25, None)


def _comparable(cards: list[ContactCard], keep_uid: bool, keep_photo: bool) -> list[ContactCard]:
    out = []
    for card in cards:
        changes = {"line": 0, "connected_on": None}
        if not keep_uid:
            changes["uid"] = ""
        if not keep_photo:
            changes.update(photo=None, photo_type="")
        out.append(replace(card, **changes))
    return sorted(out, key=lambda c: (c.name, repr(c.emails)))


@pytest.mark.parametrize("kind", ["vcard3", "vcard4", "csv"])
def test_export_then_import_into_empty_database_gives_the_same_contacts(
    db: Database, tmp_path: Path, kind: str
) -> None:
    generate_demo(db, contacts=80, seed=7)
    with db.session() as s:
        first = s.scalars(select(m.Contact).order_by(m.Contact.id)).first()
        first.photo, first.photo_type = b"\xff\xd8\xff" + bytes(range(100)), "image/jpeg"
    cards = ImportService(db).load_cards()
    text = write_contacts(cards, kind)
    other = open_database(tmp_path / "empty.sqlite3")
    try:
        service = ImportService(other)
        outcome = service.commit(service.preview(read_contacts(text.encode())))
        assert outcome.created == 80 and outcome.errors == 0
        back = service.load_cards()
        vcard = kind != "csv"
        # Same contacts, same UUIDs; CSV has no photo column.
        assert _comparable(back, True, vcard) == _comparable(cards, True, vcard)
        # And once more: nothing new.
        again = service.commit(service.preview(read_contacts(text.encode())))
        assert again.created == 0 and again.unchanged == 80
    finally:
        other.close()


def test_derived_columns_match_the_shared_helpers(db: Database) -> None:
    """Bulk writes set search_text / last_touch_on / next_touch_due as contact_rows would."""
    from sqlalchemy.orm import selectinload

    from planner.core.contact_rows import refresh_search_text, refresh_touch_dates

    with db.session() as s:
        new_contact(s, "Aoife Murphy", organisation="Globex", cadence_days=30,
                    emails=["aoife.murphy@globex.example"], tags=["zeta"])  # fmt: skip
    for name in ("linkedin_connections.csv", "google_contacts.csv", "apple_3.0.vcf"):
        _import(db, name)
    with db.session() as s:
        contacts = s.scalars(
            select(m.Contact).options(selectinload(m.Contact.emails), selectinload(m.Contact.tags))
        ).all()
        stored = {c.id: (c.search_text, c.last_touch_on, c.next_touch_due) for c in contacts}
        for contact in contacts:
            refresh_search_text(contact)
        refresh_touch_dates(s, [c.id for c in contacts])
        fresh = {c.id: (c.search_text, c.last_touch_on, c.next_touch_due) for c in contacts}
        aoife = next(c for c in contacts if c.name == "Aoife Murphy")
        assert aoife.next_touch_due == date(2023, 3, 30)  # 30 days after Connected On
        s.rollback()
    assert stored == fresh


def test_undo_of_a_big_import_keeps_foreign_keys_on(db: Database) -> None:
    with db.session() as s:
        referrer = new_contact(s, "Ana Ruiz")
        referrer_id = referrer.id
    service = ImportService(db)
    outcome = service.commit(service.preview(read_contacts_file(DATA / "apple_3.0.vcf")))
    with db.session() as s:
        s.get(m.Contact, referrer_id).referred_by_id = outcome.created_ids[0]
        s.add(m.FollowUp(contact_id=outcome.created_ids[0], due_date=date(2026, 1, 1)))
    service.undo(outcome)
    with db.session() as s:
        assert s.get(m.Contact, referrer_id).referred_by_id is None  # ON DELETE SET NULL
        assert s.scalar(select(func.count(m.FollowUp.id))) == 0  # ON DELETE CASCADE
        assert s.scalar(select(func.count(m.Touchpoint.id))) == 0
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize("kind", ["vcard3", "csv"])
def test_round_trip_keeps_namesakes_apart(db: Database, tmp_path: Path, kind: str) -> None:
    """Two different people with the same name and organisation survive export + import."""
    with db.session() as s:
        new_contact(s, "Ana Ruiz", organisation="Globex", emails=["ana.r@globex.example"])
        new_contact(s, "Ana Ruiz", organisation="Globex", emails=["ana.ruiz@globex.example"])
    text = write_contacts(ImportService(db).load_cards(), kind)
    other = open_database(tmp_path / "empty.sqlite3")
    try:
        service = ImportService(other)
        assert service.commit(service.preview(read_contacts(text.encode()))).created == 2
        # Re-importing into the original database finds each one by its UID.
        again = ImportService(db)
        outcome = again.commit(again.preview(read_contacts(text.encode())))
        assert (outcome.created, outcome.unchanged) == (0, 2)
    finally:
        other.close()


def test_imported_contacts_are_linked_to_their_organisations(db: Database) -> None:
    with db.session() as s:
        s.add(m.Organisation(name="Globex", name_key="globex", kind="company"))
        new_contact(s, "Aoife Murphy", emails=["aoife.murphy@globex.example"])  # no org yet
    service = ImportService(db)
    outcome = service.commit(service.preview(read_contacts_file(DATA / "linkedin_old.csv")))
    outcome2 = service.commit(service.preview(read_contacts_file(DATA / "google_contacts.csv")))
    with db.session() as s:
        orgs = dict(s.execute(select(m.Organisation.name_key, m.Organisation.id)).all())
        assert set(orgs) == {"globex", "tyrell", "wonka studio", "bright path"}
        for contact in s.scalars(select(m.Contact)):
            assert contact.organisation_id == orgs[contact.organisation.casefold()]
            links = s.scalars(
                select(m.ContactOrganisation.organisation_id).where(
                    m.ContactOrganisation.contact_id == contact.id
                )
            ).all()
            assert links == [contact.organisation_id]
    service.undo(outcome2)
    service.undo(outcome)
    with db.session() as s:
        # Globex was there before; the others came with the imports and went with them.
        assert s.scalars(select(m.Organisation.name_key)).all() == ["globex"]
        aoife = s.scalars(select(m.Contact)).one()
        assert aoife.organisation_id is None and aoife.organisation == ""
        assert s.scalar(select(func.count()).select_from(m.ContactOrganisation)) == 0

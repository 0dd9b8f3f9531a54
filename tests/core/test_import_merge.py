"""Cards merged into existing contacts (core.import_merge): only what is missing is added, and
the MergedChange names exactly that; on a real database file."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from planner.core.contact_rows import get_or_create_tags, new_contact
from planner.core.import_cards import ContactCard
from planner.core.import_merge import apply_scalars, merge_into
from planner.core.import_rows import organisation_ids
from planner.core.records import LabeledValue
from planner.db import models as m
from planner.db.database import Database
from planner.db.types import utcnow


def test_merge_into_adds_only_what_the_contact_lacks(db: Database) -> None:
    with db.session() as s:
        ana = new_contact(s, "Ana Ruiz", emails=["ana@globex.example"], tags=["python"])
        s.flush()
        ana_id = ana.id
    first = ContactCard(
        name="Ana R.",
        organisation="Globex",
        emails=(LabeledValue("", "ANA@globex.example"), LabeledValue("", "ana@home.example")),
        tags=("python", "climbing"),
        connected_on=date(2024, 5, 1),
    )
    second = ContactCard(name="Ana", cadence_days=30, notes="Likes climbing")
    with db.session() as s:
        made = get_or_create_tags(s, ["python", "climbing"])
        s.flush()
        tags = {t.name: t.id for t in made}
        org_ids, _created = organisation_ids(s, ["Globex"], utcnow())
        (change,) = merge_into(s, [(ana_id, first), (ana_id, second)], tags, org_ids)
    assert change.contact_id == ana_id and change.changed
    assert dict(change.before) == {
        "organisation": "",
        "organisation_id": None,
        "cadence_days": None,
        "notes": "",
    }
    assert len(change.email_ids) == 1 and len(change.touchpoint_ids) == 1
    assert change.tag_ids == (tags["climbing"],)
    assert len(change.organisation_ids) == 1
    with db.session() as s:
        ana = s.get(m.Contact, ana_id)
        assert ana is not None
        assert [e.value for e in ana.emails] == ["ana@globex.example", "ana@home.example"]
        assert sorted(t.name for t in ana.tags) == ["climbing", "python"]
        assert (ana.organisation, ana.organisation_id) == ("Globex", change.organisation_ids[0])
        assert ana.last_touch_on == date(2024, 5, 1)
        assert ana.next_touch_due == date(2024, 5, 31)
        assert ana.notes == "Likes climbing"
        assert "climbing" in ana.search_text
        assert ana.version == 2
        (email,) = s.scalars(select(m.ContactEmail).where(m.ContactEmail.id == change.email_ids[0]))
        assert (email.position, email.pref) == (1, False)


def test_merging_what_the_contact_has_changes_nothing(db: Database) -> None:
    with db.session() as s:
        ana = new_contact(s, "Ana Ruiz", emails=["ana@globex.example"])
        s.flush()
        ana_id, version = ana.id, ana.version
    card = ContactCard(name="Ana Ruiz", emails=(LabeledValue("", "ana@globex.example"),))
    with db.session() as s:
        (change,) = merge_into(s, [(ana_id, card)], {}, {})
    assert not change.changed
    with db.session() as s:
        ana = s.get(m.Contact, ana_id)
        assert ana is not None and ana.version == version


def test_apply_scalars_fills_a_live_contact(db: Database) -> None:
    with db.session() as s:
        ana = new_contact(s, "Ana Ruiz", role="CTO")
        before = apply_scalars(ana, ContactCard(name="Ana", role="CEO", industry="Fintech"))
        assert before == {"industry": ""}
        assert (ana.role, ana.industry) == ("CTO", "Fintech")

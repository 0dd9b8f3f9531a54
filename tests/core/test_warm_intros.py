"""Who on the team knows someone at an organisation: the contacts there with the teammates
who added them or logged touchpoints with them (both engines)."""

from __future__ import annotations

from datetime import date

from planner.core.contacts import ContactService
from planner.core.organisations import OrganisationService
from planner.core.touchpoints import TouchpointService
from planner.core.warm_intros import Knower, WarmIntroService
from planner.db.database import Database


def test_teammates_who_know_someone_at_an_organisation(db: Database) -> None:
    contacts, touches = ContactService(db), TouchpointService(db)
    db.user = "Priya"
    ana = contacts.create({"name": "Ana Ruiz", "organisation": "Globex"})[0].id
    db.user = ""
    old = contacts.create({"name": "Bo Li", "organisation": "GLOBEX "})[0].id  # before team mode
    quiet = contacts.create({"name": "Cy Moe", "organisation": "Globex"})[0].id
    elsewhere = contacts.create({"name": "Di Wu", "organisation": "Initech"})[0].id
    db.user = "Sam"
    for day in (date(2026, 3, 1), date(2026, 5, 2)):
        touches.log(ana, day, "email", "gave_value")
    touches.log(old, date(2026, 4, 1), "call", "asked")
    touches.log(elsewhere, date(2026, 4, 1), "call", "asked")
    db.user = "Priya"
    touches.log(old, date(2026, 1, 9), "call", "gave_value")

    service = WarmIntroService(db)
    choices = {c.name: c for c in service.organisations()}
    assert (choices["Globex"].contacts, choices["Initech"].contacts) == (3, 1)
    intros = {w.contact_id: w for w in service.who_knows_someone_at(choices["Globex"].id)}
    assert set(intros) == {ana, old, quiet}
    assert intros[ana].knowers == (
        Knower("Sam", False, 2, date(2026, 5, 2)),
        Knower("Priya", True, 0, None),
    )
    assert intros[ana].summary() == "Sam (2), Priya (added)"
    assert [k.name for k in intros[old].knowers] == ["Priya", "Sam"]  # same count: by name
    assert intros[quiet].knowers == ()
    # Contacts somebody knows come first.
    assert [w.contact_id for w in service.who_knows_someone_at(choices["Globex"].id)][-1] == quiet


def test_an_organisation_with_no_contacts_is_not_offered(db: Database) -> None:
    OrganisationService(db).create("Empty Club")
    service = WarmIntroService(db)
    assert service.organisations() == []
    assert service.who_knows_someone_at(12345) == []


def test_a_teammate_s_private_contact_is_never_offered(db: Database) -> None:
    contacts = ContactService(db)
    db.user = "Priya"
    secret = contacts.create(
        {"name": "Eve Secret", "organisation": "Globex", "visibility": "private"}
    )[0].id
    shared = contacts.create({"name": "Al Open", "organisation": "Globex"})[0].id
    service = WarmIntroService(db)
    globex = {c.name: c for c in service.organisations()}["Globex"]
    assert globex.contacts == 2
    assert {w.contact_id for w in service.who_knows_someone_at(globex.id)} == {secret, shared}
    db.user = "Sam"
    assert {c.name: c.contacts for c in service.organisations()} == {"Globex": 1}
    assert {w.contact_id for w in service.who_knows_someone_at(globex.id)} == {shared}

"""OrganisationService: CRUD, undo, links, renewal reminders and activity nudges."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from planner.core.contact_rows import link_contact_to_typed_organisation, name_key, new_contact
from planner.core.errors import NotFoundError, ValidationError
from planner.core.organisation_links import OrganisationLinkService
from planner.core.organisation_queries import OrganisationQueries
from planner.core.organisation_records import MINE
from planner.core.organisations import OrganisationService
from planner.db import models as m
from planner.db.database import Database

TODAY = date(2026, 11, 22)


@pytest.fixture
def service(db: Database) -> OrganisationService:
    return OrganisationService(db)


@pytest.fixture
def queries(db: Database) -> OrganisationQueries:
    return OrganisationQueries(db)


@pytest.fixture
def linker(db: Database) -> OrganisationLinkService:
    return OrganisationLinkService(db)


def _contact(db: Database, name: str, organisation: str = "") -> int:
    with db.session() as s:
        return new_contact(
            s,
            name,
            organisation=organisation,
            emails=[f"{name[0]}@x.example"],
            link_organisation=False,
        ).id


def _event(db: Database, name: str, start: datetime, status: str = "registered") -> int:
    with db.session() as s:
        event = m.EventPlan(name=name, starts_local=start, status=status)
        s.add(event)
        s.flush()
        return event.id


def _touch(db: Database, contact_id: int, day: date, event_id: int | None = None) -> int:
    with db.session() as s:
        touch = m.Touchpoint(
            contact_id=contact_id, occurred_on=day, channel="in_person", kind="met",
            event_id=event_id,
        )  # fmt: skip
        s.add(touch)
        s.flush()
        return touch.id


def _open_followups(db: Database, organisation_id: int) -> list[m.FollowUp]:
    with db.session() as s:
        return list(
            s.scalars(
                select(m.FollowUp).where(
                    m.FollowUp.organisation_id == organisation_id, m.FollowUp.status == "open"
                )
            )
        )


def test_name_key_groups_case_and_spacing() -> None:
    assert name_key(" Globex ") == name_key("GLOBEX") == name_key("globex") == "globex"
    assert name_key("Initech   Labs") == "initech labs"


def test_create_get_update_and_validation(service: OrganisationService) -> None:
    org = service.create(
        "  Women in Data  ",
        kind="professional_association",
        website="womenindata.example",
        my_role="member",
        membership_status="active",
        renewal_fee_cents=12000,
        currency="eur",
    )[0]
    assert org.name == "Women in Data"
    assert org.website == "https://womenindata.example"
    assert org.currency == "EUR"
    assert service.get(org.id) == org

    updated = service.update(org.id, my_role="organiser", notes="Runs the Lisbon chapter")[0]
    assert (updated.my_role, updated.notes) == ("organiser", "Runs the Lisbon chapter")
    assert updated.kind == "professional_association"

    with pytest.raises(ValidationError) as err:
        service.create("WOMEN in  data")
    assert err.value.field == "name"
    for field, value in [
        ("kind", "club"),
        ("my_role", "boss"),
        ("membership_status", "gold"),
        ("website", "not a url"),
        ("currency", "euro"),
        ("renewal_fee_cents", -1),
        ("activity_every_days", 0),
        ("joined_on", "2026-01-01"),
    ]:
        with pytest.raises(ValidationError) as err:
            service.update(org.id, **{field: value})
        assert err.value.field == field
    with pytest.raises(ValidationError) as err:
        service.update(org.id, name=" ")
    assert err.value.field == "name"
    with pytest.raises(ValidationError) as err:
        service.update(org.id, joined_on=date(2026, 5, 1), renewal_on=date(2026, 1, 1))
    assert err.value.field == "renewal_on"
    # Nothing changed by the failed updates.
    assert service.get(org.id) == updated
    with pytest.raises(NotFoundError):
        service.get(9999)


def test_list_search_filters_and_counts(
    db: Database,
    service: OrganisationService,
    queries: OrganisationQueries,
    linker: OrganisationLinkService,
) -> None:
    acm = service.create("ACM", kind="professional_association", membership_status="active",
                         my_role="member", notes="Zoë runs the café talks")[0]  # fmt: skip
    service.create("Rust Discord", kind="online_community", my_role="considering")
    service.create("Food Bank", kind="volunteer_group", membership_status="active")
    a = _contact(db, "Ana", "ACM")
    b = _contact(db, "Bo")
    linker.link_contacts(acm.id, [a, b])
    event = _event(db, "ACM meetup", datetime(2026, 10, 1, 18))
    linker.set_event_host(event, acm.id)
    _touch(db, a, date(2026, 10, 1), event_id=event)
    direct = _touch(db, b, date(2026, 10, 5))
    linker.set_touchpoint_organisation(direct, acm.id)

    service.create("Globex", kind="company")
    names = [o.name for o in queries.list_organisations()]
    # The user's own organisations first, then contacts' employers.
    assert names == ["ACM", "Food Bank", "Rust Discord", "Globex"]
    assert [o.name for o in queries.list_organisations(role=MINE)] == ["ACM", "Rust Discord"]
    assert [o.name for o in queries.list_organisations("cafe zoe")] == ["ACM"]
    assert [o.name for o in queries.list_organisations("rust")] == ["Rust Discord"]
    assert [o.name for o in queries.list_organisations(kind="volunteer_group")] == ["Food Bank"]
    assert [o.name for o in queries.list_organisations(status="active")] == ["ACM", "Food Bank"]
    assert [o.name for o in queries.list_organisations(role="considering")] == ["Rust Discord"]
    row = queries.list_organisations("acm")[0]
    assert (row.contacts, row.events, row.touchpoints) == (2, 1, 2)
    assert row.last_activity == date(2026, 10, 5)
    assert queries.touchpoints(acm.id)[0].id == direct
    assert [e.id for e in queries.events(acm.id)] == [event]


def test_renewal_reminder_follows_the_renewal_date(
    db: Database, service: OrganisationService, queries: OrganisationQueries
) -> None:
    org = service.create("IEEE", renewal_on=date(2027, 1, 31), membership_status="active")[0]
    [reminder] = _open_followups(db, org.id)
    assert reminder.due_date == date(2027, 1, 17)
    assert reminder.contact_id is None
    assert reminder.origin == "organisation"
    assert reminder.purpose == "Renew membership: IEEE"
    assert reminder.sequence == 0

    service.update(org.id, renewal_on=date(2027, 3, 1))
    [moved] = _open_followups(db, org.id)
    assert moved.id == reminder.id and moved.uuid == reminder.uuid
    assert moved.due_date == date(2027, 2, 15)
    assert moved.sequence == 1

    # Unrelated edits leave it alone; a rename changes its text (and sequence).
    service.update(org.id, notes="x")
    assert _open_followups(db, org.id)[0].sequence == 1
    service.update(org.id, name="IEEE Computer Society")
    [renamed] = _open_followups(db, org.id)
    assert renamed.purpose == "Renew membership: IEEE Computer Society"
    assert renamed.sequence == 2
    assert queries.reminders(org.id)[0].id == reminder.id

    # No renewal date: the reminder is cancelled, not left behind.
    service.update(org.id, renewal_on=None)
    assert _open_followups(db, org.id) == []
    with db.session() as s:
        assert s.get(m.FollowUp, reminder.id).status == "cancelled"

    # Done for this year: renewing for next year brings a new open reminder.
    service.update(org.id, renewal_on=date(2027, 3, 1))
    [again] = _open_followups(db, org.id)
    with db.session() as s:
        row = s.get(m.FollowUp, again.id)
        row.status = "done"
        row.completed_at = datetime(2027, 2, 20, tzinfo=timezone.utc)
    assert service.sync_reminders()[0] == 0
    assert _open_followups(db, org.id) == []
    service.update(org.id, renewal_on=date(2028, 3, 1))
    [next_year] = _open_followups(db, org.id)
    assert next_year.id != again.id
    assert next_year.due_date == date(2028, 2, 16)


def test_former_members_get_no_reminders(db: Database, service: OrganisationService) -> None:
    org = service.create("Old Club", renewal_on=date(2027, 1, 1), activity_every_days=30,
                         membership_status="former")[0]  # fmt: skip
    assert _open_followups(db, org.id) == []


def test_activity_nudge_moves_with_taking_part(
    db: Database, service: OrganisationService, linker: OrganisationLinkService
) -> None:
    org = service.create(
        "Python Meetup",
        joined_on=date(2026, 9, 1),
        activity_goal="attend one meetup a month",
        activity_every_days=30,
    )[0]
    [nudge] = _open_followups(db, org.id)
    assert nudge.due_date == date(2026, 10, 1)
    assert nudge.purpose == "Take part: Python Meetup (attend one meetup a month)"

    contact = _contact(db, "Ana")
    touch = _touch(db, contact, date(2026, 10, 20))
    linker.set_touchpoint_organisation(touch, org.id)
    [moved] = _open_followups(db, org.id)
    assert (moved.id, moved.due_date, moved.sequence) == (nudge.id, date(2026, 11, 19), 1)

    # A registered event counts as taking part; a skipped one does not.
    skipped = _event(db, "Skipped", datetime(2026, 12, 1, 18), status="skipped")
    linker.set_event_host(skipped, org.id)
    assert _open_followups(db, org.id)[0].due_date == date(2026, 11, 19)
    booked = _event(db, "December meetup", datetime(2026, 12, 10, 18))
    linker.set_event_host(booked, org.id)
    assert _open_followups(db, org.id)[0].due_date == date(2027, 1, 9)

    # Completing the nudge counts as taking part: the next one is due a period later.
    with db.session() as s:
        row = s.get(m.FollowUp, nudge.id)
        row.status = "done"
        row.completed_at = datetime(2027, 1, 20, 9, tzinfo=timezone.utc)
    assert service.sync_reminders()[0] == 1
    [after] = _open_followups(db, org.id)
    assert after.id != nudge.id and after.due_date == date(2027, 2, 19)

    service.update(org.id, activity_every_days=None)
    assert _open_followups(db, org.id) == []


def test_delete_and_restore_put_everything_back(
    db: Database,
    service: OrganisationService,
    queries: OrganisationQueries,
    linker: OrganisationLinkService,
) -> None:
    org = service.create("Toastmasters", renewal_on=date(2027, 6, 1), activity_every_days=14)[0]
    a = _contact(db, "Ana")
    b = _contact(db, "Bo", "Initech")
    linker.link_contact(org.id, a, role="VP Education")
    linker.link_contact(org.id, b)
    linker.set_how_met(b, org.id)
    event = _event(db, "Club night", datetime(2026, 11, 1, 19))
    linker.set_event_host(event, org.id)
    touch = _touch(db, a, date(2026, 11, 2))
    linker.set_touchpoint_organisation(touch, org.id)
    before_reminders = {(f.uuid, f.due_date) for f in _open_followups(db, org.id)}
    members_before = queries.members(org.id)

    snapshot = service.delete(org.id)[0]
    assert queries.list_organisations() == []
    assert _open_followups(db, org.id) == []
    with db.session() as s:
        assert s.get(m.Contact, a).organisation_id is None
        assert s.get(m.Contact, b).how_met_organisation_id is None
        assert s.get(m.Contact, b).organisation == "Initech"
        assert s.get(m.EventPlan, event) is not None

    restored = service.restore(snapshot)[0]
    assert replace(restored, updated_at=None, version=0) == replace(
        snapshot.record, updated_at=None, version=0
    )
    assert queries.members(org.id) == members_before
    assert [e.id for e in queries.events(org.id)] == [event]
    assert [t.id for t in queries.touchpoints(org.id)] == [touch]
    after = _open_followups(db, org.id)
    assert {(f.uuid, f.due_date) for f in after} == before_reminders
    assert all(f.sequence >= 1 for f in after)


def test_memberships_primary_and_how_met_with_undo_state(
    db: Database,
    service: OrganisationService,
    queries: OrganisationQueries,
    linker: OrganisationLinkService,
) -> None:
    acm = service.create("ACM")[0]
    ieee = service.create("IEEE")[0]
    cid = _contact(db, "Ana")

    before = linker.link_contact(acm.id, cid, role="Chair")[0]
    # An empty organisation text is filled from the first organisation; never overwritten.
    with db.session() as s:
        contact = s.get(m.Contact, cid)
        assert (contact.organisation, contact.organisation_id) == ("ACM", acm.id)
        assert "acm" in contact.search_text
    linker.set_primary(cid, ieee.id)
    with db.session() as s:
        assert (s.get(m.Contact, cid).organisation, s.get(m.Contact, cid).organisation_id) == (
            "ACM",
            ieee.id,
        )
    assert [(r.name, r.primary, r.role) for r in queries.memberships(cid)] == [
        ("IEEE", True, ""),
        ("ACM", False, "Chair"),
    ]
    state = linker.set_how_met(cid, acm.id)[0]
    with db.session() as s:
        assert s.get(m.Contact, cid).how_met_kind == "organisation"
    members = queries.members(acm.id)
    assert [(x.name, x.member, x.met_here, x.role) for x in members] == [
        ("Ana", True, True, "Chair")
    ]
    linker.restore_contact_state(state)
    with db.session() as s:
        assert s.get(m.Contact, cid).how_met_kind == ""
        assert s.get(m.Contact, cid).how_met_organisation_id is None

    linker.unlink_contact(ieee.id, cid)
    with db.session() as s:
        assert s.get(m.Contact, cid).organisation_id is None
    assert [r.name for r in queries.memberships(cid)] == ["ACM"]

    linker.restore_contact_state(before)
    assert queries.memberships(cid) == []
    with db.session() as s:
        contact = s.get(m.Contact, cid)
        assert (contact.organisation, contact.organisation_id) == ("", None)
        assert "acm" not in contact.search_text


def test_link_free_text_groups_like_the_upgrade(
    db: Database,
    service: OrganisationService,
    queries: OrganisationQueries,
    linker: OrganisationLinkService,
) -> None:
    existing = service.create("Globex", kind="company")[0]
    rows = [("A", " globex"), ("B", "Hooli"), ("C", "HOOLI "), ("D", "hooli"), ("E", "")]
    ids = [_contact(db, name, org) for name, org in rows]
    made = linker.link_free_text()[0]
    assert made.count == 4
    assert len(made.created) == 1
    hooli = queries.find_by_name("hooli")
    # A tie between spellings goes to the one seen first.
    assert hooli is not None and hooli.name == "Hooli"
    with db.session() as s:
        primary = {c: s.get(m.Contact, c).organisation_id for c in ids}
        texts = [s.get(m.Contact, c).organisation for c in ids]
    assert primary[ids[0]] == existing.id
    assert primary[ids[1]] == primary[ids[2]] == primary[ids[3]] == hooli.id
    assert primary[ids[4]] is None
    assert texts == [" globex", "Hooli", "HOOLI ", "hooli", ""]
    assert linker.link_free_text()[0].count == 0

    linker.unlink_free_text(made)
    assert [o.name for o in queries.list_organisations()] == ["Globex"]
    with db.session() as s:
        assert {s.get(m.Contact, c).organisation_id for c in ids} == {None}
    assert queries.members(existing.id) == []


def test_pickers_search(
    db: Database,
    service: OrganisationService,
    queries: OrganisationQueries,
    linker: OrganisationLinkService,
) -> None:
    org = service.create("ACM")[0]
    a = _contact(db, "Zoë Achterberg", "Globex")
    _contact(db, "Bo Brown")
    assert [label for _, label in queries.search_contacts("zoe")] == ["Zoë Achterberg — Globex"]
    _event(db, "FinTech Forum", datetime(2026, 5, 1, 9))
    assert "FinTech Forum" in queries.search_events("fintech")[0][1]
    linker.link_contact(org.id, a)
    touch = _touch(db, a, date(2026, 5, 2))
    assert [i for i, _ in queries.search_member_touchpoints(org.id)] == [touch]
    linker.set_touchpoint_organisation(touch, org.id)
    assert queries.search_member_touchpoints(org.id) == []
    assert queries.choices() == [(org.id, "ACM")]
    assert queries.last_activity(org.id) == date(2026, 5, 2)


def test_sync_is_idempotent(service: OrganisationService) -> None:
    """Reminder dates depend on the data only, so syncing again changes nothing."""
    service.create("Meetup", activity_every_days=7, joined_on=TODAY - timedelta(days=30))
    assert service.sync_reminders()[0] == 0


def test_link_contact_to_typed_organisation(
    db: Database, service: OrganisationService, queries: OrganisationQueries
) -> None:
    acm = service.create("ACM")[0]
    with db.session() as s:
        contact = new_contact(s, "Ana", organisation="  acm ")
        assert link_contact_to_typed_organisation(s, contact) == acm.id
        other = new_contact(s, "Bo", organisation="Initech  Labs")
        new_id = link_contact_to_typed_organisation(s, other)
        empty = new_contact(s, "Cy")
        assert link_contact_to_typed_organisation(s, empty) is None
        ids = (contact.id, other.id)
    assert queries.find_by_name("initech labs").name == "Initech Labs"  # type: ignore[union-attr]
    assert [x.contact_id for x in queries.members(acm.id)] == [ids[0]]
    assert [x.contact_id for x in queries.members(new_id)] == [ids[1]]
    with db.session() as s:
        assert s.get(m.Contact, ids[0]).organisation == "  acm "


def test_renewal_reminder_reaches_the_icalendar_export(
    db: Database, service: OrganisationService
) -> None:
    """The export reads open follow-ups; a renewal is one, so it goes out and updates."""
    import icalendar

    from planner.core.reminders import ReminderQuery, ReminderService
    from planner.interop.ics import render

    org = service.create("IEEE", renewal_on=date(2027, 1, 31), renewal_fee_cents=9900,
                         currency="USD")[0]  # fmt: skip

    def exported() -> icalendar.Component:
        data = render(ReminderService(db).collect(ReminderQuery()))
        [item] = [c for c in icalendar.Calendar.from_ical(data).walk("VEVENT")]
        return item

    first = exported()
    assert str(first["SUMMARY"]) == "Renew membership: IEEE"
    assert first.decoded("DTSTART") == date(2027, 1, 17)
    assert "99.00 USD" in str(first["DESCRIPTION"])
    service.update(org.id, renewal_on=date(2027, 2, 28))
    second = exported()
    assert second["UID"] == first["UID"]
    assert second.decoded("DTSTART") == date(2027, 2, 14)
    assert int(second["SEQUENCE"]) > int(first.get("SEQUENCE", 0))


def test_reschedules_in_the_calendar_are_respected(
    db: Database, service: OrganisationService
) -> None:
    org = service.create("ACM", renewal_on=date(2027, 3, 1), joined_on=date(2026, 1, 1),
                         activity_every_days=30)[0]  # fmt: skip
    reminders = {f.purpose.split(":")[0]: f.id for f in _open_followups(db, org.id)}
    with db.session() as s:
        s.get(m.FollowUp, reminders["Renew membership"]).due_date = date(2027, 2, 25)
        s.get(m.FollowUp, reminders["Take part"]).due_date = date(2026, 3, 15)
    # The calendar said follow-ups changed; nothing the user set is moved back.
    assert service.sync_reminders()[0] == 0
    service.update(org.id, notes="unrelated")
    with db.session() as s:
        assert s.get(m.FollowUp, reminders["Renew membership"]).due_date == date(2027, 2, 25)
        assert s.get(m.FollowUp, reminders["Take part"]).due_date == date(2026, 3, 15)
    # New activity after the snoozed date pushes the nudge out.
    cid = _contact(db, "Ana")
    touch = _touch(db, cid, date(2026, 4, 1))
    with db.session() as s:
        s.get(m.Touchpoint, touch).organisation_id = org.id
    assert service.sync_reminders()[0] == 1
    with db.session() as s:
        assert s.get(m.FollowUp, reminders["Take part"]).due_date == date(2026, 5, 1)
    # Changing the renewal date itself does move the reminder.
    service.update(org.id, renewal_on=date(2027, 4, 1))
    with db.session() as s:
        assert s.get(m.FollowUp, reminders["Renew membership"]).due_date == date(2027, 3, 18)


def test_new_contacts_are_linked_to_their_typed_organisation(db: Database) -> None:
    with db.session() as s:
        first = new_contact(s, "Ana Ruiz", organisation="Globex ")
        second = new_contact(s, "Bo Brown", organisation="GLOBEX")
        assert first.organisation_id is not None
        assert first.organisation_id == second.organisation_id
        assert s.get(m.ContactOrganisation, (second.id, second.organisation_id)) is not None
        assert [o.name for o in s.scalars(select(m.Organisation))] == ["Globex"]

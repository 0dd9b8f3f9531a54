"""Merging contacts keeps everything of both, and undo restores both exactly."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest
from sqlalchemy import select

from planner.core.contact_rows import new_contact, refresh_touch_dates
from planner.core.dedupe import find_duplicate_groups
from planner.core.errors import NotFoundError, ValidationError
from planner.core.merge import MergeService
from planner.db import models as m
from planner.db.database import Database

TABLES = (
    m.Contact, m.ContactEmail, m.ContactPhone, m.ContactUrl, m.ContactTag, m.Tag, m.Touchpoint,
    m.FollowUp, m.Referral, m.EventAttendee, m.EventPersonToMeet, m.EventGoal,
    m.ContactOrganisation,
)  # fmt: skip


def _dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.session() as s:
        out = {}
        for model in TABLES:
            table = model.__table__
            # updated_at and the row version move on with undo (teammates' open copies of
            # the contact are out of date again); everything else must be as it was.
            cols = [c for c in table.c if c.name not in ("updated_at", "version")]
            rows = s.execute(select(*cols)).all()
            out[table.name] = sorted(
                (tuple(r) for r in rows), key=lambda r: tuple(str(v) for v in r)
            )
        return out


def _setup(db: Database) -> tuple[int, int, int]:
    now = datetime.now(timezone.utc)
    with db.session() as s:
        event = m.EventPlan(name="FinTech Forum")
        event2 = m.EventPlan(name="Design Day")
        s.add_all([event, event2])
        s.flush()
        a = new_contact(
            s, "Ana Ruiz", organisation="Globex", emails=["ana@globex.example"], tags=["ai"]
        )
        b = new_contact(
            s,
            "Ana Ruiz",
            organisation="",
            role="CTO",
            emails=["ANA@globex.example", "ana@home.example"],
            tags=["ai", "speaker"],
            notes="Loves climbing.",
            cadence_days=30,
        )
        third = new_contact(s, "Mei Tan", referred_by_id=b.id)
        b.phones = [m.ContactPhone(label="mobile", value="+34 600 000 000", position=0)]
        b.urls = [m.ContactUrl(label="linkedin", value="https://linkedin.com/in/ana", position=0)]
        s.add_all(
            [
                m.Touchpoint(contact_id=a.id, occurred_on=date(2025, 1, 5), channel="email",
                             kind="caught_up"),
                m.Touchpoint(contact_id=b.id, occurred_on=date(2025, 6, 1), channel="call",
                             kind="asked", created_at=now),
                m.FollowUp(contact_id=b.id, due_date=date(2026, 1, 1), purpose="thank"),
                m.Referral(contact_id=b.id, other_contact_id=third.id, direction="i_asked",
                           occurred_on=date(2025, 2, 2)),
                m.Referral(contact_id=third.id, other_contact_id=b.id, direction="i_made",
                           occurred_on=date(2025, 3, 3)),
                m.EventAttendee(event_id=event.id, contact_id=a.id, note="a"),
                m.EventAttendee(event_id=event.id, contact_id=b.id, note="b"),
                m.EventAttendee(event_id=event2.id, contact_id=b.id, note="b2"),
                m.EventPersonToMeet(event_id=event2.id, contact_id=b.id),
                m.EventGoal(event_id=event.id, kind="talk_to", contact_id=b.id),
            ]
        )  # fmt: skip
        org1 = m.Organisation(name="Women in Data", name_key="women in data")
        org2 = m.Organisation(name="Fintech Guild", name_key="fintech guild")
        s.add_all([org1, org2])
        s.flush()
        b.organisation, b.organisation_id = "", org2.id  # text cleared, link left: ignored
        a.how_met_organisation_id = None
        b.how_met_organisation_id = org1.id
        s.add_all(
            [
                m.ContactOrganisation(contact_id=a.id, organisation_id=org1.id, role="member"),
                m.ContactOrganisation(contact_id=b.id, organisation_id=org1.id, role="chair"),
                m.ContactOrganisation(contact_id=b.id, organisation_id=org2.id, role="speaker"),
            ]
        )
        s.flush()
        refresh_touch_dates(s, [a.id, b.id])
        return a.id, b.id, third.id


def test_merge_keeps_everything_of_both(db: Database) -> None:
    a, b, third = _setup(db)
    MergeService(db).merge(a, [b])
    with db.session() as s:
        assert s.get(m.Contact, b) is None
        ana = s.get(m.Contact, a)
        assert [e.value for e in ana.emails] == ["ana@globex.example", "ana@home.example"]
        assert [p.value for p in ana.phones] == ["+34 600 000 000"]
        assert [u.value for u in ana.urls] == ["https://linkedin.com/in/ana"]
        assert [t.name for t in ana.tags] == ["ai", "speaker"]
        assert ana.role == "CTO" and ana.notes == "Loves climbing." and ana.cadence_days == 30
        assert ana.organisation == "Globex"
        touches = s.scalars(select(m.Touchpoint).where(m.Touchpoint.contact_id == a)).all()
        assert len(touches) == 2
        assert ana.last_touch_on == date(2025, 6, 1)
        assert ana.next_touch_due == date(2025, 7, 1)
        assert "climbing" in ana.search_text and "speaker" in ana.search_text
        assert s.scalars(select(m.FollowUp.contact_id)).all() == [a]
        assert sorted(s.execute(select(m.Referral.contact_id, m.Referral.other_contact_id))) == [
            (a, third),
            (third, a),
        ]
        assert sorted(s.execute(select(m.EventAttendee.event_id, m.EventAttendee.contact_id))) == [
            (1, a),
            (2, a),
        ]
        assert s.scalars(select(m.EventPersonToMeet.contact_id)).all() == [a]
        assert s.scalars(select(m.EventGoal.contact_id)).all() == [a]
        assert s.get(m.Contact, third).referred_by_id == a
        org_id = dict(s.execute(select(m.Organisation.name_key, m.Organisation.id)).all())
        assert ana.how_met_organisation_id == org_id["women in data"]
        # b's organisation_id did not match a's text; a keeps the one its text names.
        assert ana.organisation_id == org_id["globex"]
        # Organisation links: the kept contact gains the ones it lacked, keeps its own.
        assert sorted(
            s.execute(
                select(m.ContactOrganisation.organisation_id, m.ContactOrganisation.role).where(
                    m.ContactOrganisation.contact_id == a
                )
            )
        ) == sorted(
            [(org_id["globex"], ""), (org_id["women in data"], "member"),
             (org_id["fintech guild"], "speaker")]
        )  # fmt: skip


def test_undo_restores_both_exactly(db: Database) -> None:
    a, b, _third = _setup(db)
    before = _dump(db)
    service = MergeService(db)
    outcome = service.merge(a, [b])
    assert _dump(db) != before
    service.undo(outcome)
    after = _dump(db)
    for name in before:
        assert after[name] == before[name], name
    # Redo works after undo.
    service.merge(a, [b])
    with db.session() as s:
        assert s.get(m.Contact, b) is None


def _exact(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every column of every table, versions and timestamps included."""
    with db.session() as s:
        return {
            t.name: sorted((tuple(r) for r in s.execute(select(t))), key=lambda r: str(r))
            for t in m.Base.metadata.sorted_tables
        }


def _pair(db: Database, name: str) -> tuple[int, int]:
    with db.session() as s:
        one = new_contact(s, name, emails=[f"{name.split()[0].lower()}@x.example"])
        two = new_contact(s, name, role="CTO", emails=[f"{name.split()[0].lower()}@y.example"])
        s.flush()
        return one.id, two.id


def test_merge_many_is_one_transaction(db: Database) -> None:
    """A group that cannot be merged (its contact deleted meanwhile) leaves the groups
    before it unmerged too: nothing written at all, not even a version or a timestamp."""
    a, b, _third = _setup(db)
    ben, _ben2 = _pair(db, "Ben Okafor")
    before = _exact(db)
    service = MergeService(db)
    with pytest.raises(NotFoundError):
        service.merge_many([[a, b], [ben, 999_999]])
    assert _exact(db) == before
    with pytest.raises(ValidationError):
        service.merge_many([[a, b], [ben, ben]])
    assert _exact(db) == before


def test_merge_many_and_undo_many(db: Database) -> None:
    a, b, third = _setup(db)
    ben, ben2 = _pair(db, "Ben Okafor")
    before = _dump(db)
    service = MergeService(db)
    outcomes, changes = service.merge_many([[a, b], [ben, ben2]])
    assert [o.keep_id for o in outcomes] == [a, ben]
    assert {a, b, ben, ben2} <= changes.contacts
    assert third in changes.contacts  # referred by b, now by a
    assert changes.all_of("events") and changes.all_of("organisations")
    with db.session() as s:
        assert s.get(m.Contact, b) is None and s.get(m.Contact, ben2) is None
        assert s.get(m.Contact, ben).role == "CTO"
    undone = service.undo_many(outcomes)
    assert {a, b, ben, ben2} <= undone.contacts
    after = _dump(db)
    for name in before:
        assert after[name] == before[name], name


def test_merge_needs_two_contacts(db: Database) -> None:
    a, _b, _t = _setup(db)
    with pytest.raises(ValidationError):
        MergeService(db).merge(a, [a])


def test_find_duplicate_groups(db: Database) -> None:
    a, b, _third = _setup(db)
    with db.session() as s:
        groups = find_duplicate_groups(s)
    assert [g.contact_ids for g in groups] == [(a, b)]
    assert "e-mail" in groups[0].reason


def test_duplicate_finder_is_fuzzy_and_identity_aware(db: Database) -> None:
    from planner.core.dedupe import find_duplicate_groups

    with db.session() as s:
        a = new_contact(s, "Marieke de Vries", organisation="ING").id
        b = new_contact(s, "Marieke de Vries", organisation="ING Bank").id
        c = new_contact(s, "Zoë Müller", organisation="Acme").id
        d = new_contact(s, "Muller Zoe", organisation="ACME").id
        # Namesakes whose e-mails say they are two people: never proposed.
        new_contact(s, "David Smith", organisation="Google", emails=["d1@example.com"])
        new_contact(s, "David Smith", organisation="Google", emails=["d2@example.com"])
        new_contact(s, "Someone Else", organisation="ING")
    with db.session() as s:
        groups = find_duplicate_groups(s)
    by_ids = {g.contact_ids: g for g in groups}
    assert sorted(by_ids) == [(a, b), (c, d)]
    assert all(70 <= g.score < 100 for g in groups)
    assert by_ids[(a, b)].reason == "similar name and organisation"
    # Transposed and accented: the same once folded.
    assert by_ids[(c, d)].reason == "same name and organisation"

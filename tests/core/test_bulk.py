"""Bulk writes (core.bulk): inserts converted once per value, deletes that apply the schema's
ON DELETE rules themselves, and random UUIDs made in bulk; on a real database file."""

from __future__ import annotations

import gc
import uuid

from sqlalchemy import func, select

from planner.core.bulk import (
    bulk_insert,
    bulk_session,
    delete_contacts,
    delete_unreferenced,
    paused_gc,
    random_uuids,
)
from planner.core.contact_rows import new_contact
from planner.db import models as m
from planner.db.database import Database
from planner.db.types import utcnow


def test_random_uuids_are_version_4() -> None:
    made = list(random_uuids(50))
    assert len(set(made)) == 50
    assert all(uuid.UUID(u).version == 4 and str(uuid.UUID(u)) == u for u in made)


def test_paused_gc_restores_the_collector() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_bulk_insert_writes_rows_and_column_defaults(db: Database) -> None:
    now = utcnow()
    rows = [
        {"uuid": u, "created_at": now, "updated_at": now, "name": f"Org {i}", "name_key": f"o{i}"}
        for i, u in enumerate(random_uuids(2500))
    ]
    with db.session() as s:
        bulk_insert(s, m.Organisation.__table__, rows)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(m.Organisation)) == 2500
        org = s.scalars(select(m.Organisation).where(m.Organisation.name_key == "o2499")).one()
        assert org.name == "Org 2499" and org.kind  # the column default filled in


def test_delete_contacts_cascades_and_unreferenced_organisations_go(db: Database) -> None:
    with db.session() as s:
        ana = new_contact(s, "Ana Ruiz", organisation="Globex", emails=["ana@globex.example"])
        mei = new_contact(s, "Mei Tan", organisation="Hooli")
        s.flush()
        ana_id, mei_id = ana.id, mei.id
        org_ids = list(s.scalars(select(m.Organisation.id)))
    assert len(org_ids) == 2
    with bulk_session(db) as s:
        delete_contacts(s, [ana_id])
        delete_unreferenced(s, m.Organisation.__table__, org_ids)
    with db.session() as s:
        assert list(s.scalars(select(m.Contact.id))) == [mei_id]
        assert s.scalar(select(func.count()).select_from(m.ContactEmail)) == 0
        assert [o.name for o in s.scalars(select(m.Organisation))] == ["Hooli"]

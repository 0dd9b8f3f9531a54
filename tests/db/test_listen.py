"""Live updates on PostgreSQL: every change is announced with its ids; SQLite has none."""

from __future__ import annotations

import select
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from planner.core.contacts import ContactService
from planner.core.records import LabeledValue
from planner.db import models as m
from planner.db.database import Database
from planner.db.listen import (
    APPLICATION_NAME,
    Batch,
    ChangeListener,
    ListenLost,
    add_to,
    parse_payload,
)


def test_payloads_name_kind_and_ids_and_skip_our_own() -> None:
    assert parse_payload("contacts:3,4:planner-other") == ("contacts", {3, 4})
    assert parse_payload("contact_tags:7:planner-other") == ("contacts", {7})
    assert parse_payload("event_plans:*:planner-other") == ("events", None)
    assert parse_payload(f"contacts:3:{APPLICATION_NAME}") is None
    assert parse_payload("alembic_version:1:x") is None
    batch: Batch = {}
    add_to(batch, "contacts", {1})
    add_to(batch, "contacts", {2})
    add_to(batch, "events", None)
    add_to(batch, "events", {5})
    assert batch == {"contacts": {1, 2}, "events": None}


def _listen(db: Database, own_name: str = "someone-else") -> ChangeListener:
    # Another name than this process's: the writes below stand for a teammate's.
    listener = ChangeListener(db.url, own_name=own_name)
    listener.connect()
    return listener


def test_teammates_changes_arrive_with_their_ids(db: Database, db_engine: str) -> None:
    if db_engine != "postgresql":
        pytest.skip("SQLite has no teammates to hear from")
    listener = _listen(db)
    try:
        assert listener.poll() == {}  # nothing yet, and poll() does not wait
        svc = ContactService(db)
        ana, _ = svc.create({"name": "Ana Ruiz", "emails": [LabeledValue("work", "a@x.example")]})
        assert listener.wait(10)["contacts"] == {ana.id}
        with db.session() as s:
            s.add(m.FollowUp(contact_id=ana.id, due_date=date.today()))
        # The socket the window watches becomes readable; poll() then reads it.
        assert select.select([listener.fileno()], [], [], 10)[0]
        batch: Batch = {}
        while "follow_ups" not in batch:
            batch.update(listener.wait(10))
        assert "follow_ups" in batch
    finally:
        listener.close()
    assert not listener.connected


def test_own_writes_are_not_announced_back(db: Database, db_engine: str) -> None:
    if db_engine != "postgresql":
        pytest.skip("SQLite has no teammates to hear from")
    mine = _listen(db, APPLICATION_NAME)
    other = _listen(db)
    try:
        ContactService(db).create({"name": "Ben Okafor"})
        assert other.wait(10)  # the other listener heard it, so it was sent
        assert mine.wait(0.5) == {}
    finally:
        mine.close()
        other.close()


def test_a_lost_connection_says_so(db: Database, db_engine: str) -> None:
    if db_engine != "postgresql":
        pytest.skip("SQLite has no teammates to hear from")
    listener = _listen(db)
    with db.engine.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name"
            ),
            {"name": "someone-else-listen"},
        )
    with pytest.raises(ListenLost):
        listener.wait(10)
    assert not listener.connected


def test_sqlite_gets_no_triggers(db: Database, db_target: Path | str, db_engine: str) -> None:
    with db.engine.connect() as conn:
        if db_engine == "sqlite":
            names = conn.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'"))
            assert names.all() == []
        else:
            count = conn.execute(
                text("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'planner_notify_%'")
            ).scalar()
            # 0009 watches 13 tables, 0011 adds contact_notes, 0012 contact_addresses.
            assert count == 15 * 3

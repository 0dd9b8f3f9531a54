"""The detail pane's one read: record, whole timeline, balance, referrals, met-at events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.core.contact_view import read_contact_view
from planner.core.contacts import ContactService
from planner.core.errors import NotFoundError
from planner.core.referrals import ReferralService
from planner.core.touchpoints import TouchpointService
from planner.db.database import Database


def test_one_session_reads_everything_the_pane_shows(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    contacts = ContactService(db)
    ana = contacts.create({"name": "Ana"})[0].id
    ben = contacts.create({"name": "Ben"})[0].id
    touches = TouchpointService(db)
    today = date.today()
    touches.log(ana, today - timedelta(days=3), "call", "gave_value")
    touches.log(ana, today - timedelta(days=1), "email", "asked")
    ReferralService(db).create(ana, "i_asked", today, other_contact_id=ben)
    opened: list[int] = []
    real = db.session

    def counting():  # type: ignore[no-untyped-def]
        opened.append(1)
        return real()

    monkeypatch.setattr(db, "session", counting)
    view = read_contact_view(db, ana, today)
    assert len(opened) == 1
    assert view.record.name == "Ana"
    assert [t.kind for t in view.timeline] == ["asked", "gave_value"]  # newest first
    assert (view.balance.gave, view.balance.asked) == (1, 1)
    assert [r.other_contact_id for r in view.referrals] == [ben]
    assert view.met_at == ()


def test_a_deleted_contact_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError):
        read_contact_view(db, 12345)

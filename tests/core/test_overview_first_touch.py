"""The overview counts a contact as new when it entered the network (issue 16, item 15)."""

from __future__ import annotations

from datetime import date, timedelta

from planner.core.contacts import ContactService
from planner.core.overview import OverviewService
from planner.core.touchpoints import TouchpointService
from planner.db.database import Database


def test_imported_contacts_count_at_their_first_touch_not_the_import(db: Database) -> None:
    today = date.today()
    contacts = ContactService(db)
    touches = TouchpointService(db)
    five_months_ago = (today.replace(day=1) - timedelta(days=140)).replace(day=10)
    # Imported today, connected five months ago (LinkedIn's "Connected On" is a touchpoint).
    for number in range(3):
        cid = contacts.create({"name": f"Imported {number}"})[0].id
        touches.log(cid, five_months_ago, "social", "met", "Connected on LinkedIn")
    # Added today and first met today; added today and never touched.
    met_today = contacts.create({"name": "Met today"})[0].id
    touches.log(met_today, today, "in_person", "met", "")
    contacts.create({"name": "Never touched"})
    # Connected before the twelve months shown: not counted at all.
    old = contacts.create({"name": "Old friend"})[0].id
    touches.log(old, today - timedelta(days=800), "email", "caught_up", "")

    months = OverviewService(db).monthly_activity(today)
    counts = {(a.month.year, a.month.month): a.new_contacts for a in months if a.new_contacts}
    assert counts == {
        (five_months_ago.year, five_months_ago.month): 3,
        (today.year, today.month): 2,
    }

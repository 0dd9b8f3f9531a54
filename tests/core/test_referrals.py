"""ReferralService: validation, both people's pages, undo by restore, Changes per write."""

from __future__ import annotations

from datetime import date

import pytest

from planner.core.contacts import ContactService
from planner.core.errors import NotFoundError, ValidationError
from planner.core.referrals import ReferralService
from planner.db.database import Database


@pytest.fixture
def people(db: Database) -> tuple[int, int, int]:
    svc = ContactService(db)
    return tuple(svc.create({"name": n})[0].id for n in ("Ana", "Ben", "Cleo"))  # type: ignore[return-value]


def test_create_update_delete_restore_report_both_people(
    db: Database, people: tuple[int, int, int]
) -> None:
    ana, ben, cleo = people
    refs = ReferralService(db)
    made, changes = refs.create(ana, "i_asked", date(2026, 3, 1), other_contact_id=ben)
    assert changes.referrals == {made.id} and changes.contacts == {ana, ben}
    assert [r.id for r in refs.for_contact(ben)] == [made.id]  # shown on the third person too

    moved, changes = refs.update(made.id, {"other_contact_id": cleo})
    assert moved.other_contact_id == cleo
    assert changes.contacts == {ana, ben, cleo}  # Ben's page loses it, Cleo's gains it

    gone, changes = refs.delete(made.id)
    assert refs.for_contact(ana) == [] and changes.referrals == {made.id}
    back, changes = refs.restore(gone)
    assert refs.for_contact(ana) == [back] and back.id == made.id
    assert changes.contacts == {ana, cleo}


def test_bad_input_names_the_field_and_writes_nothing(
    db: Database, people: tuple[int, int, int]
) -> None:
    ana, _ben, _cleo = people
    refs = ReferralService(db)
    with pytest.raises(ValidationError) as bad:
        refs.create(ana, "sideways", date(2026, 3, 1))
    assert bad.value.field == "direction"
    with pytest.raises(ValidationError) as self_ref:
        refs.create(ana, "i_asked", date(2026, 3, 1), other_contact_id=ana)
    assert self_ref.value.field == "other_contact_id"
    made, _ = refs.create(ana, "i_asked", date(2026, 3, 1))
    with pytest.raises(ValidationError) as no_outcome:
        refs.update(made.id, {"status": "outcome", "outcome": "  "})
    assert no_outcome.value.field == "outcome"
    assert refs.for_contact(ana) == [made]
    with pytest.raises(NotFoundError):
        refs.create(999_999, "i_asked", date(2026, 3, 1))
    with pytest.raises(NotFoundError):
        refs.delete(999_999)

"""The fixed vocabularies: keys fit the columns that store them, labels read well, the
services accept exactly these keys."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import String

from planner.core import vocab
from planner.core.contacts import ContactService
from planner.core.errors import ValidationError
from planner.core.touchpoints import TouchpointService
from planner.db import models as m
from planner.db.database import Database
from planner.settings import RELATIONSHIP_DEFAULT_CADENCE

STORED_IN = {
    "RELATIONSHIPS": m.Contact.relationship,
    "HOW_MET": m.Contact.how_met_kind,
    "CHANNELS": m.Touchpoint.channel,
    "TOUCH_KINDS": m.Touchpoint.kind,
    "REFERRAL_DIRECTIONS": m.Referral.direction,
    "REFERRAL_STATUSES": m.Referral.status,
    "EVENT_TYPES": m.EventPlan.event_type,
    "EVENT_STATUSES": m.EventPlan.status,
    "GOAL_KINDS": m.EventGoal.kind,
    "FOLLOWUP_STATUSES": m.FollowUp.status,
    "FOLLOWUP_ORIGINS": m.FollowUp.origin,
}


@pytest.mark.parametrize("name", sorted(STORED_IN))
def test_every_key_fits_its_column_and_every_label_is_distinct(name: str) -> None:
    words: dict[str, str] = getattr(vocab, name)
    column_type = STORED_IN[name].property.columns[0].type
    assert isinstance(column_type, String) and column_type.length is not None
    # PostgreSQL refuses a longer value where SQLite would store it silently.
    assert all(len(key) <= column_type.length for key in words), name
    assert all(key == key.strip().lower() and " " not in key for key in words)
    labels = list(words.values())
    assert all(label.strip() == label and label for label in labels)
    assert len(set(labels)) == len(labels)


def test_the_default_cadences_name_every_relationship() -> None:
    assert set(RELATIONSHIP_DEFAULT_CADENCE) == set(vocab.RELATIONSHIPS)


def test_services_accept_the_vocabulary_and_refuse_other_words(db: Database) -> None:
    contacts = ContactService(db)
    ana, _ = contacts.create({"name": "Ana"})
    for key in vocab.RELATIONSHIPS:
        assert contacts.update(ana.id, {"relationship": key})[0].relationship == key
    with pytest.raises(ValidationError) as bad:
        contacts.update(ana.id, {"relationship": "frenemy"})
    assert bad.value.field == "relationship"
    touches = TouchpointService(db)
    for channel in vocab.CHANNELS:
        for kind in vocab.TOUCH_KINDS:
            touches.log(ana.id, date(2026, 1, 5), channel, kind)
    assert len(touches.timeline(ana.id)) == len(vocab.CHANNELS) * len(vocab.TOUCH_KINDS)
    with pytest.raises(ValidationError) as bad_channel:
        touches.log(ana.id, date(2026, 1, 5), "pigeon", "met")
    assert bad_channel.value.field == "channel"

"""A contact's editable fields, named once: the service's checks, the importer's merge and
the tests that hold ContactRecord, ContactCard and the table to them all read these."""

from __future__ import annotations

from planner.core.names import NAME_FIELDS, NAME_PARTS

TEXT_FIELDS = ("name", "organisation", "role", "industry", "how_met_text", "location")
LONG_TEXT_FIELDS = ("interests", "notes")
PHOTO_FIELDS = ("photo", "photo_type", "photo_url")
CHOICE_FIELDS = ("relationship", "how_met_kind")
LINK_FIELDS = ("how_met_event_id", "referred_by_id")
BIRTHDAY_FIELDS = ("birthday_month", "birthday_day", "birthday_year")
# Every single-valued field a user (or an import) can set.
SIMPLE_FIELDS = (
    *TEXT_FIELDS,
    *NAME_FIELDS,
    "name_custom",
    *PHOTO_FIELDS,
    *LONG_TEXT_FIELDS,
    *CHOICE_FIELDS,
    *LINK_FIELDS,
    *BIRTHDAY_FIELDS,
    "cadence_days",
    "visibility",
)
# Fields holding several values, each in a table of its own.
LIST_FIELDS = ("emails", "phones", "urls", "addresses", "tags")
EDITABLE_FIELDS = frozenset((*SIMPLE_FIELDS, *LIST_FIELDS))
# The name and its parts: an import or a merge sets them together, never one by one
# (a nickname or a phonetic name is a field like any other).
NAME_GROUP = frozenset(("name", "name_custom", *NAME_PARTS))

"""Contact import: parsed cards -> preview (new / duplicate / error) -> one-transaction commit.

The file formats (planner.interop) turn a file into `ContactCard`s; `ImportService` decides what
each card is against the database (core.import_preview), writes the user's choices in one
transaction (core.import_create, core.import_merge) and returns what it did, so the UI can undo
the whole import in one step. The names callers use come from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from planner.core.bulk import (
    CHUNK,
    bulk_session,
    delete_contacts,
    delete_unreferenced,
    paused_gc,
)
from planner.core.contact_cards import load_cards
from planner.core.contact_rows import (
    get_or_create_tags,
    refresh_search_text,
    refresh_touch_dates,
    tag_key,
)
from planner.core.import_batches import forget_import, record_import
from planner.core.import_cards import (
    ContactCard,
    ParseResult,
    RowError,
    UnreadableFileError,
    address_norm,
)
from planner.core.import_create import create_contacts
from planner.core.import_merge import MergedChange, merge_into
from planner.core.import_preview import (
    CHOICES,
    MERGE,
    NEW,
    SKIP,
    ImportGroup,
    ImportPreview,
    PreviewRow,
    build_preview,
)
from planner.core.import_rows import organisation_ids
from planner.core.validation import default_phone_region
from planner.core.visibility import viewer
from planner.db import models as m
from planner.db.database import Database
from planner.db.types import utcnow

# What callers import from here.
__all__ = [
    "CHOICES",
    "FORMATS",
    "MERGE",
    "NEW",
    "SKIP",
    "ContactCard",
    "ImportGroup",
    "ImportOutcome",
    "ImportPreview",
    "ImportService",
    "MergedChange",
    "ParseResult",
    "PreviewRow",
    "RowError",
    "UnreadableFileError",
    "address_norm",
    "bulk_session",
    "delete_contacts",
    "load_cards",
    "paused_gc",
]

FORMATS: dict[str, str] = {
    "auto": "Detect from the content",
    "vcard": "vCard (.vcf)",
    "linkedin": "LinkedIn Connections.csv",
    "google": "Google Contacts CSV",
    "outlook": "Outlook CSV",
    "csv": "Other CSV (map the columns)",
}


@dataclass(frozen=True)
class ImportOutcome:
    created_ids: tuple[int, ...]
    merged: tuple[MergedChange, ...]
    created_tag_ids: tuple[int, ...]
    skipped: int
    errors: int
    created_organisation_ids: tuple[int, ...] = ()
    # Bad values kept in the notes instead of the typed fields.
    problems: int = 0
    # The batch that lists this import's contacts (core.import_batches); None when none came.
    import_id: int | None = None

    @property
    def created(self) -> int:
        return len(self.created_ids)

    @property
    def merged_count(self) -> int:
        return len(self.merged)

    @property
    def unchanged(self) -> int:
        return sum(1 for c in self.merged if not c.changed)

    def summary(self) -> str:
        return (
            f"{self.created:,} created, {self.merged_count:,} merged "
            f"({self.unchanged:,} already up to date), {self.skipped:,} skipped, "
            f"{self.errors:,} rows with errors, {self.problems:,} bad values kept in notes"
        )


class ImportService:
    """Preview and commit imports; each public method is one transaction."""

    def __init__(self, db: Database, phone_region: str = "") -> None:
        self.db = db
        # Numbers without +country are read in this region (the preference, else the locale).
        self.phone_region = default_phone_region(phone_region)

    def preview(self, parsed: ParseResult) -> ImportPreview:
        """Groups the file's rows into people and matches them against the database."""
        with paused_gc():
            return build_preview(self.db, parsed, self.phone_region)

    def commit(
        self, preview: ImportPreview, choices: Mapping[int, str] | None = None, source: str = ""
    ) -> ImportOutcome:
        """Writes the groups as chosen (default: merge duplicates, add the rest) at once;
        `source` (the file's name) names the import in the "Imported in" filter."""
        with paused_gc():
            return self._commit(preview, choices, source)

    def _commit(
        self, preview: ImportPreview, choices: Mapping[int, str] | None, source: str = ""
    ) -> ImportOutcome:
        chosen = preview.default_choices()
        chosen.update(choices or {})
        to_create: list[ContactCard] = []
        to_merge: list[tuple[int, ContactCard]] = []
        skipped = 0
        for group in preview.groups:
            choice = chosen.get(group.index, MERGE)
            if group.existing_id is None or choice == NEW:
                to_create.append(group.card)
            elif choice == MERGE:
                to_merge.append((group.existing_id, group.card))
            else:
                skipped += len(group.lines)
        with self.db.session() as s:
            tag_names = sorted(
                {t for c in to_create for t in c.tags} | {t for _i, c in to_merge for t in c.tags}
            )
            # Tags match ignoring case: "Fintech" from a Google label joins "fintech".
            before_tags = set(s.scalars(select(m.Tag.id)).all()) if tag_names else set()
            tags = get_or_create_tags(s, tag_names)
            s.flush()
            by_key = {tag_key(t.name): t.id for t in tags}
            tag_ids = {name: by_key[tag_key(name)] for name in tag_names if name.strip()}
            created_tag_ids = tuple(sorted(t.id for t in tags if t.id not in before_tags))
            org_ids, created_orgs = organisation_ids(
                s,
                [c.organisation for c in to_create] + [c.organisation for _i, c in to_merge],
                utcnow(),
            )
            created_ids = create_contacts(s, to_create, tag_ids, org_ids)
            merged = merge_into(s, to_merge, tag_ids, org_ids)
            touched = [*created_ids, *(change.contact_id for change in merged)]
            import_id = record_import(s, source, touched) if touched else None
        return ImportOutcome(
            created_ids=tuple(created_ids),
            merged=tuple(merged),
            created_tag_ids=created_tag_ids,
            skipped=skipped,
            errors=len(preview.errors),
            created_organisation_ids=created_orgs,
            problems=preview.problem_count,
            import_id=import_id,
        )

    def undo(self, outcome: ImportOutcome) -> None:
        """Takes back exactly what `commit` did (created contacts, merged-in details)."""
        with bulk_session(self.db) as s:
            forget_import(s, outcome.import_id)
            delete_contacts(s, list(outcome.created_ids))
            touched: list[int] = []
            for change in outcome.merged:
                if not change.changed:
                    continue
                touched.append(change.contact_id)
                for model, row_ids in (
                    (m.ContactEmail, change.email_ids),
                    (m.ContactPhone, change.phone_ids),
                    (m.ContactUrl, change.url_ids),
                    (m.ContactAddress, change.address_ids),
                    (m.Touchpoint, change.touchpoint_ids),
                ):
                    if row_ids:
                        s.execute(delete(model).where(model.id.in_(row_ids)))
                if change.organisation_ids:
                    member: Any = m.ContactOrganisation.__table__
                    s.execute(
                        delete(member).where(
                            member.c.contact_id == change.contact_id,
                            member.c.organisation_id.in_(change.organisation_ids),
                        )
                    )
                if change.tag_ids:
                    s.execute(
                        delete(m.ContactTag).where(
                            m.ContactTag.contact_id == change.contact_id,
                            m.ContactTag.tag_id.in_(change.tag_ids),
                        )
                    )
            s.expire_all()
            for start in range(0, len(touched), CHUNK):
                chunk = touched[start : start + CHUNK]
                befores = {c.contact_id: dict(c.before) for c in outcome.merged}
                for contact in s.scalars(
                    select(m.Contact)
                    .where(m.Contact.id.in_(chunk))
                    .options(selectinload(m.Contact.emails), selectinload(m.Contact.tags))
                ):
                    for name, value in befores[contact.id].items():
                        setattr(contact, name, value)
                    refresh_search_text(contact)
            s.flush()
            refresh_touch_dates(s, touched)
            if outcome.created_tag_ids:
                used = set(
                    s.scalars(
                        select(m.ContactTag.tag_id).where(
                            m.ContactTag.tag_id.in_(outcome.created_tag_ids)
                        )
                    )
                )
                unused = [t for t in outcome.created_tag_ids if t not in used]
                if unused:
                    s.execute(delete(m.Tag).where(m.Tag.id.in_(unused)))
            # Organisations the import added go with it, unless something links to them now.
            delete_unreferenced(s, m.Organisation.__table__, outcome.created_organisation_ids)

    # --- export -------------------------------------------------------------------------

    def load_cards(self, contact_ids: Iterable[int] | None = None) -> list[ContactCard]:
        """Contacts as cards for export: all of them, or the given ids, in name order."""
        with self.db.session() as s:
            return load_cards(
                s, None if contact_ids is None else list(contact_ids), visible_to=viewer(self.db)
            )

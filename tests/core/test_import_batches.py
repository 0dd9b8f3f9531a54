"""Each import remembers its contacts (created and merged), and undo forgets it (both engines)."""

from __future__ import annotations

from planner.core.contacts import ContactService
from planner.core.import_batches import ImportBatchService
from planner.core.importer import SKIP, ImportService
from planner.db.database import Database
from planner.interop.contact_files import read_contacts

FIRST = b"Name,Company,E-mail\r\nMei Tan,Hooli,mei@hooli.example\r\nBo Li,Acme,bo@acme.example\r\n"
SECOND = b"Name,Company,E-mail\r\nMei Tan,Hooli,mei@hooli.example\r\nIda Moe,Umbrella,\r\n"


def test_an_import_lists_its_created_and_merged_contacts(db: Database) -> None:
    db.user = "Priya"
    hand_made = ContactService(db).create({"name": "Typed By Hand"})[0].id
    service = ImportService(db)
    first = service.commit(service.preview(read_contacts(FIRST)), source="google.csv")
    second = service.commit(service.preview(read_contacts(SECOND)), source="linkedin.csv")
    batches = ImportBatchService(db)
    recent = batches.recent()
    assert [(b.source, b.contact_count, b.imported_by) for b in recent] == [
        ("linkedin.csv", 2, "Priya"),
        ("google.csv", 2, "Priya"),
    ]
    assert recent[0].id == second.import_id and recent[1].id == first.import_id
    assert batches.contact_ids(recent[1].id) == frozenset(first.created_ids)
    mei = next(c.contact_id for c in second.merged)
    # The second import merged into Mei and created Ida: both are "from" it.
    assert batches.contact_ids(recent[0].id) == frozenset({mei, *second.created_ids})
    assert hand_made not in batches.contact_ids(recent[0].id) | batches.contact_ids(recent[1].id)

    service.undo(second)
    assert [b.source for b in batches.recent()] == ["google.csv"]
    assert batches.contact_ids(second.import_id or 0) == frozenset()
    # Deleting a contact takes it out of its import's list.
    ContactService(db).delete(first.created_ids[0])
    assert batches.recent()[0].contact_count == 1


def test_an_import_that_adds_nothing_leaves_no_entry(db: Database) -> None:
    service = ImportService(db)
    service.commit(service.preview(read_contacts(FIRST)), source="first.csv")
    skipped = {0: SKIP, 1: SKIP}
    preview = service.preview(read_contacts(FIRST))
    outcome = service.commit(preview, skipped, source="again.csv")
    assert outcome.import_id is None
    assert [b.source for b in ImportBatchService(db).recent()] == ["first.csv"]

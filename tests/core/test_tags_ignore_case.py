"""Tags compare ignoring case and keep the first spelling (issue 16, item 9)."""

from __future__ import annotations

from planner.core.contacts import ContactService
from planner.core.importer import ImportService
from planner.db.database import Database
from planner.interop.contact_files import read_contacts


def test_typed_case_variants_join_the_first_tag(db: Database) -> None:
    svc = ContactService(db)
    first, _ = svc.create({"name": "Ana", "tags": ["Fintech"]})
    second, _ = svc.create({"name": "Ben", "tags": ["fintech", "FINTECH"]})
    third, _ = svc.create({"name": "Cy"})
    svc.update(third.id, {"tags": ["  fINtech "]})
    assert svc.tag_names() == ["Fintech"]
    assert svc.get(second.id).tags == ("Fintech",)
    assert svc.get(third.id).tags == ("Fintech",)
    assert svc.add_tag([first.id, second.id, third.id], "FinTech")[0] == []
    assert svc.remove_tag([first.id], "FINTECH")[0] == [first.id]
    assert svc.get(first.id).tags == ()


def test_import_of_a_google_label_joins_the_typed_tag(db: Database) -> None:
    svc = ContactService(db)
    svc.create({"name": "Ana", "tags": ["fintech"]})
    vcf = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben Okafor\r\nN:Okafor;Ben;;;\r\n"
        b"CATEGORIES:Fintech,FINTECH\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy Ode\r\nN:Ode;Cy;;;\r\n"
        b"CATEGORIES:Design\r\nEND:VCARD\r\n"
    )
    importer = ImportService(db)
    outcome = importer.commit(importer.preview(read_contacts(vcf)))
    assert svc.tag_names() == ["Design", "fintech"]
    ben = next(r for r in svc.table_data().rows if r[1] == "Ben Okafor")
    assert svc.get(ben[0]).tags == ("fintech",)
    importer.undo(outcome)
    assert svc.tag_names() == ["fintech"]  # the tag the user had stays

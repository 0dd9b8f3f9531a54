"""Organisations at scale: the 0002 upgrade of free-text names, the tab's list, reminders.

Run: /work/venv/bin/python benchmarks/organisations.py [contacts]   (default 100000)
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from planner.core.demo import generate_demo
from planner.core.organisation_queries import OrganisationQueries
from planner.core.organisations import OrganisationService
from planner.db.database import make_engine, migrate, open_database


def _timed(name: str, fn: object) -> object:
    start = time.perf_counter()
    result = fn()  # type: ignore[operator]
    print(f"{name}: {time.perf_counter() - start:.3f} s")
    return result


def upgrade_benchmark(folder: Path, contacts: int) -> None:
    """A 0001 database whose contacts hold free-text organisation names, then the upgrade."""
    path = folder / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine, path, target="0001_initial")
    rng = random.Random(5)
    stems = [f"Company {i}" for i in range(2000)]
    rows = []
    for i in range(1, contacts + 1):
        name = rng.choice(stems)
        spelling = rng.choice([name, name.upper(), f" {name.lower()} ", name])
        rows.append({"id": i, "uuid": f"u{i}", "name": f"Person {i}", "org": spelling})
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO contacts (id, uuid, created_at, updated_at, name, organisation,"
                " role, industry, relationship, how_met_kind, how_met_text, location,"
                " interests, notes, photo_type, search_text) VALUES (:id, :uuid,"
                " '2026-01-01 00:00:00', '2026-01-01 00:00:00', :name, :org, '', '',"
                " 'other', '', '', '', '', '', '', '')"
            ),
            rows,
        )
    engine.dispose()
    db = _timed("upgrade_0002_seconds", lambda: open_database(path))
    with db.engine.connect() as conn:  # type: ignore[attr-defined]
        orgs = conn.execute(text("SELECT count(*) FROM organisations")).scalar()
        links = conn.execute(text("SELECT count(*) FROM contact_organisations")).scalar()
    print(f"upgrade_organisations: {orgs}")
    print(f"upgrade_links: {links}")
    db.close()  # type: ignore[attr-defined]


def service_benchmark(folder: Path, contacts: int) -> None:
    db = open_database(folder / "demo.sqlite3")
    _timed("demo_generate_seconds", lambda: generate_demo(db, contacts=contacts))
    service = OrganisationService(db)
    queries = OrganisationQueries(db)
    rows = _timed("list_all_seconds", queries.list_organisations)
    _timed("list_search_seconds", lambda: queries.list_organisations("data"))
    biggest = max(rows, key=lambda r: r.contacts)  # type: ignore[attr-defined]
    print(f"biggest_organisation_contacts: {biggest.contacts}")
    _timed("members_biggest_seconds", lambda: queries.members(biggest.id))
    _timed("touchpoints_biggest_seconds", lambda: queries.touchpoints(biggest.id))
    _timed("sync_reminders_seconds", service.sync_reminders)
    _timed("search_contacts_seconds", lambda: queries.search_contacts("ana"))
    db.close()


def main() -> None:
    contacts = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"contacts: {contacts}")
    with tempfile.TemporaryDirectory() as tmp:
        upgrade_benchmark(Path(tmp), contacts)
        service_benchmark(Path(tmp), contacts)


if __name__ == "__main__":
    main()

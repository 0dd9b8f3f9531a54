"""Import a generated 30,000-row LinkedIn Connections.csv into a database of 100,000 contacts.

Times the real path (read + parse + preview + commit in one transaction) in a fresh process,
so peak memory is the import's own. Prints `import_ms` and `peak_rss_mb`.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run as a script, this folder comes first on sys.path, and benchmarks/calendar.py would
# shadow the standard library's calendar (which datetime.strptime imports).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

EXISTING = 100_000
ROWS = 30_000
OVERLAP = 0.1  # share of rows that are people already in the database


def build(folder: Path) -> tuple[Path, Path]:
    from sqlalchemy import select

    from planner.core.demo import FIRST, LAST, ORG_STEMS, ROLES, generate_demo
    from planner.db import models as m
    from planner.db.database import open_database

    db_path = folder / "planner.sqlite3"
    db = open_database(db_path)
    generate_demo(db, contacts=EXISTING, seed=3)
    with db.session() as s:
        known = s.execute(
            select(m.Contact.name, m.Contact.organisation, m.ContactUrl.value)
            .join(m.ContactUrl, m.ContactUrl.contact_id == m.Contact.id)
            .limit(int(ROWS * OVERLAP))
        ).all()
    db.close()
    rng = random.Random(5)
    lines = [
        "Notes:",
        '"When exporting your connection data, you may notice that some of the email '
        'addresses are missing."',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    for name, org, url in known:
        first, _, last = name.partition(" ")
        lines.append(f'{first},{last},{url},,"{org}",Engineer,12 Nov 2025')
    for i in range(ROWS - len(known)):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        org = f"{rng.choice(ORG_STEMS)} {i % 997}"
        email = f"{first.lower()}.{i}@mail.example" if rng.random() < 0.3 else ""
        month = rng.choice(["Jan", "Mar", "Jun", "Nov"])
        day = f"{rng.randint(1, 28):02d} {month} 20{rng.randint(10, 25)}"
        lines.append(
            f"{first},{last},https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{i},"
            f'{email},"{org}, Inc.",{rng.choice(ROLES)},{day}'
        )
    csv_path = folder / "Connections.csv"
    csv_path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return db_path, csv_path


def _peak_rss_mb() -> float:
    """This process's own peak: ru_maxrss survives exec, so it would count the parent that
    generated the 100,000 contacts; /proc's VmHWM starts afresh with the new program."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def measure(db_path: str, csv_path: str) -> None:
    from planner.core.importer import ImportService
    from planner.db.database import open_database
    from planner.interop.contact_files import read_contacts_file

    db = open_database(db_path)
    cpu_started = time.process_time()
    started = time.perf_counter()
    parsed = read_contacts_file(csv_path)
    service = ImportService(db)
    preview = service.preview(parsed)
    parsed_at = time.perf_counter()
    outcome = service.commit(preview)
    done = time.perf_counter()
    cpu = time.process_time() - cpu_started
    db.close()
    peak = _peak_rss_mb()
    print(f"rows: {len(parsed.cards)}")
    print(f"created: {outcome.created}")
    print(f"merged: {outcome.merged_count}")
    print(f"preview_ms: {(parsed_at - started) * 1000:.0f}")
    print(f"commit_ms: {(done - parsed_at) * 1000:.0f}")
    print(f"import_ms: {(done - started) * 1000:.0f}")
    # CPU time too: on a shared, busy machine the wall clock mostly measures the neighbours.
    print(f"import_cpu_ms: {cpu * 1000:.0f}")
    print(f"peak_rss_mb: {peak:.0f}")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        measure(sys.argv[2], sys.argv[3])
        return
    with tempfile.TemporaryDirectory() as folder:
        db_path, csv_path = build(Path(folder))
        result = subprocess.run(
            [sys.executable, __file__, "--measure", str(db_path), str(csv_path)],
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stdout.write(result.stdout)
        if result.returncode:
            sys.stderr.write(result.stderr)
            sys.exit(result.returncode)


if __name__ == "__main__":
    main()

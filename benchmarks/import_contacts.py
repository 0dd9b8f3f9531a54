"""Import a generated 30,000-row LinkedIn Connections.csv into a database of 100,000 contacts,
and a 300,000-row one into an empty database.

Times the real path (read + parse + preview + commit in one transaction) in a fresh process,
so peak memory is the import's own. Prints `import_ms`, `peak_rss_mb` and, for the big file,
`import_peak_rss_mb_300k`. `--big-only` / `--no-big` run one part.
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


BIG_ROWS = 300_000


def build_big(folder: Path) -> tuple[Path, Path]:
    """A 300,000-row LinkedIn Connections.csv (distinct people) and an empty database."""
    from planner.core.demo import FIRST, LAST, ORG_STEMS, ROLES
    from planner.db.database import open_database

    db_path = folder / "big.sqlite3"
    open_database(db_path).close()
    rng = random.Random(11)
    csv_path = folder / "Connections-300k.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as out:
        out.write('Notes:\r\n"When exporting your connection data..."\r\n\r\n')
        out.write("First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n")
        for i in range(BIG_ROWS):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first.lower()}.{i}@mail.example" if rng.random() < 0.1 else ""
            out.write(
                f"{first},{last},https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{i},"
                f'{email},"{rng.choice(ORG_STEMS)} {i % 4999}",{rng.choice(ROLES)},'
                f"{rng.randint(1, 28):02d} Jun 20{rng.randint(10, 25)}\r\n"
            )
    return db_path, csv_path


def measure_big(db_path: str, csv_path: str) -> None:
    from planner.core.importer import ImportService
    from planner.db.database import open_database
    from planner.interop.contact_files import read_contacts_file

    db = open_database(db_path)
    started = time.perf_counter()
    service = ImportService(db)
    outcome = service.commit(service.preview(read_contacts_file(csv_path)))
    done = time.perf_counter()
    db.close()
    size_mb = Path(csv_path).stat().st_size / 1024 / 1024
    peak = _peak_rss_mb()
    print(f"import_rows_300k: {outcome.created}")
    print(f"import_file_mb_300k: {size_mb:.1f}")
    print(f"import_ms_300k: {(done - started) * 1000:.0f}")
    print(f"import_peak_rss_mb_300k: {peak:.0f}")
    print(f"import_peak_rss_ratio_300k: {peak / size_mb:.1f}")


def _run(*args: str) -> None:
    result = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    sys.stdout.write(result.stdout)
    if result.returncode:
        sys.stderr.write(result.stderr)
        sys.exit(result.returncode)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        measure(sys.argv[2], sys.argv[3])
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--measure-big":
        measure_big(sys.argv[2], sys.argv[3])
        return
    only_big = "--big-only" in sys.argv
    with tempfile.TemporaryDirectory() as folder:
        if not only_big:
            db_path, csv_path = build(Path(folder))
            _run("--measure", str(db_path), str(csv_path))
        if "--no-big" not in sys.argv:
            big_db, big_csv = build_big(Path(folder))
            _run("--measure-big", str(big_db), str(big_csv))


if __name__ == "__main__":
    main()

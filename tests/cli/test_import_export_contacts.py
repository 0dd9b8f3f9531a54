"""`planner import-contacts` and `planner export-contacts` from the command line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import vobject
from sqlalchemy import func, select

from planner.app import main
from planner.db import models as m
from planner.db.database import open_database

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def _run(tmp_path: Path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "app"), "--database", str(tmp_path / "db.sqlite3"),
                 *args])  # fmt: skip


def _contacts(tmp_path: Path) -> int:
    db = open_database(tmp_path / "db.sqlite3")
    try:
        with db.session() as s:
            return int(s.scalar(select(func.count(m.Contact.id))))
    finally:
        db.close()


def _counts(out: str) -> dict[str, int]:
    pairs = (line.split(": ") for line in out.splitlines() if ": " in line)
    return {k: int(v) for k, v in pairs if v.isdigit()}


def test_import_twice_merges_and_prints_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path, "import-contacts", str(DATA / "google_legacy.csv")) == 0
    first = _counts(capsys.readouterr().out)
    assert first == {"created": 2, "merged": 0, "skipped": 0, "errors": 0, "up to date": 0,
                     "unreadable rows": 0, "bad values": 0}  # fmt: skip
    assert _run(tmp_path, "import-contacts", str(DATA / "google_legacy.csv")) == 0
    second = _counts(capsys.readouterr().out)
    assert second["created"] == 0 and second["merged"] == 2
    assert _contacts(tmp_path) == 2


def test_dry_run_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = _run(tmp_path, "import-contacts", "--dry-run", str(DATA / "apple_3.0.vcf"))
    assert code == 0
    out = capsys.readouterr().out
    assert "dry run" in out and _counts(out)["created"] == 2
    assert _contacts(tmp_path) == 0


@pytest.mark.parametrize("name", ["binary.vcf", "empty.csv", "no_name_column.csv"])
def test_unreadable_file_exits_non_zero_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    assert _run(tmp_path, "import-contacts", str(DATA / "linkedin_old.csv")) == 0
    capsys.readouterr()
    assert _run(tmp_path, "import-contacts", str(DATA / name)) != 0
    captured = capsys.readouterr()
    assert "Nothing was changed" in captured.err
    assert _contacts(tmp_path) == 2


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, "import-contacts", str(tmp_path / "nope.csv")) != 0
    assert "cannot be read" in capsys.readouterr().err


def test_broken_rows_need_consent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "linkedin_connections.csv")
    assert _run(tmp_path, "import-contacts", path) != 0
    err = capsys.readouterr().err
    assert "linkedin_connections.csv:9" in err and "--skip-broken" in err
    assert _contacts(tmp_path) == 0
    assert _run(tmp_path, "import-contacts", "--skip-broken", path) == 0
    assert _counts(capsys.readouterr().out)["errors"] == 1
    assert _contacts(tmp_path) == 3


def test_format_override(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "apple_3.0.vcf")
    assert _run(tmp_path, "import-contacts", "--format", "linkedin", path) != 0
    assert "vCard" in capsys.readouterr().err
    assert _run(tmp_path, "import-contacts", "--format", "vcard", path) == 0


def test_export_vcf_and_csv_then_reimport(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path, "import-contacts", str(DATA / "apple_3.0.vcf")) == 0
    vcf, csv_path = tmp_path / "out.vcf", tmp_path / "out.csv"
    assert _run(tmp_path, "export-contacts", str(vcf)) == 0
    assert _run(tmp_path, "export-contacts", str(csv_path)) == 0
    cards = list(vobject.readComponents(vcf.read_text(encoding="utf-8")))
    assert sorted(c.fn.value for c in cards) == ["Amara Okafor", "Dr. Jörg Müller"]
    assert all(c.version.value == "3.0" for c in cards)
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    # The prefix is a prefix, not a given name (it used to be "first word = given name").
    assert [r["First Name"] for r in rows] == ["Amara", "Jörg"]
    assert [r["Name Prefix"] for r in rows] == ["", "Dr."]
    assert rows[0]["Phone 1 - Value"] == "'+44 7700 900123"  # formula guard
    capsys.readouterr()
    assert _run(tmp_path, "import-contacts", str(vcf)) == 0
    assert _counts(capsys.readouterr().out)["created"] == 0
    assert _run(tmp_path, "import-contacts", str(csv_path)) == 0
    assert _counts(capsys.readouterr().out)["created"] == 0
    assert _contacts(tmp_path) == 2


def test_export_refuses_unknown_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path, "export-contacts", str(tmp_path / "out.xlsx")) != 0
    assert ".vcf" in capsys.readouterr().err

"""Opening a database whose schema is current does not import Alembic (start-up speed), and
the quick reading of the migration files agrees with Alembic's own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from planner.db import database


def test_quick_revision_chain_matches_alembic() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(database._alembic_config())
    chain = database._revision_chain()
    assert chain is not None
    revisions, head = chain
    assert head == script.get_current_head()
    assert set(revisions) == {rev.revision for rev in script.walk_revisions()}


def test_a_current_database_opens_without_importing_alembic(tmp_path: Path) -> None:
    path = tmp_path / "planner.sqlite3"
    database.open_database(path).close()  # created and migrated: Alembic runs here
    code = (
        "import sys\n"
        "from planner.db.database import open_database\n"
        f"db = open_database({str(path)!r}, check='quick', hold_writes=True)\n"
        "db.close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_deferred_check_skips_quick_check_and_holds_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window opens with check="deferred": no quick_check before its first read (seconds
    on a big cold file); writes stay held until the full check (verify) has passed."""
    path = tmp_path / "planner.sqlite3"
    database.open_database(path).close()
    calls: list[bool] = []
    real = database.integrity_problems

    def counting(target: Path, quick: bool = False) -> list[str]:
        calls.append(quick)
        return real(target, quick=quick)

    monkeypatch.setattr(database, "integrity_problems", counting)
    db = database.open_database(path, check="deferred")
    try:
        assert calls == []
        assert db.write_block == "checking"
        assert db.verify() == []
        assert calls == [False]
        assert db.write_block is None
    finally:
        db.close()

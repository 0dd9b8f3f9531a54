"""Opening a database whose schema is current does not import Alembic (start-up speed), and
the quick reading of the migration files agrees with Alembic's own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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

"""`planner restore-backup [BACKUP]`: list the database's backups, or put one back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.cli import EXIT_ALREADY_OPEN, EXIT_DATABASE, EXIT_USAGE, CommandEnv


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "restore-backup",
        help="list the database's backups, or replace the database by one of them",
        description="Without BACKUP, list the backups (newest first) with their date and "
        "contact count. With BACKUP (a file from that list, or 'newest'), check it and put it "
        "in place of the database; the current file is kept beside it, renamed to "
        "NAME.replaced-DATE. Close the app's window on that database first.",
    )
    parser.add_argument("backup", nargs="?", metavar="BACKUP", help="a backup file, or 'newest'")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, env: CommandEnv) -> int:
    from planner.db.backup import BackupError, list_backups, newest_good_backup, restore_backup
    from planner.db.database import resolve_target
    from planner.instance_lock import InstanceLock

    _url, path = resolve_target(env.database)
    if path is None:
        print("planner restore-backup: only a database file has backups", file=sys.stderr)
        return EXIT_USAGE
    if args.backup is None:
        backups = list_backups(path)
        if not backups:
            print(f"No backups of {path} yet (they go in {path.parent / 'backups'}).")
        for info in backups:
            print(info.describe() + f"  {info.path}")
        return 0
    if args.backup == "newest":
        best = newest_good_backup(path)
        if best is None:
            print(f"planner restore-backup: no good backup of {path} found", file=sys.stderr)
            return EXIT_DATABASE
        chosen = best.path
    else:
        chosen = Path(args.backup).expanduser().resolve()
        if not chosen.is_file():
            print(f"planner restore-backup: {chosen} is not a file", file=sys.stderr)
            return EXIT_USAGE
    lock = InstanceLock(path) if path.exists() else None
    if lock is not None and not lock.acquire():
        print(
            f"planner restore-backup: {path} is open in a Networking Planner window; close it "
            "there first (or use File > Restore from backup… in that window).",
            file=sys.stderr,
        )
        return EXIT_ALREADY_OPEN
    try:
        kept = restore_backup(chosen, path)
    except BackupError as exc:
        print(f"planner restore-backup: {exc}. Nothing was changed.", file=sys.stderr)
        return EXIT_DATABASE
    finally:
        if lock is not None:
            lock.release()
    print(f"Restored {path} from {chosen}.")
    if kept is not None:
        print(f"The file it replaced is kept as {kept}.")
    return 0

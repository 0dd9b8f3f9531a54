"""`planner import-contacts FILE`: import a vCard or CSV file; duplicates are merged, not added."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.cli import CommandEnv

EXIT_UNREADABLE = 1
EXIT_BROKEN_ROWS = 4


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import-contacts",
        help="import contacts from a vCard (.vcf) or CSV file (LinkedIn, Google, Outlook)",
        description="Import contacts. Duplicates (same e-mail, LinkedIn profile, or name and "
        "organisation) are merged into the existing contacts, so importing the same file "
        "twice adds nobody the second time.",
    )
    parser.add_argument("file", metavar="FILE", help="the .vcf or .csv file")
    parser.add_argument(
        "--format",
        choices=("auto", "vcard", "linkedin", "google", "outlook", "csv"),
        default="auto",
        help="file layout (default: detected from the content)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would happen; change nothing"
    )
    parser.add_argument(
        "--skip-broken",
        action="store_true",
        help="when some rows cannot be read, import the good rows anyway",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, env: CommandEnv) -> int:
    from planner.core.importer import ImportService, UnreadableFileError
    from planner.interop.contact_files import read_contacts_file

    try:
        parsed = read_contacts_file(args.file, args.format)
    except UnreadableFileError as exc:
        print(f"planner: {args.file}: {exc.message} Nothing was changed.", file=sys.stderr)
        return EXIT_UNREADABLE
    db = env.open_database(write=True)
    try:
        service = ImportService(db)
        preview = service.preview(parsed)
        if parsed.encoding:
            print(f"encoding: {parsed.encoding}")
        for error in preview.errors:
            print(f"{args.file}:{error.line}: {error.message}", file=sys.stderr)
        for row in preview.rows:
            for problem in row.problems:
                print(f"{args.file}:{row.line}: {problem} (kept in the notes)", file=sys.stderr)
        if preview.errors and not args.dry_run and not args.skip_broken:
            print(
                f"planner: {len(preview.errors):,} rows cannot be read (listed above). Nothing "
                "was imported; fix them, or pass --skip-broken to import the other rows.",
                file=sys.stderr,
            )
            good = sum(len(g.lines) for g in preview.groups)
            _print_counts(0, 0, good, len(preview.errors), preview.problem_count, False)
            return EXIT_BROKEN_ROWS
        if args.dry_run:
            _print_counts(
                preview.new_count,
                preview.duplicate_count,
                sum(len(g.lines) for g in preview.groups if g.proposed),
                len(preview.errors),
                preview.problem_count,
                True,
            )
            print(f"possible duplicates (skipped): {preview.proposed_count}")
            return 0
        outcome = service.commit(preview, source=Path(args.file).name)
        _print_counts(
            outcome.created,
            outcome.merged_count,
            outcome.skipped,
            outcome.errors,
            outcome.problems,
            False,
        )
        print(f"up to date: {outcome.unchanged}")
        if preview.proposed_count:
            print(
                f"possible duplicates (skipped): {preview.proposed_count}; same name and "
                "organisation as a contact but nothing to prove it: import them in the app to "
                "choose, one by one"
            )
        return 0
    finally:
        db.close()


def _print_counts(
    created: int, merged: int, skipped: int, errors: int, bad_values: int, dry: bool
) -> None:
    if dry:
        print("dry run: nothing was changed")
    print(f"created: {created}")
    print(f"merged: {merged}")
    print(f"skipped: {skipped}")
    # Unreadable rows plus bad values (an invalid e-mail, phone or URL kept in the notes).
    print(f"errors: {errors + bad_values}")
    print(f"unreadable rows: {errors}")
    print(f"bad values: {bad_values}")

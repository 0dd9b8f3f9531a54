"""`planner export-contacts OUT.vcf|OUT.csv`: all contacts as vCard or Google Contacts CSV."""

from __future__ import annotations

import argparse
import sys

from planner.cli import CommandEnv


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export-contacts",
        help="export all contacts to a vCard (.vcf) or CSV (Google Contacts headers) file",
    )
    parser.add_argument("out", metavar="OUT", help="OUT.vcf or OUT.csv")
    parser.add_argument(
        "--vcard-version",
        choices=("3.0", "4.0"),
        default="3.0",
        help="vCard version (default 3.0, which Outlook reads)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, env: CommandEnv) -> int:
    from planner.core.importer import ImportService
    from planner.interop.contact_files import export_kind_for_path, write_contacts_file

    try:
        kind = export_kind_for_path(args.out, args.vcard_version)
    except ValueError as exc:
        print(f"planner: {exc}", file=sys.stderr)
        return 2
    db = env.open_database(write=False)
    try:
        cards = ImportService(db).load_cards()
    finally:
        db.close()
    try:
        write_contacts_file(cards, args.out, kind)
    except OSError as exc:
        print(f"planner: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"Exported {len(cards):,} contacts to {args.out}")
    return 0

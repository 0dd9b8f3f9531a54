"""`planner demo`: fill the database with a realistic generated network."""

from __future__ import annotations

import argparse
import sys
import time

from planner.cli import CommandEnv


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo", help="fill the database with a generated network to try the app"
    )
    parser.add_argument("--contacts", type=int, default=300, help="how many contacts (default 300)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, env: CommandEnv) -> int:
    from planner.core.demo import generate_demo

    if args.contacts < 0 or args.contacts > 1_000_000:
        print("--contacts must be between 0 and 1,000,000", file=sys.stderr)
        return 2
    db = env.open_database(write=True)
    try:
        started = time.perf_counter()
        summary = generate_demo(db, contacts=args.contacts, seed=args.seed)
        elapsed = time.perf_counter() - started
    finally:
        db.close()
    print(
        f"Added {summary.contacts:,} contacts, {summary.touchpoints:,} touchpoints, "
        f"{summary.events:,} event plans and {summary.followups:,} follow-ups "
        f"to {db.path or db.url} in {elapsed:.1f} s."
    )
    return 0

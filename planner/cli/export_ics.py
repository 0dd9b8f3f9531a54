"""`planner export-ics`: follow-ups, event plans and birthdays to an .ics file (cron-friendly)."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date, timedelta
from pathlib import Path

from planner.cli import CommandEnv

EXIT_USAGE = 2
EXIT_WRITE = 1
# Calendars cannot hold dates beyond these, and date arithmetic would overflow at 9999.
FIRST_YEAR, LAST_YEAR = 1000, 9000
_RELATIVE = re.compile(r"^([+-])(\d{1,5})$")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export-ics",
        help="export reminders to an iCalendar (.ics) file for Outlook, Google Calendar, ...",
        description="Write open follow-ups, event plans and birthdays to one .ics file that "
        "Outlook and Google Calendar import; importing a newer file updates the entries. "
        "DATE is YYYY-MM-DD, 'today', or +N / -N days from today (handy in scheduled exports).",
    )
    parser.add_argument("out", metavar="OUT.ics", help="the file to write (replaced atomically)")
    parser.add_argument(
        "--from", dest="start", metavar="DATE", help="first due date to include (default: any)"
    )
    parser.add_argument(
        "--to", dest="end", metavar="DATE", help="last due date to include (default: any)"
    )
    parser.add_argument(
        "--include",
        metavar="KINDS",
        default="followups,events,birthdays",
        help="comma-separated: followups, events, birthdays (default: all three)",
    )
    alarm = parser.add_mutually_exclusive_group()
    alarm.add_argument(
        "--alarm-minutes",
        metavar="N",
        type=str,
        help="reminder N minutes before each item (default: the app's preference)",
    )
    alarm.add_argument("--no-alarm", action="store_true", help="write no reminders (alarms)")
    whose = parser.add_mutually_exclusive_group()
    whose.add_argument(
        "--mine",
        dest="whose",
        action="store_const",
        const="mine",
        help="team database: only the follow-ups you own (the Calendar's 'My follow-ups')",
    )
    whose.add_argument(
        "--team",
        dest="whose",
        action="store_const",
        const="team",
        help="team database: every follow-up you may see (the default); teammates' private "
        "follow-ups are never exported",
    )
    parser.add_argument(
        "--tasks",
        action="store_true",
        help="write follow-ups as tasks (VTODO) for Thunderbird and Apple Reminders; "
        "Outlook and Google Calendar skip tasks on import",
    )
    parser.set_defaults(run=run)


class UsageError(Exception):
    """A bad argument, explained for the person who typed it."""


def parse_date(text: str, option: str, today: date | None = None) -> date:
    today = today or date.today()
    value = text.strip().lower()
    if value == "today":
        return today
    relative = _RELATIVE.match(value)
    try:
        if relative:
            days = int(relative.group(2))
            parsed = today + timedelta(days=days if relative.group(1) == "+" else -days)
        else:
            parsed = date.fromisoformat(value)
    except (ValueError, OverflowError):
        raise UsageError(
            f"{option}: {text!r} is not a date; use YYYY-MM-DD (e.g. 2026-03-29), "
            "'today', or +N / -N days from today"
        ) from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise UsageError(f"{option}: use a date between the years {FIRST_YEAR} and {LAST_YEAR}")
    return parsed


def parse_include(text: str) -> frozenset[str]:
    from planner.core.reminders import KINDS

    kinds = {part.strip().lower() for part in text.split(",") if part.strip()}
    unknown = kinds - set(KINDS)
    if unknown or not kinds:
        raise UsageError(
            f"--include: {', '.join(sorted(unknown)) or 'nothing'} is not something to "
            f"export; choose from {', '.join(KINDS)}"
        )
    return frozenset(kinds)


def parse_alarm(args: argparse.Namespace, default: int) -> int | None:
    if args.no_alarm:
        return None
    if args.alarm_minutes is None:
        return default
    try:
        minutes = int(args.alarm_minutes)
    except ValueError:
        raise UsageError(
            f"--alarm-minutes: {args.alarm_minutes!r} is not a whole number of minutes"
        ) from None
    if not 0 <= minutes <= 40 * 24 * 60:
        raise UsageError("--alarm-minutes: use 0 to 57600 minutes (40 days), or --no-alarm")
    return minutes


def run(args: argparse.Namespace, env: CommandEnv) -> int:
    from planner.core.errors import ValidationError
    from planner.core.reminders import ReminderQuery, ReminderService
    from planner.interop.ics import IcsOptions, write_ics

    out = Path(args.out).expanduser()
    try:
        start = parse_date(args.start, "--from") if args.start else None
        end = parse_date(args.end, "--to") if args.end else None
        include = parse_include(args.include)
        alarm = parse_alarm(args, env.settings.preferences.reminder_lead_minutes)
        mine = args.whose == "mine"
        query = ReminderQuery(start=start, end=end, include=include, mine_only=mine)
    except UsageError as exc:
        print(f"planner export-ics: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationError as exc:
        print(f"planner export-ics: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    problem = _unwritable(out)
    if problem:
        print(f"planner export-ics: cannot write {out}: {problem}", file=sys.stderr)
        return EXIT_WRITE

    # Collecting records each item's version (SEQUENCE): a write, so the file is checked
    # fully first; a read-only file still exports, without recording versions.
    db = env.open_database(write=True)
    try:
        reminders = ReminderService(db).collect(query)
    finally:
        db.close()
    try:
        options = IcsOptions(
            alarm_minutes=alarm,
            tasks=args.tasks,
            all_day_alarm_offset=env.settings.preferences.all_day_reminder_offset(),
        )
        result = write_ics(out, reminders, options)
    except OSError as exc:
        print(
            f"planner export-ics: cannot write {out}: {exc.strerror or exc}; "
            "an older file there was left as it was",
            file=sys.stderr,
        )
        return EXIT_WRITE
    print(f"Wrote {result.items:,} items ({reminders.describe()}) to {out} ({_size(result.size)}).")
    return 0


def _unwritable(path: Path) -> str:
    """Why `path` cannot be written, checked before the database is read; "" if it can."""
    import os

    if path.is_dir():
        return "it is a folder"
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return f"the folder {folder} does not exist"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"no permission to write in {folder}"
    return ""


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"

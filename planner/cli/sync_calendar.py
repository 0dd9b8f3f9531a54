"""`planner sync-calendar`: publish reminders to a CalDAV calendar (cron-friendly)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from planner.cli import CommandEnv

if TYPE_CHECKING:
    from planner.core.calendar_sync import SyncReport

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_UNREACHABLE = 4
EXIT_NOT_CALDAV = 5
EXIT_CONFLICTS = 6

PROG = "planner sync-calendar"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sync-calendar",
        help="publish reminders to a CalDAV calendar (Apple, Nextcloud, Fastmail, ...)",
        description="Publish open follow-ups, event plans and birthdays to a CalDAV calendar, "
        "sending only what changed since the last sync. Without options it uses the server, "
        "user and calendar from Preferences > Calendar sync and the password saved in the "
        "system keyring.",
    )
    parser.add_argument("--url", metavar="URL", help="CalDAV server or calendar address")
    parser.add_argument("--user", metavar="USER", help="user name on the server")
    parser.add_argument(
        "--password-env",
        metavar="VAR",
        help="read the password from environment variable VAR (default: the system keyring)",
    )
    parser.add_argument(
        "--calendar",
        metavar="NAME",
        help="calendar to publish into, created if missing (default: the one chosen in "
        "Preferences, else 'Networking Planner')",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="connect and count, but change nothing"
    )
    parser.add_argument(
        "--replace-conflicts",
        action="store_true",
        help="overwrite items that were changed on the server (default: report them)",
    )
    parser.set_defaults(run=run)


def _fail(message: str, code: int) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return code


class _Refused(Exception):
    """The sync cannot go on: `message` for stderr, `code` the exit status."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def run(args: argparse.Namespace, env: CommandEnv) -> int:
    try:
        url, user, password = _account(args, env)
        report, calendar_url, calendar_name = _publish(args, env, url, user, password)
    except _Refused as exc:
        return _fail(exc.message, exc.code)
    where = f'"{calendar_name}"' + (f" ({calendar_url})" if calendar_url else " (not created yet)")
    prefix = "Dry run, nothing changed: " if report.dry_run else ""
    print(f"{prefix}{report.describe()} in {where}.")
    if report.conflicts:
        print(
            f"{len(report.conflicts):,} item(s) changed on the server were left as they are "
            "(run with --replace-conflicts to overwrite them):",
            file=sys.stderr,
        )
        for conflict in report.conflicts:
            print(f"  {conflict.summary}: {conflict.reason}", file=sys.stderr)
        return EXIT_CONFLICTS
    return EXIT_OK


def _account(args: argparse.Namespace, env: CommandEnv) -> tuple[str, str, str]:
    """The server, user and password: from the options, else from Preferences and the
    system keyring."""
    from planner import credentials

    prefs = env.settings.preferences
    url = (args.url or prefs.calendar_sync_url).strip()
    if not url:
        raise _Refused(
            "no calendar server set: give --url (and --user, --password-env), "
            "or connect one in Preferences > Calendar sync",
            EXIT_USAGE,
        )
    same_account = url == prefs.calendar_sync_url.strip()
    user = (
        args.user if args.user is not None else (prefs.calendar_sync_user if same_account else "")
    )
    if args.password_env:
        password = os.environ.get(args.password_env)
        if password is None:
            raise _Refused(f"the environment variable {args.password_env} is not set", EXIT_USAGE)
    else:
        password = credentials.get_password(url, user) if user else None
        if password is None:
            raise _Refused(
                f"no password saved for {user or 'this server'} at {url}; save it in "
                "Preferences > Calendar sync, or pass --password-env VAR",
                EXIT_USAGE,
            )
    return url, user, password


def _publish(
    args: argparse.Namespace, env: CommandEnv, url: str, user: str, password: str
) -> tuple[SyncReport, str, str]:
    """Publishes the reminders; returns the report and the calendar's address and name."""
    from planner.core.calendar_sync import CalendarSyncStore
    from planner.core.reminders import ReminderQuery, ReminderService
    from planner.interop.caldav_client import (
        DEFAULT_CALENDAR_NAME,
        CalDavAuthError,
        CalDavClient,
        CalDavError,
        CalDavNotCalendarServer,
        CalDavUnreachable,
    )
    from planner.interop.calendar_publish import PublishOptions, publish

    prefs = env.settings.preferences
    same_account = url == prefs.calendar_sync_url.strip()
    saved_calendar = prefs.calendar_sync_calendar_url if same_account else ""
    wanted_name = args.calendar or prefs.calendar_sync_calendar_name or DEFAULT_CALENDAR_NAME
    # As every command: who is asking (a teammate's private follow-up is never published)
    # and the whole file checked before the sync state is written.
    db = env.open_database(write=not args.dry_run)
    try:
        reminders = ReminderService(db).collect(ReminderQuery())
        store = CalendarSyncStore(db)
        options = PublishOptions(
            alarm_minutes=prefs.reminder_lead_minutes,
            all_day_alarm_offset=prefs.all_day_reminder_offset(),
            replace_conflicts=args.replace_conflicts,
            dry_run=args.dry_run,
        )
        with CalDavClient(url, user, password) as client:
            calendar = client.resolve_calendar(
                "" if args.calendar else saved_calendar, wanted_name, create=not args.dry_run
            )
            report = publish(client, store, calendar.url, reminders, options)
            return report, calendar.url, calendar.name
    except CalDavAuthError as exc:
        raise _Refused(exc.message, EXIT_AUTH) from exc
    except CalDavUnreachable as exc:
        raise _Refused(
            f"{exc.message} Nothing more was sent; run again later.", EXIT_UNREACHABLE
        ) from exc
    except CalDavNotCalendarServer as exc:
        raise _Refused(exc.message, EXIT_NOT_CALDAV) from exc
    except CalDavError as exc:
        raise _Refused(exc.message, EXIT_REFUSED) from exc
    finally:
        db.close()

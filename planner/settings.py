"""User preferences: one dataclass, loaded from and saved to one JSON file."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

NOTIFICATION_MODES: dict[str, str] = {
    "tray": "Desktop notification (in the window when there is no tray)",
    "window": "In the window only",
    "off": "Off",
}

RELATIONSHIP_DEFAULT_CADENCE: dict[str, int | None] = {
    "colleague": 90,
    "mentor": 60,
    "mentee": 30,
    "sponsor": 60,
    "industry_leader": 120,
    "peer": 90,
    "client": 45,
    "recruiter": 180,
    "other": None,
}


THEMES = ("system", "light", "dark")


@dataclass
class Preferences:
    # Keep-in-touch cadence in days per relationship type; None means no cadence.
    default_cadence: dict[str, int | None] = field(
        default_factory=lambda: dict(RELATIONSHIP_DEFAULT_CADENCE)
    )
    followup_days_after_event: int = 3
    reminder_lead_minutes: int = 30
    # All-day items (follow-ups without a time, all-day events, birthdays) remind at this local
    # time ("HH:MM") on their day, or on the day before: a lead time counted back from
    # midnight would ring at 23:30 the night before.
    all_day_reminder_time: str = "09:00"
    all_day_reminder_day_before: bool = False
    # How a follow-up falling due is shown: "tray" (a desktop notification, or the window
    # when there is no tray), "window" (a banner in the window and the taskbar flag), "off".
    notifications: str = "tray"
    # ISO weekday: 1 = Monday ... 7 = Sunday.
    first_day_of_week: int = 1
    # Region for phone numbers typed without a country code; empty means from the locale.
    phone_region: str = ""
    # Appearance: "system" (the platform's look), "light" or "dark" (Fusion with our palette).
    theme: str = "system"
    # Calendar sync (CalDAV): the server, user and calendar to publish into. The password is in
    # the system keyring (planner/credentials.py), never in this file.
    calendar_sync_enabled: bool = False
    calendar_sync_url: str = ""
    calendar_sync_user: str = ""
    calendar_sync_calendar_url: str = ""
    calendar_sync_calendar_name: str = ""
    # Team mode: who you are to teammates (stamped on what you add and change), and the team
    # database last connected to (its URL without the password, which is in the keyring).
    user_name: str = ""
    user_email: str = ""
    team_database_url: str = ""
    # Window geometry, dialog choices and the like, keyed by the widget that owns them.
    ui_state: dict[str, Any] = field(default_factory=dict)

    def all_day_reminder_offset(self) -> int:
        """Minutes from the start of an all-day item's day to its reminder; negative when it
        rings the day before. A malformed time falls back to 09:00."""
        try:
            hours, minutes = (int(p) for p in str(self.all_day_reminder_time).split(":"))
        except ValueError:
            hours, minutes = 9, 0
        if not (0 <= hours < 24 and 0 <= minutes < 60):
            hours, minutes = 9, 0
        at = hours * 60 + minutes
        return at - 24 * 60 if self.all_day_reminder_day_before else at

    def author_name(self) -> str:
        """Who edits on a team database: the name set in Connect to team database…, else
        this computer's account name (the app and the command line stamp the same one)."""
        if self.user_name:
            return self.user_name
        import getpass

        try:
            return getpass.getuser()
        except Exception:  # no login name in the environment or the password database
            return ""

    def cadence_for(self, relationship: str) -> int | None:
        return self.default_cadence.get(
            relationship, RELATIONSHIP_DEFAULT_CADENCE.get(relationship)
        )


_INVALID = object()


def _int_in(low: int, high: int) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return _INVALID
        return value

    return check


def _cadences(value: Any) -> Any:
    if not isinstance(value, dict):
        return _INVALID
    out: dict[str, int | None] = {}
    for key, days in value.items():
        if not isinstance(key, str):
            continue
        if days is None or (
            isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= 3650
        ):
            out[key] = days
        else:
            log.warning("Cadence for %r has the wrong type or range; using the default", key)
    return out


def _text(value: Any) -> Any:
    return value if isinstance(value, str) and len(value) <= 10 else _INVALID


def _string(limit: int) -> Any:
    def check(value: Any) -> Any:
        return value if isinstance(value, str) and len(value) <= limit else _INVALID

    return check


def _mapping(value: Any) -> Any:
    return value if isinstance(value, dict) else _INVALID


def _flag(value: Any) -> Any:
    return value if isinstance(value, bool) else _INVALID


def _theme(value: Any) -> Any:
    return value if value in THEMES else _INVALID


def _clock(value: Any) -> Any:
    """A time of day as "HH:MM", 00:00 to 23:59."""
    if not isinstance(value, str):
        return _INVALID
    hours, _, minutes = value.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        return _INVALID
    return value if int(hours) < 24 and int(minutes) < 60 else _INVALID


# One check per field: a value of the wrong type or range falls back to that field's default,
# so a hand-edited or damaged settings.json never stops the app.
_CHECKS: dict[str, Any] = {
    "default_cadence": _cadences,
    "followup_days_after_event": _int_in(0, 365),
    "reminder_lead_minutes": _int_in(0, 40 * 24 * 60),
    "first_day_of_week": _int_in(1, 7),
    "phone_region": _text,
    "all_day_reminder_time": _clock,
    "all_day_reminder_day_before": _flag,
    "theme": _theme,
    "notifications": lambda v: v if v in NOTIFICATION_MODES else _INVALID,
    "ui_state": _mapping,
    # Without these a restart forgot the team identity and the calendar server.
    "calendar_sync_enabled": _flag,
    "calendar_sync_url": _string(2000),
    "calendar_sync_user": _string(200),
    "calendar_sync_calendar_url": _string(2000),
    "calendar_sync_calendar_name": _string(300),
    "user_name": _string(200),
    "user_email": _string(320),
    "team_database_url": _string(2000),
}


class SettingsStore:
    """Loads and saves Preferences atomically; a broken file falls back to defaults, logged."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.preferences = self._load()

    def _load(self) -> Preferences:
        if not self.path.exists():
            return Preferences()
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("Settings file %s unreadable (%s); using defaults", self.path, exc)
            return Preferences()
        prefs = Preferences()
        if not isinstance(raw, dict):
            log.warning("Settings file %s holds no settings object; using defaults", self.path)
            return prefs
        for key, value in raw.items():
            check = _CHECKS.get(key)
            if check is None:
                continue
            cleaned = check(value)
            if cleaned is _INVALID:
                # Only the setting's name and the value's type: values may be personal.
                log.warning(
                    "Setting %r in %s has the wrong type (%s); using the default",
                    key,
                    self.path,
                    type(value).__name__,
                )
                continue
            setattr(prefs, key, cleaned)
        merged = dict(RELATIONSHIP_DEFAULT_CADENCE)
        merged.update(prefs.default_cadence)
        prefs.default_cadence = merged
        return prefs

    def save(self) -> None:
        from planner.safefiles import write_atomically

        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(asdict(self.preferences), indent=2, sort_keys=True)
        write_atomically(self.path, data.encode("utf-8"))

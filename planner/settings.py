"""User preferences: one dataclass, loaded from and saved to one JSON file."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

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


@dataclass
class Preferences:
    # Keep-in-touch cadence in days per relationship type; None means no cadence.
    default_cadence: dict[str, int | None] = field(
        default_factory=lambda: dict(RELATIONSHIP_DEFAULT_CADENCE)
    )
    followup_days_after_event: int = 3
    reminder_lead_minutes: int = 30
    # ISO weekday: 1 = Monday ... 7 = Sunday.
    first_day_of_week: int = 1
    # Region for phone numbers typed without a country code; empty means from the locale.
    phone_region: str = ""
    # Calendar sync (CalDAV): the server, user and calendar to publish into. The password is in
    # the system keyring (planner/credentials.py), never in this file.
    calendar_sync_enabled: bool = False
    calendar_sync_url: str = ""
    calendar_sync_user: str = ""
    calendar_sync_calendar_url: str = ""
    calendar_sync_calendar_name: str = ""
    # Window geometry, dialog choices and the like, keyed by the widget that owns them.
    ui_state: dict[str, Any] = field(default_factory=dict)

    def cadence_for(self, relationship: str) -> int | None:
        return self.default_cadence.get(
            relationship, RELATIONSHIP_DEFAULT_CADENCE.get(relationship)
        )


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
        known = {f.name for f in fields(Preferences)}
        for key, value in raw.items() if isinstance(raw, dict) else ():
            if key in known:
                setattr(prefs, key, value)
        merged = dict(RELATIONSHIP_DEFAULT_CADENCE)
        if isinstance(prefs.default_cadence, dict):
            merged.update(prefs.default_cadence)
        prefs.default_cadence = merged
        return prefs

    def save(self) -> None:
        import tempfile

        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(asdict(self.preferences), indent=2, sort_keys=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

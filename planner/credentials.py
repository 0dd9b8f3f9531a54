"""Passwords in the system keyring (macOS Keychain, Windows Credential Locker, Secret Service,
KWallet), never in settings.json.

Where no keyring works (a headless Linux box, a locked or missing Secret Service) the password
is kept in memory for this run only and the caller is told why, so the user can fix it or use
an environment variable for scheduled runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

SERVICE_PREFIX = "Networking Planner CalDAV"

# Passwords for this run only, when the keyring cannot hold them.
_session: dict[tuple[str, str], str] = {}

NO_KEYRING_HELP = (
    "No system keyring is available ({reason}), so the password is kept only until you quit. "
    "Install or unlock a keyring (GNOME Keyring or KWallet on Linux) to have it remembered; "
    "scheduled runs of `planner sync-calendar` can read it from an environment variable "
    "with --password-env."
)


@dataclass(frozen=True)
class SavedPassword:
    """Where a password went: `in_keyring` False means memory only, with `message` saying why."""

    in_keyring: bool
    message: str = ""


DATABASE_SERVICE_PREFIX = "Networking Planner database"


def _service(url: str) -> str:
    prefix = DATABASE_SERVICE_PREFIX if url.strip().startswith("postgres") else SERVICE_PREFIX
    return f"{prefix} {url.strip()}"


def with_database_password(target: str) -> str:
    """A team database URL without a password gets the one saved in the keyring for it (File >
    Connect to team database… saves it); anything else is returned as it is."""
    if not target.startswith("postgres") or "://" not in target:
        return target
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(target)
    except ArgumentError:
        return target
    if url.password or not url.username:
        return target
    saved = get_password(database_key(target), url.username)
    if not saved:
        return target
    return url.set(password=saved).render_as_string(hide_password=False)


def database_key(target: str) -> str:
    """The keyring key of a database URL: without driver name or password."""
    from sqlalchemy.engine import URL, make_url

    url = make_url(target)
    plain = URL.create(
        "postgresql", url.username, None, url.host, url.port, url.database, url.query
    )
    return plain.render_as_string(hide_password=False)


def _keyring_error(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def get_password(url: str, user: str) -> str | None:
    """The saved password, from the keyring or this run's memory; None when there is none."""
    key = (url.strip(), user)
    if key in _session:
        return _session[key]
    try:
        import keyring

        return keyring.get_password(_service(url), user)
    except Exception as exc:  # no backend, locked, D-Bus missing: all mean "not saved"
        log.info("Keyring not available for reading: %s", _keyring_error(exc))
        return None


def set_password(url: str, user: str, password: str) -> SavedPassword:
    """Save in the keyring; when that cannot work, keep it for this run and say why."""
    key = (url.strip(), user)
    try:
        import keyring

        keyring.set_password(_service(url), user, password)
    except Exception as exc:
        reason = _keyring_error(exc)
        log.warning("Keyring not available, keeping the CalDAV password in memory: %s", reason)
        _session[key] = password
        return SavedPassword(False, NO_KEYRING_HELP.format(reason=reason))
    _session.pop(key, None)
    return SavedPassword(True)


def delete_password(url: str, user: str) -> None:
    """Forget the password (disconnecting the calendar); a missing entry is fine."""
    _session.pop((url.strip(), user), None)
    try:
        import keyring

        keyring.delete_password(_service(url), user)
    except Exception as exc:
        log.info("No keyring entry removed: %s", _keyring_error(exc))

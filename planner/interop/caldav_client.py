"""A small CalDAV client over the `caldav` library: discovery, calendars, conditional writes.

Only what publishing needs, with the library's errors turned into four of ours whose messages
a person can act on: the password is wrong (`CalDavAuthError`), the server cannot be reached
or is down (`CalDavUnreachable`, worth retrying later), the URL is not a CalDAV server
(`CalDavNotCalendarServer`), or the server refused a request (`CalDavError`). A refused
condition on one item (HTTP 412, someone changed it on the server) is `CalDavPreconditionFailed`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from caldav.calendarobjectresource import CalendarObjectResource
from caldav.collection import Calendar
from caldav.davclient import DAVClient
from caldav.elements import cdav, dav
from caldav.lib import error as caldav_error

log = logging.getLogger(__name__)

DEFAULT_CALENDAR_NAME = "Networking Planner"
DEFAULT_TIMEOUT_SECONDS = 20
_CALENDAR_TYPE = "{urn:ietf:params:xml:ns:caldav}calendar"


class CalDavError(Exception):
    """A CalDAV request failed; `message` says why in words for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CalDavAuthError(CalDavError):
    """The server refused the user name or password (HTTP 401/403)."""


class CalDavUnreachable(CalDavError):
    """No answer, a network error, or the server is down for now (5xx, 429): retry later."""


class CalDavNotCalendarServer(CalDavError):
    """The URL answers, but not as a CalDAV server or calendar."""


class CalDavPreconditionFailed(CalDavError):
    """HTTP 412: the item on the server is not the version we last wrote."""


@dataclass(frozen=True)
class RemoteCalendar:
    url: str
    name: str


def normalise_url(text: str) -> str:
    """What the user typed -> a URL: https:// is assumed; a bare domain is kept for discovery."""
    value = text.strip()
    if not value:
        raise CalDavNotCalendarServer("Enter the CalDAV server's address.")
    if "://" in value:
        scheme = value.split("://", 1)[0].lower()
        if scheme not in ("http", "https"):
            raise CalDavNotCalendarServer(
                f"{value} is not a web address; use https://… (or http:// for a local server)."
            )
        return value
    if "/" in value:
        return "https://" + value
    return value  # a bare domain or e-mail address: RFC 6764 discovery (DNS SRV, well-known)


def resource_href(calendar_url: str, uid: str) -> str:
    """Where an item lives in the calendar: its UID's local part plus .ics, URL-safe."""
    name = quote(uid.partition("@")[0] or uid, safe="-_.")
    return calendar_url.rstrip("/") + "/" + name + ".ics"


def _status(exc: BaseException) -> int | None:
    status = getattr(exc, "status", None)
    return status if isinstance(status, int) else None


def _well_known(url: str) -> str | None:
    """The server's /.well-known/caldav when the URL names only the host, else None."""
    parts = urlsplit(url)
    if not parts.scheme or parts.path not in ("", "/"):
        return None
    return urlunsplit((parts.scheme, parts.netloc, "/.well-known/caldav", "", ""))


class CalDavClient:
    """One account on one server. Not thread-safe: use it from one thread at a time."""

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        *,
        timeout: int = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self.url = normalise_url(url)
        self.username = username
        self._password = password
        self.timeout = timeout
        self._client: Any = None
        self._principal: Any = None

    # --- connection and discovery ---------------------------------------------------------

    def _connect(self, url: str) -> Any:
        try:
            return DAVClient(
                url=url,
                username=self.username or None,
                password=self._password or None,
                timeout=self.timeout,
            )
        except OSError as exc:
            raise CalDavUnreachable(f"Could not reach {url}: {_reason(exc)}") from exc
        except Exception as exc:
            raise CalDavNotCalendarServer(f"{url} is not a usable address: {exc}") from exc

    def _discover(self, url: str) -> tuple[Any, Any]:
        """Client and principal via current-user-principal and calendar-home-set."""
        client = self._connect(url)
        try:
            principal = client.get_principal()
            home = principal.get_property(cdav.CalendarHomeSet())
        except BaseException:
            client.close()
            raise
        if not home:
            client.close()
            raise CalDavNotCalendarServer(
                f"{url} answers WebDAV but names no calendar home; it is not a CalDAV server."
            )
        return client, principal

    def connect(self) -> None:
        """Find the principal (trying /.well-known/caldav for a bare host); raises ours."""
        if self._principal is not None:
            return
        candidates = [self.url]
        well_known = _well_known(self.url)
        if well_known:
            candidates.append(well_known)
        last: CalDavError | None = None
        for url in candidates:
            try:
                self._client, self._principal = self._guard(url, lambda u=url: self._discover(u))
                return
            except CalDavNotCalendarServer as exc:
                last = exc
        assert last is not None
        raise last

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = None
        self._principal = None

    def __enter__(self) -> CalDavClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _guard(self, url: str, call: Any) -> Any:
        """Run a library call, turning its exceptions into ours."""
        try:
            return call()
        except CalDavError:
            raise
        except caldav_error.AuthorizationError as exc:
            raise CalDavAuthError(
                f"The server refused the user name or password for {self.username or 'you'} "
                f"(HTTP {_status(exc) or 401}). Check them in Preferences > Calendar sync."
            ) from exc
        except caldav_error.RateLimitError as exc:
            raise CalDavUnreachable(f"{url} is busy (rate limited); trying again later.") from exc
        except caldav_error.DAVError as exc:
            status = _status(exc)
            if status in (500, 502, 503, 504):
                raise CalDavUnreachable(f"{url} is not working right now (HTTP {status}).") from exc
            raise CalDavNotCalendarServer(
                f"{url} does not answer as a CalDAV server"
                + (f" (HTTP {status})." if status else ".")
                + " Check the address: your provider's help names its CalDAV URL."
            ) from exc
        except OSError as exc:
            raise CalDavUnreachable(f"Could not reach {url}: {_reason(exc)}") from exc
        except (ValueError, KeyError, AttributeError, TypeError) as exc:
            # The library could not make sense of the answer: not a DAV server (an HTML page).
            log.info("CalDAV answer from %s not understood", url, exc_info=True)
            raise CalDavNotCalendarServer(
                f"{url} does not answer as a CalDAV server (the reply was not understood)."
            ) from exc

    # --- calendars ------------------------------------------------------------------------

    def calendars(self) -> list[RemoteCalendar]:
        """The user's calendars (from the calendar home set), by name."""
        self.connect()

        def fetch() -> list[RemoteCalendar]:
            found = []
            for calendar in self._principal.get_calendars():
                name = calendar.get_display_name() or str(calendar.url).rstrip("/").split("/")[-1]
                found.append(RemoteCalendar(str(calendar.url), str(name)))
            return found

        return self._guard(self.url, fetch)  # type: ignore[no-any-return]

    def create_calendar(self, name: str = DEFAULT_CALENDAR_NAME) -> RemoteCalendar:
        """Make a new calendar for events in the user's calendar home."""
        self.connect()

        def make() -> RemoteCalendar:
            calendar = self._principal.make_calendar(
                name=name, supported_calendar_component_set=["VEVENT"]
            )
            return RemoteCalendar(str(calendar.url), name)

        return self._guard(self.url, make)  # type: ignore[no-any-return]

    def find_or_create_calendar(self, name: str = DEFAULT_CALENDAR_NAME) -> RemoteCalendar:
        for calendar in self.calendars():
            if calendar.name == name:
                return calendar
        return self.create_calendar(name)

    def resolve_calendar(
        self, calendar_url: str, name: str = "", *, create: bool = True
    ) -> RemoteCalendar:
        """The calendar to publish into: the saved one (checked), else the one named `name`
        ("Networking Planner" by default), made when missing and `create` (else url "")."""
        if calendar_url:
            checked = self.check_calendar(calendar_url)
            return RemoteCalendar(checked.url, checked.name or name)
        name = name or DEFAULT_CALENDAR_NAME
        for calendar in self.calendars():
            if calendar.name == name:
                return calendar
        return self.create_calendar(name) if create else RemoteCalendar("", name)

    def check_calendar(self, calendar_url: str) -> RemoteCalendar:
        """That the URL is a calendar collection we can reach; its name."""
        self.connect()

        def check() -> RemoteCalendar:
            calendar: Any = Calendar(self._client, url=calendar_url)
            try:
                props = calendar.get_properties([dav.ResourceType(), dav.DisplayName()])
            except caldav_error.NotFoundError as exc:
                raise CalDavNotCalendarServer(
                    f"The calendar {calendar_url} is no longer on the server. Choose or create "
                    "one in Preferences > Calendar sync (or pass --calendar NAME)."
                ) from exc
            kinds = props.get("{DAV:}resourcetype") or []
            if _CALENDAR_TYPE not in kinds:
                raise CalDavNotCalendarServer(f"{calendar_url} is not a calendar.")
            return RemoteCalendar(calendar_url, str(props.get("{DAV:}displayname") or ""))

        return self._guard(calendar_url, check)  # type: ignore[no-any-return]

    # --- items ----------------------------------------------------------------------------

    def put(self, href: str, data: bytes, etag: str | None, *, force: bool = False) -> str:
        """Write one item: create only if absent (etag None), else only if still at `etag`.

        `force` writes whatever is there (the user chose to replace the server's copy).
        Returns the new ETag ("" when the server gives none and does not answer a PROPFIND).
        """
        self.connect()
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if not force:
            if etag is None:
                headers["If-None-Match"] = "*"
            else:
                headers["If-Match"] = etag
        response = self._guard(href, lambda: self._client.put(href, data.decode("utf-8"), headers))
        status = int(response.status)
        if status == 412:
            raise CalDavPreconditionFailed(
                "already on the server (not written by this database)"
                if etag is None
                else "changed or removed on the server since the last sync"
            )
        self._raise_for_status(href, status, "save")
        new_etag = str(response.headers.get("ETag") or "")
        return new_etag or self._etag(href)

    def delete(self, href: str, etag: str, *, force: bool = False) -> None:
        """Remove one item if it is still the version we wrote; gone already is fine."""
        self.connect()
        headers = {} if force or not etag else {"If-Match": etag}
        try:
            response = self._guard(href, lambda: self._client.delete(href, headers))
        except CalDavNotCalendarServer as exc:
            if isinstance(exc.__cause__, caldav_error.NotFoundError):
                return
            raise
        status = int(response.status)
        if status in (404, 410):
            return
        if status == 412:
            raise CalDavPreconditionFailed("changed on the server since the last sync")
        self._raise_for_status(href, status, "delete")

    def _etag(self, href: str) -> str:
        def fetch() -> str:
            resource: Any = CalendarObjectResource(self._client, url=href)
            props = resource.get_properties([dav.GetEtag()])
            return str(props.get("{DAV:}getetag") or "")

        try:
            return self._guard(href, fetch)  # type: ignore[no-any-return]
        except CalDavNotCalendarServer:
            return ""

    def _raise_for_status(self, href: str, status: int, what: str) -> None:
        if 200 <= status < 300:
            return
        if status in (401, 403):
            raise CalDavAuthError(
                f"The server does not let {self.username or 'you'} {what} items in this "
                f"calendar (HTTP {status})."
            )
        if status in (429, 500, 502, 503, 504):
            raise CalDavUnreachable(f"The server is not working right now (HTTP {status}).")
        raise CalDavError(f"The server refused to {what} {href} (HTTP {status}).")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "the connection was refused (is the server running?)"
    if "timed out" in text.lower():
        return "no answer (timed out)"
    if "certificate" in text.lower() or "SSL" in text:
        return f"a secure connection failed ({text})"
    if "Name or service not known" in text or "getaddrinfo" in text or "resolve" in text:
        return "the server's name was not found"
    return text or type(exc).__name__

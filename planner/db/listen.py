"""Teammates' changes, live: PostgreSQL LISTEN/NOTIFY turned into ids per kind.

Migration 0008 adds statement-level triggers that `pg_notify('planner_changes', ...)` after
every insert, update and delete on the tables people edit, with the ids touched (or `*` for
big statements) and the writer's application_name. A ChangeListener holds one extra
connection that LISTENs; it has no thread: the window watches its socket and polls it (see
planner.ui.live). The app's own writes (same application_name) are left out, the app already
knows about those.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

CHANNEL = "planner_changes"

# Table -> the kind the UI reloads (planner.core.changes.Kind names).
KIND_OF_TABLE: dict[str, str] = {
    "contacts": "contacts",
    "contact_emails": "contacts",
    "contact_phones": "contacts",
    "contact_urls": "contacts",
    "contact_addresses": "contacts",
    "contact_tags": "contacts",
    "contact_organisations": "contacts",
    "contact_notes": "contacts",
    "touchpoints": "touchpoints",
    "referrals": "referrals",
    "follow_ups": "follow_ups",
    "event_plans": "events",
    "event_attendees": "events",
    "event_goals": "events",
    "organisations": "organisations",
}

# What this process calls itself on the server, so it can skip its own notifications.
APPLICATION_NAME = f"planner-{uuid.uuid4().hex[:12]}"

# {kind: set of ids, or None for "reload the whole kind"}
Batch = dict[str, "set[int] | None"]


def parse_payload(
    payload: str, own_name: str = APPLICATION_NAME
) -> tuple[str, set[int] | None] | None:
    """'contacts:3,4:planner-ab12' -> ('contacts', {3, 4}); None for our own or unknown ones."""
    table, _, rest = payload.partition(":")
    ids_text, _, writer = rest.partition(":")
    kind = KIND_OF_TABLE.get(table)
    if kind is None or writer == own_name:
        return None
    if ids_text == "*":
        return kind, None
    try:
        return kind, {int(v) for v in ids_text.split(",") if v}
    except ValueError:
        return kind, None


def add_to(batch: Batch, kind: str, ids: set[int] | None) -> None:
    if kind in batch and batch[kind] is None:
        return
    if ids is None:
        batch[kind] = None
    else:
        current = batch.setdefault(kind, set())
        assert current is not None
        current.update(ids)


class ChangeListener:
    """One connection that LISTENs; it never waits unless asked to (`wait`).

    `connect()` blocks (run it off the GUI thread); afterwards the window watches `fileno()`
    for data and calls `poll()`, which reads what arrived without waiting and returns it as
    a Batch (empty when nothing was for us). A lost connection makes `poll()` raise
    `ListenLost`; connect again then. No thread of its own: the caller decides where it runs.
    """

    def __init__(self, url: str, *, own_name: str = APPLICATION_NAME) -> None:
        self.url = url
        self.own_name = own_name
        self._conn: Any = None

    @property
    def connected(self) -> bool:
        return self._conn is not None and not self._conn.closed

    def connect(self) -> None:
        """Open the connection and LISTEN; from then on no change is missed."""
        import psycopg

        url = make_url(self.url)
        params: dict[str, Any] = {k: v for k, v in url.query.items() if isinstance(v, str)}
        params.update(
            host=url.host or None,
            port=url.port or None,
            user=url.username or None,
            password=url.password or None,
            dbname=url.database or None,
            connect_timeout=10,
            application_name=f"{self.own_name}-listen",
        )
        conn = psycopg.connect(autocommit=True, **params)
        try:
            conn.execute(f"LISTEN {CHANNEL}")
        except Exception:
            conn.close()
            raise
        self._conn = conn

    def fileno(self) -> int:
        """The connection's socket: readable when a notification (or a hang-up) arrived."""
        if self._conn is None:
            raise ListenLost("Not connected.")
        return int(self._conn.fileno())

    def poll(self) -> Batch:
        """What arrived so far, without waiting; raises ListenLost when the link is gone."""
        return self._collect(0.0)

    def wait(self, timeout: float, settle: float = 0.1) -> Batch:
        """Block up to `timeout` for a first notification, then `settle` for more (CLI, tests)."""
        batch = self._collect(timeout)
        while batch:
            more = self._collect(settle)
            if not more:
                break
            for kind, ids in more.items():
                add_to(batch, kind, ids)
        return batch

    def _collect(self, timeout: float) -> Batch:
        if self._conn is None:
            raise ListenLost("Not connected.")
        batch: Batch = {}
        try:
            # The first notification may be waited for; the rest only drained.
            notes = list(self._conn.notifies(timeout=timeout, stop_after=1)) if timeout else []
            notes += self._conn.notifies(timeout=0)
            for note in notes:
                parsed = parse_payload(note.payload, self.own_name)
                if parsed is not None:
                    add_to(batch, *parsed)
        except Exception as exc:
            self.close()
            raise ListenLost(str(exc)) from exc
        return batch

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception as exc:  # already gone: nothing left to close
                log.debug("Closing the listen connection: %s", exc)


class ListenLost(Exception):
    """The listening connection is gone (server restart, network): connect again."""

"""Teammates' changes, live: PostgreSQL LISTEN/NOTIFY turned into ids per kind.

Migration 0008 adds statement-level triggers that `pg_notify('planner_changes', ...)` after
every insert, update and delete on the tables people edit, with the ids touched (or `*` for
big statements) and the writer's application_name. A ChangeListener holds one extra
connection that LISTENs and hands each batch to a callback on its own thread; the app's own
writes (same application_name) are left out, the app already knows about those.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
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
    """LISTENs on its own connection in a daemon thread; `on_batch(batch)` runs on that thread.

    Notifications arriving within `settle` seconds of each other are delivered as one batch.
    `stop()` ends the thread and closes the connection within about a second.
    """

    def __init__(
        self,
        url: str,
        on_batch: Callable[[Batch], Any],
        *,
        own_name: str = APPLICATION_NAME,
        settle: float = 0.3,
    ) -> None:
        self.url = url
        self.on_batch = on_batch
        self.own_name = own_name
        self.settle = settle
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="planner-listen", daemon=True)

    def start(self, wait: float = 10.0) -> bool:
        """Start listening; True once the LISTEN is in place (so no later change is missed)."""
        self._thread.start()
        return self._ready.wait(wait)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=3)

    def _connect(self) -> Any:
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
        return psycopg.connect(autocommit=True, **params)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn = self._connect()
            except Exception as exc:
                log.warning("Live updates: cannot connect (%s); retrying", exc)
                self._stop.wait(5)
                continue
            try:
                conn.execute(f"LISTEN {CHANNEL}")
                self._ready.set()
                self._listen(conn)
            except Exception as exc:
                if not self._stop.is_set():
                    log.warning("Live updates: connection lost (%s); reconnecting", exc)
                    self._stop.wait(2)
            finally:
                conn.close()

    def _listen(self, conn: Any) -> None:
        batch: Batch = {}
        while not self._stop.is_set():
            # Wait up to a second for the first notification, then `settle` for more.
            timeout = self.settle if batch else 1.0
            got = False
            for note in conn.notifies(timeout=timeout, stop_after=1):
                got = True
                parsed = parse_payload(note.payload, self.own_name)
                if parsed is not None:
                    add_to(batch, *parsed)
            if batch and not got:
                self.on_batch(batch)
                batch = {}

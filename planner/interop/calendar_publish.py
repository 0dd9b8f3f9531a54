"""Publishing reminders to a CalDAV calendar: one resource per item, only what changed.

The item texts come from `ics.render_resources`, the same writers as the `.ics` export, so the
file and the server always agree. The rules (what to create, update, delete, leave alone) are
core's `plan_sync`; this module carries the plan out over a `CalDavClient` and records each
answer in core's `CalendarSyncStore` as it arrives. Plain functions without Qt: the CLI calls
them directly and the window runs them off the GUI thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from planner.core.calendar_sync import (
    CalendarSyncStore,
    Conflict,
    DesiredItem,
    SyncPlan,
    SyncReport,
    TrackedItem,
    plan_sync,
)
from planner.core.reminders import ReminderSet
from planner.interop.caldav_client import (
    CalDavClient,
    CalDavPreconditionFailed,
    resource_href,
)
from planner.interop.ics import (
    IcsOptions,
    birthday_summary,
    birthday_uid,
    event_uid,
    followup_summary,
    followup_uid,
    render_resources,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublishOptions:
    """How items are written: the reminder lead time (None: none) as in the export."""

    alarm_minutes: int | None = 30
    # As IcsOptions.all_day_alarm_offset (Preferences > all-day reminders).
    all_day_alarm_offset: int | None = 9 * 60
    replace_conflicts: bool = False
    dry_run: bool = False


def summaries(reminders: ReminderSet) -> dict[str, str]:
    """UID -> the title a person recognises, for conflict messages."""
    names: dict[str, str] = {}
    for followup in reminders.followups:
        names[followup_uid(followup.uuid)] = followup_summary(followup)
    for event in reminders.events:
        names[event_uid(event.uuid)] = " ".join(event.name.split()) or "Event"
    for birthday in reminders.birthdays:
        names[birthday_uid(birthday.contact_uuid)] = birthday_summary(birthday)
    return names


def desired_items(reminders: ReminderSet, options: PublishOptions) -> list[DesiredItem]:
    """Every open item as the text it should have on the server (events, never tasks)."""
    names = summaries(reminders)
    ics_options = IcsOptions(
        alarm_minutes=options.alarm_minutes,
        tasks=False,
        all_day_alarm_offset=options.all_day_alarm_offset,
    )
    return [
        DesiredItem(uid=r.uid, data=r.data, summary=names.get(r.uid, ""))
        for r in render_resources(reminders, ics_options)
    ]


def plan(
    reminders: ReminderSet,
    store: CalendarSyncStore,
    calendar_url: str,
    options: PublishOptions,
) -> tuple[SyncPlan, list[DesiredItem]]:
    """What a sync would send, from the database alone (no network)."""
    desired = desired_items(reminders, options)
    tracked = store.tracked(calendar_url)
    return plan_sync(desired, tracked, replace_conflicts=options.replace_conflicts), desired


def _conflict(item: TrackedItem, names: dict[str, str]) -> Conflict:
    summary = names.get(item.uid) or "an item that is no longer open in the app"
    return Conflict(item.uid, summary, item.conflict)


def publish(
    client: CalDavClient,
    store: CalendarSyncStore,
    calendar_url: str,
    reminders: ReminderSet,
    options: PublishOptions | None = None,
) -> SyncReport:
    """Bring the calendar in line with the database; returns the counts.

    New items are PUT with If-None-Match: *, changed ones with If-Match: <our last ETag>,
    done/cancelled/deleted ones DELETEd with If-Match. A 412 (someone changed the item on the
    server) is recorded as a conflict and reported, never overwritten, unless the user chose
    `replace_conflicts`. Network and authentication errors propagate (CalDavError
    subclasses); what was done until then is recorded, so the next run continues from there.
    """
    options = options or PublishOptions()
    the_plan, _desired = plan(reminders, store, calendar_url, options)
    names = summaries(reminders)
    conflicts = [_conflict(item, names) for item in the_plan.conflicts]
    if options.dry_run:
        return SyncReport(
            created=len(the_plan.create),
            updated=len(the_plan.update) + len(the_plan.force_update),
            deleted=len(the_plan.delete) + len(the_plan.force_delete),
            unchanged=the_plan.unchanged,
            conflicts=tuple(conflicts),
            dry_run=True,
            calendar_url=calendar_url,
        )
    created = updated = deleted = 0

    def refused(uid: str, href: str, exc: CalDavPreconditionFailed) -> None:
        store.record_conflict(calendar_url, uid, href, exc.message)
        conflicts.append(Conflict(uid, names.get(uid) or "an item", exc.message))
        log.info("Calendar sync conflict on %s: %s", uid, exc.message)

    for item in the_plan.create:
        href = resource_href(calendar_url, item.uid)
        try:
            etag = client.put(href, item.data, None)
        except CalDavPreconditionFailed as exc:
            refused(item.uid, href, exc)
            continue
        store.record_pushed(calendar_url, item.uid, href, etag, item.content_hash)
        created += 1
    replacing = {known.uid for _item, known in the_plan.force_update}
    for item, known in (*the_plan.update, *the_plan.force_update):
        # No ETag from the server at all: nothing to make the write conditional on.
        force = item.uid in replacing or not known.etag
        try:
            etag = client.put(known.href, item.data, known.etag, force=force)
        except CalDavPreconditionFailed as exc:
            refused(item.uid, known.href, exc)
            continue
        store.record_pushed(calendar_url, item.uid, known.href, etag, item.content_hash)
        updated += 1
    forced = {k.uid for k in the_plan.force_delete}
    for known in (*the_plan.delete, *the_plan.force_delete):
        try:
            client.delete(known.href, known.etag, force=known.uid in forced)
        except CalDavPreconditionFailed as exc:
            refused(known.uid, known.href, exc)
            continue
        store.record_deleted(calendar_url, known.uid)
        deleted += 1
    report = SyncReport(
        created=created,
        updated=updated,
        deleted=deleted,
        unchanged=the_plan.unchanged,
        conflicts=tuple(conflicts),
        calendar_url=calendar_url,
        finished_at=datetime.now(timezone.utc),
    )
    log.info("Calendar sync to %s: %s", calendar_url, report.describe())
    return report

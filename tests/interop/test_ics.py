"""The .ics export, parsed back with icalendar and vobject and checked rule by rule."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

import planner.safefiles as safefiles
from planner.core.records import LabeledValue
from planner.core.reminders import (
    BIRTHDAYS,
    EVENTS,
    FOLLOWUPS,
    ReminderQuery,
    ReminderService,
)
from planner.db import models as m
from planner.db.database import Database
from planner.interop import ics
from planner.interop.ics import IcsOptions, escape_text, fold_line, render, write_ics
from tests.interop.ics_data import add_contact, add_event, add_followup, bump_followup

STAMP = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def export(
    db: Database, path: Path, query: ReminderQuery | None = None, **options: Any
) -> tuple[bytes, icalendar.Calendar, Any]:
    reminders = ReminderService(db).collect(query or ReminderQuery())
    options.setdefault("stamp", STAMP)
    write_ics(path, reminders, IcsOptions(**options))
    data = path.read_bytes()
    return data, icalendar.Calendar.from_ical(data), vobject.readOne(data.decode("utf-8"))


def by_uid(cal: icalendar.Calendar, name: str = "VEVENT") -> dict[str, Any]:
    return {str(c["UID"]): c for c in cal.walk(name)}


def vobject_by_uid(vcal: Any, name: str = "vevent") -> dict[str, Any]:
    return {c.uid.value: c for c in vcal.components() if c.name.lower() == name}


@pytest.fixture
def sample(db: Database) -> dict[str, Any]:
    """A contact with a timed and an all-day follow-up, an event plan, a 29 February birthday."""
    zoe, zoe_uuid = add_contact(
        db,
        "Zoë Achterberg",
        birthday_month=2,
        birthday_day=29,
        last_touch_on=date(2026, 2, 10),
    )
    allday, allday_uuid = add_followup(db, zoe, date(2026, 3, 20), notes="Met at the forum.")
    timed, timed_uuid = add_followup(
        db, zoe, date(2026, 3, 29), time(9, 0), "Europe/London", purpose="call about the role"
    )
    event, event_uuid = add_event(
        db,
        "FinTech Forum 2026",
        datetime(2026, 4, 2, 9, 30),
        ends_local=datetime(2026, 4, 2, 17, 0),
        time_zone="Europe/Berlin",
        venue="Messe Berlin, Hall 4",
        url="https://fintech-forum.example/2026?ref=np",
        status="registered",
    )
    return {
        "zoe": zoe,
        "zoe_uuid": zoe_uuid,
        "allday": allday,
        "allday_uuid": allday_uuid,
        "timed": timed,
        "timed_uuid": timed_uuid,
        "event": event,
        "event_uuid": event_uuid,
    }


# --- the file as bytes --------------------------------------------------------------------


def test_one_calendar_with_the_headers_clients_need(db: Database, tmp_path: Path, sample) -> None:
    data, cal, vcal = export(db, tmp_path / "out.ics")
    assert not data.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert data.count(b"BEGIN:VCALENDAR") == 1
    assert cal["VERSION"] == "2.0"
    assert "Networking Planner" in str(cal["PRODID"])
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Networking Planner"
    assert vcal.version.value == "2.0"
    assert vcal.method.value == "PUBLISH"
    # Reminders are events: Google and Outlook drop VTODO.
    assert len(cal.walk("VEVENT")) == 4
    assert cal.walk("VTODO") == []
    assert len(list(vcal.vevent_list)) == 4


def test_crlf_line_ends_and_lines_folded_at_75_octets(db: Database, tmp_path: Path) -> None:
    long_notes = "Ünïcödé notes — " * 40 + "end, with; escapes\\ and\nbreaks"
    cid, _ = add_contact(db, "Łukasz Kowalski-Nguyễn " + "名前" * 20)
    add_followup(db, cid, date(2026, 5, 1), notes=long_notes, purpose="x" * 200)
    data, cal, vcal = export(db, tmp_path / "out.ics")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    physical = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in physical) <= 75
    assert any(line.startswith(b" ") for line in physical), "long lines were folded"
    for line in physical:
        line.decode("utf-8")  # no character split across a fold
    event = cal.walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]).endswith("end, with; escapes\\ and\nbreaks")
    assert long_notes in str(event["DESCRIPTION"])
    assert long_notes in vcal.vevent.description.value


def test_fold_never_splits_an_escape_or_a_character() -> None:
    for prefix in range(60, 80):
        line = "DESCRIPTION:" + "a" * prefix + escape_text(",;\\\n") * 10 + "ë€😀" * 30
        folded = fold_line(line)
        parts = folded.split(b"\r\n ")
        assert all(len(p) <= 75 for p in parts)
        for part in parts:
            text = part.decode("utf-8")
            # a run of backslashes at the end of a part must be even (complete escapes)
            stripped = text.rstrip("\\")
            assert (len(text) - len(stripped)) % 2 == 0, (prefix, text)
        assert b"".join(parts).decode("utf-8") == line


def test_text_is_escaped_and_round_trips_in_both_parsers(db: Database, tmp_path: Path) -> None:
    name = "Smith, Jr.; Ann \\ O'Neil"
    notes = "First line, with a comma\nSecond; with a semicolon\r\nThird \\ backslash\rFourth"
    cid, _ = add_contact(db, name, organisation="Acme, Inc.; EMEA", role="VP, Sales")
    add_followup(
        db, cid, date(2026, 5, 1), purpose="send the deck, the notes; and more", notes=notes
    )
    data, cal, vcal = export(db, tmp_path / "out.ics")
    unfolded = data.replace(b"\r\n ", b"").decode("utf-8")
    raw = "SUMMARY:Follow up: Smith\\, Jr.\\; Ann \\\\ O'Neil — send the deck\\, the notes"
    assert raw + "\\; and more\r\n" in unfolded
    expected_summary = f"Follow up: {name} — send the deck, the notes; and more"
    expected_notes = (
        "First line, with a comma\nSecond; with a semicolon\nThird \\ backslash\nFourth"
    )
    event = cal.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == expected_summary
    assert expected_notes in str(event["DESCRIPTION"])
    assert "Organisation: Acme, Inc.; EMEA" in str(event["DESCRIPTION"])
    assert vcal.vevent.summary.value == expected_summary
    assert expected_notes in vcal.vevent.description.value
    assert "Role: VP, Sales" in vcal.vevent.description.value


def test_control_characters_are_dropped() -> None:
    assert escape_text("a\x00b\x07c\td\x1b") == "abc\td"


def test_non_ascii_text_survives(db: Database, tmp_path: Path) -> None:
    cid, _ = add_contact(db, "Zoë 中文 Ünal 😀", organisation="Société Générale")
    add_followup(db, cid, date(2026, 5, 1), purpose="dire merci — ありがとう")
    data, cal, vcal = export(db, tmp_path / "out.ics")
    assert "Zoë 中文 Ünal 😀".encode() in data.replace(b"\r\n ", b"")
    summary = "Follow up: Zoë 中文 Ünal 😀 — dire merci — ありがとう"
    assert str(cal.walk("VEVENT")[0]["SUMMARY"]) == summary
    assert vcal.vevent.summary.value == summary
    assert "Société Générale" in vcal.vevent.description.value


# --- identity -----------------------------------------------------------------------------


def test_uids_unique_stable_and_sequence_grows_after_an_edit(
    db: Database, tmp_path: Path, sample
) -> None:
    _, first, _ = export(db, tmp_path / "one.ics")
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert len(uids) == len(set(uids)) == 4
    assert f"{sample['timed_uuid']}@networking-planner" in uids
    assert f"{sample['event_uuid']}@networking-planner" in uids
    assert f"{sample['zoe_uuid']}-birthday@networking-planner" in uids
    before = {u: int(e["SEQUENCE"]) for u, e in by_uid(first).items()}

    bump_followup(db, sample["timed"], purpose="call about the new role")
    _, second, vsecond = export(db, tmp_path / "two.ics")
    assert sorted(str(e["UID"]) for e in second.walk("VEVENT")) == sorted(uids)
    after = {u: int(e["SEQUENCE"]) for u, e in by_uid(second).items()}
    timed_uid = f"{sample['timed_uuid']}@networking-planner"
    assert after[timed_uid] == before[timed_uid] + 1
    assert int(vobject_by_uid(vsecond)[timed_uid].sequence.value) == after[timed_uid]
    allday_uid = f"{sample['allday_uuid']}@networking-planner"
    assert after[allday_uid] == before[allday_uid]
    assert "new role" in str(by_uid(second)[timed_uid]["SUMMARY"])


def test_dtstamp_created_last_modified_are_utc(db: Database, tmp_path: Path, sample) -> None:
    data, cal, vcal = export(db, tmp_path / "out.ics")
    for event in cal.walk("VEVENT"):
        for prop in ("DTSTAMP", "CREATED", "LAST-MODIFIED"):
            value = event.decoded(prop)
            assert isinstance(value, datetime) and value.utcoffset() == timedelta(0), prop
        assert event.decoded("DTSTAMP") == STAMP
    assert b"DTSTAMP:20260301T120000Z\r\n" in data
    for vevent in vcal.vevent_list:
        assert vevent.dtstamp.value.utcoffset() == timedelta(0)
        assert vevent.created.value.utcoffset() == timedelta(0)
        assert vevent.last_modified.value.utcoffset() == timedelta(0)


# --- dates and times ----------------------------------------------------------------------


def test_all_day_follow_up_is_a_transparent_date_event(
    db: Database, tmp_path: Path, sample
) -> None:
    data, cal, vcal = export(db, tmp_path / "out.ics")
    uid = f"{sample['allday_uuid']}@networking-planner"
    event = by_uid(cal)[uid]
    assert event.decoded("DTSTART") == date(2026, 3, 20)
    assert not isinstance(event.decoded("DTSTART"), datetime)
    assert event.decoded("DTEND") == date(2026, 3, 21)
    assert str(event["TRANSP"]) == "TRANSPARENT"
    unfolded = data.replace(b"\r\n ", b"")
    assert b"DTSTART;VALUE=DATE:20260320\r\n" in unfolded
    assert b"DTEND;VALUE=DATE:20260321\r\n" in unfolded
    vevent = vobject_by_uid(vcal)[uid]
    assert vevent.dtstart.value == date(2026, 3, 20)
    assert vevent.dtend.value == date(2026, 3, 21)


def test_timed_follow_up_in_utc_across_the_dst_change(db: Database, tmp_path: Path, sample) -> None:
    """09:00 in London on 29 March 2026 (BST starts that night) is 08:00 UTC."""
    cid = sample["zoe"]
    _, before_uuid = add_followup(db, cid, date(2026, 3, 28), time(9, 0), "Europe/London")
    _, ny_uuid = add_followup(db, cid, date(2026, 3, 8), time(9, 0), "America/New_York")
    data, cal, vcal = export(db, tmp_path / "out.ics")
    events = by_uid(cal)
    timed = events[f"{sample['timed_uuid']}@networking-planner"]
    assert timed.decoded("DTSTART") == datetime(2026, 3, 29, 8, 0, tzinfo=timezone.utc)
    assert timed.decoded("DTEND") == datetime(2026, 3, 29, 8, 30, tzinfo=timezone.utc)
    assert "TRANSP" not in timed or str(timed["TRANSP"]) == "OPAQUE"
    before = events[f"{before_uuid}@networking-planner"]
    assert before.decoded("DTSTART") == datetime(2026, 3, 28, 9, 0, tzinfo=timezone.utc)
    ny = events[f"{ny_uuid}@networking-planner"]
    assert ny.decoded("DTSTART") == datetime(2026, 3, 8, 13, 0, tzinfo=timezone.utc)
    unfolded = data.replace(b"\r\n ", b"")
    assert b"DTSTART:20260329T080000Z\r\n" in unfolded
    # Never floating, never TZID (no TZID=UTC, no Windows names), no VTIMEZONE needed.
    assert b"TZID" not in data
    assert b"VTIMEZONE" not in data
    for line in unfolded.split(b"\r\n"):
        if line.startswith((b"DTSTART", b"DTEND", b"DUE")) and b"VALUE=DATE" not in line:
            assert line.endswith(b"Z"), line
    vevent = vobject_by_uid(vcal)[f"{sample['timed_uuid']}@networking-planner"]
    assert vevent.dtstart.value == datetime(2026, 3, 29, 8, 0, tzinfo=timezone.utc)


def test_unknown_or_missing_zone_uses_the_fallback(db: Database, tmp_path: Path) -> None:
    cid, _ = add_contact(db)
    add_followup(db, cid, date(2026, 7, 1), time(9, 0), "Mars/Olympus_Mons")
    add_followup(db, cid, date(2026, 7, 2), time(9, 0), "")
    _, cal, _ = export(db, tmp_path / "out.ics", fallback_zone="Europe/Berlin")
    starts = sorted(e.decoded("DTSTART") for e in cal.walk("VEVENT"))
    assert starts == [
        datetime(2026, 7, 1, 7, 0, tzinfo=timezone.utc),
        datetime(2026, 7, 2, 7, 0, tzinfo=timezone.utc),
    ]


def test_event_plan_has_location_url_and_utc_times(db: Database, tmp_path: Path, sample) -> None:
    _, cal, vcal = export(db, tmp_path / "out.ics")
    uid = f"{sample['event_uuid']}@networking-planner"
    event = by_uid(cal)[uid]
    assert str(event["SUMMARY"]) == "FinTech Forum 2026"
    assert str(event["LOCATION"]) == "Messe Berlin, Hall 4"
    assert str(event["URL"]) == "https://fintech-forum.example/2026?ref=np"
    assert event.decoded("DTSTART") == datetime(2026, 4, 2, 7, 30, tzinfo=timezone.utc)
    assert event.decoded("DTEND") == datetime(2026, 4, 2, 15, 0, tzinfo=timezone.utc)
    assert "Link: https://fintech-forum.example/2026?ref=np" in str(event["DESCRIPTION"])
    vevent = vobject_by_uid(vcal)[uid]
    assert vevent.location.value == "Messe Berlin, Hall 4"
    assert vevent.url.value == "https://fintech-forum.example/2026?ref=np"


def test_all_day_event_plan_and_missing_end(db: Database, tmp_path: Path) -> None:
    _, conf = add_event(
        db,
        "Two-day conference",
        datetime(2026, 6, 10),
        ends_local=datetime(2026, 6, 11),
        all_day=True,
        url="conf.example/agenda",
    )
    _, talk = add_event(db, "Evening talk", datetime(2026, 6, 12, 18, 0), time_zone="UTC")
    _, cal, _ = export(db, tmp_path / "out.ics")
    events = by_uid(cal)
    c = events[f"{conf}@networking-planner"]
    assert c.decoded("DTSTART") == date(2026, 6, 10)
    assert c.decoded("DTEND") == date(2026, 6, 12)  # exclusive: covers the 10th and 11th
    assert str(c["URL"]) == "https://conf.example/agenda"
    t = events[f"{talk}@networking-planner"]
    assert t.decoded("DTEND") - t.decoded("DTSTART") == timedelta(hours=1)


# --- alarms -------------------------------------------------------------------------------


def test_one_display_alarm_with_a_negative_trigger(db: Database, tmp_path: Path, sample) -> None:
    # Counted back from each start, all-day items too, when no all-day time is chosen.
    data, cal, vcal = export(db, tmp_path / "out.ics", alarm_minutes=45, all_day_alarm_offset=None)
    for event in cal.walk("VEVENT"):
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        alarm = alarms[0]
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert str(alarm["DESCRIPTION"]) == str(event["SUMMARY"])
        assert alarm.decoded("TRIGGER") == timedelta(minutes=-45)
    assert data.count(b"TRIGGER:-PT45M\r\n") == 4
    for vevent in vcal.vevent_list:
        assert len(vevent.contents["valarm"]) == 1
        assert vevent.valarm.trigger.value == timedelta(minutes=-45)
        assert vevent.valarm.action.value == "DISPLAY"


def test_no_alarm_when_switched_off_and_zero_lead(db: Database, tmp_path: Path, sample) -> None:
    data, cal, _ = export(db, tmp_path / "out.ics", alarm_minutes=None)
    assert b"VALARM" not in data
    data, cal, vcal = export(db, tmp_path / "zero.ics", alarm_minutes=0, all_day_alarm_offset=None)
    assert all(e.walk("VALARM")[0].decoded("TRIGGER") == timedelta(0) for e in cal.walk("VEVENT"))
    assert data.count(b"TRIGGER:-PT0M") == 4
    assert all(v.valarm.trigger.value == timedelta(0) for v in vcal.vevent_list)


def test_lead_time_is_validated() -> None:
    with pytest.raises(ValueError):
        IcsOptions(alarm_minutes=-5)


# --- summaries ----------------------------------------------------------------------------


def test_summary_and_description_a_person_can_act_on(db: Database, tmp_path: Path, sample) -> None:
    _, cal, _ = export(db, tmp_path / "out.ics")
    event = by_uid(cal)[f"{sample['allday_uuid']}@networking-planner"]
    assert str(event["SUMMARY"]) == "Follow up: Zoë Achterberg — thank her for the intro"
    description = str(event["DESCRIPTION"])
    for expected in (
        "Organisation: Globex",
        "Role: Head of Data",
        "E-mail: zoe@globex.example",
        "Phone: +44 7700 900123",
        "Last touch: 10 February 2026",
        "Met at the forum.",
    ):
        assert expected in description


def test_first_email_and_phone_by_position(db: Database, tmp_path: Path) -> None:
    cid, _ = add_contact(db, "Ana Ruiz", emails=[], phones=[])
    with db.session() as s:
        s.add_all(
            [
                m.ContactEmail(contact_id=cid, value="second@x.example", position=1),
                m.ContactEmail(contact_id=cid, value="first@x.example", position=0),
                m.ContactPhone(contact_id=cid, value="+1 555 0100", position=0),
            ]
        )
    add_followup(db, cid, date(2026, 5, 1))
    _, cal, _ = export(db, tmp_path / "out.ics")
    description = str(cal.walk("VEVENT")[0]["DESCRIPTION"])
    assert "E-mail: first@x.example" in description
    assert "second@" not in description
    assert "Last touch: none recorded" in description


def test_follow_up_without_a_contact_uses_its_purpose(db: Database, tmp_path: Path) -> None:
    add_followup(db, None, date(2026, 5, 1), purpose="Renew the IEEE membership")
    _, cal, vcal = export(db, tmp_path / "out.ics")
    assert str(cal.walk("VEVENT")[0]["SUMMARY"]) == "Renew the IEEE membership"
    assert vcal.vevent.summary.value == "Renew the IEEE membership"


# --- birthdays ----------------------------------------------------------------------------


def _occurrences(vevent_text: Any, first: date, years: range) -> list[date]:
    rule = rrulestr(vevent_text, dtstart=datetime.combine(first, time(0)))
    lo = datetime(years.start, 1, 1)
    hi = datetime(years.stop, 1, 1)
    return [d.date() for d in rule.between(lo, hi, inc=True)]


def test_29_february_birthday_appears_every_year(db: Database, tmp_path: Path, sample) -> None:
    _, cal, vcal = export(db, tmp_path / "out.ics")
    uid = f"{sample['zoe_uuid']}-birthday@networking-planner"
    event = by_uid(cal)[uid]
    assert str(event["SUMMARY"]) == "Birthday: Zoë Achterberg"
    start = event.decoded("DTSTART")
    assert start == date(2020, 2, 29)
    assert event.decoded("DTEND") == date(2020, 3, 1)
    assert str(event["TRANSP"]) == "TRANSPARENT"
    rule_text = event["RRULE"].to_ical().decode()
    assert "FREQ=YEARLY" in rule_text
    days = _occurrences(rule_text, start, range(2024, 2033))
    assert len(days) == 9, days  # one per year, leap or not
    assert [d.year for d in days] == list(range(2024, 2033))
    for day in days:
        leap = day.year % 4 == 0
        assert (day.month, day.day) == ((2, 29) if leap else (2, 28))
    # vobject expands the same rule the same way
    vevent = vobject_by_uid(vcal)[uid]
    v_days = [
        d.date() if isinstance(d, datetime) else d
        for d in vevent.getrruleset().between(datetime(2024, 1, 1), datetime(2033, 1, 1), inc=True)
    ]
    assert v_days == days


def test_ordinary_birthday_is_yearly_and_uid_is_stable(db: Database, tmp_path: Path) -> None:
    _, uuid = add_contact(db, "Kwame Mensah", birthday_month=3, birthday_day=5, birthday_year=1988)
    _, cal, _ = export(db, tmp_path / "one.ics", ReminderQuery(include=frozenset({BIRTHDAYS})))
    _, again, _ = export(db, tmp_path / "two.ics", ReminderQuery(include=frozenset({BIRTHDAYS})))
    uid = f"{uuid}-birthday@networking-planner"
    assert list(by_uid(cal)) == list(by_uid(again)) == [uid]
    event = by_uid(cal)[uid]
    assert event["RRULE"].to_ical() == b"FREQ=YEARLY"
    days = _occurrences("FREQ=YEARLY", event.decoded("DTSTART"), range(2025, 2030))
    assert days == [date(y, 3, 5) for y in range(2025, 2030)]
    assert "Born 1988" in str(event["DESCRIPTION"])
    assert int(event["SEQUENCE"]) == int(by_uid(again)[uid]["SEQUENCE"])


def test_impossible_birthday_is_skipped(db: Database, tmp_path: Path) -> None:
    add_contact(db, "Broken Date", birthday_month=4, birthday_day=31)
    add_contact(db, "Only Month", birthday_month=4)
    _, cal, _ = export(db, tmp_path / "out.ics")
    assert cal.walk("VEVENT") == []


# --- tasks --------------------------------------------------------------------------------


def test_tasks_option_writes_follow_ups_as_vtodo(db: Database, tmp_path: Path, sample) -> None:
    _, cal, vcal = export(db, tmp_path / "out.ics", tasks=True)
    todos = by_uid(cal, "VTODO")
    assert len(todos) == 2
    allday = todos[f"{sample['allday_uuid']}@networking-planner"]
    assert allday.decoded("DUE") == date(2026, 3, 20)
    timed = todos[f"{sample['timed_uuid']}@networking-planner"]
    assert timed.decoded("DUE") == datetime(2026, 3, 29, 8, 0, tzinfo=timezone.utc)
    for todo, trigger in ((allday, timedelta(hours=9)), (timed, timedelta(minutes=-30))):
        assert str(todo["STATUS"]) == "NEEDS-ACTION"
        alarm = todo.walk("VALARM")[0]
        assert alarm.decoded("TRIGGER") == trigger  # an all-day task: 09:00 on its day
        assert alarm["TRIGGER"].params["RELATED"] == "END"
    # Event plans and birthdays stay events.
    assert len(cal.walk("VEVENT")) == 2
    assert len(list(vcal.vtodo_list)) == 2


# --- which items --------------------------------------------------------------------------


def test_query_range_selection_and_kinds(db: Database, sample) -> None:
    service = ReminderService(db)
    cid = sample["zoe"]
    done, _ = add_followup(db, cid, date(2026, 3, 21), status="done")
    add_followup(db, cid, date(2026, 3, 22), status="cancelled")
    add_event(db, "Skipped meetup", datetime(2026, 3, 25, 18), status="skipped")
    add_event(db, "No date yet", None)

    everything = service.collect(ReminderQuery())
    assert {f.id for f in everything.followups} == {sample["allday"], sample["timed"]}
    assert [e.id for e in everything.events] == [sample["event"]]
    assert len(everything.birthdays) == 1
    assert everything.total == 4
    assert everything.describe() == "2 open follow-ups, 1 event plan and 1 birthday"

    march = service.collect(ReminderQuery(start=date(2026, 3, 1), end=date(2026, 3, 25)))
    assert [f.id for f in march.followups] == [sample["allday"]]
    assert march.events == ()
    assert len(march.birthdays) == 1  # birthdays recur, the range does not limit them

    april = service.collect(ReminderQuery(start=date(2026, 4, 2), include=frozenset({EVENTS})))
    assert [e.id for e in april.events] == [sample["event"]]
    assert april.followups == () and april.birthdays == ()

    picked = service.collect(
        ReminderQuery(
            start=date(2030, 1, 1),  # ignored for a selection
            followup_ids=(sample["timed"], done),
            include=frozenset({FOLLOWUPS}),
        )
    )
    assert [f.id for f in picked.followups] == [sample["timed"]]
    assert service.open_followup_count([sample["timed"], done, 999]) == 1


def test_query_rejects_bad_input() -> None:
    from planner.core.errors import ValidationError

    with pytest.raises(ValidationError):
        ReminderQuery(start=date(2026, 5, 2), end=date(2026, 5, 1))
    with pytest.raises(ValidationError):
        ReminderQuery(include=frozenset({"tasks"}))


def test_selection_larger_than_one_statement(db: Database) -> None:
    cid, _ = add_contact(db)
    with db.session() as s:
        s.add_all(m.FollowUp(contact_id=cid, due_date=date(2026, 5, 1)) for _ in range(1200))
    with db.session() as s:
        ids = [i for (i,) in s.query(m.FollowUp.id).all()]
    picked = ReminderService(db).collect(ReminderQuery(followup_ids=tuple(ids)))
    assert len(picked.followups) == 1200
    assert all(f.email == "zoe@globex.example" for f in picked.followups)


# --- writing ------------------------------------------------------------------------------


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(
    db: Database, tmp_path: Path, sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "reminders.ics"
    target.write_bytes(b"OLD CONTENT")
    reminders = ReminderService(db).collect(ReminderQuery())

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safefiles.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_ics(target, reminders)
    assert target.read_bytes() == b"OLD CONTENT"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["reminders.ics"]
    monkeypatch.undo()

    result = write_ics(target, reminders, IcsOptions(stamp=STAMP))
    assert result.items == 4
    assert result.size == target.stat().st_size
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["reminders.ics"]


def test_unwritable_targets_raise(tmp_path: Path) -> None:
    from planner.core.reminders import ReminderSet

    with pytest.raises(OSError):
        write_ics(tmp_path / "missing-folder" / "x.ics", ReminderSet())
    with pytest.raises(OSError):
        write_ics(tmp_path, ReminderSet())
    if os.name == "posix" and os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            with pytest.raises(OSError):
                write_ics(locked / "x.ics", ReminderSet())
        finally:
            locked.chmod(0o700)


def test_empty_export_is_still_a_valid_calendar() -> None:
    from planner.core.reminders import ReminderSet

    data = render(ReminderSet(), IcsOptions(stamp=STAMP))
    cal = icalendar.Calendar.from_ical(data)
    assert cal.walk("VEVENT") == []
    assert vobject.readOne(data.decode()).method.value == "PUBLISH"


# --- any text ------------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(",;:\\\n\r\t\"'")),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=300,
)


def _expected(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\t\n" or not (ord(ch) < 32 or ord(ch) == 127))


@settings(max_examples=40, deadline=None)
@given(notes=_TEXT, org=_TEXT)
def test_any_text_round_trips_through_both_parsers(notes: str, org: str) -> None:
    from planner.core.reminders import FollowUpReminder, ReminderSet

    item = FollowUpReminder(
        id=1,
        uuid="00000000-0000-4000-8000-000000000001",
        due_date=date(2026, 5, 1),
        contact_id=1,
        contact_name="Zoë",
        organisation=org,
        notes=notes,
    )
    data = render(ReminderSet(followups=(item,)), IcsOptions(stamp=STAMP))
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    description = ics.followup_description(item)
    expected = _expected(description)
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event.get("DESCRIPTION", "")) == expected
    vevent = vobject.readOne(data.decode("utf-8")).vevent
    got = vevent.description.value if hasattr(vevent, "description") else ""
    assert got == expected


def test_sequence_and_last_modified_follow_the_contact(db: Database, tmp_path: Path) -> None:
    """Editing a contact changes the text of their follow-ups: the next export says so with a
    higher SEQUENCE and a later LAST-MODIFIED, though the follow-up row was not touched."""
    from planner.core.contacts import ContactService

    cid, _uuid = add_contact(db, "Ana Ruiz", organisation="Globex")
    _fid, fuuid = add_followup(db, cid, date(2026, 5, 1), purpose="say thanks")
    uid = f"{fuuid}@networking-planner"
    _, first, _ = export(db, tmp_path / "one.ics")
    _, again, _ = export(db, tmp_path / "again.ics")
    before, same = by_uid(first)[uid], by_uid(again)[uid]
    # Nothing changed: same version.
    assert int(same["SEQUENCE"]) == int(before["SEQUENCE"])
    assert same["LAST-MODIFIED"].dt == before["LAST-MODIFIED"].dt
    ContactService(db).update(cid, {"organisation": "Initech"})
    _, second, _ = export(db, tmp_path / "two.ics")
    after = by_uid(second)[uid]
    assert "Initech" in str(after["DESCRIPTION"]) and "Globex" in str(before["DESCRIPTION"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt
    # A phone or e-mail change too.
    ContactService(db).update(cid, {"emails": [LabeledValue("work", "ana@initech.example")]})
    _, third, _ = export(db, tmp_path / "three.ics")
    assert int(by_uid(third)[uid]["SEQUENCE"]) == int(after["SEQUENCE"]) + 1

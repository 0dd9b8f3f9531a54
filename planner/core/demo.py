"""A realistic generated network, deterministic for a seed, fast enough for 100,000 contacts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import insert, select

from planner.core.cadence import next_touch_due
from planner.core.contact_rows import name_key
from planner.core.organisations import OrganisationService
from planner.core.text import search_blob
from planner.core.vocab import CHANNELS, EVENT_TYPES
from planner.db import models as m
from planner.db.database import Database
from planner.db.dialect import reserve_ids
from planner.db.starter import STARTER_CHECKLIST
from planner.db.types import new_uuid
from planner.settings import Preferences

FIRST = (
    "Zoë Ana José Søren Łukasz Aoife Mei Hiroshi Amara Kwame Priya Rahul Lena Jonas Emma "
    "Liam Olivia Noah Chloé Mateo Sofía Lucía Ingrid Björn Fatima Omar Yusuf Elif Chen Wei "
    "Hannah David Sarah Michael Laura Daniel Julia Thomas Anna Marco Giulia Pierre Camille "
    "Nia Tomasz Agnieszka Dmitri Irina Kofi Ama Thanh Linh Rosa Carlos Beatriz João Inês"
).split()
LAST = (
    "Achterberg Ruiz García Nielsen Kowalski Murphy Tanaka Okafor Mensah Sharma Patel "
    "Müller Schneider Rossi Bianchi Dubois Martin López Fernández Johansson Lindqvist "
    "Haddad Yılmaz Nguyễn Wang Li Cohen Smith Jones Brown Taylor Wilson Novak Ivanova "
    "Petrov Boateng Santos Oliveira Costa O'Brien Kelly Fischer Weber Moreau Laurent "
    "Eriksen Hansen Kim Park Singh"
).split()
PARTICLES = ["van der", "de la", "von", "de", "van", "da"]
INDUSTRIES = [
    "Fintech", "Healthcare", "Education", "Software", "Energy", "Retail", "Manufacturing",
    "Media", "Consulting", "Public sector", "Non-profit", "Logistics", "Biotech", "Design",
]  # fmt: skip
ORG_STEMS = [
    "Globex", "Initech", "Northwind", "Umbrella", "Vandelay", "Hooli", "Stark", "Wayne",
    "Acme", "Cyberdyne", "Soylent", "Tyrell", "Wonka", "Aperture", "Oscorp", "Massive",
    "Blue Harbor", "Redwood", "Silverline", "Bright Path", "Open Field", "Kestrel",
]  # fmt: skip
ORG_SUFFIX = ["", " Labs", " Group", " Partners", " Health", " Bank", " Studio", " Systems"]
ROLES = [
    "Head of Data", "Product Manager", "Software Engineer", "Engineering Manager", "CTO",
    "Founder", "Recruiter", "Designer", "Account Executive", "Analyst", "Researcher",
    "Director of Operations", "Marketing Lead", "Consultant", "Community Manager", "VP Sales",
]  # fmt: skip
TAGS = [
    "fintech", "ai", "design", "hiring", "alumni", "speaker", "volunteer", "startup",
    "open-source", "mentor-circle", "board", "investor", "conference-2026", "london", "remote",
]  # fmt: skip
CITIES = ["London", "Berlin", "New York", "Lisbon", "Toronto", "Singapore", "Nairobi", "Madrid"]
NOTES = [
    "Interested in how small teams adopt AI tools.",
    "Offered to review my talk proposal.",
    "Knows the hiring managers at several banks; ask about the data role.",
    "Met over coffee; we share an interest in community building.",
    "Runs a monthly meetup, could use volunteers.",
    "Prefers short e-mails; replies fast on LinkedIn.",
    "",
    "",
]
TOUCH_NOTES = [
    "Coffee chat about career moves.",
    "Sent the article on open banking we discussed.",
    "Asked for an intro to their design lead.",
    "Congratulated them on the new role.",
    "Quick call to catch up.",
    "Shared my conference talk recording.",
    "",
]
PURPOSES = [
    "thank them for the intro",
    "send the slides from the talk",
    "ask how the new role is going",
    "share the article on mentoring",
    "check in about the project",
    "invite to the next meetup",
]
EVENT_NAMES = [
    "FinTech Forum", "Women in Data Meetup", "Product Camp", "Open Source Summit",
    "Design Systems Day", "Career Fair", "Startup Breakfast", "AI in Health Seminar",
    "Volunteer Day at the Food Bank", "Community Hack Night", "Leadership Webinar",
]  # fmt: skip
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Singapore"]
KIND_WEIGHTS = {"met": 2, "caught_up": 5, "gave_value": 3, "asked": 2, "shared_success": 1}
REL_WEIGHTS = {
    "colleague": 25, "mentor": 4, "mentee": 4, "sponsor": 2, "industry_leader": 5,
    "peer": 30, "client": 10, "recruiter": 8, "other": 12,
}  # fmt: skip

# The user's own associations and communities:
# (name, kind, my role, status, renewal in N days, fee cents, activity goal, every N days).
COMMUNITIES = [
    ("Women in Data", "professional_association", "member", "active", 75, 9000,
     "attend one meetup a month", 30),
    ("Product Guild", "professional_association", "speaker", "active", 200, 15000,
     "give a talk twice a year", 180),
    ("Python Lisbon", "online_community", "organiser", "active", None, None,
     "host the monthly meetup", 30),
    ("Design Systems Slack", "online_community", "member", "active", None, None,
     "answer a question every two weeks", 14),
    ("Food Bank Volunteers", "volunteer_group", "volunteer", "active", 20, 0,
     "one Saturday shift a month", 30),
    ("Chartered Institute of Fintech", "professional_association", "considering", "", None,
     25000, "", None),
    ("Open Source Mentors", "volunteer_group", "member", "lapsed", -10, 5000, "", None),
]  # fmt: skip

CHUNK = 5000


@dataclass(frozen=True)
class DemoSummary:
    contacts: int
    touchpoints: int
    events: int
    followups: int


def _insert(session: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[start : start + CHUNK])


def _next_id(session: Any, model: Any, count: int) -> int:
    return reserve_ids(session, model.__table__, count)


def _name(rng: random.Random) -> str:
    first = rng.choice(FIRST)
    last = rng.choice(LAST)
    if rng.random() < 0.08:
        last = f"{rng.choice(PARTICLES)} {last}"
    return f"{first} {last}"


def _email_local(name: str) -> str:
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join(part.lower().replace("'", "") for part in ascii_name.split())


def generate_demo(
    db: Database,
    contacts: int = 300,
    seed: int = 1,
    followups: int | None = None,
    today: date | None = None,
    preferences: Preferences | None = None,
) -> DemoSummary:
    """Adds (never replaces) a generated network; the same seed gives the same network."""
    rng = random.Random(seed)
    today = today or date.today()
    prefs = preferences or Preferences()
    now = datetime.now(timezone.utc)
    rel_keys = list(REL_WEIGHTS)
    rel_weights = [REL_WEIGHTS[k] for k in rel_keys]
    kinds = list(KIND_WEIGHTS)
    kind_weights = [KIND_WEIGHTS[k] for k in kinds]
    channels = list(CHANNELS)
    orgs = [(stem + suffix, rng.choice(INDUSTRIES)) for stem in ORG_STEMS for suffix in ORG_SUFFIX]

    with db.session() as session:
        tag_ids: dict[str, int] = {}
        for tag in TAGS:
            row = session.scalar(select(m.Tag).where(m.Tag.name == tag))
            if row is None:
                row = m.Tag(name=tag)
                session.add(row)
                session.flush()
            tag_ids[tag] = row.id

        # Event plans: a couple of years back, a few months ahead.
        n_events = max(6, min(400, contacts // 25))
        contact_id = _next_id(session, m.Contact, contacts)
        event_id = _next_id(session, m.EventPlan, n_events)
        first_contact = contact_id
        # Organisations use their own random stream, so the rest of the network is unchanged.
        org_rng = random.Random(seed + 7919)
        org_ids = _organisations(session, [o for o, _ in orgs], today, now)
        community_ids = [org_ids[name_key(c[0])] for c in COMMUNITIES]
        events: list[dict[str, Any]] = []
        for i in range(n_events):
            # A third of the plans lie ahead, so the Events and Overview tabs show upcoming ones.
            offset = rng.randint(3, 120) if i % 3 == 0 else rng.randint(-700, -1)
            day = today + timedelta(days=offset)
            start = datetime.combine(day, time(rng.choice([9, 10, 14, 18]), 0))
            status = (
                "attended"
                if offset < 0 and rng.random() < 0.8
                else ("skipped" if offset < 0 else rng.choice(["idea", "registered", "registered"]))
            )
            events.append(
                {
                    "id": event_id + i,
                    "uuid": new_uuid(),
                    "created_at": now,
                    "updated_at": now,
                    "name": f"{rng.choice(EVENT_NAMES)} {day.year}",
                    "event_type": rng.choice(list(EVENT_TYPES)),
                    "starts_local": start,
                    "ends_local": start + timedelta(hours=rng.choice([2, 3, 8])),
                    "all_day": False,
                    "time_zone": rng.choice(ZONES),
                    "venue": f"{rng.choice(CITIES)} Convention Centre",
                    "url": "",
                    "cost_cents": rng.choice([None, 0, 2500, 15000, 49900]),
                    "currency": "EUR",
                    "status": status,
                    "description": "A chance to meet people in the field and learn what is new.",
                    "takeaways": "",
                    "pitch_text": "",
                    "sequence": 0,
                    "organisation_id": org_rng.choice(community_ids)
                    if org_rng.random() < 0.3
                    else None,
                }
            )
        _insert(session, m.EventPlan, events)
        past_events = [e for e in events if e["starts_local"].date() < today]

        goal_rows = [
            {
                "event_id": e["id"],
                "kind": "meet_new",
                "description": "Meet new people",
                "target": rng.choice([3, 5, 8]),
                "manual_progress": 0,
                "position": 0,
            }
            for e in events
        ] + [
            {
                "event_id": e["id"],
                "kind": "learn_about",
                "description": "Learn about a topic",
                "topic": rng.choice(["open banking", "AI regulation", "design ops"]),
                "target": 1,
                "manual_progress": 1 if e["status"] == "attended" else 0,
                "position": 1,
            }
            for e in events
        ]
        _insert(session, m.EventGoal, goal_rows)
        checklist = [
            {"event_id": e["id"], "text": text, "done": e["status"] == "attended", "position": p}
            for e in events
            for p, text in enumerate(STARTER_CHECKLIST)
        ]
        _insert(session, m.EventChecklistItem, checklist)

        contact_rows: list[dict[str, Any]] = []
        email_rows: list[dict[str, Any]] = []
        phone_rows: list[dict[str, Any]] = []
        url_rows: list[dict[str, Any]] = []
        tag_rows: list[dict[str, Any]] = []
        touch_rows: list[dict[str, Any]] = []
        attendee_rows: list[dict[str, Any]] = []
        cadence_of: dict[int, int | None] = {}
        last_of: dict[int, date | None] = {}
        for i in range(contacts):
            cid = contact_id + i
            name = _name(rng)
            org, industry = rng.choice(orgs)
            role = rng.choice(ROLES)
            relationship = rng.choices(rel_keys, rel_weights)[0]
            added = today - timedelta(days=rng.randint(0, 800))
            cadence = prefs.cadence_for(relationship) if rng.random() < 0.7 else None
            tags = rng.sample(TAGS, rng.choice([0, 1, 1, 2, 3]))
            notes = rng.choice(NOTES)
            local = _email_local(name)
            domain = org.lower().replace(" ", "") + ".example"
            emails = [f"{local}{cid}@{domain}"]
            if rng.random() < 0.3:
                emails.append(f"{local}{cid}@mail.example")
            for pos, email in enumerate(emails):
                email_rows.append(
                    {
                        "contact_id": cid,
                        "label": ("work", "home")[pos],
                        "value": email,
                        "position": pos,
                    }
                )
            if rng.random() < 0.6:
                phone_rows.append(
                    {
                        "contact_id": cid,
                        "label": "mobile",
                        "value": f"+44 7700 9{rng.randint(0, 99999):05d}",
                        "position": 0,
                    }
                )
            if rng.random() < 0.5:
                url_rows.append(
                    {
                        "contact_id": cid,
                        "label": "linkedin",
                        "value": f"https://www.linkedin.com/in/{local.replace('.', '-')}-{cid}",
                        "position": 0,
                    }
                )
            tag_rows.extend({"contact_id": cid, "tag_id": tag_ids[t]} for t in tags)

            # Touchpoints: none for some, a handful for most, many for close ties.
            n_touch = rng.choice([0, 0, 1, 2, 3, 4, 6]) + (8 if relationship == "mentor" else 0)
            last: date | None = None
            met_event = None
            if past_events and rng.random() < 0.25:
                met_event = rng.choice(past_events)
            for t in range(n_touch):
                day = added + timedelta(days=rng.randint(0, max(0, (today - added).days)))
                kind = "met" if t == 0 else rng.choices(kinds, kind_weights)[0]
                touch_rows.append(
                    {
                        "uuid": new_uuid(),
                        "created_at": now,
                        "updated_at": now,
                        "contact_id": cid,
                        "occurred_on": day,
                        "channel": "in_person" if kind == "met" else rng.choice(channels),
                        "kind": kind,
                        "note": rng.choice(TOUCH_NOTES),
                        "event_id": met_event["id"] if (met_event and t == 0) else None,
                    }
                )
                last = day if last is None or day > last else last
            if met_event is not None:
                attendee_rows.append(
                    {"event_id": met_event["id"], "contact_id": cid, "note": "", "is_new": True}
                )
            birthday = rng.random() < 0.3
            cadence_of[cid] = cadence
            last_of[cid] = last
            contact_rows.append(
                {
                    "id": cid,
                    "uuid": new_uuid(),
                    "created_at": datetime.combine(added, time(12), timezone.utc),
                    "updated_at": now,
                    "name": name,
                    # _name() makes "First [particle] Last": the parts are known exactly.
                    "given_name": name.split(" ", 1)[0],
                    "family_name": name.split(" ", 1)[1],
                    "organisation": org,
                    "organisation_id": org_ids[name_key(org)],
                    "role": role,
                    "industry": industry,
                    "relationship": relationship,
                    "how_met_kind": "event"
                    if met_event
                    else rng.choice(["", "online", "referral"]),
                    "how_met_text": "",
                    "how_met_event_id": met_event["id"] if met_event else None,
                    "location": rng.choice(CITIES),
                    "birthday_month": rng.randint(1, 12) if birthday else None,
                    "birthday_day": rng.randint(1, 28) if birthday else None,
                    "birthday_year": rng.randint(1960, 2000)
                    if birthday and rng.random() < 0.5
                    else None,
                    "interests": ", ".join(rng.sample(INDUSTRIES, 2)),
                    "notes": notes,
                    "cadence_days": cadence,
                    "last_touch_on": last,
                    "next_touch_due": next_touch_due(last, added, cadence),
                    "photo_type": "",
                    "search_text": search_blob(name, org, role, *emails, *tags, notes),
                }
            )
        member_rows = [
            {"contact_id": c["id"], "organisation_id": c["organisation_id"], "role": ""}
            for c in contact_rows
        ]
        community_of: dict[int, int] = {}
        for c in contact_rows:
            if org_rng.random() < 0.08:
                community_of[c["id"]] = org_rng.choice(community_ids)
                member_rows.append(
                    {"contact_id": c["id"], "organisation_id": community_of[c["id"]], "role": ""}
                )
        for touch in touch_rows:
            community = community_of.get(touch["contact_id"])
            touch["organisation_id"] = community if community and org_rng.random() < 0.4 else None
        _insert(session, m.Contact, contact_rows)
        _insert(session, m.ContactOrganisation, member_rows)
        _insert(session, m.ContactEmail, email_rows)
        _insert(session, m.ContactPhone, phone_rows)
        _insert(session, m.ContactUrl, url_rows)
        _insert(session, m.ContactTag, tag_rows)
        _insert(session, m.Touchpoint, touch_rows)
        _insert(session, m.EventAttendee, attendee_rows)

        # Follow-ups: open ones spread around today (some overdue), done ones in the past.
        n_follow = followups if followups is not None else contacts * 3 // 10
        follow_rows: list[dict[str, Any]] = []
        for _ in range(n_follow if contacts else 0):
            cid = first_contact + rng.randrange(contacts)
            offset = rng.randint(-60, 90)
            due = today + timedelta(days=offset)
            done = offset < -14 and rng.random() < 0.7
            timed = rng.random() < 0.2
            follow_rows.append(
                {
                    "uuid": new_uuid(),
                    "created_at": now,
                    "updated_at": now,
                    "contact_id": cid,
                    "due_date": due,
                    "due_time": time(rng.choice([9, 11, 15]), rng.choice([0, 30]))
                    if timed
                    else None,
                    "time_zone": rng.choice(ZONES) if timed else "",
                    "channel": rng.choice(channels),
                    "purpose": rng.choice(PURPOSES),
                    "notes": "",
                    "status": "done" if done else "open",
                    "origin": "cadence" if cadence_of.get(cid) else rng.choice(["manual", "event"]),
                    "completed_at": datetime.combine(due, time(12), timezone.utc) if done else None,
                    "sequence": 0,
                }
            )
        _insert(session, m.FollowUp, follow_rows)

        demo_pitch = "Data lead, 30 seconds"
        if session.scalar(select(m.Pitch.id).where(m.Pitch.title == demo_pitch)) is None:
            session.execute(
                insert(m.Pitch),
                [
                    {
                        "uuid": new_uuid(),
                        "created_at": now,
                        "updated_at": now,
                        "title": demo_pitch,
                        "text": "I lead a small data team that helps banks see fraud sooner. "
                        "I'm looking to meet people who ship machine learning in regulated "
                        "places, and I'm happy to share what worked for us.",
                    }
                ],
            )
    OrganisationService(db).sync_reminders()
    return DemoSummary(len(contact_rows), len(touch_rows), len(events), len(follow_rows))


def _organisations(
    session: Any, companies: list[str], today: date, now: datetime
) -> dict[str, int]:
    """Companies for the contacts plus the user's communities; existing names are reused."""
    ids = {
        key: int(oid)
        for key, oid in session.execute(select(m.Organisation.name_key, m.Organisation.id))
    }
    rows: list[dict[str, Any]] = []
    wanted = {name_key(n) for n in companies} | {name_key(c[0]) for c in COMMUNITIES}
    next_id = _next_id(session, m.Organisation, len(wanted - set(ids)))
    base = {"website": "", "notes": "", "created_at": now, "updated_at": now, "currency": ""}
    for name in companies:
        if name_key(name) not in ids:
            ids[name_key(name)] = next_id
            rows.append({**base, "id": next_id, "uuid": new_uuid(), "name": name,
                         "name_key": name_key(name), "kind": "company", "my_role": "",
                         "membership_status": "", "activity_goal": ""})  # fmt: skip
            next_id += 1
    for name, kind, role, status, renew_in, fee, goal, every in COMMUNITIES:
        if name_key(name) in ids:
            continue
        ids[name_key(name)] = next_id
        slug = name.lower().replace(" ", "")
        rows.append({**base, "id": next_id, "uuid": new_uuid(), "name": name,
                     "name_key": name_key(name), "kind": kind, "my_role": role,
                     "membership_status": status, "activity_goal": goal,
                     "activity_every_days": every, "website": f"https://{slug}.example",
                     "joined_on": today - timedelta(days=400) if status else None,
                     "renewal_on": today + timedelta(days=renew_in) if renew_in else None,
                     "renewal_fee_cents": fee,
                     "currency": "EUR" if fee is not None else ""})  # fmt: skip
        next_id += 1
    for row in rows:
        for key in ("activity_every_days", "joined_on", "renewal_on", "renewal_fee_cents"):
            row.setdefault(key, None)
    _insert(session, m.Organisation, rows)
    return ids

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
    net = _Network(random.Random(seed), today or date.today(), preferences or Preferences())
    # Organisations use their own random stream, so the rest of the network is unchanged.
    org_rng = random.Random(seed + 7919)
    with db.session() as session:
        tag_ids = _tag_ids(session)
        # Event plans: a couple of years back, a few months ahead.
        n_events = max(6, min(400, contacts // 25))
        first_contact = _next_id(session, m.Contact, contacts)
        event_id = _next_id(session, m.EventPlan, n_events)
        org_ids = _organisations(session, [o for o, _ in net.orgs], net.today, net.now)
        community_ids = [org_ids[name_key(c[0])] for c in COMMUNITIES]
        events = net.events(event_id, n_events, org_rng, community_ids)
        _insert(session, m.EventPlan, events)
        _insert(session, m.EventGoal, net.goals(events))
        _insert(session, m.EventChecklistItem, _checklists(events))
        past_events = [e for e in events if e["starts_local"].date() < net.today]
        for cid in range(first_contact, first_contact + contacts):
            net.add_contact(cid, tag_ids, org_ids, past_events)
        members = _memberships(
            net.rows["contacts"], net.rows["touchpoints"], org_rng, community_ids
        )
        _insert(session, m.Contact, net.rows["contacts"])
        _insert(session, m.ContactOrganisation, members)
        for model in (m.ContactEmail, m.ContactPhone, m.ContactUrl, m.ContactTag):
            _insert(session, model, net.rows[model.__tablename__])
        _insert(session, m.Touchpoint, net.rows["touchpoints"])
        _insert(session, m.EventAttendee, net.rows["event_attendees"])
        n_follow = followups if followups is not None else contacts * 3 // 10
        follow_rows = net.followups(first_contact, contacts, n_follow if contacts else 0)
        _insert(session, m.FollowUp, follow_rows)
        _add_demo_pitch(session, net.now)
    OrganisationService(db).sync_reminders()
    return DemoSummary(contacts, len(net.rows["touchpoints"]), len(events), len(follow_rows))


def _tag_ids(session: Any) -> dict[str, int]:
    """The demo's tags, reusing those that exist."""
    tag_ids: dict[str, int] = {}
    for tag in TAGS:
        row = session.scalar(select(m.Tag).where(m.Tag.name == tag))
        if row is None:
            row = m.Tag(name=tag)
            session.add(row)
            session.flush()
        tag_ids[tag] = row.id
    return tag_ids


def _checklists(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The starter checklist of every event, ticked off for those attended."""
    return [
        {"event_id": e["id"], "text": text, "done": e["status"] == "attended", "position": p}
        for e in events
        for p, text in enumerate(STARTER_CHECKLIST)
    ]


def _memberships(
    contact_rows: list[dict[str, Any]],
    touch_rows: list[dict[str, Any]],
    org_rng: random.Random,
    community_ids: list[int],
) -> list[dict[str, Any]]:
    """Every contact works at their company; a few also belong to one of the user's
    communities, and some of their touchpoints count for it."""
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
    return member_rows


def _add_demo_pitch(session: Any, now: datetime) -> None:
    """One pitch in the library, once."""
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


class _Network:
    """The rows of a generated network, drawn from one random stream in a fixed order (so a
    seed always gives the same network)."""

    def __init__(self, rng: random.Random, today: date, prefs: Preferences) -> None:
        self.rng = rng
        self.today = today
        self.prefs = prefs
        self.now = datetime.now(timezone.utc)
        self.rel_keys = list(REL_WEIGHTS)
        self.rel_weights = [REL_WEIGHTS[k] for k in self.rel_keys]
        self.kinds = list(KIND_WEIGHTS)
        self.kind_weights = [KIND_WEIGHTS[k] for k in self.kinds]
        self.channels = list(CHANNELS)
        self.orgs = [
            (stem + suffix, rng.choice(INDUSTRIES)) for stem in ORG_STEMS for suffix in ORG_SUFFIX
        ]
        self.rows: dict[str, list[dict[str, Any]]] = {
            name: []
            for name in (
                "contacts",
                "contact_emails",
                "contact_phones",
                "contact_urls",
                "contact_tags",
                "touchpoints",
                "event_attendees",
            )
        }
        self.cadence_of: dict[int, int | None] = {}

    def events(
        self, first_id: int, count: int, org_rng: random.Random, community_ids: list[int]
    ) -> list[dict[str, Any]]:
        """Event plans, a third ahead and the rest in the past two years; some hosted by the
        user's communities."""
        rng, now = self.rng, self.now
        events: list[dict[str, Any]] = []
        for i in range(count):
            # A third of the plans lie ahead, so the Events and Overview tabs show upcoming ones.
            offset = rng.randint(3, 120) if i % 3 == 0 else rng.randint(-700, -1)
            day = self.today + timedelta(days=offset)
            start = datetime.combine(day, time(rng.choice([9, 10, 14, 18]), 0))
            status = (
                "attended"
                if offset < 0 and rng.random() < 0.8
                else ("skipped" if offset < 0 else rng.choice(["idea", "registered", "registered"]))
            )
            events.append(
                {
                    "id": first_id + i,
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
        return events

    def goals(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Two goals per event: meet new people, learn about a topic."""
        rng = self.rng
        return [
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

    def add_contact(
        self,
        cid: int,
        tag_ids: dict[str, int],
        org_ids: dict[str, int],
        past_events: list[dict[str, Any]],
    ) -> None:
        """One person with their e-mails, phone, profile, tags, touchpoints and the event
        where they were met, if any."""
        rng = self.rng
        name = _name(rng)
        org, industry = rng.choice(self.orgs)
        role = rng.choice(ROLES)
        relationship = rng.choices(self.rel_keys, self.rel_weights)[0]
        added = self.today - timedelta(days=rng.randint(0, 800))
        cadence = self.prefs.cadence_for(relationship) if rng.random() < 0.7 else None
        tags = rng.sample(TAGS, rng.choice([0, 1, 1, 2, 3]))
        notes = rng.choice(NOTES)
        emails = self._add_values(cid, name, org)
        self.rows["contact_tags"].extend({"contact_id": cid, "tag_id": tag_ids[t]} for t in tags)
        last, met_event = self._add_touches(cid, relationship, added, past_events)
        birthday = rng.random() < 0.3
        self.cadence_of[cid] = cadence
        self.rows["contacts"].append(
            {
                "id": cid,
                "uuid": new_uuid(),
                "created_at": datetime.combine(added, time(12), timezone.utc),
                "updated_at": self.now,
                "name": name,
                # _name() makes "First [particle] Last": the parts are known exactly.
                "given_name": name.split(" ", 1)[0],
                "family_name": name.split(" ", 1)[1],
                "organisation": org,
                "organisation_id": org_ids[name_key(org)],
                "role": role,
                "industry": industry,
                "relationship": relationship,
                "how_met_kind": "event" if met_event else rng.choice(["", "online", "referral"]),
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

    def _add_values(self, cid: int, name: str, org: str) -> list[str]:
        """A work e-mail (and sometimes a private one), maybe a phone and a LinkedIn profile;
        returns the e-mails."""
        rng = self.rng
        local = _email_local(name)
        domain = org.lower().replace(" ", "") + ".example"
        emails = [f"{local}{cid}@{domain}"]
        if rng.random() < 0.3:
            emails.append(f"{local}{cid}@mail.example")
        for pos, email in enumerate(emails):
            self.rows["contact_emails"].append(
                {"contact_id": cid, "label": ("work", "home")[pos], "value": email, "position": pos}
            )
        if rng.random() < 0.6:
            self.rows["contact_phones"].append(
                {
                    "contact_id": cid,
                    "label": "mobile",
                    "value": f"+44 7700 9{rng.randint(0, 99999):05d}",
                    "position": 0,
                }
            )
        if rng.random() < 0.5:
            self.rows["contact_urls"].append(
                {
                    "contact_id": cid,
                    "label": "linkedin",
                    "value": f"https://www.linkedin.com/in/{local.replace('.', '-')}-{cid}",
                    "position": 0,
                }
            )
        return emails

    def _add_touches(
        self, cid: int, relationship: str, added: date, past_events: list[dict[str, Any]]
    ) -> tuple[date | None, dict[str, Any] | None]:
        """Touchpoints: none for some, a handful for most, many for close ties; the first one
        may be meeting them at a past event. Returns the last touch and that event."""
        rng = self.rng
        n_touch = rng.choice([0, 0, 1, 2, 3, 4, 6]) + (8 if relationship == "mentor" else 0)
        last: date | None = None
        met_event = None
        if past_events and rng.random() < 0.25:
            met_event = rng.choice(past_events)
        for t in range(n_touch):
            day = added + timedelta(days=rng.randint(0, max(0, (self.today - added).days)))
            kind = "met" if t == 0 else rng.choices(self.kinds, self.kind_weights)[0]
            self.rows["touchpoints"].append(
                {
                    "uuid": new_uuid(),
                    "created_at": self.now,
                    "updated_at": self.now,
                    "contact_id": cid,
                    "occurred_on": day,
                    "channel": "in_person" if kind == "met" else rng.choice(self.channels),
                    "kind": kind,
                    "note": rng.choice(TOUCH_NOTES),
                    "event_id": met_event["id"] if (met_event and t == 0) else None,
                }
            )
            last = day if last is None or day > last else last
        if met_event is not None:
            self.rows["event_attendees"].append(
                {"event_id": met_event["id"], "contact_id": cid, "note": "", "is_new": True}
            )
        return last, met_event

    def followups(self, first_contact: int, contacts: int, count: int) -> list[dict[str, Any]]:
        """Open follow-ups spread around today (some overdue), done ones in the past."""
        rng, now = self.rng, self.now
        follow_rows: list[dict[str, Any]] = []
        for _ in range(count):
            cid = first_contact + rng.randrange(contacts)
            offset = rng.randint(-60, 90)
            due = self.today + timedelta(days=offset)
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
                    "channel": rng.choice(self.channels),
                    "purpose": rng.choice(PURPOSES),
                    "notes": "",
                    "status": "done" if done else "open",
                    "origin": "cadence"
                    if self.cadence_of.get(cid)
                    else rng.choice(["manual", "event"]),
                    "completed_at": datetime.combine(due, time(12), timezone.utc) if done else None,
                    "sequence": 0,
                }
            )
        return follow_rows


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

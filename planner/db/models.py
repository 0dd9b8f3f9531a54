"""SQLAlchemy 2 declarative models: every table the user's data lives in.

`orm.relationship` is spelled out because `relationship` is also a contact column.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    orm,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from planner.db.types import UTCDateTime, new_uuid, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# ix_contacts_list's columns: the list's sort order (search_text, id), then what it shows.
LIST_COLUMNS = (
    "search_text",
    "id",
    "name",
    "organisation",
    "role",
    "relationship",
    "last_touch_on",
    "next_touch_due",
    "cadence_days",
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Owned:
    """A row the user owns: a stable UUID (iCalendar UIDs, dedupe) and UTC timestamps."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Who made and who last changed the row (the editor's name; "" before team mode). Set by
    # planner.db.database's flush hook from the session's user.
    created_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    updated_by: Mapped[str] = mapped_column(String(200), default="", server_default="")


# --- contacts ---------------------------------------------------------------------------


class Contact(Owned, Base):
    __tablename__ = "contacts"

    # Optimistic locking: an UPDATE names the version it read, so a stale save fails.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    # The display name: derived from the parts below unless `name_custom` says the user typed it.
    name: Mapped[str] = mapped_column(String(300))
    name_prefix: Mapped[str] = mapped_column(String(100), default="")
    given_name: Mapped[str] = mapped_column(String(100), default="")
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    family_name: Mapped[str] = mapped_column(String(100), default="")
    name_suffix: Mapped[str] = mapped_column(String(100), default="")
    nickname: Mapped[str] = mapped_column(String(100), default="")
    # How the name is said (vCard X-PHONETIC-*, Google's "Phonetic" columns), free text.
    phonetic_name: Mapped[str] = mapped_column(String(300), default="")
    name_custom: Mapped[bool] = mapped_column(Boolean, default=False)
    organisation: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[str] = mapped_column(String(300), default="")
    industry: Mapped[str] = mapped_column(String(200), default="")
    # colleague, mentor, mentee, sponsor, industry_leader, peer, client, recruiter, other
    relationship: Mapped[str] = mapped_column(String(32), default="other")
    # "" (unknown), event, organisation, volunteering, online, referral, other
    how_met_kind: Mapped[str] = mapped_column(String(32), default="")
    how_met_text: Mapped[str] = mapped_column(Text, default="")
    how_met_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_plans.id", ondelete="SET NULL"), index=True
    )
    referred_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    # The organisation or community where the user met them (how_met_kind "organisation").
    how_met_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    # The contact's main organisation; `organisation` above stays the text shown and searched.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    location: Mapped[str] = mapped_column(String(300), default="")
    birthday_month: Mapped[int | None] = mapped_column(Integer)
    birthday_day: Mapped[int | None] = mapped_column(Integer)
    birthday_year: Mapped[int | None] = mapped_column(Integer)
    interests: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Every N days; None means no keep-in-touch cadence.
    cadence_days: Mapped[int | None] = mapped_column(Integer)
    # Denormalised from touchpoints and cadence by the core services, so lists sort in SQL.
    last_touch_on: Mapped[date | None] = mapped_column(Date)
    next_touch_due: Mapped[date | None] = mapped_column(Date)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    photo_type: Mapped[str] = mapped_column(String(32), default="")
    # A photo known only by its address (Google's CSV "Photo" column); shown as a link.
    photo_url: Mapped[str] = mapped_column(String(2000), default="")
    # Case- and accent-folded text of the searchable fields, kept by the core services.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Team mode: "shared" (everyone on the team sees it) or "private" (only its creator).
    visibility: Mapped[str] = mapped_column(String(16), default="shared", server_default="shared")

    emails: Mapped[list[ContactEmail]] = orm.relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactEmail.position"
    )
    phones: Mapped[list[ContactPhone]] = orm.relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactPhone.position"
    )
    urls: Mapped[list[ContactUrl]] = orm.relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactUrl.position"
    )
    addresses: Mapped[list[ContactAddress]] = orm.relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactAddress.position"
    )
    tags: Mapped[list[Tag]] = orm.relationship(secondary="contact_tags", order_by="Tag.name")

    __table_args__ = (
        Index("ix_contacts_name", "name"),
        Index("ix_contacts_next_touch_due", "next_touch_due"),
        Index("ix_contacts_last_touch_on", "last_touch_on"),
        Index("ix_contacts_created_at", "created_at"),
        # The contacts list in its order with every column it shows (core.contacts.table_data):
        # SQLite reads it straight through instead of sorting 100,000 rows first. Empty on
        # PostgreSQL, where a btree entry must stay under 2.7 kB and a contact with long notes
        # has a longer search text; it sorts the list in memory there as before.
        Index(
            "ix_contacts_list",
            *LIST_COLUMNS,
            postgresql_where=false(),
        ),
    )


class ContactNote(Owned, Base):
    """A dated note about a contact, by its author (created_by); private to them by default.

    The contact's own `notes` text travels with the contact (vCard, CSV); these do not.
    """

    __tablename__ = "contact_notes"

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    # "private" (only the author sees it) or "shared" (everyone who sees the contact).
    visibility: Mapped[str] = mapped_column(String(16), default="private", server_default="private")


class ContactEmail(Base):
    __tablename__ = "contact_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(64), default="")
    value: Mapped[str] = mapped_column(String(320))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Marked preferred (vCard TYPE=pref / PREF=1); position keeps the order besides.
    pref: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    contact: Mapped[Contact] = orm.relationship(back_populates="emails")

    __table_args__ = (Index("ix_contact_emails_value", "value"),)


class ContactPhone(Base):
    __tablename__ = "contact_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(64), default="")
    value: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    pref: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    contact: Mapped[Contact] = orm.relationship(back_populates="phones")


class ContactUrl(Base):
    __tablename__ = "contact_urls"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    # linkedin, website, other
    label: Mapped[str] = mapped_column(String(64), default="")
    value: Mapped[str] = mapped_column(String(2000))
    position: Mapped[int] = mapped_column(Integer, default=0)
    pref: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    contact: Mapped[Contact] = orm.relationship(back_populates="urls")


class ContactAddress(Base):
    """A postal address in vCard ADR's parts; `position` keeps the source's order."""

    __tablename__ = "contact_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    # home, work, other or the user's own word
    label: Mapped[str] = mapped_column(String(64), default="")
    po_box: Mapped[str] = mapped_column(String(100), default="")
    extended: Mapped[str] = mapped_column(String(300), default="")
    street: Mapped[str] = mapped_column(String(500), default="")
    locality: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(40), default="")
    country: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    pref: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    contact: Mapped[Contact] = orm.relationship(back_populates="addresses")


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class ContactTag(Base):
    __tablename__ = "contact_tags"

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Touchpoint(Owned, Base):
    __tablename__ = "touchpoints"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    occurred_on: Mapped[date] = mapped_column(Date)
    # in_person, email, call, message, video, social
    channel: Mapped[str] = mapped_column(String(32))
    # met, caught_up, gave_value, asked, shared_success
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event_plans.id", ondelete="SET NULL"))
    # Where it happened, when that was an organisation or community.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (
        Index("ix_touchpoints_contact_occurred", "contact_id", "occurred_on"),
        Index("ix_touchpoints_occurred_on", "occurred_on"),
        # Monthly give/ask counts read kind straight from the index.
        Index("ix_touchpoints_occurred_kind", "occurred_on", "kind"),
        # Touchpoints at an event (attendees, an organisation's hosted events).
        Index("ix_touchpoints_event_id", "event_id"),
    )


class Referral(Owned, Base):
    """A referral or introduction, tracked both ways: asked -> made -> outcome."""

    __tablename__ = "referrals"

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    # The third person introduced or referred, when they are a contact too.
    other_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    # i_asked, i_made, i_received
    direction: Mapped[str] = mapped_column(String(16))
    # asked, made, outcome
    status: Mapped[str] = mapped_column(String(16), default="asked")
    occurred_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


# --- event plans ------------------------------------------------------------------------


class Pitch(Owned, Base):
    __tablename__ = "pitches"

    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")


class Question(Owned, Base):
    __tablename__ = "questions"

    text: Mapped[str] = mapped_column(Text)
    # Comma-separated tags, e.g. "opener, industry".
    tags: Mapped[str] = mapped_column(String(300), default="")


class EventPlan(Owned, Base):
    __tablename__ = "event_plans"

    # Optimistic locking: an UPDATE names the version it read, so a stale save fails.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    name: Mapped[str] = mapped_column(String(300))
    # conference, trade_show, seminar, networking_event, meetup, webinar, volunteering,
    # community_session
    event_type: Mapped[str] = mapped_column(String(32), default="networking_event")
    # Wall-clock times in `time_zone` (IANA); UTC is derived, so zone rule updates apply.
    starts_local: Mapped[datetime | None] = mapped_column()
    ends_local: Mapped[datetime | None] = mapped_column()
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    time_zone: Mapped[str] = mapped_column(String(64), default="")
    venue: Mapped[str] = mapped_column(String(500), default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    cost_cents: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="")
    # idea, registered, attended, skipped
    status: Mapped[str] = mapped_column(String(16), default="idea")
    description: Mapped[str] = mapped_column(Text, default="")
    takeaways: Mapped[str] = mapped_column(Text, default="")
    pitch_id: Mapped[int | None] = mapped_column(
        ForeignKey("pitches.id", ondelete="SET NULL"), index=True
    )
    # The pitch as tailored for this event; the library copy stays as it was.
    pitch_text: Mapped[str] = mapped_column(Text, default="")
    # iCalendar SEQUENCE: grows on every change the export shows.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # The organisation or community hosting it.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (Index("ix_event_plans_starts_local", "starts_local"),)


class EventGoal(Base):
    __tablename__ = "event_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event_plans.id", ondelete="CASCADE"), index=True
    )
    # meet_new, talk_to, learn_about, custom
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[int] = mapped_column(Integer, default=1)
    # Entered by hand where progress cannot be computed (learn_about, custom).
    manual_progress: Mapped[int] = mapped_column(Integer, default=0)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    industry: Mapped[str] = mapped_column(String(200), default="")
    relationship: Mapped[str] = mapped_column(String(32), default="")
    topic: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class EventQuestion(Base):
    __tablename__ = "event_questions"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event_plans.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class EventPersonToMeet(Base):
    __tablename__ = "event_people_to_meet"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event_plans.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("event_id", "contact_id"),)


class EventChecklistItem(Base):
    __tablename__ = "event_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event_plans.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class EventAttendee(Base):
    """Someone the user met at an event."""

    __tablename__ = "event_attendees"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event_plans.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    # True when the contact was first met here (counts toward "meet N new people").
    is_new: Mapped[bool] = mapped_column(Boolean, default=False)
    touchpoint_id: Mapped[int | None] = mapped_column(
        ForeignKey("touchpoints.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (UniqueConstraint("event_id", "contact_id"),)


# --- follow-ups ---------------------------------------------------------------------------


class FollowUp(Owned, Base):
    __tablename__ = "follow_ups"

    # Optimistic locking: an UPDATE names the version it read, so a stale save fails.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    due_date: Mapped[date] = mapped_column(Date)
    # Optional wall-clock time in `time_zone` (IANA); none means an all-day item.
    due_time: Mapped[time | None] = mapped_column(Time)
    time_zone: Mapped[str] = mapped_column(String(64), default="")
    channel: Mapped[str] = mapped_column(String(32), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # open, done, cancelled
    status: Mapped[str] = mapped_column(String(16), default="open")
    # manual, cadence, event
    origin: Mapped[str] = mapped_column(String(16), default="manual")
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_plans.id", ondelete="SET NULL"), index=True
    )
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the desktop notification for this follow-up fired (once per follow-up).
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # iCalendar SEQUENCE: grows on every change.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Set (with contact_id NULL) for membership renewals and activity nudges.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # Team mode: who is to do it (a user's name, as in created_by) and who may see it:
    # "shared" (the team) or "private" (its creator and its owner).
    owner: Mapped[str] = mapped_column(String(200), default="", server_default="", index=True)
    visibility: Mapped[str] = mapped_column(String(16), default="shared", server_default="shared")

    __table_args__ = (Index("ix_follow_ups_status_due", "status", "due_date"),)


# --- organisations and communities ------------------------------------------------------


class Organisation(Owned, Base):
    """A professional association, online community, volunteer group or company."""

    __tablename__ = "organisations"

    # Optimistic locking: an UPDATE names the version it read, so a stale save fails.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    name: Mapped[str] = mapped_column(String(300))
    # Case- and space-folded name: groups spellings ("Globex", " globex ") into one row.
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    # professional_association, online_community, volunteer_group, company, other
    kind: Mapped[str] = mapped_column(String(32), default="other")
    website: Mapped[str] = mapped_column(String(2000), default="")
    # "" (none), member, volunteer, organiser, speaker, considering
    my_role: Mapped[str] = mapped_column(String(32), default="")
    # "" (not a member), active, pending, lapsed, former
    membership_status: Mapped[str] = mapped_column(String(32), default="")
    joined_on: Mapped[date | None] = mapped_column(Date)
    renewal_on: Mapped[date | None] = mapped_column(Date)
    renewal_fee_cents: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="")
    # How active the user wants to be, e.g. "attend one meetup a month" every 30 days.
    activity_goal: Mapped[str] = mapped_column(Text, default="")
    activity_every_days: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    # The follow-ups kept in sync with renewal_on and the activity goal (no FK: they may be
    # deleted from the calendar; the service then makes a new one when needed).
    renewal_followup_id: Mapped[int | None] = mapped_column(Integer)
    activity_followup_id: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (Index("ix_organisations_renewal_on", "renewal_on"),)


class ContactOrganisation(Base):
    """A contact's membership of an organisation; a contact can belong to several."""

    __tablename__ = "contact_organisations"

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # Their role there, e.g. "Chapter chair".
    role: Mapped[str] = mapped_column(String(300), default="")


# --- imports ----------------------------------------------------------------------------------


class ImportBatch(Owned, Base):
    """One import of a contacts file, so the list can show "what came in with it"."""

    __tablename__ = "imports"

    # The file's name (no folder: the path says nothing a teammate can use).
    source: Mapped[str] = mapped_column(String(300), default="")
    contacts: Mapped[list[ImportBatchContact]] = orm.relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (Index("ix_imports_created_at", "created_at"),)


class ImportBatchContact(Base):
    """A contact an import created or merged details into."""

    __tablename__ = "import_contacts"

    import_id: Mapped[int] = mapped_column(
        ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True, index=True
    )


# --- calendar export ------------------------------------------------------------------------


class CalendarItemVersion(Base):
    """The content hash, SEQUENCE and LAST-MODIFIED last given to one exported calendar item.

    A follow-up's text includes its contact's name, organisation, e-mail and phone: editing the
    contact changes the item without touching the follow-up row, so the version follows a hash
    of what goes into the item rather than the row's own counters.
    """

    __tablename__ = "calendar_item_versions"

    # "followup:<uuid>", "event:<uuid>", "birthday:<contact uuid>"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- calendar sync ------------------------------------------------------------------------


class CalendarSyncItem(Base):
    """One item published to a CalDAV calendar: where it lives and the version we wrote.

    The ETag makes updates and deletes conditional (a server-side edit is never overwritten
    blindly); the content hash tells, without asking the server, whether the item changed
    since it was pushed, so a sync with nothing to do sends no requests at all.
    """

    __tablename__ = "calendar_sync_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The calendar collection's URL: pointing the app at another calendar starts afresh.
    calendar_url: Mapped[str] = mapped_column(String(2000))
    # The iCalendar UID, as in the .ics export.
    uid: Mapped[str] = mapped_column(String(255))
    href: Mapped[str] = mapped_column(String(2000))
    etag: Mapped[str] = mapped_column(String(255), default="")
    # SHA-256 of what we last wrote, without DTSTAMP (which changes on every render).
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    pushed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Why the last push was refused (HTTP 412: changed or removed on the server); "" if none.
    conflict: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("calendar_url", "uid", name="uq_calendar_sync_items_uid"),)

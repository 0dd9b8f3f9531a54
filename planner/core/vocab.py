"""The fixed vocabularies: stored keys and the labels a person reads."""

from __future__ import annotations

RELATIONSHIPS: dict[str, str] = {
    "colleague": "Colleague",
    "mentor": "Mentor",
    "mentee": "Mentee",
    "sponsor": "Sponsor",
    "industry_leader": "Industry leader",
    "peer": "Peer",
    "client": "Client",
    "recruiter": "Recruiter",
    "other": "Other",
}

HOW_MET: dict[str, str] = {
    "": "Not recorded",
    "event": "At an event",
    "organisation": "Organisation or community",
    "volunteering": "Volunteering",
    "online": "Online",
    "referral": "Referred by a contact",
    "other": "Other",
}

CHANNELS: dict[str, str] = {
    "in_person": "In person",
    "email": "E-mail",
    "call": "Call",
    "message": "Message",
    "video": "Video",
    "social": "Social",
}

TOUCH_KINDS: dict[str, str] = {
    "met": "Met",
    "caught_up": "Caught up",
    "gave_value": "Gave value",
    "asked": "Asked",
    "shared_success": "Shared a success",
}

REFERRAL_DIRECTIONS: dict[str, str] = {
    "i_asked": "I asked",
    "i_made": "I made",
    "i_received": "I received",
}

REFERRAL_STATUSES: dict[str, str] = {"asked": "Asked", "made": "Made", "outcome": "Outcome"}

EVENT_TYPES: dict[str, str] = {
    "conference": "Conference",
    "trade_show": "Trade show",
    "seminar": "Seminar",
    "networking_event": "Networking event",
    "meetup": "Meetup",
    "webinar": "Webinar",
    "volunteering": "Volunteering",
    "community_session": "Community session",
}

EVENT_STATUSES: dict[str, str] = {
    "idea": "Idea",
    "registered": "Registered",
    "attended": "Attended",
    "skipped": "Skipped",
}

GOAL_KINDS: dict[str, str] = {
    "meet_new": "Meet new people",
    "talk_to": "Talk to a contact",
    "learn_about": "Learn about a topic",
    "custom": "Other goal",
}

FOLLOWUP_STATUSES: dict[str, str] = {"open": "Open", "done": "Done", "cancelled": "Cancelled"}

FOLLOWUP_ORIGINS: dict[str, str] = {
    "manual": "Manual",
    "cadence": "Keep-in-touch cadence",
    "event": "After an event",
    "organisation": "Organisation or community",
}

URL_LABELS: dict[str, str] = {"linkedin": "LinkedIn", "website": "Website", "other": "Other"}

"""What a new database starts with so the question bank, pitch library and event checklists
are not blank pages. Written for this app. Migration 0004 seeds the first two into every
database (new or upgraded), whichever entry point opened it; events copy the checklist."""

from __future__ import annotations

# Open-ended questions that invite a story rather than a yes or no: (text, comma-separated tags).
STARTER_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("What brought you to this event?", "opener"),
    ("What are you working on at the moment that excites you?", "opener, work"),
    ("How did you get started in your field?", "career"),
    ("What has changed most in your industry over the last couple of years?", "industry"),
    ("What's a problem your team is trying to solve right now?", "work"),
    ("Which talk or session here has been the most useful to you, and why?", "event"),
    ("What do you wish more people knew about your work?", "work"),
    ("How do you usually find out about new ideas in your area?", "learning"),
    ("Who else here do you think I should meet?", "closing, introductions"),
    ("What would make the next few months a success for you?", "goals"),
    ("How can I be helpful to you?", "closing, give"),
)

# Pitch outlines to tailor: the parts in angle brackets are the user's to fill in.
STARTER_PITCHES: tuple[tuple[str, str], ...] = (
    (
        "Introduction, 20 seconds",
        "I'm <name>, <role> at <organisation>. I help <who you help> with <the problem you "
        "solve>. Lately I've been digging into <topic>, so I'd love to hear how you see it.",
    ),
    (
        "Career move, 30 seconds",
        "I've spent <years> years in <field>, most recently <one result you are proud of>. "
        "I'm now looking at <the kind of role or team you want next>, and I'm talking to "
        "people who know <area> well. What has your path into it looked like?",
    ),
    (
        "Asking for advice, 15 seconds",
        "I'm <name>, working on <project>. I'm stuck on <question> and you've done "
        "<relevant experience>. Could I ask how you approached it?",
    ),
)

# The preparation checklist every new event plan starts with.
STARTER_CHECKLIST: tuple[str, ...] = (
    "Register and keep the confirmation",
    "Look through the speakers and attendee list",
    "Choose the people you most want to meet",
    "Tailor your pitch and say it out loud twice",
    "Pick three questions to ask",
    "Refresh your LinkedIn profile and photo",
    "Have business cards or a digital card ready",
    "Plan the journey and arrive early",
    "Block an hour for follow-ups the day after",
)

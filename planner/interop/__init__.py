"""File formats in and out (iCalendar, vCard, CSV), on core's dataclasses. No Qt, no sessions."""

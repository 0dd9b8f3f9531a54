"""Checks for what people type into a contact: e-mails, phones, URLs and birthdays."""

from __future__ import annotations

import calendar
import contextlib
import locale
from datetime import date
from urllib.parse import urlsplit

from planner.core.errors import ValidationError


def normalize_email(value: str, field: str = "emails") -> str:
    """A syntactically valid address, normalised; never looks the domain up on the network."""
    # Imported here: these libraries load large tables, and the app should start fast.
    from email_validator import EmailNotValidError, validate_email

    text = value.strip()
    if not text:
        raise ValidationError(field, "Enter an e-mail address.")
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(field, f"“{text}” is not a valid e-mail address: {exc}") from exc
    return str(result.normalized)


def default_phone_region(preferred: str = "") -> str:
    """The region for numbers typed without +country: the preference, else the OS locale."""
    if preferred and len(preferred.strip()) == 2:
        return preferred.strip().upper()
    names: list[str | None] = []
    with contextlib.suppress(ValueError):
        names.append(locale.getlocale()[0])
    for name in names:
        if name and "_" in name:
            region = name.split("_", 1)[1][:2].upper()
            if region.isalpha() and len(region) == 2:
                return region
    return ""


def normalize_phone(value: str, region: str = "", field: str = "phones") -> str:
    """A phone number parsed and formatted internationally (+44 20 7946 0000)."""
    import phonenumbers

    text = value.strip()
    if not text:
        raise ValidationError(field, "Enter a phone number.")
    try:
        number = phonenumbers.parse(text, region.upper() or None)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            raise ValidationError(
                field,
                f"“{text}” has no country code. Start it with + and the country code "
                "(e.g. +44), or set your phone region in Preferences.",
            ) from exc
        raise ValidationError(field, f"“{text}” is not a phone number.") from exc
    # "Possible" (right length for the country), not "valid": number plans change faster
    # than the library, and fictional ranges (+44 7700 900…) are used in examples.
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(field, f"“{text}” is not a valid phone number.")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def normalize_url(value: str, field: str = "urls") -> str:
    """A web address with a scheme; "linkedin.com/in/x" becomes "https://linkedin.com/in/x"."""
    text = value.strip()
    if not text:
        raise ValidationError(field, "Enter a web address.")
    if any(ch.isspace() for ch in text):
        raise ValidationError(field, f"“{text}” is not a web address (it contains spaces).")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = parts.hostname or ""
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError(field, f"“{value.strip()}” must start with http:// or https://.")
    if "." not in host or host.startswith(".") or host.endswith("."):
        raise ValidationError(field, f"“{value.strip()}” is not a web address.")
    return text


# Birth years: only impossible ones are refused (the future, or not a four-digit year); people's
# parents and historic figures were born long before 1900.
MIN_BIRTH_YEAR = 1000


def check_birthday(
    month: int | None, day: int | None, year: int | None, field: str = "birthday"
) -> None:
    """Month and day together or neither; the year may be unknown; 29 Feb needs a leap year."""
    if month is None and day is None:
        if year is not None:
            raise ValidationError(field, "A birthday needs a day and a month, not only a year.")
        return
    if month is None or day is None:
        raise ValidationError(field, "A birthday needs both a day and a month.")
    if not 1 <= month <= 12:
        raise ValidationError(field, "The month must be between 1 and 12.")
    if year is not None and not MIN_BIRTH_YEAR <= year <= date.today().year:
        raise ValidationError(
            field, f"The year must be between {MIN_BIRTH_YEAR} and {date.today().year}."
        )
    leap_year = 2000
    days = calendar.monthrange(year if year is not None else leap_year, month)[1]
    if not 1 <= day <= days:
        month_name = calendar.month_name[month]
        if year is not None:
            raise ValidationError(field, f"{month_name} {year} has no day {day}.")
        raise ValidationError(field, f"{month_name} has no day {day}.")

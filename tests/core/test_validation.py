"""E-mail, phone, URL and birthday checks give clear messages and normalise good input."""

from __future__ import annotations

import pytest

from planner.core.errors import ValidationError
from planner.core.validation import (
    check_birthday,
    default_phone_region,
    normalize_email,
    normalize_phone,
    normalize_url,
)


def test_email_valid_and_normalised() -> None:
    assert normalize_email("  ana@Example.COM ") == "ana@example.com"


@pytest.mark.parametrize("bad", ["ana", "ana@", "@example.com", "ana@@example.com", "a b@x.org"])
def test_email_invalid(bad: str) -> None:
    with pytest.raises(ValidationError) as info:
        normalize_email(bad)
    assert info.value.field == "emails"
    assert "not a valid e-mail" in info.value.message


def test_email_no_network_lookup_for_unknown_domain() -> None:
    assert normalize_email("x@surely-no-such-domain-zz.example") == (
        "x@surely-no-such-domain-zz.example"
    )


def test_phone_with_region_formats() -> None:
    assert normalize_phone("020 7946 0000", "GB") == "+44 20 7946 0000"
    assert normalize_phone("+1 650-253-0000", "") == "+1 650-253-0000"


def test_phone_without_region_or_country_code() -> None:
    with pytest.raises(ValidationError) as info:
        normalize_phone("020 7946 0000", "")
    assert "country code" in info.value.message


@pytest.mark.parametrize("bad", ["hello", "123", "+44 12"])
def test_phone_invalid(bad: str) -> None:
    with pytest.raises(ValidationError):
        normalize_phone(bad, "GB")


def test_default_region_prefers_preference(monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_phone_region("de") == "DE"
    monkeypatch.setattr("locale.getlocale", lambda: ("fr_FR", "UTF-8"))
    assert default_phone_region("") == "FR"
    monkeypatch.setattr("locale.getlocale", lambda: (None, None))
    assert default_phone_region("") == ""


def test_urls() -> None:
    assert normalize_url("linkedin.com/in/ana") == "https://linkedin.com/in/ana"
    assert normalize_url("http://ana.dev") == "http://ana.dev"
    for bad in ("not a url", "ftp://x.org", "localhost", "https://"):
        with pytest.raises(ValidationError):
            normalize_url(bad)


def test_birthdays() -> None:
    check_birthday(None, None, None)
    check_birthday(2, 29, None)  # year unknown: 29 February is possible
    check_birthday(2, 29, 2000)
    check_birthday(12, 31, 1990)
    check_birthday(5, 5, 1850)  # parents, grandparents and historic birthdays exist
    check_birthday(12, 10, 1815)
    from datetime import date

    future = date.today().year + 1
    for month, day, year in [(2, 29, 2001), (4, 31, None), (13, 1, None), (5, None, None),
                             (None, None, 1990), (1, 1, 999), (1, 1, future)]:  # fmt: skip
        with pytest.raises(ValidationError) as info:
            check_birthday(month, day, year)
        assert info.value.field == "birthday"

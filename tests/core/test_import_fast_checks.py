"""The importer's quick e-mail and URL checks answer exactly as the form's validators do."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.errors import ValidationError
from planner.core.importer import _check_url, check_email
from planner.core.validation import normalize_email, normalize_url


def _verdict(check: object, value: str) -> str:
    try:
        return str(check(value))  # type: ignore[operator]
    except ValidationError:
        return "refused"


LOCAL = st.from_regex(r"[A-Za-z0-9.+_'!-]{0,12}", fullmatch=True)
DOMAIN = st.from_regex(
    r"[A-Za-z0-9.-]{0,10}\.(com|example|test|invalid|c|co1|onion|de)", fullmatch=True
)


@settings(max_examples=300, deadline=None)
@given(LOCAL, st.sampled_from(["@", "@@", ""]), DOMAIN | st.text(max_size=12))
def test_check_email_matches_the_validator(local: str, at: str, domain: str) -> None:
    value = f"{local}{at}{domain}"
    assert _verdict(check_email, value) == _verdict(normalize_email, value)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["https://", "http://", "ftp://", "javascript:", ""]),
    st.from_regex(r"[A-Za-z0-9.-]{0,12}", fullmatch=True),
    st.sampled_from(["", ":8080", ":x"]),
    st.text(max_size=10),
)
def test_check_url_matches_the_validator(scheme: str, host: str, port: str, path: str) -> None:
    value = f"{scheme}{host}{port}/{path}"
    assert _verdict(_check_url, value) == _verdict(normalize_url, value)

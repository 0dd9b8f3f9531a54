"""The import's checks at the door (core.import_checks): the quick e-mail and URL checks answer
exactly as the form's validators do, and a bad value moves to the notes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.errors import ValidationError
from planner.core.import_cards import ContactCard
from planner.core.import_checks import check_card, check_email, check_url
from planner.core.records import LabeledValue
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
    assert _verdict(check_url, value) == _verdict(normalize_url, value)


def test_check_card_moves_bad_values_to_the_notes_and_drops_unknown_vocabulary() -> None:
    card = ContactCard(
        name="Ana Ruiz",
        relationship="archenemy",
        cadence_days=99999,
        emails=(LabeledValue("", "not an address"), LabeledValue("", "ana@globex.example")),
        urls=(LabeledValue("", "linkedin.com/in/ana"),),
        notes="Met at PyCon",
    )
    checked = check_card(card)
    assert [e.value for e in checked.emails] == ["ana@globex.example"]
    assert [u.value for u in checked.urls] == ["https://linkedin.com/in/ana"]
    assert (checked.relationship, checked.cadence_days) == ("", None)
    assert checked.notes == "Met at PyCon\n\nE-mail (not valid): not an address"
    assert checked.problems == ("not a valid e-mail: “not an address”",)
    assert (checked.given_name, checked.family_name) == ("Ana", "Ruiz")

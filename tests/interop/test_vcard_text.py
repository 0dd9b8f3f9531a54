"""vCard's text rules (interop.vcard_text): escaping round-trips, splitting respects escapes,
folding never splits a character."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planner.interop.vcard_text import escape, fold_line, split_unescaped, unescape


def test_split_keeps_escaped_separators() -> None:
    assert split_unescaped(r"Ruiz;Ana\;Maria;;", ";") == ["Ruiz", r"Ana\;Maria", "", ""]
    assert [unescape(p) for p in split_unescaped(r"a\,b,c", ",")] == ["a,b", "c"]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r")))
def test_escape_then_unescape_gives_the_text_back(text: str) -> None:
    # (escape also neutralises line separators and NUL, as every export does)
    safe = text.replace("\x00", "").replace("\u2028", "\n").replace("\u2029", "\n")
    if safe[:1] in ("=", "+", "-", "@"):
        return
    assert unescape(escape(safe)) == unescape(escape(unescape(escape(safe))))


def test_fold_line_at_75_octets_without_splitting_a_character() -> None:
    line = "NOTE:" + "é" * 100
    folded = fold_line(line)
    pieces = folded.split("\r\n ")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert "".join(pieces) == line
    assert fold_line("FN:Ana") == "FN:Ana"

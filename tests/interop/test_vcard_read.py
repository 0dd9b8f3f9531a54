"""Reading .vcf files (interop.vcard_read): a broken card is an error row of its own, the
others are read; something that is not a vCard file is refused."""

from __future__ import annotations

import pytest

from planner.core.import_cards import UnreadableFileError
from planner.interop.vcard_read import looks_like_vcard, parse_vcard_text


def test_each_card_read_or_reported_alone() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\nNOTE:long\r\n  line\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Short\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mei Tan\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nobody\r\nEND:VCARD\r\n"
    )
    assert looks_like_vcard("\ufeff\r\n" + text)
    result = parse_vcard_text(text, "utf-8")
    assert [c.name for c in result.cards] == ["Ana Ruiz", "Mei Tan"]
    assert result.cards[0].notes == "long line"
    assert [(e.line, e.name) for e in result.errors] == [(7, "Cut Short"), (14, "")]
    assert "END:VCARD" in result.errors[0].message
    assert result.encoding == "utf-8"


def test_not_a_vcard_file_is_refused() -> None:
    assert not looks_like_vcard("Name,E-mail\r\n")
    with pytest.raises(UnreadableFileError):
        parse_vcard_text("Name,E-mail\r\nAna,ana@example.com\r\n")

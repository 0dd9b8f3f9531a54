"""A CSV file's text and table (interop.csv_table): the encoding, the delimiter and the header
row below a preamble; empty and compressed files refused."""

from __future__ import annotations

import pytest

from planner.core.import_cards import UnreadableFileError
from planner.interop.csv_table import decode_bytes, read_table


def test_encodings_are_found() -> None:
    assert decode_bytes("Name\r\nJosé\r\n".encode("utf-16")) == ("Name\r\nJosé\r\n", "utf-16")
    assert decode_bytes(b"\xef\xbb\xbfName\r\n")[1] == "utf-8-sig"
    assert decode_bytes("Name\r\nJos\u00e9\r\n".encode("cp1252"))[1] == "cp1252"
    for data in (b"", b"PK\x03\x04rest"):
        with pytest.raises(UnreadableFileError):
            decode_bytes(data)


def test_read_table_skips_the_preamble_and_picks_the_delimiter() -> None:
    text = (
        'Notes:\n"When exporting, some e-mails are hidden."\n\n'
        "First Name;Last Name;Company\nAna;Ruiz;Globex\nMei;Tan;Hooli\n"
    )
    table = read_table(text)
    assert (table.headers, table.delimiter) == (["First Name", "Last Name", "Company"], ";")
    assert list(table.rows) == [(5, ["Ana", "Ruiz", "Globex"]), (6, ["Mei", "Tan", "Hooli"])]

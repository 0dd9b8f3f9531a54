"""Contact CSV files: LinkedIn, Google Contacts, Outlook and any other CSV, in and out.

Reading finds the encoding, the delimiter and the header row (csv_table), recognises the
layout from the header names (csv_read) and reads each row by it (csv_layouts, csv_mapping,
with csv_cells for the values). Writing (csv_write) uses Google Contacts' headers and
neutralises cells a spreadsheet would run as formulas. Callers use the names here.
"""

from __future__ import annotations

from planner.interop.csv_cells import neutralise, parse_birthday, unneutralise, url_label
from planner.interop.csv_mapping import FIELDS, guess_mapping
from planner.interop.csv_read import detect_csv_format, parse_csv_text
from planner.interop.csv_table import decode_bytes, read_table
from planner.interop.csv_write import write_google_csv

__all__ = [
    "FIELDS",
    "decode_bytes",
    "detect_csv_format",
    "guess_mapping",
    "neutralise",
    "parse_birthday",
    "parse_csv_text",
    "read_table",
    "unneutralise",
    "url_label",
    "write_google_csv",
]

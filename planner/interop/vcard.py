"""vCard 2.1 / 3.0 / 4.0 in (as Outlook, Apple and Google write them) and 3.0 / 4.0 out.

Reading is in vcard_read, writing in vcard_write, the text rules both share in vcard_text;
callers use the names here.
"""

from __future__ import annotations

from planner.interop.vcard_read import looks_like_vcard, parse_vcard_text
from planner.interop.vcard_write import write_vcards

__all__ = ["looks_like_vcard", "parse_vcard_text", "write_vcards"]

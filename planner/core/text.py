"""Text folding for search and dedupe: case- and accent-insensitive ("zoe" finds "Zoë")."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def search_blob(*parts: str) -> str:
    """The folded text a contact is found by; stored in contacts.search_text."""
    return fold(" ".join(part for part in parts if part))

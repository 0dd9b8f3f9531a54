"""vCard's text rules both directions share: escaping, splitting on separators that are not
escaped, folding long lines, and the property and TYPE names we map to our fields."""

from __future__ import annotations

from planner.core.text_safety import neutralise_text

EMAIL_TYPES = {"work": "work", "home": "home", "other": "other"}
ADR_TYPES = {"work": "work", "home": "home", "other": "other"}
X_FIELDS = {
    "X-PLANNER-RELATIONSHIP": "relationship",
    "X-PLANNER-INDUSTRY": "industry",
    "X-PLANNER-INTERESTS": "interests",
    "X-PLANNER-HOW-MET": "how_met_kind",
    "X-PLANNER-HOW-MET-TEXT": "how_met_text",
}


def split_unescaped(value: str, sep: str) -> list[str]:
    """Splits on `sep` not preceded by a backslash; escapes stay for unescape."""
    parts, current, escaped = [], [], False
    for ch in value:
        if escaped:
            current.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


def unescape(value: str) -> str:
    """A value's text: backslash escapes undone, "\\n" a line break."""
    out, escaped = [], False
    for ch in value:
        if escaped:
            out.append("\n" if ch in "nN" else ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        else:
            out.append(ch)
    if escaped:
        out.append("\\")
    return "".join(out).replace("\r\n", "\n")


def escape(value: str) -> str:
    """Text as a vCard value (and never a formula a spreadsheet would run)."""
    return (
        neutralise_text(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def fold_line(line: str) -> str:
    """Folds at 75 octets without splitting a UTF-8 character (RFC 6350 3.2)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74
        current += ch
        size += width
    parts.append(current)
    return "\r\n ".join(parts)

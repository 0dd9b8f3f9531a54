"""Text as our export files keep it: one kind of line break, no NUL.

Every line boundary `str.splitlines` knows (CR LF, CR, LF, VT, FF, FS, GS, RS, NEL, U+2028,
U+2029) becomes a line feed, which each format then writes its own way (vCard "\\n", a quoted
CSV cell). Written raw, a reader that splits lines on any of them would start a new property
or row there, and a note could smuggle an e-mail address into another contact. NUL is
dropped: vCard text cannot hold it and several readers stop at it. Everything else is kept
byte for byte.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def neutralise_text(value: str) -> str:
    """The text with every line separator a line feed and NUL removed."""
    return _SEPARATORS.sub("\n", value.replace("\x00", ""))

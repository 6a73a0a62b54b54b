"""What every e-mail the portal writes shares: header values made safe from text that
people typed (a title, a saved search, an arena's name)."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def header_text(value: object, *, limit: int = 200) -> str:
    """``value`` as one line fit for a mail header: line breaks, tabs and other control
    characters become a single space (a newline would otherwise start a new header, and
    Django refuses such a value for the whole message), runs of spaces one, and the
    result is cut to ``limit`` characters."""
    text = " ".join(_CONTROL.sub(" ", str(value)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

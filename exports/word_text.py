"""Text as a Word document can hold it: XML 1.0 cannot hold most control characters, and one
pasted ``\\x00`` would make the file unreadable, so ``plain_text`` removes them (a vertical tab or
form feed, Word's own line and page breaks, becomes a line break)."""

from __future__ import annotations

import re

_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_WORD_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\r": "\n"})


def plain_text(text: str) -> str:
    """Return text that XML can hold: control characters removed, Word's breaks made newlines."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").translate(_WORD_BREAKS))


def one_line(text: str) -> str:
    """Return the text as XML can hold it, on one line, its spaces collapsed."""
    return " ".join(plain_text(text).split())


def shortened(text: str, limit: int) -> str:
    """Return the text cut at a word to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"

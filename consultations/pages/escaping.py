"""Showing people's text as text: the two escapes every label and message goes through.

``plain`` for a label or a fragment, ``markup_free`` for a whole sentence that quotes people's
words or file names (tests/test_plain_labels.py walks the pages for any that does not).
"""

from __future__ import annotations

import re


def _escaping(characters: str) -> dict[int, str]:
    """A ``str.translate`` table that puts a backslash before each of these characters."""
    return {ord(character): "\\" + character for character in characters}


# What makes links, emphasis, code, maths and HTML; and, for ``plain``, every other markdown sign.
_MARKUP_SIGNS = _escaping("\\`*_[]<>~$")
_MARKDOWN_SIGNS = _escaping("\\`*_[]<>~${}()#+-.!|")


# A line that starts like a heading, quote or list item ("# Big", "> ", "- ", "1. ").
_LINE_START_SIGN = re.compile(r"(?m)^(\s*(?:\d+)?)([#>+-]|(?<=\d)[.)])")


# Bare addresses that markdown would turn into links by themselves ("http://3232235777/",
# "www.example.org"): a backslash before the ":" or "." keeps them text, shown as written.
_AUTOLINK = re.compile(r"(?i)\b(https?|mailto)(:)|\b(www)(\.)")


def _no_autolinks(text: str) -> str:
    return _AUTOLINK.sub(lambda m: f"{m[1] or m[3]}\\{m[2] or m[4]}", text)


def markup_free(text: str) -> str:
    """Keep markdown from acting in a whole sentence that quotes people's text or file names.

    Lighter than ``plain``: only the characters that make links, images, emphasis, code, maths
    and HTML are escaped, and a line that would start a heading, quote or list, so a message
    such as "Attached report.pdf." reads and compares as written.
    """
    return _no_autolinks(_LINE_START_SIGN.sub(r"\1\\\2", text.translate(_MARKUP_SIGNS)))


def plain(text: str) -> str:
    """Make text safe to show inside markdown: no markup, links or HTML from users."""
    return _no_autolinks(text.translate(_MARKDOWN_SIGNS))

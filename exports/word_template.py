"""The Word template every response starts from, and the styles the writer names in it.

The template (``exports/template.docx``) is built by ``exports.make_template``; every paragraph,
run and table the writer adds only names one of its styles, so a partnership can restyle its
responses by editing the template in Word.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import docx
from docx.document import Document

TEMPLATE_PATH = Path(__file__).with_name("template.docx")

# The template's styles the writer names; a test checks the template has every one.
STYLES = (
    "Normal",
    "Title",
    "Subtitle",
    "Cover Partnership",
    "Cover Detail",
    "Cover Status",
    "TOC Heading",
    "toc 1",
    "toc 2",
    "toc 3",
    "Heading 1",
    "Heading 2",
    "List Bullet",
    "Partner Count",
    "Quote",
    "Quote Attribution",
    "Evidence Figure",
    "Attribution",
    "Response Table",
    "Table Text",
    "Table Heading",
    "Header",
    "Footer",
)


def new_document() -> Document:
    """Return a new document opened from the template."""
    return docx.Document(io.BytesIO(_template_bytes()))


@cache
def _template_bytes() -> bytes:
    return TEMPLATE_PATH.read_bytes()

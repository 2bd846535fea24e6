"""Read the documents people send us into plain values, in reading order.

This is the one reading layer for every importer (questions, partners' Word and PDF letters,
spreadsheets). It says what a document holds and how it is laid out; deciding what that means
(which paragraph is a question, which part answers which question) is the importers' work.

- A Word document (.docx) or a PDF becomes a tuple of ``Block``: each paragraph, and each
  table row, in document order, with its style, heading level, list level and the number Word
  would show in front of it (Word keeps list numbers in numbering.xml, not in the text).
- A workbook (.xlsx) or a CSV file becomes a tuple of ``Sheet``: its rows as plain values,
  numbered as a person sees them.

Each format is opened in one function (``open_docx``, ``open_pdf``, ``open_workbook``,
``read_csv``), so the checks on what a file may cost to open live in one place per format.
A PDF is read within ``PDF_LIMITS``: a page count, a time budget and pypdf's own limits on how
far a stream may unpack and how much a page's content may hold, so that a small file that
expands enormously is refused rather than read.

The readers live in ``word_reader``, ``pdf_reader`` (why pypdf is said there) and
``sheet_reader``, the values in ``document_values``; import them from here.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from consultations.document_values import Block, Sheet, has_data, tidy
from consultations.file_guards import READING, ParseLimits
from consultations.files import FileType, check_file, display_name
from consultations.pdf_reader import (
    PDF_ERRORS,
    PDF_LIMITS,
    PdfLimits,
    open_pdf,
    pdf_damaged_message,
    read_pdf,
)
from consultations.sheet_reader import (
    bounded_rows,
    csv_delimiter,
    open_workbook,
    read_csv,
    read_xlsx,
)
from consultations.word_reader import (
    docx_blocks,
    format_list_number,
    open_docx,
    paragraph_text,
    read_docx,
)

__all__ = [
    "BARE_START",
    "EXPLICIT_START",
    "NUMBER_LABEL",
    "PDF_ERRORS",
    "PDF_LIMITS",
    "Block",
    "Contents",
    "PdfLimits",
    "Sheet",
    "bounded_rows",
    "csv_delimiter",
    "docx_blocks",
    "format_list_number",
    "has_data",
    "is_part_heading",
    "number_sort_key",
    "open_docx",
    "open_pdf",
    "open_workbook",
    "paragraph_text",
    "pdf_damaged_message",
    "question_number",
    "read_csv",
    "read_docx",
    "read_file",
    "read_pdf",
    "read_xlsx",
    "tidy",
]


# --- What a file holds ----------------------------------------------------------------------


@dataclass(frozen=True)
class Contents:
    """What a file holds, read: blocks for Word and PDF, sheets for workbooks and CSV."""

    name: str  # the file's name, safe to show
    file_type: FileType
    blocks: tuple[Block, ...] = ()
    sheets: tuple[Sheet, ...] = ()


def read_file(
    filename: str,
    data: bytes,
    *,
    accepted: Collection[str],
    max_bytes: int,
    subject: str | None = None,
    limits: ParseLimits = READING,
) -> Contents:
    """Check a file (``consultations.files.check_file``) and read it into plain values.

    ``accepted`` lists the extensions the caller takes, among ".docx", ".pdf", ".xlsx" and
    ".csv"; ``limits`` what reading a Word, Excel or CSV file may cost (``file_guards``).
    Raise ``ValidationFailed`` with a message saying what to do when the file cannot be read.
    """
    name = display_name(filename)
    subject = subject or f"The file '{name}'"
    file_type = check_file(
        name, data, accepted=accepted, max_bytes=max_bytes, subject=subject, limits=limits
    )
    if file_type.key == "docx":
        return Contents(name, file_type, blocks=read_docx(data, subject=subject))
    if file_type.key == "pdf":
        return Contents(name, file_type, blocks=read_pdf(data, subject=subject))
    if file_type.key == "xlsx":
        return Contents(name, file_type, sheets=read_xlsx(data, subject=subject))
    return Contents(name, file_type, sheets=read_csv(data, subject=subject, limits=limits))


# --- Question markers, shared by the question import and the partners' responses -------------

_SUB_PART = r"(?:\s?\((?P<sub>[a-zA-Z])\)|(?P<sub2>[a-zA-Z])(?![a-zA-Z]))?"
# After an explicit number: a separator, a tab, the end, or a space before a capital, so that
# "Question 1 asks ..." in guidance and "Q1 2024" are not taken as questions.
_AFTER_NUMBER = r"(?:\s*[:.)\-–—]\s*|\t\s*|\s+(?=[A-Z\"“‘'(])|\s*$)(?P<text>.*)$"
# Papers that number questions by chapter write "Question 2.1"; the minor number is kept.
_MINOR = r"(?:\.(?P<minor>\d{1,2})(?![\d.]))?"
EXPLICIT_START = re.compile(
    r"^(?:(?i:(?:consultation\s+)?question)\s*|Q\s?)(?P<num>\d{1,3})"
    + _MINOR
    + _SUB_PART
    + _AFTER_NUMBER,
    re.DOTALL,
)
"""A paragraph that starts with its question's number: "Question 3:", "Q3.", "Q3a", "Q2.1"."""

BARE_START = re.compile(
    r"^(?P<num>\d{1,3})(?:\((?P<sub>[a-z])\)[.:]?|(?P<sub2>[a-z])?[.)])\s+(?P<text>\S.*)$",
    re.DOTALL,
)
"""A paragraph that starts with a bare number: "3. ...", "3) ...", "3a. ...", "3(a) ..."."""

NUMBER_LABEL = re.compile(
    r"^(?P<word>(?:question|q)\s*)?(?P<num>\d{1,3})(?:\.(?P<minor>\d{1,2}))?"
    r"\s*(?:\((?P<sub>[a-z])\)|(?P<sub2>[a-z]))?\s*[.:)]?$",
    re.IGNORECASE,
)
"""A cell (or a list number) that is only a question's number: "3", "Q3", "Question 3(a):"."""


def question_number(match: re.Match[str]) -> str:
    """Return the number one of the patterns above found, written as "Q3" or "Q3a"."""
    letter = match.group("sub") or match.group("sub2") or ""
    minor = match.groupdict().get("minor")
    return f"Q{int(match.group('num'))}{f'.{int(minor)}' if minor else ''}{letter.lower()}"


def number_sort_key(number: str) -> tuple[int, str]:
    """Order question numbers as people do: Q2 before Q10, Q3 before Q3.1 and Q3a."""
    digits = re.match(r"Q(\d+)(?:\.(\d+))?([a-z]?)", number)
    if not digits:
        return (10**6, number)
    minor = f"{int(digits.group(2)):03d}" if digits.group(2) else ""
    return (int(digits.group(1)), minor + digits.group(3))


_PART_HEADING = re.compile(
    r"^(?:(?:section|part|chapter|annexe?|appendix|schedule)\b"
    r"|about\s+you|response\s+form|your\s+details|respondent\s+(?:details|information)"
    r"|personal\s+(?:information|details)|privacy|confidentiality|data\s+protection"
    r"|freedom\s+of\s+information|how\s+to\s+respond|responding\s+to\s+this\s+consultation"
    r"|next\s+steps|contact\s+details|glossary|introduction|background"
    r"|(?:summary|list)\s+of\s+questions|consultation\s+questions)",
    re.IGNORECASE,
)


def is_part_heading(line: str) -> bool:
    """Say whether a line heads a new part of a document ("Annex A", "About you", "Chapter 2")."""
    text = tidy(line)
    if text.lower().startswith("thank you"):
        return True
    short = len(text.split()) <= 12 and not text.endswith((".", "?", ";", ","))
    return short and bool(_PART_HEADING.match(text))

"""The names files get when someone downloads them: one rule for every download.

"Family migration: a consultation", version 2 for the board ->
"family-migration-a-consultation-draft-v2-for-review.docx". Lower case, words joined by single
hyphens (never two in a row), accents kept as their letters, and a long title shortened at the
end of a word, never inside one.
"""

from __future__ import annotations

import re
import unicodedata

TITLE_LIMIT = 40  # characters of the consultation's title (or other name) kept at the start
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def name_words(text: str, *, limit: int | None = None) -> str:
    """Return the text as lower-case words joined by hyphens, shortened at a word's end."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = _NOT_WORD.sub("-", plain.lower()).strip("-")
    if limit is None or len(words) <= limit:
        return words
    cut = words[: limit + 1]
    return cut[: cut.rfind("-")] if "-" in cut else words[:limit]


def download_name(title: str, *what: str, extension: str) -> str:
    """The file name for a download: the title (shortened at a word's end), then what the file
    is: ``download_name("Family migration", "draft", "v2", extension="docx")`` ->
    "family-migration-draft-v2.docx"."""
    parts = [name_words(title, limit=TITLE_LIMIT), *(name_words(w) for w in what)]
    stem = "-".join(part for part in parts if part) or "download"
    return f"{stem}.{extension.lstrip('.')}"

"""Download file names: one rule for every download."""

from __future__ import annotations

import pytest

from consultations.file_names import download_name, name_words


@pytest.mark.parametrize(
    ("title", "what", "expected"),
    [
        (
            "Family migration: a consultation",
            ("draft", "v2", "for review"),
            "family-migration-a-consultation-draft-v2-for-review.docx",
        ),
        (
            "Asylum accommodation -- working with councils (2026 update)",
            ("answers",),
            "asylum-accommodation-working-with-answers.docx",
        ),
        (
            "Fáilte: Irish-language services",
            ("approved", "v1"),
            "failte-irish-language-services-approved-v1.docx",
        ),
        ("", ("audit trail", "2026-12-07"), "audit-trail-2026-12-07.docx"),
        ("???", (), "download.docx"),
    ],
)
def test_a_download_name_has_single_hyphens_and_whole_words(title, what, expected):
    name = download_name(title, *what, extension="docx")
    assert "--" not in name
    assert name == expected


def test_a_long_title_is_shortened_at_the_end_of_a_word_never_inside_one():
    title = "English language requirements for settlement and citizenship"
    kept = name_words(title, limit=40)
    assert kept == "english-language-requirements-for"
    assert title.lower().replace(" ", "-").startswith(kept + "-")
    assert name_words("Supercalifragilisticexpialidocious", limit=10) == "supercalif"

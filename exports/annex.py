"""The annex: every answer partners gave, in one table, each organisation as the policy shows it.

``annex_section(evidence, policy)`` builds the "Annex: partners' answers" section of the draft
from the evidence: a row per answer (the organisation or its number, its sector where the
policy shows it, the question, the position and the themes), then the list of organisations
that agreed to be named. Partners appear exactly as in every other output, because the labels
and sectors come from the same ``evidence.consent.Policy``.

The annex is in the document only while it is short: with more than
``ANNEX_IN_DOCUMENT_UP_TO`` answers it is assembled left out (a 5,000-answer table is some 340
pages); the officer can put it in or take it out (``exports.drafts.set_annex``), and it is
always its own download (``annex_document``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from consultations.words import NUMBER_WORDS
from evidence.consent import SECTOR_NOT_GIVEN, Policy
from exports.draft_model import Block, Draft, Evidence, Section

ANNEX_KEY = "annex"
ANNEX_HEADING = "Annex: partners' answers"
ANNEX_HEADER = ["Partner", "Sector", "Question", "Position", "Themes"]
ANNEX_IN_DOCUMENT_UP_TO = 300  # answers; a longer annex is its own download only


def annex_section(evidence: Evidence, policy: Policy) -> Section:
    """Build the annex: the table of every answer, and who agreed to be named."""
    rows, ids = annex_rows(evidence, policy)
    included = len(evidence.answers) <= ANNEX_IN_DOCUMENT_UP_TO
    note = themes_note(evidence.what_counts)
    blocks = [
        Block(
            kind="paragraph",
            text="This table shows, for every answer partners gave, the position it took and "
            "the themes it was filed under. Partners who asked not to be named appear by "
            f"number.{' ' + note if note else ''}",
        ),
        Block(kind="table", rows=rows, answer_ids=ids),
        Block(kind="paragraph", text=named_list(policy)),
    ]
    blocks = [replace(block, included=included) for block in blocks]
    return Section(key=ANNEX_KEY, heading=ANNEX_HEADING, blocks=blocks)


def themes_note(what_counts: str) -> str:
    """Say who chose the themes in the table where the partnership's officers chose them all
    (``Evidence.what_counts`` says it for officers); otherwise nothing: how far the officers have
    got checking the workbench's suggestions is the officer's business (the analysis page shows
    it), not the reader's (two board readers took it for a note left in by mistake)."""
    if "decisions only" in what_counts:
        return "The partnership's officers chose the themes of every answer."
    return ""


def annex_in_document(draft: Draft) -> bool:
    """Say whether the version's document holds the annex."""
    return any(b.included for s in draft.sections if s.key == ANNEX_KEY for b in s.blocks)


def with_annex(draft: Draft, *, include: bool) -> Draft:
    """The draft with its annex put in the document, or left out (kept for its own download)."""
    return replace(
        draft,
        sections=[
            replace(s, blocks=[replace(b, included=include) for b in s.blocks])
            if s.key == ANNEX_KEY
            else s
            for s in draft.sections
        ],
    )


def annex_document(draft: Draft) -> Draft:
    """The annex as a document of its own: the cover, then the whole annex."""
    annex = with_annex(draft, include=True)
    return replace(
        annex,
        title=f"{draft.title}: annex",
        sections=[s for s in annex.sections if s.key in ("cover", ANNEX_KEY)],
    )


def annex_rows(evidence: Evidence, policy: Policy) -> tuple[list[list[str]], list[int]]:
    """Return the table (header first) and the answer behind each row, question by question."""
    themes = {theme.id: theme.label for theme in evidence.themes}
    by_question: dict[int, list] = {}
    for answer in evidence.answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    rows = [list(ANNEX_HEADER)]
    ids = []
    for question in evidence.questions:
        ordered = sorted(
            by_question.get(question.id, []),
            key=lambda a: (label_order(policy.annex_label(a.organisation)), a.answer_id),
        )
        for answer in ordered:
            labels = (themes.get(t) or t.replace("_", " ").capitalize() for t in answer.themes)
            rows.append(
                [
                    policy.annex_label(answer.organisation),
                    policy.sector(answer.organisation) or SECTOR_NOT_GIVEN,
                    question.number,
                    answer.position.strip(),
                    "; ".join(dict.fromkeys(labels)),
                ]
            )
            ids.append(answer.answer_id)
    return rows, ids


def label_order(label: str) -> tuple[int, int, str]:
    """Sort names alphabetically first, then "Partner 2" before "Partner 10"."""
    found = re.fullmatch(r"Partner (\d+)", label)
    return (1, int(found.group(1)), "") if found else (0, 0, label.lower())


def named_list(policy: Policy) -> str:
    """Say which organisations agreed to be named, and how many others contributed."""
    everyone = list(policy.partners)
    named = sorted((name for name in everyone if policy.named(name)), key=str.lower)
    others = len(everyone) - len(named)
    if not everyone:
        return "No organisation has contributed yet."
    if not named:
        return (
            f"None of the {_number(others)} contributing organisations asked to be named."
            if others > 1
            else "The one contributing organisation did not ask to be named."
        )
    sentence = (
        f"These organisations contributed to this response and agreed to be named: {_join(named)}."
        if len(named) > 1
        else f"{named[0]} contributed to this response and agreed to be named."
    )
    if others:
        noun = "other partner" if others == 1 else "other partners"
        count = NUMBER_WORDS[others].capitalize() if others <= 20 else f"A total of {others}"
        sentence += f" {count} {noun} also contributed without being named."
    return sentence


def _number(n: int) -> str:
    """Write a count the way prose does: words up to nine, figures from 10."""
    return NUMBER_WORDS[n] if 0 < n < 10 else str(n)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"

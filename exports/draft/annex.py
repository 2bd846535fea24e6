"""The annex: every answer in one table (partner or its number, sector, question, position,
themes), and the organisations that agreed to be named. Labels and sectors come from the
consent policy, so the annex numbers partners as every other output does."""

from __future__ import annotations

import re

from evidence.facts import Evidence
from exports.draft.words import join_words, opening_count
from exports.draft_model import Block, Section

ANNEX_HEADER = ["Partner", "Sector", "Question", "Position", "Themes"]
SECTOR_NOT_GIVEN = "not given"


def annex_section(evidence: Evidence, policy) -> Section:
    """Build the annex section from the evidence, labelled by the policy."""
    labels = {theme.id: theme.label for theme in evidence.themes}
    rows = [list(ANNEX_HEADER)]
    ids = []
    for question in evidence.questions:
        answers = [a for a in evidence.answers if a.question_id == question.id]
        answers.sort(key=lambda a: (_label_key(policy.annex_label(a.organisation)), a.answer_id))
        for answer in answers:
            themes = "; ".join(labels.get(t, t) for t in dict.fromkeys(answer.themes))
            rows.append(
                [
                    policy.annex_label(answer.organisation),
                    policy.sector(answer.organisation) or SECTOR_NOT_GIVEN,
                    question.number,
                    answer.position.strip(),
                    themes,
                ]
            )
            ids.append(answer.answer_id)
    blocks = [
        Block(
            kind="paragraph",
            text="Every answer partners gave, with the position taken and the themes it was "
            "filed under. Partners who asked not to be named appear by number.",
        ),
        Block(kind="table", rows=rows, answer_ids=ids),
        Block(kind="paragraph", text=_named_list(evidence, policy)),
    ]
    return Section(key="annex", heading="Annex: partners' answers", blocks=blocks)


def _label_key(label: str) -> tuple[int, int, str]:
    found = re.fullmatch(r"Partner (\d+)", label)
    return (1, int(found.group(1)), "") if found else (0, 0, label.lower())


def _named_list(evidence: Evidence, policy) -> str:
    organisations = sorted({a.organisation for a in evidence.answers}, key=str.lower)
    if not organisations:
        return "No organisation has contributed yet."
    named = [name for name in organisations if policy.named(name)]
    others = len(organisations) - len(named)
    if not named:
        return (
            f"None of the {len(organisations)} contributing organisations asked to be named."
            if others > 1
            else "The one contributing organisation did not ask to be named."
        )
    sentence = (
        "These organisations contributed to this response and agreed to be named: "
        f"{join_words(named)}."
        if len(named) > 1
        else f"{named[0]} contributed to this response and agreed to be named."
    )
    if others:
        others_too = opening_count(others, "other partner")
        sentence += f" {others_too} also contributed without being named."
    return sentence

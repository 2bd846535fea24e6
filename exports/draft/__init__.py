"""The draft response, built in two phases: findings from the evidence, then writing.

``assemble(evidence)`` is the one entry point: ``findings.find`` works out what the answers
show (positions, claims with their partners and counts, quotes, figures, regional points),
and ``writing.write`` turns that into the ``Draft`` (``exports.draft_model``) that the pages,
the Word writer and approval use. Both are pure: no database, no network, no randomness, so
the same evidence always gives the same draft, word for word.

| module | what it holds |
|---|---|
| ``findings`` | phase one: ``find(evidence) -> Findings`` |
| ``claims`` | points grouped by meaning across partners, with exact counts |
| ``telling`` | the words a claim is told in (for all its partners, or one partner's), its quote |
| ``extras`` | figures, the region's situation and single partners' points beside the claims |
| ``topics`` | a question's topic and proposition, from its wording |
| ``writing`` | phase two: cover, about, key messages, recommendations |
| ``question`` | one question's section |
| ``labels`` | the one place the draft asks the consent policy how a partner appears |
| ``consensus`` | the points most partners made over all questions, and the reasons for positions |
| ``key_messages`` | five to seven key messages, the strongest first, each with its reason |
| ``shared`` | the words a point several partners share is told in; what makes words one partner's |
| ``words`` | counts in words, lists, reported speech |

The annex is ``exports.annex``'s (it is also a download of its own).
"""

from __future__ import annotations

from exports.draft.findings import AssemblyError, Findings, find
from exports.draft.writing import write
from exports.draft_model import Draft, Evidence

__all__ = ["AssemblyError", "Findings", "assemble", "default_status", "find", "write"]


def default_status(version: int) -> str:
    """Return what the cover says of an unapproved version: "Draft v1 for board review"."""
    return f"Draft v{version} for board review"


def assemble(evidence: Evidence, *, version: int = 1, status: str | None = None) -> Draft:
    """Assemble the whole draft response from the evidence: findings first, then writing."""
    if version < 1:
        raise ValueError(f"A draft's version starts at 1, not {version}.")
    return write(find(evidence), status=status or default_status(version))

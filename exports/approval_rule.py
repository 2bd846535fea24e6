"""The approval rule: a pure function of the board's decisions.

``approval_verdict`` decides from the decision rows (``Cast``) whether a version is approved
under the rule in the settings ("chair": the chair approves and no member has an open request
for changes; "count": enough approvals and no open request), and says why in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from consultations.words import agreeing

APPROVE, CHANGES = "approve", "changes"
DECISIONS = {APPROVE: "Approve", CHANGES: "Request changes"}
RULE_WORDS = {
    "chair": "the chair has approved and no member has an open request for changes",
    "count": "at least {needed} members have approved and no member has an open request for "
    "changes",
}


# --- the rule: a pure function of the decisions ----------------------------------------------


@dataclass(frozen=True)
class Cast:
    """One decision row as the rule sees it; ``order`` grows with time (the row's id).

    ``on_board`` is False for someone no longer on the board (their account deactivated):
    their approval no longer counts, but their request for changes holds the version back
    until an officer marks it ``addressed`` (``mark_request_addressed``): it is never dropped
    silently, and the board is told when it is addressed.
    """

    member_id: int
    member: str
    is_chair: bool
    decision: str
    order: int
    on_board: bool = True
    addressed: bool = False


@dataclass(frozen=True)
class Verdict:
    """Whether the rule holds, and why, in words a board member reads."""

    holds: bool
    explanation: str
    approvals: tuple[str, ...]
    changes: tuple[str, ...]
    # Requests for changes from former members that no officer has marked addressed yet.
    former_changes: tuple[str, ...] = ()


def current_decisions(cast: Iterable[Cast]) -> list[Cast]:
    """Each member's newest decision (a later one replaces an earlier), oldest first."""
    newest: dict[int, Cast] = {}
    for row in sorted(cast, key=lambda c: c.order):
        newest[row.member_id] = row
    return sorted(newest.values(), key=lambda c: c.order)


def approval_verdict(cast: Iterable[Cast], *, rule: str, needed: int = 1) -> Verdict:
    """Decide from the decision rows whether the board has approved, under ``rule``.

    "chair": the chair's current decision is to approve and nobody's is a request for changes.
    "count": at least ``needed`` current approvals and no current request for changes.
    """
    if rule not in RULE_WORDS:
        raise ValueError(f"'{rule}' is not an approval rule: {', '.join(RULE_WORDS)}.")
    current = current_decisions(cast)
    members = [c for c in current if c.on_board]
    approvals = tuple(c.member for c in members if c.decision == APPROVE)
    changes = tuple(c.member for c in members if c.decision == CHANGES)
    former = tuple(
        c.member for c in current if not c.on_board and c.decision == CHANGES and not c.addressed
    )
    wanting = []
    if rule == "chair" and not any(c.is_chair and c.decision == APPROVE for c in members):
        wanting.append("the chair has not approved")
    if rule == "count" and len(approvals) < needed:
        wanting.append(f"{len(approvals)} of the {needed} approvals needed")
    if changes:
        wanting.append(
            f"{_names(changes)} {agreeing(len(changes), 'has', 'have')} asked for changes"
        )
    if former:
        wanting.append(
            f"{_names(former)}, no longer on the board, asked for changes that an officer has "
            "not marked addressed yet"
        )
    if wanting:
        explanation = "Not approved yet: " + "; ".join(wanting) + "."
        return Verdict(False, explanation, approvals, changes, former)
    if rule == "chair":
        why = "the chair has approved and no member has asked for changes"
    else:
        why = f"{len(approvals)} of the {needed} approvals needed, and no request for changes"
    return Verdict(True, f"Approved: {why}.", approvals, changes)


def rule_in_words(rule: str, needed: int) -> str:
    """Say what the approval rule asks for."""
    return RULE_WORDS[rule].format(needed=needed)


def _names(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

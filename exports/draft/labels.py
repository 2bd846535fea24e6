"""How an organisation appears in the draft: the one place the draft asks the consent policy.

Every label, sector, quote and reported sentence of the draft goes through the ``Policy``
(``evidence.consent``) that ``policy_for`` builds, the same policy every other output uses, so
a partner is named, described by sector or numbered the same way in the draft, its annex, both
workbooks and the board's view.
"""

from __future__ import annotations

from evidence.consent import Policy, sector_partner
from evidence.facts import Evidence

__all__ = ["Policy", "policy_for", "sector_partner"]


def policy_for(evidence: Evidence) -> Policy:
    """Return the consent policy for the organisations behind the evidence's answers."""
    return Policy.of(evidence.answers, reference=evidence.reference)

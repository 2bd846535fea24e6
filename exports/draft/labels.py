"""How an organisation appears in the draft: the one place the draft asks the consent policy.

Every label, sector, quote and reported sentence of the draft goes through ``policy_for``'s
answer. Until ``evidence.consent`` (the consent policy every output shares) lands on this
branch, ``_InterimPolicy`` stands in with the same methods; switching is this module's one edit.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from evidence.facts import AnswerFact, Evidence

SECTOR_THRESHOLD = 3
_CAREFUL = {"named": 0, "sector": 1, "anonymous": 2}
_SECTOR_NAMES = {"voluntary and community": "voluntary and community sector"}


def policy_for(evidence: Evidence) -> _InterimPolicy:
    """Return the consent policy for the organisations behind the evidence's answers."""
    return _InterimPolicy.of(evidence.answers, reference=evidence.reference)


def sector_partner(sector: str) -> str:
    """Describe a partner by its sector alone: "a health partner", "an education partner"."""
    name = _SECTOR_NAMES.get(sector.strip().lower(), sector.strip().lower())
    if not name or name == "other":
        return "a partner"
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name} partner"


@dataclass(frozen=True)
class _InterimPolicy:
    reference: str
    consent: dict[str, str]
    sectors: dict[str, str]
    numbers: dict[str, int]
    sector_sizes: Counter[str]

    @classmethod
    def of(cls, answers: Sequence[AnswerFact], *, reference: str) -> _InterimPolicy:
        consent: dict[str, str] = {}
        sectors: dict[str, str] = {}
        for answer in answers:
            given = answer.consent if answer.consent in _CAREFUL else "anonymous"
            seen = consent.get(answer.organisation)
            if seen is None or _CAREFUL[given] > _CAREFUL[seen]:
                consent[answer.organisation] = given
            sectors[answer.organisation] = answer.sector.strip()
        order = sorted(
            consent,
            key=lambda name: hashlib.sha256(f"{reference}\x1f{name}".encode()).hexdigest(),
        )
        numbers = {name: n for n, name in enumerate(order, start=1)}
        sizes = Counter(sector.lower() for sector in sectors.values())
        return cls(reference, consent, sectors, numbers, sizes)

    def named(self, organisation: str) -> bool:
        return self.consent[organisation] == "named"

    def may_reproduce(self, organisation: str) -> bool:
        return self.consent[organisation] != "anonymous"

    def sector(self, organisation: str) -> str:
        sector = self.sectors[organisation]
        if not sector or sector.lower() == "other":
            return ""
        if self.named(organisation) or self.sector_sizes[sector.lower()] >= SECTOR_THRESHOLD:
            return sector
        return ""

    def label(self, organisation: str) -> str:
        if self.named(organisation):
            return organisation
        if self.consent[organisation] == "sector" and (sector := self.sector(organisation)):
            return sector_partner(sector)
        return "a partner"

    def annex_label(self, organisation: str) -> str:
        if self.named(organisation):
            return organisation
        return f"Partner {self.numbers[organisation]}"

    def scrub(self, text: str, organisation: str) -> str:
        for name in sorted(self.consent, key=len, reverse=True):
            if not self.named(name) and name.lower() in text.lower():
                text = re.sub(re.escape(name), f"[{self.label(name)}]", text, flags=re.IGNORECASE)
        return text

    def sectors_shown(self) -> list[tuple[str, int]]:
        shown: dict[str, int] = {}
        for sector in self.sectors.values():
            if sector and sector.lower() != "other":
                shown[sector] = self.sector_sizes[sector.lower()]
        return sorted(
            ((s, n) for s, n in shown.items() if n >= SECTOR_THRESHOLD),
            key=lambda item: (-item[1], item[0].lower()),
        )

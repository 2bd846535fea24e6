"""How each organisation appears in every output: one consent policy, decided in one place.

A partner chooses, when it submits, how the partnership may quote it (``Consent``): by name, by
its sector ("a health partner"), or not at all. Every output (the Word draft and its annex, both
Excel workbooks, the board's view of the answers, the approved response) asks a ``Policy``,
built once per output from the same answers, how to show an organisation:

* ``label``: in running text, the name, "a health partner" or "a partner";
* ``annex_label``: in tables, the name or "Partner 7". The numbers follow a hash of the
  consultation's reference and the organisation's name, so they are the same in every output
  and say nothing about where a name falls in the alphabet or when it answered;
* ``sector``: the sector, but for a partner that is not named only where at least
  ``SECTOR_THRESHOLD`` contributing organisations share it ("Partner 7, police" would name the
  only police partner); ``sectors_shown`` lists those sectors for "About the partnership";
* ``scrub``: a text with the names of partners that are not named taken out (their full name,
  the name without "NI", its initials, and its own short name where partners write it:
  "Sperrin Trust", or "Mid Ulster" in the council's own words), and, in an unnamed partner's
  own words, the area it covers where few partners share it;
* ``may_reproduce``: False for an anonymous partner, whose own distinctive words are never
  quoted or reproduced on their own; ``may_quote``: also False for a partner shown only as
  "a partner" (its sector hidden), whose figures and places would identify it.

A partner that gave different choices on different answers is treated by the most careful of
them; an answer with no choice recorded counts as anonymous.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from evidence.facts import AnswerFact
from evidence.places import load_gazetteer


class Consent(StrEnum):
    """How a partner agreed to be quoted; the stored value is the enum's value."""

    NAMED = "named"
    SECTOR = "sector"
    ANONYMOUS = "anonymous"


CONSENT_VALUES = frozenset(consent.value for consent in Consent)
# The choice as the partner reads it: the answer form, the receipt, the copy of a submission.
CONSENT_CHOICES: dict[str, str] = {
    Consent.NAMED.value: "By our organisation's name",
    Consent.SECTOR.value: "By our sector only (for example 'a health partner')",
    Consent.ANONYMOUS.value: "Not at all: use our points without saying who made them",
}
SECTOR_THRESHOLD = 3  # a sector is shown only where at least this many organisations share it
SECTOR_NOT_GIVEN = "not given"  # what a table shows where the policy hides the sector
PLACE = "[place]"  # what an unnamed partner's own identifying place becomes in its words

_CAREFUL = {Consent.NAMED: 0, Consent.SECTOR: 1, Consent.ANONYMOUS: 2}
_SECTOR_NAMES = {"voluntary and community": "voluntary and community sector"}
# Words that say what kind of body an organisation is, not which one.
# fmt: off
_GENERIC = frozenset((
    "council", "district", "borough", "city", "metropolitan", "county", "trust", "health",
    "care", "social", "housing", "association", "partnership", "authority", "forum", "network",
    "group", "services", "service", "ltd", "limited", "cic", "charity", "centre", "center",
    "board", "agency", "executive", "foundation", "society", "alliance", "project", "committee",
    "department", "office", "organisation", "organization", "federation", "union", "institute",
    "commission", "and", "of", "for", "the",
))
# fmt: on
_REGION_TAGS = re.compile(r"\s*(?:\(NI\)|NI|N\.I\.|Northern Ireland|UK)$")
_SMALL_WORDS = frozenset({"and", "of", "for", "the", "in", "on", "at", "to", "&"})
# Compass words and the like: parts of an area's name that are no place on their own.
_NOT_ALONE = frozenset({"down", "north", "south", "east", "west", "mid", "central", "city"})
_WORD = re.compile(r"\w+")
_NAME_GAP = re.compile(r"[ \t,&()'’.-]{1,4}")  # between the words of one name
_WIDE = frozenset({"state", "nation", "region", "smp"})


def consent_of(value: str | None) -> Consent:
    """Read a stored consent; no choice, or one we do not know, counts as anonymous."""
    return Consent(value) if value in CONSENT_VALUES else Consent.ANONYMOUS


def sector_partner(sector: str) -> str:
    """Describe a partner by its sector alone: "a health partner", "an education partner"."""
    name = _SECTOR_NAMES.get(sector.strip().lower(), sector.strip().lower())
    if not name or name == "other":
        return "a partner"
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name} partner"


@dataclass(frozen=True)
class Partner:
    """One contributing organisation as the policy needs it."""

    organisation: str
    sector: str
    consent: Consent
    area: str = ""


class UnknownOrganisation(KeyError):
    """An output asked how to show an organisation that gave none of the policy's answers."""


@dataclass(frozen=True)
class Policy:
    """How every organisation of one output appears; build it with ``Policy.of``."""

    reference: str
    partners: Mapping[str, Partner]
    numbers: Mapping[str, int]
    sector_sizes: Mapping[str, int]
    area_sizes: Mapping[str, int]
    _names: _Names = field(repr=False, compare=False)
    _own: dict[str, _OwnPlaces | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, answers: Sequence[AnswerFact], *, reference: str) -> Policy:
        """Build the policy for the organisations behind these answers."""
        return cls.of_partners(
            (Partner(a.organisation, a.sector, consent_of(a.consent), a.area) for a in answers),
            reference=reference,
        )

    @classmethod
    def of_partners(cls, partners: Iterable[Partner], *, reference: str) -> Policy:
        """Build the policy from one ``Partner`` per answer (or per organisation)."""
        chosen: dict[str, Partner] = {}
        for partner in partners:
            seen = chosen.get(partner.organisation)
            if seen is None or _CAREFUL[partner.consent] > _CAREFUL[seen.consent]:
                chosen[partner.organisation] = partner
        order = sorted(chosen, key=lambda name: (_digest(reference, name), name))
        numbers = {name: n for n, name in enumerate(order, start=1)}
        sectors = Counter(_key(p.sector) for p in chosen.values())
        areas = Counter(_key(p.area) for p in chosen.values())
        policy = cls(reference, chosen, numbers, sectors, areas, _Names.empty())
        object.__setattr__(policy, "_names", _Names.of(policy))
        return policy

    # --- who is who -------------------------------------------------------------------------

    def partner(self, organisation: str) -> Partner:
        """Return the organisation's record; refuse one that gave none of the answers."""
        try:
            return self.partners[organisation]
        except KeyError:
            raise UnknownOrganisation(
                f"{organisation!r} gave none of the answers this output was built from."
            ) from None

    def named(self, organisation: str) -> bool:
        """Say whether the organisation agreed to be named."""
        return self.partner(organisation).consent is Consent.NAMED

    def may_reproduce(self, organisation: str) -> bool:
        """Say whether the organisation's own words may be quoted or reported on their own."""
        return self.partner(organisation).consent is not Consent.ANONYMOUS

    def may_quote(self, organisation: str) -> bool:
        """Say whether the organisation's own words may be quoted or reported as its own.

        Stricter than ``may_reproduce``: a partner that chose its sector but whose sector is
        not shown reads as "a partner", and its figures and places would identify it (the only
        police partner's incident data), so its words, like an anonymous partner's, only add
        to the count of a point other partners' words tell.
        """
        if not self.may_reproduce(organisation):
            return False
        return self.named(organisation) or bool(self.sector(organisation))

    def sector(self, organisation: str) -> str:
        """Return the sector to show beside the organisation, or "" where it would identify it."""
        partner = self.partner(organisation)
        sector = partner.sector
        if not sector.strip() or _key(sector) == "other":
            return ""
        if partner.consent is Consent.NAMED:
            return sector
        return sector if self.sector_sizes[_key(sector)] >= SECTOR_THRESHOLD else ""

    def label(self, organisation: str) -> str:
        """Return how running text refers to it: its name, "a health partner" or "a partner"."""
        partner = self.partner(organisation)
        if partner.consent is Consent.NAMED:
            return organisation
        if partner.consent is Consent.SECTOR and (sector := self.sector(organisation)):
            return sector_partner(sector)
        return "a partner"

    def number(self, organisation: str) -> int:
        """Return the organisation's number, the same in every output built from these answers."""
        self.partner(organisation)
        return self.numbers[organisation]

    def annex_label(self, organisation: str) -> str:
        """Return how a table names it: its name if it agreed, otherwise "Partner 7"."""
        if self.named(organisation):
            return organisation
        return f"Partner {self.number(organisation)}"

    def sectors_shown(self) -> list[tuple[str, int]]:
        """Return the sectors at least ``SECTOR_THRESHOLD`` organisations share, largest first."""
        spelled: dict[str, str] = {}
        for partner in sorted(self.partners.values(), key=lambda p: p.organisation):
            spelled.setdefault(_key(partner.sector), partner.sector.strip())
        shown = [
            (spelled[key], n)
            for key, n in self.sector_sizes.items()
            if key and key != "other" and n >= SECTOR_THRESHOLD
        ]
        return sorted(shown, key=lambda item: (-item[1], item[0].lower()))

    # --- text -------------------------------------------------------------------------------

    def scrub(self, text: str, organisation: str) -> str:
        """Return the organisation's text with every unnamed partner's name taken out.

        Each name becomes that partner's label in brackets ("[a health partner]"); in an
        unnamed partner's own words its own short name goes too, and so does the area it
        covers where fewer than ``SECTOR_THRESHOLD`` partners share that area ("[place]").
        Named partners' names stay as written.
        """
        if not text:
            return text
        text = self._names.scrub(text, own=organisation)
        own = self._own_places(organisation)
        return own.sub(PLACE, text) if own is not None else text

    def names_unnamed(self, text: str, organisation: str | None = None) -> bool:
        """Say whether the text names a partner that is not named.

        With an ``organisation``, whether ``scrub`` would change its text; without one, only
        names that count in anyone's words.
        """
        if organisation is not None:
            return self.scrub(text, organisation) != text
        return self._names.scrub(text, own=None) != text

    def _own_places(self, organisation: str) -> _OwnPlaces | None:
        if organisation not in self._own:
            self._own[organisation] = self._own_places_pattern(organisation)
        return self._own[organisation]

    def _own_places_pattern(self, organisation: str) -> _OwnPlaces | None:
        partner = self.partner(organisation)
        area = " ".join(partner.area.split())
        if partner.consent is Consent.NAMED or not area or _is_wide(area):
            return None
        if self.area_sizes[_key(area)] >= SECTOR_THRESHOLD:
            return None  # a place many partners cover says nothing about which one spoke
        named = [p.organisation for p in self.partners.values() if p.consent is Consent.NAMED]
        return _OwnPlaces.of(area_names(area), keep=named)


@dataclass(frozen=True)
class _OwnPlaces:
    """An area's names, matched as written; named partners' names are matched first and kept."""

    pattern: re.Pattern[str]
    keep: frozenset[str]

    @classmethod
    def of(cls, places: Iterable[str], *, keep: Iterable[str]) -> _OwnPlaces:
        kept = sorted(set(keep), key=len, reverse=True)
        alternatives = [f"(?i:{re.escape(name)})" for name in kept]
        alternatives += [re.escape(place) for place in sorted(places, key=len, reverse=True)]
        pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])")
        return cls(pattern, frozenset(name.casefold() for name in kept))

    def sub(self, replacement: str, text: str) -> str:
        return self.pattern.sub(
            lambda m: m.group(0) if m.group(0).casefold() in self.keep else replacement, text
        )


@dataclass(frozen=True)
class _Names:
    """Every unnamed partner's names, named partners' names kept as written.

    Names are matched word by word (punctuation and spaces between words do not matter), from
    the words a text holds: with hundreds of partners, one regular expression of every name
    took seconds to build and a second to run over 5,000 answers.
    """

    # first word (casefolded) -> names starting with it, longest first:
    # (words, matched in any case, organisation or None for a named partner, own words only)
    by_first_word: Mapping[str, tuple[tuple[tuple[str, ...], bool, str | None, bool], ...]]
    labels: Mapping[str, str]

    @classmethod
    def empty(cls) -> _Names:
        return cls({}, {})

    @classmethod
    def of(cls, policy: Policy) -> _Names:
        entries: dict[tuple[tuple[str, ...], bool], tuple[str | None, bool]] = {}
        partners = sorted(policy.partners.values(), key=lambda p: p.organisation)
        for partner in partners:
            if partner.consent is Consent.NAMED:
                entries.setdefault((_folded_words(partner.organisation), True), (None, False))
        for partner in partners:
            if partner.consent is Consent.NAMED:
                continue
            for name in _full_names(partner.organisation):
                entries.setdefault((_folded_words(name), True), (partner.organisation, False))
            for name, own_only in _short_names(partner.organisation):
                words = tuple(_WORD.findall(name))
                entries.setdefault((words, False), (partner.organisation, own_only))
        if not any(who for who, _ in entries.values()):
            return cls.empty()
        by_first: dict[str, list[tuple[tuple[str, ...], bool, str | None, bool]]] = {}
        for (words, fold), (who, own_only) in entries.items():
            if words:
                by_first.setdefault(words[0].casefold(), []).append((words, fold, who, own_only))
        ordered = {
            first: tuple(sorted(found, key=lambda entry: len(entry[0]), reverse=True))
            for first, found in by_first.items()
        }
        labels = {name: f"[{policy.label(name)}]" for name in policy.partners}
        return cls(ordered, labels)

    def scrub(self, text: str, *, own: str | None) -> str:
        if not self.by_first_word:
            return text
        spans = list(_WORD.finditer(text))
        folded = [span.group(0).casefold() for span in spans]
        if self.by_first_word.keys().isdisjoint(folded):
            return text  # the quick test: no word any name starts with
        pieces, done, i = [], 0, 0
        while i < len(spans):
            match = self._match(text, spans, folded, i)
            if match is None:
                i += 1
                continue
            length, who, own_only = match
            if who is not None and not (own_only and who != own):
                pieces += [text[done : spans[i].start()], self.labels[who]]
                done = spans[i + length - 1].end()
            i += length
        return "".join(pieces) + text[done:]

    def _match(
        self, text: str, spans: list[re.Match[str]], folded: list[str], i: int
    ) -> tuple[int, str | None, bool] | None:
        """The longest name starting at word ``i``: (its length in words, whose, own only)."""
        for words, fold, who, own_only in self.by_first_word.get(folded[i], ()):
            n = len(words)
            if i + n > len(spans):
                continue
            found = folded[i : i + n] if fold else [s.group(0) for s in spans[i : i + n]]
            if tuple(found) != words:
                continue
            gaps = (text[spans[k].end() : spans[k + 1].start()] for k in range(i, i + n - 1))
            if all(_NAME_GAP.fullmatch(gap) for gap in gaps):
                return n, who, own_only
        return None


def _folded_words(name: str) -> tuple[str, ...]:
    return tuple(word.casefold() for word in _WORD.findall(name))


def area_names(area: str) -> set[str]:
    """Return the names an area goes by: itself and its parts ("Derry City and Strabane")."""
    names = {area.strip()}
    for part in re.split(r",|\band\b|&", area):
        part = part.strip()
        if len(part) >= 4 and part.lower() not in _NOT_ALONE and part[:1].isupper():
            names.add(part)
    return {name for name in names if name}


def _full_names(organisation: str) -> set[str]:
    """The name, without a leading "The", and without a trailing "NI" (matched in any case)."""
    name = " ".join(organisation.split())
    names = {name}
    if name.lower().startswith("the "):
        names.add(name[4:])
    for each in list(names):
        bare = _REGION_TAGS.sub("", each).strip()
        if len(bare) >= 4:
            names.add(bare)
    return names


def _short_names(organisation: str) -> list[tuple[str, bool]]:
    """Short names, matched as written: (name, whether only the partner's own words count).

    Initials ("SHCT", "CSPNI") count everywhere. The core of the name left once the words
    that say what kind of body it is go ("Sperrin", "Mid Ulster", "Schools and Skills")
    counts everywhere when followed by such a word ("Sperrin Trust"), and on its own
    everywhere when it is a phrase of its own, but only in the partner's own words when it
    is a single word or a place, which other partners may mean as the place.
    """
    base = _REGION_TAGS.sub("", " ".join(organisation.split())).strip()
    if base.lower().startswith("the "):
        base = base[4:]
    words = base.split()
    found: list[tuple[str, bool]] = []
    initials = "".join(w[0] for w in words if w.lower() not in _SMALL_WORDS and w[:1].isupper())
    if len(initials) >= 3:
        found.append((initials, False))
        if organisation.split()[-1] in ("NI", "(NI)"):
            found.append((initials + "NI", False))
    core = list(words)
    while core and core[-1].lower().strip(",") in _GENERIC:
        core.pop()
    while core and core[0].lower() in _SMALL_WORDS:
        core.pop(0)
    if core == words:  # no word says what kind of body it is: its opening words are a name too
        if len(words) >= 3 and words[1].lower() not in _SMALL_WORDS:
            found.append((" ".join(words[:2]), False))  # "Churches Together"
        return found
    short = " ".join(core).rstrip(",")
    if len(short) < 4 or not short[:1].isupper():
        return found
    for kind in words[len(core) :]:  # "Sperrin Trust", "Mid Ulster Council"
        if kind.lower() not in _SMALL_WORDS:
            found.append((f"{short} {kind}", False))
    found.append((short, len(core) == 1 or _is_place(short)))
    return found


@functools.cache
def _place_names() -> tuple[frozenset[str], frozenset[str]]:
    """Every place name the gazetteer knows, and those of states, nations and regions."""
    places = load_gazetteer().places
    every = {name.casefold() for place in places for name in (place.name, *place.aliases)}
    wide = {
        name.casefold()
        for place in places
        if place.kind in _WIDE
        for name in (place.name, *place.aliases)
    }
    return frozenset(every), frozenset(wide)


def _is_place(name: str) -> bool:
    return name.casefold() in _place_names()[0]


def _is_wide(area: str) -> bool:
    """Say whether the area is a nation or a region, which no partner is identified by."""
    return area.casefold() in _place_names()[1]


def _digest(reference: str, organisation: str) -> str:
    return hashlib.sha256(f"{reference}\n{organisation}".encode()).hexdigest()


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()

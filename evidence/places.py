"""The places the tagger recognises: the gazetteer, and which place an ambiguous name means.

``evidence/gazetteer.json`` lists the UK's nations, English regions, the twelve Strategic
Migration Partnerships, every local authority area and county (ONS names), Northern Ireland's
councils, counties and main towns, each with the SMP region and the nation it belongs to.
Names are matched as written. A name that several places share ("Newcastle", "Bangor") lists
each of them; the words near it choose ("Newcastle, County Down" is in Northern Ireland,
"Bangor in Gwynedd" in Wales), and without such words the first listed is meant. Names of
organisations and buildings that hold a place or theme word ("North West Migrants Forum",
"Law Centre (NI)", "House of Commons") are listed too, so that the words inside them are read
as part of the name, not as a place or a theme.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from consultations.errors import WorkbenchError
from evidence.phrases import TaxonomyError, read_json

GAZETTEER_PATH = Path(__file__).with_name("gazetteer.json")
# The United Kingdom as a whole, and places abroad: places, but not home regions.
NOT_REGIONS = frozenset({"state", "abroad"})


class UnknownRegion(WorkbenchError):
    """A home region that the gazetteer does not know."""


@dataclass(frozen=True)
class Place:
    """A place in the gazetteer, with the SMP region and the nation it belongs to."""

    name: str
    kind: str
    region: str
    nation: str
    aliases: tuple[str, ...] = ()
    # For a name that several places share: words that, written near it, mean this place.
    near: tuple[str, ...] = ()
    # What naming it adds to the regional theme, when not the theme's own place_weight.
    weight: float | None = None


@dataclass(frozen=True)
class Gazetteer:
    """The places the tagger recognises and the phrases that mark a local difference."""

    places: tuple[Place, ...]
    local_difference_cues: tuple[str, ...]
    names: tuple[str, ...] = ()  # organisations and buildings: neither places nor themes

    @property
    def regions(self) -> tuple[str, ...]:
        """Return every region and nation name a home region may be set to."""
        within = [place for place in self.places if place.kind not in NOT_REGIONS]
        names = {place.region for place in within} | {place.nation for place in within}
        return tuple(sorted(names))


@functools.cache
def load_gazetteer(path: Path = GAZETTEER_PATH) -> Gazetteer:
    """Read the gazetteer of places and local-difference cues (once per process)."""
    data = read_json(path, what="gazetteer")
    try:
        places = tuple(
            Place(
                name=item["name"],
                kind=item["kind"],
                region=item["region"],
                nation=item["nation"],
                aliases=tuple(item.get("aliases", ())),
                near=tuple(item.get("near", ())),
                weight=item.get("weight"),
            )
            for item in data["places"]
        )
        cues = tuple(data["local_difference_cues"])
        names = tuple(data.get("names", ()))
    except (KeyError, TypeError) as exc:
        raise TaxonomyError(
            f"The gazetteer {path} is missing {exc}; every place needs a name, kind, region and "
            "nation, and the file needs 'places' and 'local_difference_cues'."
        ) from exc
    return Gazetteer(places=places, local_difference_cues=cues, names=names)


NEAR_CHARS = 40  # how far from a shared name the words that choose its place may stand


def choose_place(candidates: tuple[Place, ...], text: str, start: int, end: int) -> Place:
    """Return the place a name means: the first whose ``near`` words stand close to it, or else
    the first that needs none ("Newcastle" alone is Newcastle upon Tyne)."""
    if len(candidates) == 1:
        return candidates[0]
    around = text[max(start - NEAR_CHARS, 0) : end + NEAR_CHARS]
    for place in candidates:
        if place.near and any(word in around for word in place.near):
            return place
    return next((place for place in candidates if not place.near), candidates[0])


# Words that end an organisation's name: "Refugee and Asylum Forum", "Migrant Centre NI".
_NAME_ENDS = (
    "Forum|Network|Group|Centre|Center|Alliance|Coalition|Association|Society|Project|"
    "Trust|Council|Commission|Committee|Charity|Foundation|Institute|Agency|Consortium|"
    "Federation|Union|Collective|Hub"
)
# A run of capitalised words (with "and", "of", "for", "the", "&") that ends in one of them.
_REST_OF_A_NAME = re.compile(
    r"(?:[ \t]+(?:[A-Z][\w'’-]*|and|of|for|the|on|&)){0,5}?[ \t]+(?:" + _NAME_ENDS + r")\b"
)
_NAME_END_ONLY = re.compile(r"(?:" + _NAME_ENDS + r")\Z")
_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w'’-]*(?:[ \t]+(?:and|of|for|&))?[ \t]+\Z")


def inside_a_name(text: str, start: int, end: int) -> bool:
    """Say whether the capitalised words at text[start:end] are part of a longer organisation's
    name: "Asylum" in "the Refugee and Asylum Forum", "Forum" in "North West Migrants Forum".
    """
    if not text[start].isupper():
        return False
    if _REST_OF_A_NAME.match(text, end):
        return True
    return bool(_NAME_END_ONLY.search(text, start, end)) and bool(
        _CAPITALISED_BEFORE.search(text, max(start - 40, 0), start)
    )

"""Assemble the first draft of the regional response from the partners' answers.

``assemble(evidence)`` returns a ``Draft`` with the sections DESIGN.md lists, in order: cover,
about the partnership, summary of key points, one section per question, recommendations and
the annex. It is a pure function of the evidence: no database, no network, no language model,
no randomness. Where the wording varies (several phrasings of "five partners said that ..."),
the choice is a rotation seeded by a hash of the section's content, so the same evidence always
gives the same draft, word for word, and consecutive points never open the same way.

How the text is made (extractive, then reported):

* Each answer is split into sentences. A theme's sentences are the ones the tagger filed under
  it (``AnswerFact.theme_sentences``), else those sharing words with the theme's label and
  description. Each sentence is told once, under the most-raised theme it belongs to.
* Within a theme, sentences making the same point are grouped (``evidence.similar``: TF-IDF
  cosine, weighed against everything said on the question). A group becomes a "point": its
  representative sentence (closest to the group's centroid) turned into reported speech ("we"
  becomes "they", "However," goes) behind an opening that says how many partners, counted as
  organisations, made it. Shared points come first, then one point per partner before anyone's
  second. When the partners of a group gave different figures, the point says so and gives
  the figures as one partner's ("Ten partners made this point, each with figures of their
  own. Newry District Council said that ..."), never as everyone's.
* Quotes (at most two per theme) are a partner's own words, whole sentences, under about 60
  words, from the member of a group closest to its centroid, preferring words with figures.
  A quote never repeats the sentence its point reported, runs on only through sentences of
  its own theme, and starts a sentence earlier rather than open on "This" or "However"; where
  a leading "However," must go, the changed capital is marked: "[T]he level ...".
* "Told us" in the text is the partnership speaking, as a response written by it does.
* The default taxonomy's "regional" theme is not a theme heading of its own: what partners
  said about the region goes under each question's "Regional impact" and the summary's
  points particular to the region, so it is not told twice.

Consent is decided by ``evidence.consent.Policy`` (one policy for every output); here:

* a named partner is quoted and named ("Belfast Metropolitan Council");
* a sector partner is quoted as the policy labels it ("a health partner" where at least three
  organisations share the sector, "a partner" otherwise), never named: names of partners that
  are not named are taken out of every quoted or reported sentence (``Policy.scrub``). A group
  of partners is described by sector ("Three partners (two councils and a health body)") only
  when the policy shows every one of their sectors;
* an anonymous partner is never quoted: its words are used only as reported points and figures
  with no name and no sector ("One partner said that ...").
The annex (``exports.annex``) numbers partners that are not named as the policy does.

Every point, quote, figure and table block carries the ids of the answers behind it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from consultations.dates import plain_date
from consultations.errors import WorkbenchError
from evidence.consent import CONSENT_VALUES, Consent, Policy
from evidence.similar import (
    SimilarGroup,
    Statement,
    group_statements,
    is_content,
    split_sentences,
    terms,
    vectorise,
)
from exports.annex import annex_section
from exports.draft_model import (
    AnswerFact,
    Block,
    Draft,
    Evidence,
    QuestionFact,
    Section,
)

MAX_THEMES_PER_QUESTION = 8
MAX_POINTS_PER_THEME = 4
MAX_QUOTES_PER_THEME = 2
MAX_QUOTE_WORDS = 60
MAX_POINT_WORDS = 50
MAX_FIGURES_PER_QUESTION = 6
MAX_REGIONAL_POINTS = 3
MAX_SUMMARY_THEMES = 5
MAX_SUMMARY_REGIONAL_POINTS = 3
MAX_REQUESTS = 8
FIGURE_BONUS = 0.25  # how much closer to the centroid a quote with figures counts as being
OTHER_POINTS = "Other points"
# The default taxonomy's theme for regional impact: its points go under each question's
# "Regional impact" heading and the summary's regional points, not under a theme heading too.
REGIONAL_THEME = "regional"

T = TypeVar("T")


class AssemblyError(WorkbenchError):
    """Evidence that cannot be turned into a draft as it stands."""


# --- counting in words --------------------------------------------------------------------

# fmt: off
_NUMBER_WORDS = (
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)
# fmt: on


def number(n: int) -> str:
    """Write a count the way prose does: words up to nine, figures from 10."""
    return _NUMBER_WORDS[n] if 0 < n < 10 else str(n)


def count_of(n: int, noun: str, plural: str | None = None) -> str:
    """Return "one partner", "five partners", "14 partners"."""
    return f"{number(n)} {noun if n == 1 else plural or noun + 's'}"


def opening_count(n: int, noun: str, plural: str | None = None) -> str:
    """Return a count that can open a sentence: "Five partners", "A total of 23 partners"."""
    nouns = noun if n == 1 else plural or noun + "s"
    if n <= 20:
        return f"{_NUMBER_WORDS[n].capitalize()} {nouns}"
    return f"A total of {n} {nouns}"


def join_words(items: Sequence[str]) -> str:
    """Join "a", "b" and "c" as "a, b and c" (semicolons when an item has a comma)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    separator = "; " if any("," in item for item in items) else ", "
    return f"{separator.join(items[:-1])} and {items[-1]}"


def article(word: str) -> str:
    """Return "a" or "an" for the word that follows."""
    lowered = word.lower()
    if lowered.startswith(("uni", "use", "eu", "one", "once")):
        return "a"
    if lowered.startswith(("hour", "honest", "honour")):
        return "an"
    return "an" if lowered[:1] in set("aeiou") else "a"


def capitalise(text: str) -> str:
    """Upper-case the first letter only."""
    return text[:1].upper() + text[1:]


# --- who said it --------------------------------------------------------------------------

# How a group of partners from one sector is described: (one, several).
_SECTOR_NOUNS = {
    "local authority": ("council", "councils"),
    "health": ("health body", "health bodies"),
    "housing": ("housing provider", "housing providers"),
    "police and justice": ("police or justice body", "police and justice bodies"),
    "education": ("education body", "education bodies"),
    "voluntary and community": ("voluntary or community group", "voluntary and community groups"),
    "faith": ("faith group", "faith groups"),
    "employer": ("employer", "employers"),
}


def attribution(policy: Policy, answer: AnswerFact) -> str:
    """Return who a quote may be attributed to, as the policy shows it; empty if no one."""
    if not policy.may_reproduce(answer.organisation):
        return ""
    return policy.label(answer.organisation)


def _speaker(policy: Policy, answer: AnswerFact) -> str:
    """Return how prose may refer to the partner mid-sentence: a name, a sector, or no one."""
    who = attribution(policy, answer)
    return "one partner" if who in ("", "a partner") else who


def _group_name(policy: Policy, answers: Sequence[AnswerFact]) -> str:
    """Name several partners for the opening of a sentence, by sector where all allow it.

    "Three councils", "Three partners (two councils and a health body)", or "Three partners"
    when any of them asked not to be described at all or the policy hides a sector.
    """
    plain = opening_count(len(answers), "partner")
    shown = [policy.sector(a.organisation) for a in answers]
    sectors = Counter(sector.strip().lower() for sector in shown)
    if any(not policy.may_reproduce(a.organisation) for a in answers) or not all(
        sector in _SECTOR_NOUNS for sector in sectors
    ):
        return plain
    if len(sectors) == 1:
        (sector,) = sectors
        return opening_count(len(answers), *_SECTOR_NOUNS[sector])
    parts = []
    for sector, n in sorted(sectors.items(), key=lambda item: (-item[1], item[0])):
        one, several = _SECTOR_NOUNS[sector]
        parts.append(f"{article(one)} {one}" if n == 1 else f"{number(n)} {several}")
    return f"{plain} ({join_words(parts)})"


# --- turning a partner's sentence into reported speech ------------------------------------

_LEADING_LINK = re.compile(
    r"^(?:(?:but|and|yet)\s+|(?:however|so|also|therefore|in addition|furthermore|moreover|"
    r"overall|equally|similarly|finally|firstly|secondly|thirdly|first|second|third|fourth|"
    r"lastly|next|in short|again|indeed|yes|no|"
    r"of course|at the same time|in summary|as a result),\s*)",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(
    r"\b(?:[Ww]e(?:['’](?:re|ve|d|ll))?|[Oo]urs(?:elves)?|[Oo]ur|us)\b",
)
_THIRD_PERSON = {
    "we": "they",
    "our": "their",
    "ours": "theirs",
    "ourselves": "themselves",
    "us": "them",
}
# A capitalised word inside a sentence: after a space that follows anything but a sentence end.
_INSIDE_CAPITALISED = re.compile(r"(?<=[^.!?:\s] )[A-Z][a-z]+\b")
_LOWER_WORDS = re.compile(r"\b[a-z]+\b")
_SAYING = re.compile(
    r"(?:^|(?<=, ))(?:we|I) (?:would )?(?:only )?(?:also )?"
    r"(?:note|point out|add|say|stress|argue|repeat)(?:,? though,?|,? too,?)? that\s+",
    re.IGNORECASE,
)
# A sentence opening with one of these leans on the one before it.
_LEANS_BACK = re.compile(
    r"^(?:(?:This|These|That|Those|It|Its|They|Their|Such|Both|He|She)\b"
    r"|(?:Most|Many|Some|Few|All|None|Each)\s+(?:of\s+(?:these|them|those)|were|are|was|is)\b)"
)
# "Yes, provided the Rules ..." loses its main clause when the "Yes," goes.
_FRAGMENT = re.compile(
    r"^(?:yes|no)\b,?\s+(?:provided|if|unless|as long as|so long as|but only|only if)\b",
    re.IGNORECASE,
)
# "Third, children's social care: when a family ..." - a label before a colon.
_LABEL = re.compile(r"^[^:;,.]{1,40}:\s+(?=\S)")
_SPEAKS_AS_ONE_OR_TO_YOU = re.compile(r"\b(?:I|I['’](?:m|ve|d|ll)|my|me|mine|myself|you|your)\b")


def strip_link(sentence: str) -> str:
    """Drop a leading "However," or "But" and capitalise what is left."""
    stripped = _LEADING_LINK.sub("", sentence.strip(), count=1)
    return capitalise(stripped) if stripped else sentence.strip()


def _third_person(match: re.Match[str]) -> str:
    word = match.group(0)
    base, _, contraction = word.lower().replace("’", "'").partition("'")
    shifted = _THIRD_PERSON[base] + (f"'{contraction}" if contraction else "")
    return capitalise(shifted) if word[0].isupper() else shifted


@dataclass(frozen=True)
class _Speech:
    """What is needed to report a partner's sentence: which capitalised words are names."""

    names: frozenset[str]

    @classmethod
    def of(cls, texts: Iterable[str]) -> _Speech:
        """Learn the names: words capitalised inside a sentence and never written in lower case."""
        joined = "\n".join(texts)
        capitalised = {word.lower() for word in _INSIDE_CAPITALISED.findall(joined)}
        return cls(frozenset(capitalised - set(_LOWER_WORDS.findall(joined))))

    def report(self, sentence: str) -> str:
        """Turn "However, we think our area ..." into "they think their area ..."."""
        text = strip_link(sentence)
        if _LABEL.match(text) and len(_LABEL.sub("", text, count=1).split()) >= 6:
            text = _LABEL.sub("", text, count=1)
        text = _SAYING.sub("", text, count=1)
        text = _FIRST_PERSON.sub(_third_person, text)
        words = text.split(maxsplit=2)
        if words and not self._keeps_capital(words):
            text = text[:1].lower() + text[1:]
        return _full_stop(text)

    def _keeps_capital(self, words: list[str]) -> bool:
        first = words[0].strip("\"'“‘(,:;")
        if len(first) > 1 and (first.isupper() or any(char.isupper() for char in first[1:])):
            return True  # an acronym or a name such as "ESOL" or "McAllister"
        if first.lower() in self.names:
            return True
        # "Northern Ireland", "Home Office": a capital next often means a name, but not after
        # a common word ("If B1 is required", "The Home Office").
        common = first.lower() in ENGLISH_STOP_WORDS or len(first) == 1
        return not common and len(words) > 1 and words[1][:1].isupper()


def _full_stop(text: str) -> str:
    text = text.rstrip()
    if text.endswith((".", "!", "?")):
        return text[:-1].rstrip() + "."
    return text + "."


def _word_count(text: str) -> int:
    return len(text.split())


# --- choosing words, deterministically ----------------------------------------------------


class _Voice:
    """Rotate through phrasings from a point fixed by the content, so the same evidence always
    reads the same and consecutive sentences of one kind never open alike."""

    def __init__(self, *seed: str) -> None:
        digest = hashlib.sha256("\x1f".join(seed).encode("utf-8")).digest()
        self._start = int.from_bytes(digest[:4], "big")
        self._turns: Counter[str] = Counter()
        self.last_speaker = ""  # who the previous point was put in the mouth of
        self.last_template = ""

    def pick(self, kind: str, options: Sequence[T], *, avoid: T | None = None) -> T:
        """Return the next phrasing of this kind (the one after it if that is ``avoid``)."""
        turn = self._turns[kind]
        self._turns[kind] += 1
        chosen = options[(self._start + turn) % len(options)]
        if chosen == avoid and len(options) > 1:
            self._turns[kind] += 1
            chosen = options[(self._start + turn + 1) % len(options)]
        return chosen


_ONE_PARTNER_POINTS = (
    "{Who} said that {said}",
    "{Who} pointed out that {said}",
    "According to {who}, {said}",
    "{Who} told us that {said}",
    "In {whose} view, {said}",
    "{Who} made the point that {said}",
    "{Who} noted that {said}",
)
_MANY_PARTNER_POINTS = (
    "{Group} said that {said}",
    "A point made by {count} was that {said}",
    "{Group} told us that {said}",
    "{Count} made the point that {said}",
    "There was agreement among {count} that {said}",
    "{Group} pointed out that {said}",
    "{Count} noted that {said}",
)
_POINTS_IN_ANSWER_TO = (
    "{Who} said, {where}, that {said}",
    "{Where}, {who} told us that {said}",
    "{Who} pointed out, {where}, that {said}",
)
# A point several partners made, each with figures of their own: one partner's figures are
# given as theirs, not as everyone's.
_OWN_FIGURES = (
    "{Count} made this point, each with figures of their own. {Who} said that {said}",
    "{Count} made a similar point with their own figures; {who}, for one, told us that {said}",
)
_THEME_INTROS = (
    "{Some} of the {total} partners who answered this question raised this theme.",  # n < 10
    "This theme came up in the answers of {count}.",
    "{Count} wrote about this.",
    "It was raised by {some} of the {total} partners who answered.",
)
_THEME_INTROS_ALL = (
    "All {total} partners who answered this question raised this theme.",
    "Every partner who answered wrote about this.",
)
_SUMMARY_THEMES = (
    "{Label} was raised by {count}, in answers to {where}.",
    "{Label} mattered to {count}, who wrote about it in answers to {where}.",
    "{Label} was a theme for {count}, in answers to {where}.",
)


# --- positions ----------------------------------------------------------------------------

# option (lower case) -> (what several partners did, what one partner did)
_POSITION_VERBS = {
    "agree": ("agreed", "agreed"),
    "strongly agree": ("strongly agreed", "strongly agreed"),
    "tend to agree": ("tended to agree", "tended to agree"),
    "disagree": ("disagreed", "disagreed"),
    "strongly disagree": ("strongly disagreed", "strongly disagreed"),
    "tend to disagree": ("tended to disagree", "tended to disagree"),
    "neither agree nor disagree": ("neither agreed nor disagreed",) * 2,
    "don't know": ("were unsure", "was unsure"),
    "do not know": ("were unsure", "was unsure"),
    "not sure": ("were unsure", "was unsure"),
    "unsure": ("were unsure", "was unsure"),
    "yes": ("said yes", "said yes"),
    "no": ("said no", "said no"),
}
NO_POSITION = ""


def position_verb(position: str, n: int) -> str:
    """Say what ``n`` partners did by choosing an option: "disagreed", "were unsure"."""
    key = _position_key(position)
    if key == NO_POSITION:
        return "gave no position"
    several, one = _POSITION_VERBS.get(key, (f'chose "{position.strip()}"',) * 2)
    return one if n == 1 else several


def _position_key(position: str) -> str:
    return " ".join(position.replace("’", "'").lower().split())


@dataclass(frozen=True)
class PositionCount:
    """How many partners (organisations) chose one option, and which answers say so."""

    position: str  # the option as the question words it; "" for no position
    partners: int
    answer_ids: tuple[int, ...]


def count_positions(question: QuestionFact, answers: Sequence[AnswerFact]) -> list[PositionCount]:
    """Count each option once per organisation, most chosen first, then in the options' order.

    An organisation with more than one answer counts once, by its latest answer. Answers
    without a position come last, as "no position".
    """
    latest: dict[str, AnswerFact] = {}
    for answer in sorted(answers, key=lambda a: a.answer_id):
        latest[answer.organisation] = answer
    labels = {_position_key(option): option for option in question.options}
    chosen: dict[str, list[int]] = defaultdict(list)
    for answer in latest.values():
        key = _position_key(answer.position)
        chosen[key].append(answer.answer_id)
    order = [_position_key(option) for option in question.options]

    def rank(key: str) -> tuple[int, int, int, str]:
        known = order.index(key) if key in order else len(order)
        return (key == NO_POSITION, -len(chosen[key]), known, key)

    return [
        PositionCount(
            position=labels.get(key, _display_position(key, latest)),
            partners=len(chosen[key]),
            answer_ids=tuple(sorted(chosen[key])),
        )
        for key in sorted(chosen, key=rank)
    ]


def _display_position(key: str, latest: dict[str, AnswerFact]) -> str:
    for answer in latest.values():
        if _position_key(answer.position) == key:
            return answer.position.strip()
    return key


def position_summary(question: QuestionFact, answers: Sequence[AnswerFact]) -> str:
    """Say in one sentence how many partners answered and what positions they took."""
    counts = count_positions(question, answers)
    total = sum(count.partners for count in counts)
    if total == 0:
        return "No partner answered this question."
    if question.kind == "open" or all(count.position == NO_POSITION for count in counts):
        if total == 1:
            return "One partner answered this question."
        return f"{opening_count(total, 'partner')} answered this question."
    if total == 1:
        return f"Only one partner answered this question, and it {_did(counts[0])}."
    if len(counts) == 1:
        everyone = "Both partners" if total == 2 else f"All {total} partners"
        return f"{everyone} who answered {_did(counts[0])}."
    if len(counts) == 2 and counts[0].partners == counts[1].partners:
        return (
            f"The {total} partners who answered were evenly divided: "
            f"{join_words([_counted(count) for count in counts])}."
        )
    return f"Of {total} partners who answered, {join_words([_counted(c) for c in counts])}."


def _did(count: PositionCount) -> str:
    return position_verb(count.position, count.partners)


def _counted(count: PositionCount) -> str:
    return f"{count.partners} {_did(count)}"


# --- the evidence, prepared once ----------------------------------------------------------


@dataclass
class _Answer:
    """An answer with its sentences: which make a point, carry figures, speak to which themes."""

    fact: AnswerFact
    sentences: list[str]
    content: list[int]
    figures: set[int]
    themes_of: dict[int, set[str]]  # sentence -> themes the tagger filed it under
    tagged: frozenset[str]  # the themes the tagger gave sentences for

    @classmethod
    def of(cls, fact: AnswerFact) -> _Answer:
        """Split the answer into sentences and find the ones its figures and themes stand in."""
        sentences = split_sentences(fact.text)
        squashed = [_squash(sentence) for sentence in sentences]
        content = [i for i, sentence in enumerate(sentences) if is_content(sentence)]
        figures = [_squash(figure) for figure in fact.figures]
        reasons = [(theme, _squash(sentence)) for theme, sentence in fact.theme_sentences]
        themes_of: dict[int, set[str]] = defaultdict(set)
        for index in content:
            for theme, reason in reasons:
                if _overlaps(squashed[index], reason):
                    themes_of[index].add(theme)
        return cls(
            fact,
            sentences,
            content,
            {i for i, mine in enumerate(squashed) if any(_overlaps(mine, f) for f in figures)},
            themes_of,
            frozenset(theme for theme, _ in reasons),
        )


def _squash(text: str) -> str:
    return " ".join(text.split()).lower()


def _overlaps(mine: str, theirs: str) -> bool:
    """Say whether two squashed passages contain one another."""
    return bool(mine and theirs) and (mine in theirs or theirs in mine)


@dataclass
class _Question:
    """One question's answers, sentences and TF-IDF vectors."""

    fact: QuestionFact
    answers: list[_Answer]
    statements: list[Statement] = field(default_factory=list)
    vectors: csr_matrix | None = None
    row_of: dict[tuple[int, int], int] = field(default_factory=dict)
    filed_under: dict[tuple[int, int], str] = field(default_factory=dict)  # sentence -> theme

    def __post_init__(self) -> None:
        for answer in self.answers:
            for index in answer.content:
                self.row_of[(answer.fact.answer_id, index)] = len(self.statements)
                self.statements.append(
                    Statement(
                        answer.fact.answer_id,
                        answer.fact.organisation,
                        answer.sentences[index],
                        index,
                    )
                )
        self.vectors = vectorise([statement.text for statement in self.statements])

    def group(self, statements: Sequence[Statement]) -> list[SimilarGroup]:
        """Group some of the question's statements, weighing words against the whole question."""
        rows = [self.row_of[(s.answer_id, s.index)] for s in statements]
        return group_statements(statements, vectors=self.vectors[rows])

    @property
    def answer_ids(self) -> list[int]:
        """Return the ids of every answer to the question."""
        return [answer.fact.answer_id for answer in self.answers]

    @property
    def partners(self) -> int:
        """Return how many organisations answered."""
        return len({answer.fact.organisation for answer in self.answers})


@dataclass(frozen=True)
class _Point:
    """A group of statements chosen as a point, kept for the summary."""

    question: QuestionFact
    theme: str
    group: SimilarGroup
    said: str
    own_figures: bool = False  # its partners gave different figures: "said" is one partner's


class _Assembly:
    """The state of one assembly: the evidence, what has been told, what the summary needs."""

    def __init__(self, evidence: Evidence) -> None:
        _check(evidence)
        self.evidence = evidence
        self.themes = {theme.id: theme for theme in evidence.themes}
        self.theme_order = {theme.id: i for i, theme in enumerate(evidence.themes)}
        self.theme_words = {
            theme.id: frozenset(terms(f"{theme.label} {theme.description}"))
            for theme in evidence.themes
        }
        self.answers = {answer.answer_id: answer for answer in evidence.answers}
        self.policy = Policy.of(evidence.answers, reference=evidence.reference)
        by_question: dict[int, list[_Answer]] = defaultdict(list)
        for fact in sorted(evidence.answers, key=lambda a: a.answer_id):
            by_question[fact.question_id].append(_Answer.of(fact))
        self.questions = [_Question(q, by_question.get(q.id, [])) for q in evidence.questions]
        self.prepared = {a.fact.answer_id: a for q in self.questions for a in q.answers}
        self.speech = _Speech.of(answer.text for answer in evidence.answers)
        self.theme_points: list[_Point] = []
        self.regional_points: list[_Point] = []

    def label(self, theme_id: str) -> str:
        """Return a theme's label (its id, tidied, if the evidence does not list it)."""
        if theme_id in self.themes:
            return self.themes[theme_id].label
        return capitalise(theme_id.replace("_", " "))

    def rank(self, theme_id: str) -> int:
        """Return a theme's place in the taxonomy (unlisted themes last)."""
        return self.theme_order.get(theme_id, len(self.theme_order))

    def unnamed(self, text: str, answer_id: int) -> str:
        """Take the names of partners that are not named out of an answer's words."""
        return self.policy.scrub(text, self.answers[answer_id].organisation)

    def names_unnamed(self, text: str) -> bool:
        """Say whether the text names a partner that asked not to be named."""
        return self.policy.names_unnamed(text)


def _check(evidence: Evidence) -> None:
    """Refuse evidence that would make a wrong draft, naming every problem at once."""
    problems = []
    question_ids = {question.id for question in evidence.questions}
    ids = Counter(answer.answer_id for answer in evidence.answers)
    if repeated := sorted(answer_id for answer_id, n in ids.items() if n > 1):
        problems.append(f"answer ids used more than once: {', '.join(map(str, repeated))}")
    if strays := sorted(
        {a.answer_id for a in evidence.answers if a.question_id not in question_ids}
    ):
        problems.append(f"answers to a question not in the evidence: {', '.join(map(str, strays))}")
    if odd := sorted({a.consent for a in evidence.answers if a.consent not in CONSENT_VALUES}):
        problems.append(
            f"consent {', '.join(repr(c) for c in odd)} is not one of {', '.join(Consent)}"
        )
    if problems:
        raise AssemblyError(
            f"The draft cannot be assembled: {'; '.join(problems)}. "
            "Rebuild the evidence from the saved submissions and try again."
        )


# --- the public function ------------------------------------------------------------------


def default_status(version: int) -> str:
    """Return what the cover says of an unapproved version: "Draft v1 for board review"."""
    return f"Draft v{version} for board review"


def assemble(evidence: Evidence, *, version: int = 1, status: str | None = None) -> Draft:
    """Assemble the whole draft response from the evidence, section by section."""
    if version < 1:
        raise ValueError(f"A draft's version starts at 1, not {version}.")
    status = status or default_status(version)
    assembly = _Assembly(evidence)
    questions = [_question_section(assembly, question) for question in assembly.questions]
    sections = [
        _cover(evidence, status),
        _about(assembly),
        _summary(assembly),
        *questions,
        _recommendations(assembly),
        annex_section(evidence, assembly.policy),
    ]
    return Draft(
        partnership=evidence.partnership,
        title=evidence.title,
        reference=evidence.reference,
        department=evidence.department,
        prepared_on=evidence.today,
        status=status,
        sections=sections,
    )


# --- cover and about ----------------------------------------------------------------------


def _cover(evidence: Evidence, status: str) -> Section:
    consultation = f"A consultation by the {evidence.department}" if evidence.department else ""
    if consultation and evidence.reference:
        consultation += f", reference {evidence.reference}"
    lines = [
        f"Response from the {_bare(evidence.partnership)}",
        consultation,
        plain_date(evidence.today),
        status,
    ]
    if evidence.closes_on:
        lines.append(f"The consultation closes on {plain_date(evidence.closes_on)}.")
    blocks = [Block(kind="paragraph", text=line) for line in lines if line]
    return Section(key="cover", heading=evidence.title, blocks=blocks)


def _bare(name: str) -> str:
    return name[4:] if name.lower().startswith("the ") else name


def _the(name: str) -> str:
    """Put "The" before a partnership's name where English wants it."""
    if name.lower().startswith("the ") or "partnership" not in name.lower():
        return name
    return f"The {name}"


def _about(assembly: _Assembly) -> Section:
    evidence = assembly.evidence
    own_words = [part.strip() for part in re.split(r"\n\s*\n", evidence.about) if part.strip()]
    paragraphs = own_words or [
        f"{_the(evidence.partnership)} brings together local government, health and housing "
        f"bodies, the police and justice sector, and voluntary and community organisations in "
        f"{evidence.region or 'the region'}, to plan for migration together and to give the "
        "region one voice with the UK Government."
    ]
    blocks = [Block(kind="paragraph", text=text) for text in paragraphs]
    blocks.append(Block(kind="paragraph", text=_contributors(assembly.policy)))
    blocks.append(Block(kind="paragraph", text=_how_prepared(assembly)))
    return Section(key="about", heading="About the partnership and this response", blocks=blocks)


def _contributors(policy: Policy) -> str:
    """Say how many partners contributed, and their sectors where three or more share one."""
    organisations = len(policy.partners)
    if organisations == 0:
        return "No partner organisation has answered yet, so this draft has no evidence to use."
    if organisations == 1:
        return "This response draws on answers from one partner organisation."
    text = f"This response draws on answers from {organisations} partner organisations"
    shown = policy.sectors_shown()
    if shown:
        listed = join_words([f"{sector} ({n})" for sector, n in shown])
        text += f", among them {listed}"
    return text + "."


def _how_prepared(assembly: _Assembly) -> str:
    evidence = assembly.evidence
    consents = Counter(
        {a.organisation: a.consent for a in evidence.answers}.values()
    )  # one consent per organisation
    named = consents["named"]
    organisations = sum(consents.values())
    questions = len(evidence.questions)
    if named == organisations:
        naming = "Every partner agreed to be named."
    elif named == 0:
        naming = "No partner asked to be named, so partners are described by sector or not at all."
    else:
        naming = (
            f"{capitalise(number(named))} of the {number(organisations)} partners agreed to be "
            "named; the others are described by their sector or not at all, as they asked."
        )
    return (
        f"Partners answered the consultation's {count_of(questions, 'question')}; this response "
        f"draws their answers together, and every point in it rests on what they said. {naming}"
    )


# --- one section per question -------------------------------------------------------------


def _question_heading(question: QuestionFact) -> str:
    found = re.fullmatch(r"Q\.?\s*(\d+[a-z]?)", question.number.strip(), flags=re.IGNORECASE)
    return f"Question {found.group(1)}" if found else question.number or "Question"


def _question_section(assembly: _Assembly, question: _Question) -> Section:
    fact = question.fact
    facts = [answer.fact for answer in question.answers]
    voice = _Voice("question", fact.number, fact.text)
    blocks = [
        Block(kind="paragraph", text=fact.text),
        Block(
            kind="paragraph",
            text=position_summary(fact, facts),
            answer_ids=question.answer_ids,
        ),
    ]
    told: set[tuple[int, int]] = set()
    blocks += _themes_of_question(assembly, question, voice, told)
    blocks += _figures_of_question(assembly, question, told)
    blocks += _regional_of_question(assembly, question, voice, told)
    return Section(
        key=f"question-{fact.id}",
        heading=_question_heading(fact),
        blocks=blocks,
        question_id=fact.id,
    )


def _theme_partners(question: _Question) -> dict[str, set[str]]:
    partners: dict[str, set[str]] = defaultdict(set)
    for answer in question.answers:
        for theme in answer.fact.themes:
            if theme != REGIONAL_THEME:
                partners[theme].add(answer.fact.organisation)
    return partners


def _ranked_themes(assembly: _Assembly, question: _Question) -> list[tuple[str, set[str]]]:
    """Return the question's themes, most partners first, then most answers, then taxonomy."""
    partners = _theme_partners(question)
    answers = Counter(theme for answer in question.answers for theme in set(answer.fact.themes))
    return sorted(
        partners.items(),
        key=lambda item: (-len(item[1]), -answers[item[0]], assembly.rank(item[0]), item[0]),
    )


def _sentences_by_theme(
    assembly: _Assembly, question: _Question, ranked: list[str]
) -> dict[str, list[Statement]]:
    """File each sentence under the most-raised theme it speaks to, so it is told once."""
    place = {theme: i for i, theme in enumerate(ranked)}
    filed: dict[str, list[Statement]] = defaultdict(list)
    for answer in question.answers:
        themes = sorted(set(answer.fact.themes) & place.keys(), key=place.__getitem__)
        chosen = {}
        for index in answer.content:
            candidates = [t for t in themes if _speaks_to(assembly, answer, index, t)]
            if candidates or not themes:
                chosen[index] = candidates[0] if candidates else OTHER_POINTS
        if themes and not chosen and answer.content:
            chosen[answer.content[0]] = themes[0]
        for index, theme in chosen.items():
            fact = answer.fact
            filed[theme].append(
                Statement(fact.answer_id, fact.organisation, answer.sentences[index], index)
            )
    return filed


def _speaks_to(assembly: _Assembly, answer: _Answer, index: int, theme: str) -> bool:
    if theme in answer.tagged:
        return theme in answer.themes_of.get(index, ())
    words = assembly.theme_words.get(theme, frozenset())
    return bool(words.intersection(terms(answer.sentences[index])))


def _themes_of_question(
    assembly: _Assembly, question: _Question, voice: _Voice, told: set[tuple[int, int]]
) -> list[Block]:
    ranked = _ranked_themes(assembly, question)
    filed = _sentences_by_theme(assembly, question, [theme for theme, _ in ranked])
    question.filed_under = {
        (s.answer_id, s.index): theme for theme, statements in filed.items() for s in statements
    }
    blocks: list[Block] = []
    rest: list[tuple[str, set[str]]] = []
    shown = 0
    for theme, partners in ranked:
        told_here = (
            _theme_blocks(assembly, question, voice, told, theme, partners, filed[theme])
            if shown < MAX_THEMES_PER_QUESTION and filed.get(theme)
            else []
        )
        shown += bool(told_here)
        blocks += told_here
        if not told_here:
            rest.append((theme, partners))
    if filed.get(OTHER_POINTS):
        untagged = {s.organisation for s in filed[OTHER_POINTS]}
        blocks += _theme_blocks(
            assembly, question, voice, told, OTHER_POINTS, untagged, filed[OTHER_POINTS]
        )
    if rest:
        blocks.append(_also_raised(assembly, question, rest))
    return blocks


def _theme_blocks(
    assembly: _Assembly,
    question: _Question,
    voice: _Voice,
    told: set[tuple[int, int]],
    theme: str,
    partners: set[str],
    statements: list[Statement],
) -> list[Block]:
    """Tell a theme's points, most partners first; nothing if every point is told already."""
    groups = _told_in_turn(assembly, question.group(statements), told)
    if not groups:
        return []
    # A quote runs on only through sentences of this theme, or of none.
    barred = {key for key, filed in question.filed_under.items() if filed != theme}
    label = OTHER_POINTS if theme == OTHER_POINTS else assembly.label(theme)
    theme_id = "" if theme == OTHER_POINTS else theme
    ids = sorted({s.answer_id for s in statements})
    if theme_id:
        ids = sorted(a.fact.answer_id for a in question.answers if theme in a.fact.themes)
    blocks = [Block(kind="subheading", text=label, theme=theme_id, answer_ids=ids)]
    if theme_id and len(partners) >= 2:
        everyone = len(partners) == question.partners
        intros = _THEME_INTROS if len(partners) < 10 else _THEME_INTROS[1:]  # no "41 of ..."
        intro = voice.pick(
            "theme intro all" if everyone else "theme intro",
            _THEME_INTROS_ALL if everyone else intros,
        ).format(
            Some=capitalise(number(len(partners))),
            some=number(len(partners)),
            Count=opening_count(len(partners), "partner"),
            count=count_of(len(partners), "partner"),
            total=number(question.partners),
        )
        blocks.append(Block(kind="paragraph", text=intro, theme=theme_id, answer_ids=ids))
    quotes = 0
    points = 0
    rest: list[SimilarGroup] = []
    for group in groups:
        if points == MAX_POINTS_PER_THEME:
            rest.append(group)
            continue
        if _all_told(group, told):
            continue  # a quote has told it already
        points += 1
        point, said, own = _point(assembly, voice, group, told)
        point.theme = theme_id
        blocks.append(point)
        if quotes < MAX_QUOTES_PER_THEME and (quote := _quote(assembly, group, told, barred)):
            quote.theme = theme_id
            blocks.append(quote)
            quotes += 1
        if theme_id:
            assembly.theme_points.append(_Point(question.fact, theme, group, said, own))
    if rest := [group for group in rest if not _all_told(group, told)]:
        blocks.append(_left_out(rest, theme_id))
    return blocks


def _all_told(group: SimilarGroup, told: set[tuple[int, int]]) -> bool:
    return all((s.answer_id, s.index) in told for s in group.statements)


def _told_in_turn(
    assembly: _Assembly, groups: list[SimilarGroup], told: set[tuple[int, int]]
) -> list[SimilarGroup]:
    """Order a theme's points for telling: shared points first, then one partner's point each
    before anyone's second, and points that read badly when reported last. Points already
    told (their sentences quoted or reported earlier) are dropped."""
    turns: Counter[str] = Counter()
    keyed = []
    for place, group in enumerate(groups):
        fresh = [s for s in group.statements if (s.answer_id, s.index) not in told]
        if not fresh or not _shareable(assembly, group):
            continue
        turn = turns[group.organisations[0]] if group.partners == 1 else 0
        turns[group.organisations[0]] += group.partners == 1
        reads_well = any(_reportable(assembly, s.text) for s in fresh)
        keyed.append(((not reads_well, -group.partners, turn, place), group))
    return [group for _, group in sorted(keyed, key=lambda item: item[0])]


def _shareable(assembly: _Assembly, group: SimilarGroup) -> bool:
    """Say whether a point may be told: an anonymous partner's point only when others share it.

    Its own details (its volunteers, its census) would identify it; its point still counts in
    the theme's number of partners.
    """
    return group.partners > 1 or assembly.policy.may_reproduce(group.organisations[0])


def _left_out(groups: Sequence[SimilarGroup], theme: str) -> Block:
    ids = sorted({i for group in groups for i in group.answer_ids})
    partners = len({o for group in groups for o in group.organisations})
    points = len(groups)
    verb = "is" if points == 1 else "are"
    text = (
        f"{opening_count(points, 'more point')} on this theme, made by "
        f"{count_of(partners, 'partner')}, {verb} left out of this draft for length; the "
        f"annex lists the answers behind {'it' if points == 1 else 'them'}."
    )
    return Block(kind="paragraph", text=text, answer_ids=ids, theme=theme, partners=partners)


def _also_raised(
    assembly: _Assembly, question: _Question, rest: list[tuple[str, set[str]]]
) -> Block:
    listed = "; ".join(
        f"{assembly.label(theme)} ({count_of(len(partners), 'partner')})"
        for theme, partners in rest
    )
    ids = sorted(
        {a.fact.answer_id for a in question.answers for t, _ in rest if t in a.fact.themes}
    )
    return Block(
        kind="paragraph",
        text=f"Other themes came up less often: {listed}.",
        answer_ids=ids,
    )


# --- points and quotes --------------------------------------------------------------------


def _point(
    assembly: _Assembly, voice: _Voice, group: SimilarGroup, told: set[tuple[int, int]]
) -> tuple[Block, str, bool]:
    """Report a group's point, saying how many partners made it.

    Return the block, what was said, and whether the partners gave figures of their own.

    The sentence reported, and any member saying the same in the same words, count as told,
    so no quote or figure repeats them.
    """
    chosen = _point_statement(assembly, group, told)
    told.update((s.answer_id, s.index) for s in group.statements if _same_words(s, chosen))
    said = assembly.speech.report(assembly.unnamed(chosen.text, chosen.answer_id))
    text = _point_text(assembly, voice, group, said, chosen=chosen)
    block = Block(
        kind="point", text=text, answer_ids=list(group.answer_ids), partners=group.partners
    )
    return block, said, group.partners > 1 and own_figures(group, chosen)


def _same_words(one: Statement, other: Statement) -> bool:
    """Say whether two sentences use nearly all the same words (figures included)."""
    if one == other:
        return True
    mine, theirs = set(terms(one.text)), set(terms(other.text))
    return bool(mine) and len(mine & theirs) >= 0.8 * len(mine | theirs)


_QUANTITY = re.compile(
    r"(?<![\w.\-])(?<!Section )(?<!Article )(?<!Act )(?<!Order )(?<!Rule )(?<!Part )"
    r"(?<!Schedule )(?<!paragraph )(?<!level )(?<!Q)£?\d[\d,.]*(?:-\d\d)?%?"
)
_YEAR = re.compile(r"^(?:19|20)\d\d(?:-\d\d)?$")


def _figures_of(text: str) -> frozenset[str]:
    """Return the quantities a sentence gives: not "Section 75", "Article 8", "Q3" or a year."""
    found = (figure.rstrip(".,") for figure in _QUANTITY.findall(text))
    return frozenset(figure for figure in found if not _YEAR.match(figure))


def own_figures(group: SimilarGroup, chosen: Statement) -> bool:
    """Say whether the partners in a group made its point with different figures."""
    return (
        bool(_figures_of(chosen.text))
        and len({_figures_of(statement.text) for statement in group.statements}) > 1
    )


def _point_text(
    assembly: _Assembly,
    voice: _Voice,
    group: SimilarGroup,
    said: str,
    *,
    where: str = "",
    chosen: Statement | None = None,
) -> str:
    answers = _one_answer_each(assembly, group)
    one = len(answers) == 1
    who = _speaker(assembly.policy, answers[0]) if one else count_of(len(answers), "partner")
    # The same partner twice running: the second sentence opens another way.
    again = one and who == voice.last_speaker and who != "one partner"  # unnamed: maybe not
    voice.last_speaker = who if one else ""
    if where:
        opening = capitalise(who) if one else opening_count(len(answers), "partner")
        templates = _not_opening_with_who(_POINTS_IN_ANSWER_TO) if again else _POINTS_IN_ANSWER_TO
        template = voice.pick(
            "point in answer to" + " again" * again, templates, avoid=voice.last_template
        )
        voice.last_template = template
        return template.format(
            Who=opening, who=who, where=where, Where=capitalise(where), said=said
        )
    if one:
        templates = _not_opening_with_who(_ONE_PARTNER_POINTS) if again else _ONE_PARTNER_POINTS
        template = voice.pick(
            "one-partner point" + " again" * again, templates, avoid=voice.last_template
        )
        voice.last_template = template
        return template.format(Who=capitalise(who), who=who, whose=_possessive(who), said=said)
    n = len(answers)
    if chosen is not None and own_figures(group, chosen):
        speaker = _speaker(assembly.policy, assembly.answers[chosen.answer_id])
        speaker = "one of them" if speaker == "one partner" else speaker
        template = voice.pick("own figures", _OWN_FIGURES)
        voice.last_template = template
        return template.format(
            Count=opening_count(n, "partner"), Who=capitalise(speaker), who=speaker, said=said
        )
    template = voice.pick("many-partner point", _MANY_PARTNER_POINTS)
    voice.last_template = template
    return template.format(
        Group=_group_name(assembly.policy, answers),
        Count=opening_count(n, "partner"),
        count=count_of(n, "partner"),
        said=said,
    )


def _not_opening_with_who(templates: Sequence[str]) -> tuple[str, ...]:
    return tuple(template for template in templates if not template.startswith("{Who}"))


def _possessive(who: str) -> str:
    return f"{who}'" if who.endswith("s") else f"{who}'s"


def _one_answer_each(assembly: _Assembly, group: SimilarGroup) -> list[AnswerFact]:
    """Return one answer per organisation in the group, in the order of their names."""
    latest: dict[str, AnswerFact] = {}
    for answer_id in group.answer_ids:
        answer = assembly.answers[answer_id]
        latest[answer.organisation] = answer
    return [latest[name] for name in sorted(latest)]


def _point_statement(
    assembly: _Assembly, group: SimilarGroup, told: set[tuple[int, int]] | None = None
) -> Statement:
    """Pick the sentence to report: the one nearest the centroid that reads well when told."""
    told = told or set()

    def told_already(statement: Statement) -> bool:
        return (statement.answer_id, statement.index) in told

    hidden = {
        s.answer_id
        for s in group.statements
        if not assembly.policy.may_reproduce(assembly.answers[s.answer_id].organisation)
    }
    order = sorted(
        range(len(group.statements)),
        key=lambda i: (group.statements[i].answer_id in hidden, -group.closeness[i], i),
    )  # a partner whose words may be reproduced first, then nearest first
    for i in order:
        statement = group.statements[i]
        if _reportable(assembly, statement.text) and not told_already(statement):
            return statement
    fresh = [i for i in order if not told_already(group.statements[i])]
    return group.statements[(fresh or order)[0]]


def _reportable(assembly: _Assembly, text: str) -> bool:
    return (
        _word_count(text) <= MAX_POINT_WORDS
        and not text.rstrip().endswith("?")
        and not _SPEAKS_AS_ONE_OR_TO_YOU.search(text)
        and not assembly.names_unnamed(text)
        and not _LEANS_BACK.match(text)
        and not _FRAGMENT.match(text)
    )


def _quote(
    assembly: _Assembly,
    group: SimilarGroup,
    told: set[tuple[int, int]],
    barred: set[tuple[int, int]] = frozenset(),
) -> Block | None:
    """Quote the member nearest the group's centroid that may be quoted, preferring figures."""
    best: tuple[float, int, list[int]] | None = None
    for statement, closeness in zip(group.statements, group.closeness, strict=True):
        fact = assembly.answers[statement.answer_id]
        if not assembly.policy.may_reproduce(fact.organisation):
            continue
        answer = assembly.prepared[fact.answer_id]
        window = _quote_window(answer, statement.index, told | barred)
        if not window:
            continue
        score = closeness + (FIGURE_BONUS if answer.figures.intersection(window) else 0.0)
        if best is None or (score, -fact.answer_id) > (best[0], -best[1]):
            best = (score, fact.answer_id, window)
    if best is None:
        return None
    _, answer_id, window = best
    answer = assembly.prepared[answer_id]
    told.update((answer_id, index) for index in window)
    text = _bracketed_link(" ".join(answer.sentences[index] for index in window))
    text = assembly.unnamed(text, answer_id)
    return Block(
        kind="quote",
        text=text,
        answer_ids=[answer_id],
        attribution=attribution(assembly.policy, answer.fact),
    )


def _bracketed_link(quote: str) -> str:
    """Drop a leading "However," from a quote, marking the changed capital: "[T]he level ..."."""
    stripped = strip_link(quote)
    if stripped == quote.strip():
        return stripped
    return f"[{stripped[:1]}]{stripped[1:]}"


def _quote_window(answer: _Answer, start: int, told: set[tuple[int, int]]) -> list[int]:
    """Return whole sentences from ``start`` (past any already told), under the word limit."""
    answer_id = answer.fact.answer_id
    while start < len(answer.sentences) and (
        (answer_id, start) in told or start not in answer.content
    ):
        start += 1
    if start >= len(answer.sentences):
        return []
    opening = answer.sentences[start]
    if _LEANS_BACK.match(opening) or _LEADING_LINK.match(opening):
        before = start - 1
        if before >= 0 and (answer_id, before) not in told and before in answer.content:
            start = before  # quote the sentence it leans on too
        elif _LEANS_BACK.match(opening):
            return []  # it would make no sense without the sentence before it
    window: list[int] = []
    words = 0
    for index in range(start, len(answer.sentences)):
        if (answer_id, index) in told:
            break
        length = _word_count(answer.sentences[index])
        if words + length > MAX_QUOTE_WORDS:
            break
        window.append(index)
        words += length
    return window


# --- evidence with figures, and regional impact -------------------------------------------


def _figures_of_question(
    assembly: _Assembly, question: _Question, told: set[tuple[int, int]]
) -> list[Block]:
    found: list[tuple[_Answer, int]] = [
        (answer, index)
        for answer in question.answers
        if assembly.policy.may_reproduce(answer.fact.organisation)  # its figures identify it
        for index in sorted(answer.figures)
        if (answer.fact.answer_id, index) not in told
        and _word_count(answer.sentences[index]) <= MAX_QUOTE_WORDS
    ]
    if not found:
        return []
    # Figures in digits first ("five-year" is a figure to the tagger, but not evidence).
    found.sort(key=lambda item: not re.search(r"\d", item[0].sentences[item[1]]))
    chosen: list[tuple[_Answer, int]] = []
    seen: set[str] = set()
    for answer, index in found:  # one figure per organisation, in answer order
        if answer.fact.organisation not in seen and len(chosen) < MAX_FIGURES_PER_QUESTION:
            chosen.append((answer, index))
            seen.add(answer.fact.organisation)
    blocks = [Block(kind="subheading", text="Evidence")]
    for answer, index in chosen:
        told.add((answer.fact.answer_id, index))
        blocks.append(_figure(assembly, answer, index))
    blocks[0].answer_ids = sorted({a.fact.answer_id for a, _ in chosen})
    picked = {(a.fact.answer_id, i) for a, i in chosen}
    rest = [(a, i) for a, i in found if (a.fact.answer_id, i) not in picked]
    if rest:
        ids = sorted({a.fact.answer_id for a, _ in rest})
        more = opening_count(len(rest), "more sentence")
        partners = len({a.fact.organisation for a, _ in rest})
        verb = "carries" if len(rest) == 1 else "carry"
        blocks.append(
            Block(
                kind="paragraph",
                text=f"{more} with figures, from {count_of(partners, 'partner')}, {verb} "
                "further evidence; the annex lists the answers they come from.",
                answer_ids=ids,
                partners=partners,
            )
        )
    return blocks


def _figure(assembly: _Assembly, answer: _Answer, index: int) -> Block:
    sentence = answer.sentences[index]
    answer_id = answer.fact.answer_id
    if not assembly.policy.may_reproduce(answer.fact.organisation):
        said = assembly.speech.report(assembly.unnamed(sentence, answer_id))
        text = f"One partner reported that {said}"
    else:
        text = _full_stop(assembly.unnamed(strip_link(sentence), answer_id))
    return Block(
        kind="figure",
        text=text,
        answer_ids=[answer_id],
        attribution=attribution(assembly.policy, answer.fact),
    )


_LOCAL_CUES = re.compile(
    r"\b(?:here|local(?:ly)?|devolved|border|Common Travel Area|our area|our region|"
    r"in the region|rural)\b",
    re.IGNORECASE,
)


def _regional_statements(assembly: _Assembly, question: _Question) -> list[Statement]:
    region = assembly.evidence.region
    statements = []
    for answer in question.answers:
        if not answer.fact.regional:
            continue
        names = [place for place in (*answer.fact.places, region) if place]
        for index in answer.content:
            sentence = answer.sentences[index]
            if _LOCAL_CUES.search(sentence) or any(name in sentence for name in names):
                fact = answer.fact
                statements.append(Statement(fact.answer_id, fact.organisation, sentence, index))
    return statements


def _regional_of_question(
    assembly: _Assembly, question: _Question, voice: _Voice, told: set[tuple[int, int]]
) -> list[Block]:
    regional = [answer for answer in question.answers if answer.fact.regional]
    if not regional:
        return []
    ids = [answer.fact.answer_id for answer in regional]
    partners = len({answer.fact.organisation for answer in regional})
    region = assembly.evidence.region or "the region"
    blocks = [
        Block(kind="subheading", text="Regional impact", answer_ids=ids),
        Block(
            kind="paragraph",
            text=f"{opening_count(partners, 'partner')} wrote about the position in {region} "
            "in particular.",
            answer_ids=ids,
            partners=partners,
        ),
    ]
    fresh = [
        s for s in _regional_statements(assembly, question) if (s.answer_id, s.index) not in told
    ]
    groups = [g for g in question.group(fresh) if _shareable(assembly, g)] if fresh else []
    for group in groups[:MAX_REGIONAL_POINTS]:
        point, said, own = _point(assembly, voice, group, told)
        blocks.append(point)
        assembly.regional_points.append(_Point(question.fact, "", group, said, own))
    return blocks


# --- summary ------------------------------------------------------------------------------


def _summary(assembly: _Assembly) -> Section:
    evidence = assembly.evidence
    voice = _Voice("summary", evidence.title, evidence.reference)
    organisations = len({answer.organisation for answer in evidence.answers})
    blocks = [Block(kind="paragraph", text=_summary_intro(assembly, organisations))]
    if organisations == 0:
        return Section(key="summary", heading="Summary of key points", blocks=blocks)
    blocks += _summary_themes(assembly, voice)
    blocks += _summary_positions(assembly, voice)
    blocks += _summary_regional(assembly, voice)
    return Section(key="summary", heading="Summary of key points", blocks=blocks)


def _summary_intro(assembly: _Assembly, organisations: int) -> str:
    questions = len(assembly.questions)
    if organisations == 0:
        return "No partner has answered yet; this summary will fill in as answers arrive."
    region = assembly.evidence.region or "the region"
    return (
        f"{opening_count(organisations, 'partner organisation')} answered the consultation's "
        f"{count_of(questions, 'question')}. This summary gives the themes they raised most, "
        f"where they stood on each question that asked for a position, and the points "
        f"particular to {region}."
    )


def _in_answer_to(questions: Sequence[QuestionFact]) -> str:
    """Return "in answer to Q1 and Q4", or "in answers to 12 questions" when there are many."""
    if len(questions) > 5:
        return f"in answers to {count_of(len(questions), 'question')}"
    return f"in answer to {_where(questions)}"


def _where(questions: Sequence[QuestionFact]) -> str:
    numbers = [question.number for question in questions]
    if len(numbers) > 5:
        return count_of(len(numbers), "question")
    return join_words(numbers)


def _summary_themes(assembly: _Assembly, voice: _Voice) -> list[Block]:
    organisations: dict[str, set[str]] = defaultdict(set)
    answer_ids: dict[str, list[int]] = defaultdict(list)
    asked_in: dict[str, dict[int, QuestionFact]] = defaultdict(dict)
    question_of = {question.fact.id: question.fact for question in assembly.questions}
    for answer in sorted(assembly.evidence.answers, key=lambda a: a.answer_id):
        for theme in dict.fromkeys(t for t in answer.themes if t != REGIONAL_THEME):
            organisations[theme].add(answer.organisation)
            answer_ids[theme].append(answer.answer_id)
            asked_in[theme][answer.question_id] = question_of[answer.question_id]
    ranked = sorted(
        organisations,
        key=lambda t: (-len(organisations[t]), -len(answer_ids[t]), assembly.rank(t), t),
    )[:MAX_SUMMARY_THEMES]
    if not ranked:
        return []
    order = {question.fact.id: i for i, question in enumerate(assembly.questions)}
    blocks = [Block(kind="subheading", text="The themes raised most")]
    for place, theme in enumerate(ranked):
        where = _where(sorted(asked_in[theme].values(), key=lambda q: order[q.id]))
        count = count_of(len(organisations[theme]), "partner")
        label = assembly.label(theme)
        if place == 0:
            text = f"{label} came up most often: {count} raised it, in answers to {where}."
        else:
            text = voice.pick("summary theme", _SUMMARY_THEMES).format(
                Label=label, count=count, where=where
            )
        text += _strongest_point(assembly, theme)
        blocks.append(
            Block(
                kind="point",
                text=text,
                answer_ids=answer_ids[theme],
                partners=len(organisations[theme]),
                theme=theme,
            )
        )
    return blocks


def _strongest_point(assembly: _Assembly, theme: str) -> str:
    points = [
        p
        for p in assembly.theme_points
        if p.theme == theme and p.group.partners >= 2 and not p.own_figures
    ]
    if not points:
        return ""
    best = max(points, key=lambda p: p.group.partners)  # the first of the largest
    return (
        f" The point made most often, by {count_of(best.group.partners, 'partner')} in answer "
        f"to {best.question.number}, was that {best.said}"
    )


def _summary_positions(assembly: _Assembly, voice: _Voice) -> list[Block]:
    blocks: list[Block] = []
    for question in assembly.questions:
        facts = [answer.fact for answer in question.answers]
        counts = [c for c in count_positions(question.fact, facts) if c.position != NO_POSITION]
        if question.fact.kind == "open" or not counts:
            continue
        lead = voice.pick("on question", ("On {q}", "For {q}")).format(q=question.fact.number)
        blocks.append(
            Block(
                kind="point",
                text=f"{lead}, {_overall_position(counts)}.",
                answer_ids=sorted(i for count in counts for i in count.answer_ids),
                partners=sum(count.partners for count in counts),
            )
        )
    if blocks:
        blocks.insert(0, Block(kind="subheading", text="Where partners stood"))
    return blocks


def _overall_position(counts: list[PositionCount]) -> str:
    """Describe positions taken (no-position answers left out): "most partners disagreed: ..."."""
    total = sum(count.partners for count in counts)
    top = counts[0]
    if total == 1:
        return f"the one partner who gave a position {_did(top)}"
    if len(counts) == 1:
        everyone = "both partners" if total == 2 else f"all {total} partners"
        return f"{everyone} who gave a position {_did(top)}"
    if top.partners == counts[1].partners:
        return f"partners were divided: {join_words([_counted(count) for count in counts])}"
    if top.partners * 2 > total:
        return (
            f"most partners {position_verb(top.position, 2)}: {top.partners} of the {total} who "
            "gave a position"
        )
    return (
        f"partners were divided, and the largest group, {top.partners} of {total}, "
        f"{position_verb(top.position, 2)}"
    )


def _summary_regional(assembly: _Assembly, voice: _Voice) -> list[Block]:
    answers = [a for a in assembly.evidence.answers if a.regional]
    if not answers:
        return []
    region = assembly.evidence.region or "the region"
    organisations = len({answer.organisation for answer in answers})
    asked = {answer.question_id for answer in answers}
    where = _where([q.fact for q in assembly.questions if q.fact.id in asked])
    blocks = [
        Block(kind="subheading", text=f"Points particular to {region}"),
        Block(
            kind="paragraph",
            text=f"{opening_count(organisations, 'partner')} wrote about the position in "
            f"{region} in particular, in answers to {where}.",
            answer_ids=sorted(answer.answer_id for answer in answers),
            partners=organisations,
        ),
    ]
    ranked = sorted(
        enumerate(assembly.regional_points), key=lambda item: (-item[1].group.partners, item[0])
    )
    chosen: list[_Point] = []
    heard: set[str] = set()
    for _, point in ranked:  # a spread of partners: nobody's second point before a new voice
        if point.own_figures:
            continue  # its words are one partner's figures, not the region's
        if len(chosen) < MAX_SUMMARY_REGIONAL_POINTS and not heard.issuperset(
            point.group.organisations
        ):
            chosen.append(point)
            heard.update(point.group.organisations)
    for point in chosen:
        text = _point_text(
            assembly, voice, point.group, point.said, where=_in_answer_to([point.question])
        )
        blocks.append(
            Block(
                kind="point",
                text=text,
                answer_ids=list(point.group.answer_ids),
                partners=point.group.partners,
            )
        )
    return blocks


# --- recommendations ----------------------------------------------------------------------

_REQUEST = re.compile(
    r"\b(?:we\s+(?:would\s+)?(?:also\s+)?(?:ask|urge|recommend|call|propose|suggest|want|like|"
    r"welcome)|(?:Home Office|Government|Rules|guidance|department|Executive|decision-makers|it)"
    r"\s+(?:should|must|needs? to))\b",
    re.IGNORECASE,
)


def _recommendations(assembly: _Assembly) -> Section:
    department = assembly.evidence.department or "the department"
    requests: list[Statement] = []
    question_of: dict[int, QuestionFact] = {}
    for question in assembly.questions:
        for answer in question.answers:
            question_of[answer.fact.answer_id] = question.fact
            for index in answer.content:
                sentence = answer.sentences[index]
                if _REQUEST.search(sentence) and _reportable(assembly, sentence):
                    fact = answer.fact
                    requests.append(Statement(fact.answer_id, fact.organisation, sentence, index))
    intro = f"The partnership asks the {department} to act on what partners asked for most often."
    blocks = [Block(kind="paragraph", text=intro)]
    groups = _told_in_turn(assembly, group_statements(requests), set())[:MAX_REQUESTS]
    if not groups:
        blocks.append(
            Block(kind="paragraph", text="Partners made no specific requests in their answers.")
        )
        return Section(key="recommendations", heading="Recommendations", blocks=blocks)
    blocks.append(
        Block(
            kind="paragraph",
            text="Each request below is given with the partners who made it.",
        )
    )
    voice = _Voice("recommendations", assembly.evidence.title)
    order = {question.fact.id: i for i, question in enumerate(assembly.questions)}
    for group in groups:
        chosen = _point_statement(assembly, group)
        said = assembly.speech.report(assembly.unnamed(chosen.text, chosen.answer_id))
        asked = {question_of[i].id: question_of[i] for i in group.answer_ids}
        where = _in_answer_to(sorted(asked.values(), key=lambda q: order[q.id]))
        text = _point_text(assembly, voice, group, said, where=where)
        blocks.append(
            Block(
                kind="point", text=text, answer_ids=list(group.answer_ids), partners=group.partners
            )
        )
    return Section(key="recommendations", heading="Recommendations", blocks=blocks)

"""What a question is about, in a few words, read from its own wording.

``topic`` gives a short noun phrase for headings and the contents ("Question 1: a minimum
income"); ``proposition`` gives what a closed question asks partners to agree to, as a clause
the partnership's position can take a side on ("a sponsor should have to show a minimum
income"). Both are plain rules on the question's first sentence: deterministic and offline.
Where no rule fits, ``topic`` shortens the sentence at a natural break and ``proposition`` is
empty (the position is then stated on "the proposal").
"""

from __future__ import annotations

import re

MAX_TOPIC_WORDS = 12

_FIRST_SENTENCE = re.compile(r"^(.+?[?.])(?:\s|$)", re.DOTALL)
_BRACKETS = re.compile(r"\s*\([^)]*\)")
# Where a noun phrase stops being the topic: a clause, a purpose, a comparison, a place.
_BREAK = re.compile(
    r"(?:,|;|:| so that | so | in order | rather than | such as | including | before | after |"
    r" when | where | which | who | whose | because | if | unless | in your | for your |"
    r" against | from | with no | instead of | and what | and how | and say )",
)
# A proposition keeps its own clauses ("before a partner can apply") and stops at a purpose.
_RELATIVE = frozenset({"who", "which", "whose", "where", "when"})
_CLAUSE_BREAK = re.compile(r"(?:,|;|:| so that | in order | rather than )")
# A short aside between two commas ("care that they cannot get, or afford, in their own
# country") is part of the clause, not where it ends.
_ASIDE = re.compile(r",( (?:or|and) [\w'-]+(?: [\w'-]+){0,2}),(?= \w)")
_KEPT_COMMA = "\x00"
MAX_PROPOSITION_WORDS = 40  # longer, and the position says "this proposal" instead
_PREPOSITION = re.compile(
    r"^(?:to|towards?|from|in|into|on|at|by|for|with|of|if|when|as|over|under|about|against)\b",
    re.IGNORECASE,
)
_PEOPLE = re.compile(
    r"\b(?:citizens?|persons?|people|partners?|spouses?|sponsors?|relatives?|applicants?|"
    r"families|family members|parents?|children|migrants?|refugees?|employers?|councils?|"
    r"workers?|students?|you)\b(?!['’])",
    re.IGNORECASE,
)
_AUTHORITY = re.compile(
    r"^(?:the )?(?:Immigration Rules|Rules|Home Office|Government|UK Government|department|"
    r"guidance|law)\b",
    re.IGNORECASE,
)
# "should have to show X", "should increase", "be removed": the verb after the subject.
_MODAL = re.compile(r"\b(?:should|must|will|would|could|can|ought to)\b")
_VERB_OBJECT = re.compile(
    r"^(?:only )?(?:have to |be required to |need to |be able to )?(?:\w+)(?: out| up)?\s+(.+)$"
)
_FRAMES = tuple(
    (re.compile(pattern, re.IGNORECASE), frame)
    for pattern, frame in (
        (r"^do you agree (?:that|with) (.+)$", "agree"),
        (r"^do you (?:support|think that|think|believe that) (.+)$", "agree"),
        (r"^should (.+)$", "should"),
        (
            r"^what (?:impact|effect)s? (?:would|will|do|does|might|could) .+? have on (.+)$",
            "impact",
        ),
        (r"^what evidence do you (?:hold|have) (?:on|of|about) (.+)$", "evidence"),
        (r"^do you have any other comments? (?:on|about) (.+)$", "other"),
        (r"^how should (.+)$", "how"),
        (r"^what (\w+) (?:do|does|would|will) (.+?) need(.*)$", "need"),
        (r"^what would (.+?) mean for (.+)$", "mean"),
    )
)
# fmt: off
_SUBJECT_ENDS = frozenset((
    "only", "be", "have", "pay", "set", "get", "come", "apply", "need", "show", "meet", "lose",
    "keep", "take", "make", "give", "receive", "count", "rise", "increase", "fall", "pay",
))
_TRAILING = frozenset((
    "a", "an", "the", "of", "to", "and", "or", "for", "in", "on", "at", "by", "with",
))
# fmt: on


def first_sentence(text: str) -> str:
    """Return the question's first sentence, brackets and trailing mark removed."""
    text = " ".join(text.split())
    found = _FIRST_SENTENCE.match(text)
    sentence = found.group(1) if found else text
    return _BRACKETS.sub("", sentence).rstrip("?.").strip()


def _noun_phrase(text: str) -> str:
    """Cut a phrase at its first clause break, and to at most ``MAX_TOPIC_WORDS`` words."""
    phrase = _BREAK.split(f" {text} ", maxsplit=1)[0].strip()
    cut = _BREAK.search(f" {text} ")
    if cut is not None and cut.group(0).strip() in _RELATIVE:
        # "the costs to local services of families [who ...]": the clause said which families;
        # "the number of families [who ...]" keeps them, or nothing would be left
        shorter = re.sub(r" (?:of|for|to|on) \w+$", "", phrase)
        phrase = shorter if len(shorter.split()) >= 4 else phrase
    if len(phrase.split()) > 5 and " of the " in phrase[phrase.find(" ", 8) :]:
        phrase = phrase[: phrase.index(" of the ", phrase.find(" ", 8))]
    words = phrase.split()
    if len(words) > MAX_TOPIC_WORDS:
        words = words[:MAX_TOPIC_WORDS]
        # Cut before the last "of", "with", "to" ... that fits, not inside its phrase.
        joins = [i for i, word in enumerate(words) if i >= 3 and word.lower() in _TRAILING]
        if joins:
            words = words[: joins[-1]]
        while words and words[-1].lower() in _TRAILING:
            words.pop()
    return " ".join(words)


def _subject_and_rest(clause: str) -> tuple[str, str]:
    """Split "a sponsor should have to show X" into ("a sponsor", "have to show X")."""
    found = _MODAL.search(clause)
    if found is None:
        return clause, ""
    return clause[: found.start()].strip(), clause[found.end() :].strip()


def _should_parts(rest: str) -> tuple[str, str]:
    """Split "the Immigration Rules set out X" (after "Should") into subject and predicate."""
    words = rest.split()
    if _AUTHORITY.match(rest):
        found = _AUTHORITY.match(rest)
        return rest[: found.end()], rest[found.end() :].strip()
    # The subject runs to the first word that reads as a verb after a noun.
    for i, word in enumerate(words[1:], start=1):
        if word.lower() in _SUBJECT_ENDS:
            return " ".join(words[:i]), " ".join(words[i:])
    return rest, ""


def _object_of(predicate: str) -> str:
    found = _VERB_OBJECT.match(predicate)
    if found is None or _PREPOSITION.match(found.group(1)):
        return ""
    return found.group(1)


def topic(question_text: str) -> str:
    """Return a short noun phrase for what the question is about; "" if there is no text."""
    sentence = first_sentence(question_text)
    if not sentence:
        return ""
    for pattern, frame in _FRAMES:
        found = pattern.match(sentence)
        if found is None:
            continue
        if frame in ("agree", "should"):
            if frame == "agree":
                subject, predicate = _subject_and_rest(found.group(1))
            else:
                subject, predicate = _should_parts(found.group(1))
            clause = f"{subject} should {predicate}" if predicate else subject
            subject = _noun_phrase(subject)
            thing = _noun_phrase(_object_of(predicate)) if predicate else ""
            if subject and not _is_people(subject) and not _AUTHORITY.match(subject):
                return subject
            if len(thing.split()) >= 2:
                return thing
            passive = re.match(r"^be (\w+ed|told|given|made|kept|paid|set)\b", predicate)
            if passive and subject:
                return _noun_phrase(f"{subject} being {predicate[3:]}")
            return subject or _noun_phrase(clause)
        if frame == "impact":
            return f"the impact on {_noun_phrase(found.group(1))}"
        if frame == "evidence":
            return _noun_phrase(found.group(1))
        if frame == "other":
            return f"other comments on {_noun_phrase(found.group(1))}"
        if frame == "how":
            subject, predicate = _should_parts(found.group(1))
            return _noun_phrase(f"how {subject} should {predicate}".strip())
        if frame == "need":
            return _noun_phrase(f"the {found.group(1)} {found.group(2)} need{found.group(3)}")
        if frame == "mean":
            return _noun_phrase(f"what {found.group(1)} would mean for {found.group(2)}")
    return _noun_phrase(sentence[:1].lower() + sentence[1:] if not _is_name(sentence) else sentence)


_HEAD_ENDS = re.compile(r" (?:for|of|to|with|in|on|from|at|by|about|against) ")


def _is_people(phrase: str) -> bool:
    """Say whether a phrase's head names people ("partners applying", "dependent relatives"),
    not "fees for children" or "a partner's job offer"."""
    head = _HEAD_ENDS.split(f" {phrase} ", maxsplit=1)[0].split()
    words = [w for w in head if w.lower() not in ("a", "an", "the")]
    return bool(words) and any(_PEOPLE.fullmatch(w) for w in (words[0], words[-1]))


def _is_name(sentence: str) -> bool:
    first = sentence.split(maxsplit=1)[0]
    return len(first) > 1 and (first.isupper() or any(c.isupper() for c in first[1:]))


def proposition(question_text: str) -> str:
    """Return the clause a closed question asks partners to agree to, or "" if none reads."""
    sentence = _ASIDE.sub(rf"{_KEPT_COMMA}\1{_KEPT_COMMA}", first_sentence(question_text))
    return _proposition(sentence).replace(_KEPT_COMMA, ",")


def _proposition(sentence: str) -> str:
    found = _FRAMES[0][0].match(sentence)
    if found is not None:
        clause = _CLAUSE_BREAK.split(f" {found.group(1)} ", maxsplit=1)[0].strip()
        return (
            clause if _MODAL.search(clause) and len(clause.split()) <= MAX_PROPOSITION_WORDS else ""
        )
    found = _FRAMES[2][0].match(sentence)
    if found is not None:
        subject, predicate = _should_parts(found.group(1))
        if predicate:
            clause = _CLAUSE_BREAK.split(f" {subject} should {predicate} ", maxsplit=1)[0].strip()
            return clause if len(clause.split()) <= MAX_PROPOSITION_WORDS else ""
    return ""

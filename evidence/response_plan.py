"""Decide where each answer starts in a partner's response, and which question it answers.

``Planner.plan`` takes the parts a response splits into at every possible start (markers, table
rows, quoted wording, numbers, headings; see ``evidence.response_items``) and decides, with the
whole document in view, what each one is: how the document marks its answers ("marked" with
"Question 3" or a response form; "numbers" that are question numbers; "sections" numbered in
the response's own way; "headings" only), which numbered paragraphs are lists inside an answer,
which headings are sub-headings of the answer above, and which parts can only be matched by
what they are about (``Planner.match_by_content``, once the parts are final). Each decision is
kept with its confidence and a reason in plain words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from evidence.likeness import (
    LIKELY,
    MARGIN,
    POSSIBLE,
    BestMatch,
    best_match,
    content_scores,
)
from evidence.parts import HIGH, LOW, MEDIUM
from evidence.response_items import (
    PARAGRAPH_MATCH,
    Questions,
    heading_level,
    shorten,
    word_count,
)
from evidence.response_parts import Part


def _plain_number(found: str) -> int | None:
    """Return the number of a bare "3." / "3)" as written, None for "3a" or "Q3"."""
    digits = found.strip().rstrip(".)")
    return int(digits) if digits.isdigit() else None


class _Scores:
    """How far each part is about each question, worked out only if something needs it.

    A response marked "Question 1", "Question 2" (or a spreadsheet of numbered rows) never
    does, and its 10,000 rows then cost no TF-IDF at all.
    """

    def __init__(self, parts: Sequence[Part], questions: Questions) -> None:
        self.parts, self.questions = parts, questions
        self.table = None
        self.best: list[BestMatch] = []

    def __getitem__(self, index: int) -> tuple[BestMatch, Sequence[float]]:
        if self.table is None:
            self.table = content_scores(
                [part.section() for part in self.parts], [q.text for q in self.questions.questions]
            )
            self.best = [best_match(row) for row in self.table]
        return self.best[index], self.table[index]


# --- Deciding what each part answers -------------------------------------------------------------


@dataclass
class _State:
    """Where the reading is: the question being answered, its heading level, an open list."""

    current: int | None = None
    level: int = 0
    list_open: bool = False
    answered: bool = False

    def start(self, question: int | None, level: int) -> None:
        self.current, self.level, self.list_open = question, level, False
        self.answered = self.answered or question is not None

    def leave(self) -> None:
        self.current, self.level, self.list_open = None, 0, False


def and_list(items: Sequence[str]) -> str:
    """Join words as a person would: "Q3", "Q3 and Q4", "Q3, Q4 and Q5"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def score_text(value: float) -> str:
    """Write a similarity score as the reasons show it: "0.41"."""
    return f"{value:.2f}"


_FIRST_ANSWERS = ("explicit", "row", "quoted", "numbered", "front")
_KEEP, _JOIN, _TAKEN = object(), object(), object()  # a part starts; joins the one before; was used


@dataclass
class Planner:
    """Decide, part by part with the whole document in view, what each part answers and why."""

    known: Questions
    has_headings: bool = False
    title_until: int = 0  # parts before this one come before any answer or section
    at: int = 0  # the part being decided
    paragraph_number: int = 0  # the last number of the response's own paragraphs in answers
    paragraph_answer: int | None = None  # the question whose answer that paragraph was in

    def number(self, index: int) -> str:
        return self.known.questions[index].number

    def names(self, indices: Sequence[int]) -> str:
        return and_list([self.number(i) for i in indices])

    def contradicts(self, match: BestMatch, row: Sequence[float], question: int) -> bool:
        return (
            match.index is not None
            and match.index != question
            and match.score >= LIKELY
            and match.score - float(row[question]) >= MARGIN
        )

    # -- the whole document --

    def plan(self, parts: list[Part]) -> list[Part]:
        scores = _Scores(parts, self.known)
        self.has_headings = any(
            p.start is not None and p.start.heading and p.kind != "explicit" for p in parts
        )
        mode = self.mode(parts, scores)
        # Headings before the first answer or section are the document's title and letterhead.
        self.title_until = next((i for i, p in enumerate(parts) if p.kind in _FIRST_ANSWERS), 0)
        state = _State()
        planned: list[Part] = []
        for index, part in enumerate(parts):
            self.at = index
            decided = self.decide(part, scores, mode, state, planned)
            if decided is _KEEP:
                planned.append(part)
            elif decided is _JOIN:
                self.merge(part, planned)
        return planned

    def mode(self, parts: Sequence[Part], scores: _Scores) -> str:
        """Say how this document marks its answers: "marked", "numbers", "sections", "headings"."""
        for part in parts:
            if part.kind in ("row", "quoted"):
                return "marked"
            if part.kind == "explicit" and any(
                self.known.index_of(n) is not None for n in part.start.numbers
            ):
                return "marked"
        agree = disagree = 0
        for index, part in enumerate(parts):
            if part.start is None or not part.start.numbers:
                continue
            match, row = scores[index]
            question = self.known.index_of(part.start.numbers[0])
            if part.kind == "front" or question is None:
                disagree += 1
            elif match.index == question and match.score >= POSSIBLE:
                agree += 1
            elif self.contradicts(match, row, question):
                disagree += 1
        if agree or disagree:
            return "numbers" if agree > disagree else "sections"
        numbered = any(part.kind == "numbered" for part in parts)
        return "numbers" if numbered else "headings"

    def merge(self, part: Part, planned: list[Part]) -> None:
        """Add a part that starts nothing to the part before it, as text: its block as written."""
        lines = list(part.lines)
        if part.start is not None:
            lines = [*part.start.block_lines, *part.lines[len(part.start.lines) :]]
        if not planned:
            planned.append(Part(None, lines, part.source))
            self.decide_before(planned[-1])
            return
        planned[-1].lines.extend(lines)

    # -- one part --

    def decide(self, part, scores: _Scores, mode: str, state: _State, planned) -> object:
        """Decide what a part answers: _KEEP it as a part, _JOIN it to the part before as text,
        or _TAKEN when the part before has already taken its lines (a quoted question, a
        subtitle)."""
        kind = part.kind
        if kind == "before" and part.after_table:
            part.confidence = MEDIUM
            part.why = (
                "after the table of answers, in none of its rows; left out unless you give it "
                "to a question"
            )
            state.leave()
            return _KEEP
        if kind == "before":
            self.decide_before(part)
            return _KEEP
        if kind == "paragraph":
            part.by_content = True
            return _KEEP
        if kind == "front":
            part.confidence = HIGH
            part.why = (
                f"'{part.start.found}' is about the response or its writer, not an answer; "
                "left out unless you give it to a question"
            )
            state.leave()
            return _KEEP
        if kind == "closing":
            return self.closing(part, state, planned)
        if kind == "explicit":
            return self.explicit(part, state, planned)
        if kind == "row":
            self.row(part, state)
            return _KEEP
        if kind == "quoted":
            return self.quoted(part, state, planned)
        if kind == "numbered":
            return self.numbered(part, *scores[self.at], mode, state, planned)
        return self.heading(part, *scores[self.at], mode, state, planned)

    def decide_before(self, part: Part) -> None:
        part.confidence = MEDIUM
        part.why = (
            "before the first answer (a letterhead or an introduction); left out unless you "
            "give it to a question"
        )

    def closing(self, part: Part, state: _State, planned: list[Part]) -> object:
        start = part.start
        previous = planned[-1] if planned else None
        if start.remark and not state.answered:
            return _JOIN  # "Thank you for the chance to respond" in the introduction
        if (
            (start.signature or start.remark)
            and previous is not None
            and previous.kind == "closing"
        ):
            return _JOIN  # the name under "Yours sincerely"
        if start.signature and not state.answered:
            return _JOIN  # a date or a name in the letterhead
        part.confidence = MEDIUM if start.remark else HIGH
        what = (
            "closing remarks"
            if start.remark
            else "a signature or date"
            if start.signature
            else "a sign-off"
        )
        part.why = (
            f"{what} ('{shorten(start.found)[:40]}') and what follows; left out unless you "
            "give it to a question"
        )
        state.leave()
        return _KEEP

    def explicit(self, part: Part, state: _State, planned: list[Part]) -> object:
        start = part.start
        found = [(n, self.known.index_of(n)) for n in start.numbers]
        matched = tuple(dict.fromkeys(i for _, i in found if i is not None))
        missing = [n for n, i in found if i is None]
        where = "heading" if start.heading else "marker"
        if not matched:
            part.confidence = LOW
            part.why = f"'{start.found}' is not a question of this consultation"
            part.by_content = True
            state.leave()
            return _KEEP
        part.questions, part.confidence = matched, HIGH
        if len(matched) > 1:
            several = "both" if len(matched) == 2 else f"all {len(matched)}"
            part.why = (
                f"{where} '{start.found}' names {self.names(matched)}: one answer for "
                f"{several}, proposed for each; choose one if it answers only one"
            )
        else:
            part.why = f"{where} '{start.found}' matches {self.names(matched)}"
        if missing:
            part.why += f"; {and_list(missing)} is not a question of this consultation"
        state.start(matched[-1], heading_level(start.block))
        return _KEEP

    def row(self, part: Part, state: _State) -> None:
        start = part.start
        matched = tuple(
            dict.fromkeys(
                i for i in (self.known.index_of(n) for n in start.numbers) if i is not None
            )
        )
        worded = start.quoted
        alike = f"({start.quoted_score:.0%} alike)"
        if matched and worded is not None and worded not in matched:
            part.questions, part.confidence = (worded,), MEDIUM
            part.why = (
                f"the table row is numbered '{start.found}' but its question column repeats the "
                f"wording of {self.number(worded)} {alike}; check which question it answers"
            )
        elif matched:
            part.questions, part.confidence = matched, HIGH
            part.why = f"the table row '{start.found}' matches {self.names(matched)}"
            if len(matched) > 1:
                part.why += ": one answer for several questions, proposed for each"
        elif worded is not None:
            part.questions = (worded,)
            part.confidence = HIGH if start.quoted_score >= PARAGRAPH_MATCH else MEDIUM
            part.why = (
                f"the table row's question column repeats the wording of {self.number(worded)} "
                f"{alike}"
            )
        else:
            part.confidence = LOW
            named = f"is numbered '{start.found}', not a question of this consultation"
            if not start.numbers:
                named = f"'{shorten(start.found)[:60]}' repeats no question's wording closely"
            part.why = f"the table row {named}"
            part.by_content = True
        state.start(part.questions[-1] if part.questions else None, 0)

    def quoted(self, part: Part, state: _State, planned: list[Part]) -> object:
        start = part.start
        question = start.quoted
        previous = planned[-1] if planned else None
        if (
            previous is not None
            and question in previous.questions
            and previous.kind in ("explicit", "numbered", "row")
            and len(previous.lines) <= 1
        ):
            # "Question 3" and then the question's wording: the answer follows the wording.
            previous.quoted = True
            if previous.lines and not previous.subtitle:
                previous.subtitle = previous.lines.pop(0)
            previous.lines.extend(part.lines)
            return _TAKEN
        part.questions = (question,)
        part.quoted = True
        numbered = start.numbers and self.known.index_of(start.numbers[0]) not in (None, question)
        part.confidence = HIGH if start.quoted_score >= PARAGRAPH_MATCH and not numbered else MEDIUM
        what = "heading" if start.heading else "paragraph"
        part.why = (
            f"the {what} repeats the wording of {self.number(question)} "
            f"({start.quoted_score:.0%} alike)"
        )
        if numbered:
            part.why += f", though it is numbered '{start.numbers[0]}'"
        state.start(question, heading_level(start.block))
        return _KEEP

    def numbered(self, part, match, row, mode: str, state: _State, planned) -> object:
        start = part.start
        number = start.numbers[0]
        question = self.known.index_of(number)
        label = f"'{start.found}.'" if start.found.isdigit() else f"'{start.found}'"
        if mode == "marked" and not start.heading:
            return self.in_sequence(part, question, label, state)
        if mode == "sections":
            if not start.heading and self.has_headings:
                return _JOIN  # the response's own paragraph numbers, inside a section
            part.by_content = True
            part.why = (
                f"numbered {label}, but the numbers in this response are its own, not the "
                "questions'"
            )
            state.leave()
            return _KEEP
        if (
            mode == "numbers"
            and not start.heading
            and state.current is not None
            and (question is None or question <= state.current or state.list_open)
        ):
            state.list_open = True
            return _JOIN  # a list inside the answer before it
        if question is None:
            part.by_content = True
            part.why = f"numbered {label}, which is not a question of this consultation"
            state.leave()
            return _KEEP
        what = "heading" if start.heading else "paragraph"
        if self.contradicts(match, row, question):
            part.questions, part.confidence = (match.index,), LOW
            part.why = (
                f"{what} {label} is numbered like {self.number(question)}, but its text is more "
                f"like {self.number(match.index)} ({score_text(match.score)} against "
                f"{score_text(float(row[question]))}); check which question it answers"
            )
        elif match.index == question and match.score >= POSSIBLE:
            part.questions = (question,)
            part.confidence = HIGH if start.heading else MEDIUM
            part.why = (
                f"{what} {label} is numbered like {self.number(question)} and its text is about "
                f"it ({score_text(match.score)})"
            )
        else:
            part.questions = (question,)
            part.confidence = MEDIUM if start.heading else LOW
            part.why = (
                f"{what} {label} is numbered like {self.number(question)}; nothing else says "
                "which question it answers, so check it"
            )
        state.start(part.questions[0], heading_level(start.block))
        return _KEEP

    def in_sequence(self, part: Part, question: int | None, label: str, state: _State) -> object:
        """A bare number after marked answers starts the next answer, or is a list item."""
        after = state.current
        moves_on = question is not None and after is not None and question > after
        topic = part.start.topic
        # After a list inside the answer, only a number alone or before a heading moves on:
        # "3. it would split families." is the list's third item.
        plain = not topic or (
            word_count(topic) <= 8
            and not topic.endswith((".", ",", ";", ":"))
            and not part.start.block.numbered
        )
        written = _plain_number(part.start.found)
        if (
            written is not None
            and written == self.paragraph_number + 1 > 1
            and self.paragraph_answer != after
            and not plain
        ):
            # "1.", "2." under Question 1, then "3. £25 covers ..." under Question 2: the
            # response numbers its paragraphs straight through, and this is its third paragraph,
            # not question 3.
            self.paragraph_number, self.paragraph_answer = written, after
            state.list_open = True
            return _JOIN
        if moves_on and (not state.list_open or plain):
            part.questions = (question,)
            part.confidence = MEDIUM if question == after + 1 else LOW
            part.why = (
                f"{label} follows the answer to {self.number(after)} in order; a plain number "
                "can also start a list inside an answer, so check where this part ends"
            )
            state.start(question, 0)
            return _KEEP
        state.list_open = True
        if written is not None:
            self.paragraph_number, self.paragraph_answer = written, after
        return _JOIN

    def heading(self, part, match, row, mode: str, state: _State, planned) -> object:
        start = part.start
        previous = planned[-1] if planned else None
        if self.at < self.title_until or (previous is not None and previous.kind == "closing"):
            return _JOIN  # a title or letterhead line; a name under a sign-off
        if (
            previous is not None
            and previous.kind in ("explicit", "numbered", "row", "quoted")
            and not previous.lines
            and not previous.subtitle
        ):
            previous.subtitle = start.topic
            previous.lines.extend(part.lines)
            return _TAKEN
        current = state.current
        level = heading_level(start.block)
        # A heading above the answers' own level ("Chapter 3" over "Question 4") opens a new
        # section; so does one with nothing under it before the next answer.
        above = bool(level and state.level and level < state.level)
        if current is not None and mode in ("marked", "numbers") and part.lines and not above:
            deeper = bool(level and state.level and level > state.level)
            elsewhere = self.contradicts(match, row, current)
            if deeper or not elsewhere:
                name = self.number(current)
                part.questions = (current,)
                part.lines.insert(0, start.topic)
                part.confidence = MEDIUM if deeper and not elsewhere else LOW
                kind = "sub-heading" if deeper else "heading"
                part.why = (
                    f"a {kind} inside the answer to {name} ('{start.found}'); kept with {name} "
                    "as a part of its own"
                )
                if elsewhere:
                    part.why += (
                        f", though its text reads more like {self.number(match.index)} "
                        f"({score_text(match.score)})"
                    )
                return _KEEP
        part.by_content = True
        part.subtitle = start.topic
        state.leave()
        return _KEEP

    # -- after the parts are final --

    def match_by_content(self, parts: list[Part]) -> None:
        if not any(part.by_content for part in parts):
            return
        scores = _Scores(parts, self.known)
        previous: Part | None = None
        for index, part in enumerate(parts):
            if part.by_content:
                self.by_content(part, *scores[index], previous)
            if part.lines or part.questions:
                previous = part

    def by_content(
        self, part: Part, match: BestMatch, row: Sequence[float], previous: Part | None
    ) -> None:
        # A marker naming no question of this consultation is matched by content only when its
        # text is clearly about one, and then as a guess; a table row's question column is the
        # question in other words, so a clear match is likely.
        fallback = part.kind == "explicit"
        lead = f"{part.why}; " if part.why else ""
        if match.index is None or match.score < POSSIBLE or (fallback and match.score < LIKELY):
            closest = (
                f" (closest {self.number(match.index)}, {score_text(match.score)})"
                if match.index is not None
                else ""
            )
            part.questions, part.confidence = (), LOW
            if fallback:
                part.why = f"{lead}its text is like no question either{closest}"
                return
            part.why = f"{lead}no marker, and its text is like no question{closest}"
            if (
                previous is not None
                and previous.questions
                and previous.kind in ("paragraph", "numbered")
                and part.kind in ("paragraph", "numbered")
            ):
                # A paragraph that says nothing a question names often goes on with the one
                # before: propose that, and say so.
                part.questions = previous.questions[:1]
                name = self.number(previous.questions[0])
                part.why += f"; it follows a paragraph about {name}, so it may go on with it"
            return
        part.questions = (match.index,)
        strong = match.score >= LIKELY and match.margin >= MARGIN and not fallback
        part.confidence = MEDIUM if strong else LOW
        similar = ("like" if part.kind == "row" else "similar to") if strong else "a little like"
        name = self.number(match.index)
        what = "its question column reads" if part.kind == "row" else "no marker; text"
        part.why = f"{lead}{what} {similar} {name} ({score_text(match.score)})"
        if match.margin < MARGIN and match.runner_up > 0:
            runner = sorted(range(len(row)), key=lambda i: -row[i])[1]
            part.why += (
                f", and nearly as like {self.number(runner)} ({score_text(match.runner_up)})"
            )

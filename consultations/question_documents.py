"""Find the questions in a consultation paper or response form (Word or PDF), read as blocks.

A question starts at one of these, in order of preference (the first kind the document has
is used, so that numbered guidance is not taken for questions):

1. its number in words: "Question 3: ...", "QUESTION 3" on its own line, "Q3." / "Q3:" / "Q3 ",
   "Q3a", a table row whose first cell is "Q3", "3" or "Question 3", or Word list numbering
   that shows "Question 3" (the number is in numbering.xml, not in the text);
2. bare numbers typed into the text ("3." / "3)"), taking the increasing runs that read like
   questions;
3. Word's own list numbers ("3." shown, not typed) in front of paragraphs that ask something,
   numbered as Word shows them;
4. as a last resort (calls for evidence): bulleted questions ending in "?", or the bullets
   after a paragraph inviting evidence ("We would welcome evidence on the following:"), each
   top-level bullet one question with its sub-bullets.

A question ends where it ends: at its "?" or its paragraph, unless the next paragraph finishes
its sentence, asks a further short question, or speaks to the respondent ("Please give
reasons."); answer boxes and tick boxes after it give its options. The paper's own prose
("The evidence behind this proposal is summarised in Appendix A.", "Response rate - 36
respondents") is never part of a question. Each question keeps the chapter it stands in as its
section; questions about the respondent ("About you") are set apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from consultations.documents import (
    BARE_START,
    EXPLICIT_START,
    NUMBER_LABEL,
    Block,
    is_part_heading,
    number_sort_key,
    question_number,
    tidy,
)
from consultations.question_text import (
    Notice,
    ParsedQuestion,
    asks_about_respondent,
    asks_explanation,
    asks_to_choose,
    choice_label,
    classify,
    clean_text,
    introduces_items,
    is_answer_prompt,
    is_follow_on_question,
    is_instruction,
    is_respondent_section,
    lettered_item,
    named_options,
    split_ticks,
    unfinished,
)


@dataclass(frozen=True)
class Found:
    """What a document gave: its questions, what to check, and the questions set apart."""

    questions: list[ParsedQuestion]
    notices: list[Notice]
    left_out: list[ParsedQuestion]


def find_questions(blocks: Iterable[Block]) -> Found:
    """Find the questions in a document's blocks, with their sections."""
    blocks = list(blocks)
    places = _places(blocks)
    starts = [_find_start(block) for block in blocks]
    chosen = _choose_starts(blocks, starts)
    drafts = _collect(blocks, starts, chosen, places)
    questions, notices, left_out = [], [], []
    for draft in drafts:
        question, notice = draft.finish()
        if notice is not None:
            notices.append(notice)
        if question is None:
            continue
        if draft.respondent or asks_about_respondent(question.text):
            left_out.append(question)
        else:
            questions.append(question)
    return Found(questions, notices, left_out)


# --- Sections -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    """Where a block stands: the chapter's heading, and whether it is in "About you"."""

    section: str
    respondent: bool


def _heading_level(block: Block, top: int) -> int | None:
    if block.heading_level is not None and block.heading_level >= 1:
        return block.heading_level
    text = block.text
    if not block.in_table and (is_part_heading(text) or is_respondent_section(text)):
        return top
    return None


def _chapter_level(blocks: list[Block]) -> int:
    """Return the heading level of the document's chapters: the highest that recurs."""
    counts: dict[int, int] = {}
    for block in blocks:
        if block.heading_level is not None and block.heading_level >= 1:
            counts[block.heading_level] = counts.get(block.heading_level, 0) + 1
    recurring = [level for level, count in counts.items() if count >= 2]
    return min(recurring or counts or [1])


def _places(blocks: list[Block]) -> list[_Place]:
    top = _chapter_level(blocks)
    section, respondent_level = "", None
    places = []
    for block in blocks:
        level = _heading_level(block, top)
        text = clean_text(block.text)
        if level is not None and text and not EXPLICIT_START.match(text):
            if is_respondent_section(text):
                respondent_level = level if respondent_level is None else respondent_level
            elif respondent_level is not None and level <= respondent_level:
                respondent_level = None
            if level <= top:
                section = text[:200]
        places.append(_Place(section, respondent_level is not None))
    return places


# --- Where questions start ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Start:
    """A block that may begin a question: how it is numbered and the lines that follow."""

    style: str  # "explicit", "bare", "list" (Word's numbers), "sub" (Word's (a), (b))
    number: str
    lines: tuple[str, ...]
    column: int | None = None  # a table's column that holds the question, when not the first


def _find_start(block: Block) -> _Start | None:
    """Say whether a block could begin a question, before deciding which numbering counts."""
    cells = block.filled_cells()
    if not cells:
        return None
    first, rest = cells[0], [line for cell in cells[1:] for line in cell]
    label = NUMBER_LABEL.match(tidy(" ".join(first)))
    if block.in_table and label:
        style = "explicit" if label.group("word") else "bare"
        return _Start(style, question_number(label), tuple(rest))
    if block.in_table and len(cells) > 1 and not EXPLICIT_START.match(first[0]):
        # A bilingual form: "Cwestiwn 1: ..." | "Question 1: ...": the question is in the
        # column that numbers it, and that column carries it on in the rows below.
        for column, cell in enumerate(block.cells):
            explicit = EXPLICIT_START.match(cell[0]) if cell else None
            if explicit:
                lines = (explicit["text"], *cell[1:])
                return _Start("explicit", question_number(explicit), lines, column)
    if block.in_table and len(cells) > 1 and _asked_again(cells[1:]):
        # "Question 1: ...?" | "Cwestiwn 1: ...?": the other column says it in another language.
        explicit = EXPLICIT_START.match(first[0])
        if explicit:
            lines = (explicit["text"], *first[1:])
            return _Start("explicit", question_number(explicit), lines, 0)
    line, more = first[0], (*first[1:], *rest)
    letter = _TYPED_LETTER.match(tidy(" ".join(first)) if block.in_table else line)
    if letter and (rest or line.rstrip().endswith("?")):
        # "(a) ...?" typed, or drawn in its own column as PDFs of Word lists are.
        words = letter.group("text") or ""
        return _Start("sub", letter.group("letter"), (words, *more) if words else tuple(rest))
    plain = None
    if block.numbered:
        found = _list_start(block, line, more)
        if found is not None and found.style != "plain":
            return found
        plain = found
    explicit = EXPLICIT_START.match(line)
    if explicit:
        return _Start("explicit", question_number(explicit), (explicit["text"], *more))
    bare = BARE_START.match(line)
    if bare and not block.heading:
        return _Start("bare", question_number(bare), (bare["text"], *more))
    return plain


_TYPED_LETTER = re.compile(r"^\((?P<letter>[a-z])\)\s*(?P<text>.*)$")


def _asked_again(cells: list[tuple[str, ...]]) -> bool:
    """Say whether another cell of a row asks a question of its own (a translation)."""
    return any(len(" ".join(cell).split()) >= 5 and "?" in " ".join(cell) for cell in cells)


def _list_start(block: Block, line: str, more: tuple[str, ...]) -> _Start | None:
    """Read the number Word shows in front of a list paragraph ("Question 3:", "3.", "(a)")."""
    explicit = EXPLICIT_START.match(f"{block.list_number} {line}")
    if explicit:
        return _Start("explicit", question_number(explicit), (explicit["text"], *more))
    asks = line.rstrip().endswith("?")
    label = NUMBER_LABEL.match(block.list_number)
    if label and block.list_level == 0 and asks:
        return _Start("list", question_number(label), (line, *more))
    letter = re.fullmatch(r"\(?([a-z])[.)]?", block.list_number)
    if letter and (block.list_level or 0) >= 1 and asks:
        return _Start("sub", letter.group(1), (line, *more))
    if label and block.list_level == 0 and not block.heading:
        # "6. If you have any related issues ..., please use this space:" ends many lists of
        # questions without a "?"; taken only where it carries on such a list.
        return _Start("plain", question_number(label), (line, *more))
    return None


def _choose_starts(blocks: list[Block], starts: list[_Start | None]) -> dict[int, str]:
    """Pick which blocks begin questions, and their numbers."""
    explicit = {i: s.number for i, s in enumerate(starts) if s and s.style == "explicit"}
    if explicit:
        return _with_sub_questions(explicit, starts)
    bare = _question_like_runs([(i, s) for i, s in enumerate(starts) if s and s.style == "bare"])
    if bare:
        return bare
    listed = {i: s.number for i, s in enumerate(starts) if s and s.style == "list"}
    if listed:
        return _with_sub_questions(_with_list_ends(blocks, starts, listed), starts)
    return _bullet_questions(blocks)


def _with_sub_questions(chosen: dict[int, str], starts: list[_Start | None]) -> dict[int, str]:
    """Number Word's lettered sub-items under a question: "(a)" under Q4 is Q4a."""
    numbered = dict(chosen)
    parent = ""
    for index, start in enumerate(starts):
        if index in chosen:
            parent = re.sub(r"[a-z]$", "", chosen[index])
        elif start is not None and start.style == "sub" and parent:
            numbered[index] = parent + start.number
    return numbered


_INVITES_ANSWER = re.compile(
    r"\b(?:please|your\s+views|tell\s+us|let\s+us\s+know|comments?)\b|:\s*$", re.IGNORECASE
)


def _with_list_ends(
    blocks: list[Block], starts: list[_Start | None], listed: dict[int, str]
) -> dict[int, str]:
    """Add the list items that carry on a list of questions without a "?" of their own.

    "5. We have asked a number of specific questions. If you have any related issues ...,
    please use this space to report them:" is the next question of the list before it; a
    numbered paragraph of guidance elsewhere, or one that asks for nothing, is not.
    """
    chosen = dict(listed)
    last = None
    for index, start in enumerate(starts):
        if index in chosen:
            last = index
        elif start is not None and start.style == "plain" and last is not None:
            between = blocks[last + 1 : index]
            if (
                _follows(chosen[last], start.number)
                and not any(block.numbered or block.heading for block in between)
                and _INVITES_ANSWER.search(start.lines[0])
            ):
                chosen[index] = start.number
                last = index
                continue
            last = None
        elif start is not None or blocks[index].heading:
            last = None
    return chosen


def _follows(previous: str, number: str) -> bool:
    (prev_major, prev_sub), (major, sub) = number_sort_key(previous), number_sort_key(number)
    return major == prev_major + 1 or (major == prev_major and sub > prev_sub)


def _question_like_runs(candidates: list[tuple[int, _Start]]) -> dict[int, str]:
    """Keep the increasing runs of bare numbers that read like questions.

    A run is kept when at least half its items contain "?"; when none do, the longest run of
    two or more is kept, for documents whose questions are phrased "Describe ...".
    """
    runs: list[list[tuple[int, _Start]]] = []
    for index, start in candidates:
        if runs and _follows(runs[-1][-1][1].number, start.number):
            runs[-1].append((index, start))
        else:
            runs.append([(index, start)])
    asking = [run for run in runs if 2 * sum("?" in " ".join(s.lines) for _, s in run) >= len(run)]
    if not asking:
        longest = max(runs, key=len, default=[])
        asking = [longest] if len(longest) >= 2 else []
    return {index: start.number for run in asking for index, start in run}


_INVITES_EVIDENCE = re.compile(
    r"\b(?:welcome|invite|seek|seeking|like\s+to\s+(?:hear|receive)|particularly\s+interested)"
    r"\b.*\b(?:evidence|views|submissions|comments|information)\b"
    r"|\b(?:evidence|views|submissions)\s+(?:on|about|addressing)\b.*\bfollowing\b"
    r"|\bterms\s+of\s+reference\b|\b(?:the\s+following|these)\s+(?:questions|issues|matters"
    r"|points|areas|themes)\b",
    re.IGNORECASE,
)


def _bullet_questions(blocks: list[Block]) -> dict[int, str]:
    """Take bullets as questions: those ending in "?", or those a paragraph invites evidence on.

    Sub-bullets (deeper list levels) stay with the bullet above them. Bullets ending in "?"
    count only two or more together: one such bullet in guidance is not a list of questions.
    """
    chosen: list[int] = []
    invited = False
    asking: list[int] = []  # a run of top-level bullets ending in "?"
    for index, block in enumerate(blocks):
        if not block.bullet:
            if block.text.strip():
                invited = bool(_INVITES_EVIDENCE.search(block.text)) or (invited and block.heading)
                chosen += asking if len(asking) >= 2 else []
                asking = []
            continue
        if (block.list_level or 0) >= 1:
            continue
        if invited:
            chosen.append(index)
        elif block.text.rstrip().endswith("?"):
            asking.append(index)
    chosen += asking if len(asking) >= 2 else []
    return {index: f"Q{count}" for count, index in enumerate(sorted(chosen), start=1)}


# --- Collecting each question's words -------------------------------------------------------

_TABLE_HEADERS = {
    "no",
    "number",
    "q",
    "ref",
    "question",
    "questions",
    "question text",
    "question number",
    "question no",
    "response",
    "your response",
    "answer",
    "your answer",
    "comments",
    "your comments",
}
_TEXT_HEADERS = {"question", "questions", "question text", "text", "wording"}


def _header_name(value: object) -> str:
    return re.sub(r"[^a-z0-9#]+", " ", str(value).lower()).strip()


def _is_table_header(block: Block) -> bool:
    """Say whether a table row is a form's header ("No." | "Question" | "Response")."""
    names = {_header_name(" ".join(cell)) for cell in block.filled_cells()}
    return block.in_table and bool(names & _TEXT_HEADERS) and names <= _TABLE_HEADERS


@dataclass
class _Draft:
    """A question being collected while the document is read."""

    number: str
    source: str
    section: str
    respondent: bool
    in_table: bool
    bulleted: bool = False
    parts: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    explain: bool = False
    answer_reached: bool = False
    listing: bool = False  # reading the items of a list the question introduced with ":"
    lettered: bool = False  # reading its "a) ...", "b) ..." items
    bullet_options: bool = False  # its options are the bullets under it ("• Yes", "• No, ...")
    column: int | None = None  # the table column it is read from (a bilingual form's English)

    @property
    def text(self) -> str:
        return " ".join(self.parts)

    def feed(self, line: str, *, prompt_allowed: bool = True, bullet: bool = False) -> None:
        text, options = split_ticks(line)
        text = tidy(text)
        choosing = self.bullet_options or (options and not text) or asks_to_choose(self.text)
        if bullet and self.parts and choosing:
            # "• Yes" "• No, it should be shorter": once a bullet is an answer, so are the rest.
            self.options.extend([choice_label(text)] if text else options)
            self.bullet_options = self.answer_reached = True
            return
        if text and not self.parts:
            # The first words after a number are the question, even "Please describe ...".
            self.parts.append(text)
        elif text and self.lettered and lettered_item(text) and asks_to_choose(self.text):
            # "Which of the following options do you prefer? a) Option 1 ... b) ...": choices.
            self.options.append(choice_label(lettered_item(text)))
        elif text and prompt_allowed and is_answer_prompt(text):
            self.answer_reached = True
            self.explain = self.explain or asks_explanation(text)
        elif text and not self.answer_reached:
            self.parts.append(text)
        elif text:
            self.explain = self.explain or asks_explanation(text)
        if options:
            self.options.extend(options)
            self.answer_reached = True

    def takes(self, block: Block) -> bool:
        """Say whether a block after the question's start still belongs to it."""
        lines = _continuation_lines(block)
        if not lines:
            return True
        if block.in_table and self.in_table:
            return True  # the rows of a response form's question: answer boxes and ticks
        if not self.parts:
            return not block.heading or not _starts_part(block)  # the wording after "Question 3"
        text = tidy(split_ticks(lines[0])[0])
        if not text or is_answer_prompt(text):
            return True  # tick boxes, "Comments:", "If not, why not?"
        if block.bullet and (self.bullet_options or asks_to_choose(self.text)):
            return True  # "• Charities" under "Which of the following ...? Tick all that apply."
        if self.answer_reached:
            # Under the boxes, "Why do you think this?" asks for the reasons: an answer prompt.
            return is_follow_on_question(text) and asks_explanation(text)
        if (
            lettered_item(text) is not None
            and not block.heading
            and (self.lettered or introduces_items(self.text) or asks_to_choose(self.text))
        ):
            self.lettered = True  # "a) Effective", "b) Timely": the items it announced
            return True
        if block.bullet and (self.listing or self.text.rstrip().endswith(":")):
            self.listing = True
            return True
        if self.bulleted and (block.list_level or 0) >= 1:
            return True  # a sub-bullet of an issue in a call for evidence
        so_far = named_options(self.text)[0]
        if unfinished(so_far) and not block.heading:
            # After "...:" comes the list it announces, not the paper's next paragraph.
            listed = block.bullet or block.numbered or lettered_item(text) is not None
            return not so_far.rstrip().endswith(":") or listed or len(text.split()) <= 8
        return (is_follow_on_question(text) or is_instruction(text)) and not block.heading

    def finish(self) -> tuple[ParsedQuestion | None, Notice | None]:
        text = clean_text(self.text)
        if self.bulleted:
            # "The effect of the fare cap on ...;" and "...; and": the list's joints, not words.
            text = re.sub(r"\s*[;,]\s*(?:and|or)?\s*$", "", text)
        if not text:
            message = "it has a number but no wording, so it was left out; add it by hand"
            return None, Notice(message, self.number, self.source)
        text, named = named_options(text)
        mark = text.rfind("?")
        label = _BOX_LABEL.match(text[mark + 1 :]) if mark > 0 else None
        if label:
            # "... suppliers? Comments:": the answer box's label, run into the question in a PDF.
            text, self.explain = text[: mark + 1], True
        kind, options, warning = classify(text, self.options or named, explain=self.explain)
        question = ParsedQuestion(self.number, text, kind, options, self.source, self.section)
        return question, Notice(warning, self.number, self.source) if warning else None


_BOX_LABEL = re.compile(
    r"^\s*(?:your\s+)?(?:comments?|responses?|answers?|reasons?|explanation)\s*:?\s*$", re.I
)


def _continuation_lines(block: Block) -> list[str]:
    cells = block.filled_cells()
    # A row of short single-line cells ("Yes" | "☐" | "No" | "☐") reads as one line.
    if len(cells) > 1 and all(len(cell) == 1 and len(cell[0]) <= 40 for cell in cells):
        return [" ".join(cell[0] for cell in cells)]
    return [line for cell in cells for line in cell]


def _starts_part(block: Block) -> bool:
    return is_part_heading(block.text) or is_respondent_section(block.text)


def _ends_question(block: Block, draft: _Draft) -> bool:
    cells = block.filled_cells()
    if not cells:
        return False
    if block.heading and draft.parts:
        return True
    return is_part_heading(cells[0][0]) or _is_table_header(block)


def _collect(
    blocks: list[Block],
    starts: list[_Start | None],
    chosen: dict[int, str],
    places: list[_Place],
) -> list[_Draft]:
    drafts: list[_Draft] = []
    current: _Draft | None = None
    for index, block in enumerate(blocks):
        if index in chosen:
            start = starts[index]
            place = places[index]
            current = _Draft(
                chosen[index],
                block.source,
                place.section,
                place.respondent,
                in_table=block.in_table,
                bulleted=start is None,
                column=start.column if start is not None else None,
            )
            drafts.append(current)
            lines = start.lines if start is not None else (block.text,)
            for line in lines:
                current.feed(line)
            continue
        if current is None:
            continue
        if _ends_question(block, current) or not current.takes(block):
            current = None
            continue
        lines = _continuation_lines(block)
        if current.column is not None and block.in_table and len(block.cells) > current.column:
            lines = list(block.cells[current.column])  # the same language's column
        for line in lines:
            current.feed(line, prompt_allowed=not block.bullet, bullet=block.bullet)
    return drafts

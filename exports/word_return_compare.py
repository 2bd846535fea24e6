"""Compare an edited copy with the version it came from, and with the newest, section by section.

The version the copy was made from is written again (``exports.word.build_document``) and read
with the same reader as the copy, so both sides are read alike whatever the generated wording;
the writer says which block of the draft each paragraph came from, so an edit goes back into the
block it was made in. A copy based on an older version is compared three ways: a section the
copy changed and the app changed too (since that version) is a conflict, shown side by side and
never overwritten without the officer's say.

Nothing here touches the database: drafts and copies in, reviews and drafts out.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace

from exports.draft_model import Block, Draft, Section
from exports.word import build_document, written_keys
from exports.word_marks import fingerprint
from exports.word_return_read import CopyComment, CopySection, EditedCopy, Piece, section_texts

UNCHANGED, CHANGED, DELETED, NEW = "unchanged", "changed", "deleted", "new"
ACCEPT, REVIEW = "accept", "review"  # the officer's choice: take the changes, or propose them
_QUOTES = ("“", "”", '"')
_DASH = "— "
_KINDS_BY_STYLE = {"ListBullet": "point", "Heading2": "subheading"}


@dataclass(frozen=True)
class BasePiece:
    """A paragraph or row as the workbench wrote it, and the block it came from (-1: heading)."""

    text: str
    block: int


@dataclass(frozen=True)
class SectionReview:
    """What the copy did to one section, and what the app did to it since the copy was made."""

    key: str
    heading: str
    status: str  # unchanged | changed | deleted | new
    insertions: int = 0  # changes still tracked in the copy
    deletions: int = 0
    lines: tuple[tuple[str, str], ...] = ()  # the version's text against the copy's: " ", "-", "+"
    marked: tuple[str, ...] = ()  # the copy's paragraphs with tracked changes shown
    comments: tuple[CopyComment, ...] = ()
    changed_in_app: bool = False  # since the version the copy was made from
    app_text: tuple[str, ...] = ()  # the newest version's text, for a side-by-side view
    copy_text: tuple[str, ...] = ()
    after: str | None = None  # a new section: the key of the section it follows
    moved: bool = False

    @property
    def conflict(self) -> bool:
        """Changed in the copy and in the app: the officer chooses, nothing is overwritten."""
        return self.changed_in_app and self.status in (CHANGED, DELETED)


@dataclass(frozen=True)
class CopyReview:
    """The whole comparison, as the upload page and the dry run show it."""

    consultation_id: int
    base_number: int
    latest_number: int
    sections: tuple[SectionReview, ...]
    unplaced_comments: tuple[CopyComment, ...]  # on the title page or contents
    sha256: str
    editors: tuple[str, ...]
    # How the copy's own version wrote the sections the copy changed, kept for ``apply_copy``.
    layouts: tuple[dict[str, list[BasePiece]], ...] = field(default=(), compare=False, repr=False)

    @property
    def stale(self) -> bool:
        return self.base_number != self.latest_number

    @property
    def conflicts(self) -> list[SectionReview]:
        return [s for s in self.sections if s.conflict]

    @property
    def changed(self) -> list[SectionReview]:
        return [s for s in self.sections if s.status != UNCHANGED]


def laid_out(draft: Draft, keys: Collection[str] | None = None) -> dict[str, list[BasePiece]]:
    """Return each written section's paragraphs and rows, with the block each came from.

    ``keys`` limits the writing to those sections: a section's text does not depend on the
    others, and writing a 5,000-row annex nobody changed would cost most of the comparison.
    """
    if keys is not None:
        draft = replace(draft, sections=[s for s in draft.sections if s.key in keys])
    _, written = build_document(draft)
    return {
        section.section.key: [
            BasePiece(text, block)
            for block, element in section.placed
            for text in section_texts([element])
        ]
        for section in written
    }


def review_copy(
    copy: EditedCopy,
    base: Draft,
    latest: Draft,
    *,
    base_number: int,
    latest_number: int,
) -> CopyReview:
    """Compare the copy with its base version, and with the newest version when it is older.

    A section whose text still has the fingerprint written into the copy is unchanged without
    writing it again; only the sections the copy changed are written and compared line by line.
    """
    keys = written_keys(base)
    untouched = {key for key in keys if _as_written(copy.section(key))}
    base_pieces = laid_out(base, set(keys) - untouched)
    in_app = _changed_in_app(base, latest, keys) if base_number != latest_number else set()
    conflicts = in_app - untouched
    app_pieces = laid_out(latest, conflicts) if conflicts else {}
    by_section: dict[str | None, list[CopyComment]] = {}
    for comment in copy.comments:
        by_section.setdefault(comment.section, []).append(comment)
    moved = _moved(keys, [s.key for s in copy.sections if s.key in keys])
    reviews = []
    for key in keys:
        found = copy.section(key)
        comments = tuple(by_section.get(key, ()))
        if key in untouched:
            reviews.append(
                _unchanged(key, base, found, comments, in_app=key in in_app, moved=key in moved)
            )
            continue
        reviews.append(
            _section_review(
                key,
                base,
                base_pieces.get(key, []),
                [p.text for p in app_pieces.get(key, [])],
                found,
                comments,
                in_app=key in in_app,
                moved=key in moved,
            )
        )
    for number, group in enumerate(copy.outside, 1):
        texts = tuple(p.text for p in group.pieces)
        reviews.append(
            SectionReview(
                key=f"new-{number}",
                heading=f"Added in the copy after '{_heading(base, group.after)}'"
                if group.after
                else "Added in the copy",
                status=NEW,
                insertions=group.insertions,
                deletions=group.deletions,
                lines=tuple(("+", text) for text in texts),
                marked=tuple(p.marked or p.text for p in group.pieces),
                copy_text=texts,
                after=group.after,
            )
        )
    for section in copy.sections:
        if section.key not in keys:  # a bookmark the version did not write
            texts = tuple(section.texts)
            reviews.append(
                SectionReview(
                    key=f"new-{section.key}",
                    heading=f"Added in the copy ({section.key})",
                    status=NEW,
                    lines=tuple(("+", text) for text in texts),
                    copy_text=texts,
                    after=None,
                )
            )
    return CopyReview(
        consultation_id=copy.identity.consultation_id,
        base_number=base_number,
        latest_number=latest_number,
        sections=tuple(reviews),
        unplaced_comments=tuple(by_section.get(None, ())),
        sha256=copy.sha256,
        editors=tuple(_editors(copy)),
        layouts=(base_pieces,),
    )


def _as_written(found: CopySection | None) -> bool:
    """Whether the copy's section still reads as the workbench wrote it (its fingerprint)."""
    return bool(found and found.pieces and found.written) and (
        fingerprint(found.texts) == found.written
    )


def _changed_in_app(base: Draft, latest: Draft, keys: Sequence[str]) -> set[str]:
    """The sections the newest version holds differently from the copy's own version."""
    newest = {s.key: s for s in latest.sections}
    return {key for key in keys if newest.get(key) != base.section(key)}


def _unchanged(
    key: str,
    base: Draft,
    found: CopySection | None,
    comments: tuple[CopyComment, ...],
    *,
    in_app: bool,
    moved: bool,
) -> SectionReview:
    texts = tuple(found.texts) if found else ()
    return SectionReview(
        key=key,
        heading=_heading(base, key),
        status=UNCHANGED,
        comments=comments,
        changed_in_app=in_app,
        copy_text=texts,
        moved=moved,
    )


def _section_review(
    key: str,
    base: Draft,
    pieces: list[BasePiece],
    app_text: list[str],
    found: CopySection | None,
    comments: tuple[CopyComment, ...],
    *,
    in_app: bool,
    moved: bool,
) -> SectionReview:
    before = [piece.text for piece in pieces]
    after = found.texts if found is not None else []
    if not after:
        status = DELETED
    elif after == before:
        status = UNCHANGED
    else:
        status = CHANGED
    return SectionReview(
        key=key,
        heading=_heading(base, key),
        status=status,
        insertions=found.insertions if found else 0,
        deletions=found.deletions if found else 0,
        lines=tuple(_diff(before, after)) if status != UNCHANGED else (),
        marked=tuple(p.marked or p.text for p in found.pieces) if found else (),
        comments=comments,
        changed_in_app=in_app,
        app_text=tuple(app_text),
        copy_text=tuple(after),
        moved=moved,
    )


def _heading(draft: Draft, key: str | None) -> str:
    try:
        return draft.section(key).heading if key else ""
    except KeyError:
        return key or ""


def _moved(before: list[str], after: list[str]) -> set[str]:
    """Sections the copy put in another order (those outside the longest run kept in order)."""
    kept = [k for k in before if k in after]
    matcher = difflib.SequenceMatcher(None, kept, after, autojunk=False)
    stayed = {
        kept[i]
        for block in matcher.get_matching_blocks()
        for i in range(block.a, block.a + block.size)
    }
    return set(after) - stayed


def _diff(before: list[str], after: list[str]) -> list[tuple[str, str]]:
    lines = []
    for line in difflib.ndiff(before, after):
        if line[0] in "+- ":
            lines.append((line[0], line[2:]))
    return lines


def _editors(copy: EditedCopy) -> list[str]:
    names = [a for a in copy.change_authors if a and a.casefold() != "unknown author"]
    names += [c.author for c in copy.comments if c.author and c.author != "someone"]
    names = list(dict.fromkeys(names))
    if not names and copy.last_modified_by:
        names = [copy.last_modified_by]
    return names


# --- Putting the copy's changes into a draft --------------------------------------------------


@dataclass
class _BlockEdit:
    texts: list[str | None] = field(default_factory=list)  # per piece: new text, None: deleted
    changed: bool = False


def apply_copy(
    review: CopyReview,
    copy: EditedCopy,
    base: Draft,
    latest: Draft,
    *,
    mode: str,
    take_copy: frozenset[str] = frozenset(),
) -> Draft:
    """Return the newest draft with the copy's changes: accepted, or proposed for review.

    ``take_copy`` names the conflicting sections where the officer chose the copy's text; in
    every other conflicting section the newest version's text stays and the copy's text is kept
    beside it as a block left out of the document, so nothing is lost.
    """
    changed = {s.key for s in review.sections if s.status in (CHANGED, DELETED)}
    base_pieces = review.layouts[0] if review.layouts else laid_out(base, changed)
    sections = list(latest.sections)
    for section_review in review.sections:
        key = section_review.key
        if section_review.status in (UNCHANGED, NEW):
            continue
        position = next((i for i, s in enumerate(sections) if s.key == key), None)
        if position is None:
            continue  # the section went from the app since: nothing to change
        if section_review.conflict and key not in take_copy:
            sections[position] = _kept_aside(sections[position], section_review)
            continue
        found = copy.section(key)
        pieces = found.pieces if found else []
        # Unchanged in the app, the newest section is the copy's own version's; changed there,
        # the officer chose the copy: its edits go onto the section it was made from.
        source = base.section(key) if section_review.conflict else sections[position]
        sections[position] = merge_section(source, base_pieces[key], pieces, mode=mode)
    for number, section_review in enumerate(review.sections):
        if section_review.status != NEW:
            continue
        added = _new_section(section_review, number, review.sha256, mode=mode)
        after = next(
            (i for i, s in enumerate(sections) if s.key == section_review.after), len(sections) - 1
        )
        sections.insert(after + 1, added)
    return replace(latest, sections=sections)


def merge_section(
    section: Section, base: list[BasePiece], pieces: list[Piece], *, mode: str
) -> Section:
    """Put the copy's paragraphs back into the section's blocks (``mode``: accept or review)."""
    edits: dict[int, _BlockEdit] = {}
    for piece in base:
        edits.setdefault(piece.block, _BlockEdit()).texts.append(piece.text)
    inserted: dict[int, list[Piece]] = {}
    cursor = {i: 0 for i in edits}
    owners = [piece.block for piece in base]
    slots = []  # (block, index within the block) of each base piece
    for block in owners:
        slots.append((block, cursor[block]))
        cursor[block] += 1
    matcher = difflib.SequenceMatcher(
        None, [p.text for p in base], [p.text for p in pieces], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            block, index = slots[i1 + k]
            edits[block].texts[index] = pieces[j1 + k].text
            edits[block].changed = True
        for i in range(i1 + paired, i2):
            block, index = slots[i]
            edits[block].texts[index] = None
            edits[block].changed = True
        anchor = owners[i2 - 1] if i2 > 0 else -1
        inserted.setdefault(anchor, []).extend(pieces[j1 + paired : j2])
    heading = section.heading
    if -1 in edits and edits[-1].changed and mode == ACCEPT:
        heading = next((t for t in edits[-1].texts if t), heading)
    blocks: list[Block] = []
    blocks.extend(_added_blocks(inserted.get(-1, []), mode=mode))
    for index, block in enumerate(section.blocks):
        edit = edits.get(index)
        if edit is None or not edit.changed:
            blocks.append(block)
        else:
            blocks.extend(_edited_block(block, edit, mode=mode))
        added = inserted.get(index, [])
        if added and block.kind == "table" and all(p.kind == "row" for p in added):
            rows = [list(p.cells) for p in added]
            blocks[-1] = replace(blocks[-1], rows=[*blocks[-1].rows, *rows])
        else:
            blocks.extend(_added_blocks(added, mode=mode))
    return replace(section, heading=heading, blocks=blocks)


def _edited_block(block: Block, edit: _BlockEdit, *, mode: str) -> list[Block]:
    kept = [text for text in edit.texts if text is not None]
    if block.kind == "table":
        rows = [row.split(" | ") for row in kept]
        proposed = replace(block, rows=rows) if rows else replace(block, included=False)
    elif not kept:
        proposed = replace(block, included=False)
    else:
        proposed = _with_text(block, kept)
    if mode == ACCEPT:
        return [proposed]
    # Left for review: the block stays as it was, the proposal follows it, left out of the
    # document until the officer includes it.
    if not proposed.included:
        return [block]
    return [block, replace(proposed, included=False, answer_ids=list(block.answer_ids))]


def _with_text(block: Block, kept: list[str]) -> Block:
    if block.kind == "quote":
        words = kept[0]
        if not block.text.startswith(_QUOTES) and words.startswith("“") and words.endswith("”"):
            words = words[1:-1]
        attribution = block.attribution
        if len(kept) > 1:
            attribution = kept[1].removeprefix(_DASH).strip()
        elif block.attribution:
            attribution = ""
        return replace(block, text=words, attribution=attribution)
    if block.kind == "figure" and block.attribution:
        words = kept[0]
        suffix = f" {_DASH}{block.attribution}"
        if words.endswith(suffix):
            return replace(block, text=words[: -len(suffix)])
        text, _, attribution = words.rpartition(f" {_DASH}")
        return replace(block, text=text or words, attribution=attribution if text else "")
    if block.kind == "paragraph":
        return replace(block, text="\n\n".join(kept))
    return replace(block, text=" ".join(kept))


def _added_blocks(pieces: list[Piece], *, mode: str) -> list[Block]:
    return [
        Block(
            kind=_KINDS_BY_STYLE.get(piece.style, "paragraph"),
            text=piece.text,
            included=mode == ACCEPT,
        )
        for piece in pieces
    ]


def _kept_aside(section: Section, review: SectionReview) -> Section:
    """The newest section as it is, with the copy's text kept beside it, left out."""
    text = "\n".join(review.copy_text) or "(the copy deleted this section)"
    aside = Block(
        kind="paragraph", text=f"From the Word copy, not applied:\n{text}", included=False
    )
    return replace(section, blocks=[*section.blocks, aside])


def _new_section(review: SectionReview, number: int, sha256: str, *, mode: str) -> Section:
    texts = list(review.copy_text)
    heading = "Added in Word"
    return Section(
        key=f"word-{sha256[:8]}-{number}",
        heading=heading,
        blocks=[Block(kind="paragraph", text=text, included=mode == ACCEPT) for text in texts],
    )

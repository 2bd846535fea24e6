"""The draft in Word, and back: an edited copy of the .docx comes back as a new version.

The .docx carries the consultation, the version and each section's bookmark
(``exports.word_marks``); an edited copy is read (``exports.word_return_read``), compared with
its version and the newest (``exports.word_return_compare``), shown to the officer, and on
confirmation saved as the next version, "edited in Word by ...", with the file's SHA-256 kept.
The officer chooses to accept the changes or to leave them for review (proposed blocks, left out
of the document until included, and a comment on each section saying what the copy changed);
the copy's comments become section comments. A board member's copy becomes their comments on
the version in review. The board's comments made in the app go out as Word comments.

Dry run, without the database: ``python -m exports.word_return FILE`` prints one JSON line per
section (``{"section": key, "status": "unchanged|changed|deleted|new", "insertions": N,
"deletions": N, "comments": [{"author": ..., "text": ...}]}``), what the copy says it is on
standard error, and exits with status 2 and the reason when it refuses the file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.access import allowed, require
from consultations.audit import record_event
from consultations.consultation import get_consultation
from consultations.dates import plain_datetime
from consultations.demo_guard import IDENTITY
from consultations.errors import WorkbenchError
from consultations.files import FILE_TYPES, check_file, check_opens
from consultations.models import Meta, User
from consultations.words import counted
from exports.approval import MAX_COMMENT, add_comment
from exports.board_view import readable_draft
from exports.draft_model import Draft
from exports.drafts import _next_number, _save
from exports.models import DraftVersion, SectionComment, latest_version, version_by_number
from exports.word import write_docx
from exports.word_marks import DocumentIdentity, WordComment
from exports.word_return_compare import (
    ACCEPT,
    CHANGED,
    DELETED,
    NEW,
    REVIEW,
    UNCHANGED,
    CopyReview,
    SectionReview,
    apply_copy,
    review_copy,
)
from exports.word_return_read import CopyComment, EditedCopy, read_copy, written_fingerprint

_SUBJECT = "The edited copy"
MODES = {
    ACCEPT: "Accept the changes in the new version",
    REVIEW: "Leave the changes for review (proposed, not yet in the document)",
}


@dataclass(frozen=True)
class ReadCopy:
    """An uploaded copy, read and compared; what the upload page shows."""

    copy: EditedCopy
    review: CopyReview


# --- Out: the .docx with its identity and the board's comments -------------------------------


def draft_docx(session: Session, actor: User, consultation_id: int, number: int) -> bytes:
    """Return a version as .docx carrying its identity and the board's comments on it."""
    require(actor, "draft.read")
    draft = readable_draft(session, actor, consultation_id, number)  # board: versions sent
    consultation = get_consultation(session, consultation_id)
    identity = DocumentIdentity(
        consultation_id, consultation.reference or "", number, _database(session)
    )
    comments = board_comments(session, consultation_id, number)
    return write_docx(draft, identity=identity, comments=comments)


def board_comments(session: Session, consultation_id: int, number: int) -> list[WordComment]:
    """The comments to write into version ``number``: those on it, and earlier open ones."""
    rows = session.execute(
        select(SectionComment, DraftVersion.number)
        .join(DraftVersion, SectionComment.draft_version_id == DraftVersion.id)
        .where(SectionComment.consultation_id == consultation_id, DraftVersion.number <= number)
        .order_by(SectionComment.created_at, SectionComment.id)
    ).all()
    return [
        WordComment(
            section_key=comment.section_key,
            author=comment.member.name if comment.member else "Board member",
            text=comment.text,
            written_at=comment.created_at,
        )
        for comment, on in rows
        if on == number or comment.addressed_at is None
    ]


# --- In: reading and comparing an upload -----------------------------------------------------


def check_copy(filename: str, data: bytes, *, max_bytes: int) -> None:
    """Refuse an upload that is not a safe .docx (size, type, zip bomb) before reading it."""
    check_file(filename, data, accepted=(".docx",), max_bytes=max_bytes, subject=_SUBJECT)
    check_opens(data, FILE_TYPES["docx"], subject=_SUBJECT)


def read_upload(session: Session, actor: User, consultation_id: int, data: bytes) -> ReadCopy:
    """Read an uploaded copy and compare it with its version and the newest one.

    A board member's copy is compared with its own version only: the board reads the versions
    sent to it, not the officer's later work.
    """
    require(actor, "draft.read")
    copy = read_copy(data)
    consultation = get_consultation(session, consultation_id)
    _refuse_other(copy, consultation_id, consultation.reference or "", _database(session))
    newest = latest_version(session, consultation_id)
    number = copy.identity.version
    if newest is None or number > newest.number:
        raise WorkbenchError(
            f"This copy says it is version {number} of the draft, which this "
            "consultation does not have. Upload a copy downloaded from this consultation's draft."
        )
    base = readable_draft(session, actor, consultation_id, number)
    if allowed(actor, "draft.edit"):
        latest, latest_number = Draft.from_json(newest.content), newest.number
    else:
        latest, latest_number = base, number
    review = review_copy(copy, base, latest, base_number=number, latest_number=latest_number)
    return ReadCopy(copy, review)


def _database(session: Session) -> str:
    kept = session.get(Meta, IDENTITY)
    return kept.value if kept else ""


def _refuse_other(copy: EditedCopy, consultation_id: int, reference: str, database: str) -> None:
    """Refuse a copy from another workbench's database, or of another consultation.

    Where both the copy and this database carry the database's identity, the consultation's id
    decides, and a reference edited since the download does not matter; otherwise the reference
    must match too (a copy from the demo could carry a real consultation's id).
    """
    identity = copy.identity
    if identity.database and database and identity.database != database:
        raise WorkbenchError(
            "This copy comes from another workbench (another database, such as the demo's), so "
            "it cannot be saved here. Upload a copy downloaded from this workbench."
        )
    known = bool(identity.database and database)
    same_reference = " ".join(reference.split())[:200] == identity.reference
    if identity.consultation_id == consultation_id and (known or same_reference):
        return
    named = f" (reference {identity.reference})" if identity.reference else ""
    raise WorkbenchError(
        f"This copy is of another consultation's draft{named}, not this one's. Choose that "
        "consultation first, or upload a copy of this consultation's draft."
    )


# --- Saving ----------------------------------------------------------------------------------


def save_edited_copy(
    session: Session,
    actor: User,
    consultation_id: int,
    data: bytes,
    *,
    mode: str,
    now: datetime,
    take_copy: Sequence[str] = (),
) -> DraftVersion:
    """Save an officer's edited copy as the next version; its comments become section comments.

    Read and compared again here, under the draft's lock: a version saved by someone else since
    the officer looked is taken into account, never overwritten.
    """
    require(actor, "draft.edit")
    if mode not in MODES:
        raise WorkbenchError("Choose whether to accept the changes or leave them for review.")
    number = _next_number(session, consultation_id)  # takes the draft's lock
    read = read_upload(session, actor, consultation_id, data)
    _refuse_saved_before(session, consultation_id, read.copy.sha256)
    review = read.review
    unresolved = [s.heading for s in review.conflicts if s.key not in take_copy]
    base = Draft.from_json(version_by_number(session, consultation_id, review.base_number).content)
    newest = Draft.from_json(version_by_number(session, consultation_id, number - 1).content)
    draft = apply_copy(review, read.copy, base, newest, mode=mode, take_copy=frozenset(take_copy))
    editors = ", ".join(review.editors) or actor.name
    comments = _new_comments(
        session, consultation_id, read, draft, editors, suggestions=mode == REVIEW
    )
    if not review.changed and not comments:
        raise WorkbenchError(
            "This copy has no changes or comments that are not already in the workbench, so "
            "no new version was made."
        )
    note = f"Edited in Word by {editors}"
    if unresolved:
        note += f"; kept the app's text of {counted(len(unresolved), 'section')} changed since"
    saved = _save(
        session,
        actor,
        consultation_id,
        number,
        draft,
        now=now,
        note=note[:500],
        change="word",
    )
    saved.word_sha256 = read.copy.sha256
    _add_section_comments(session, actor, consultation_id, saved, draft, comments, now)
    session.flush()
    return saved


def save_board_copy(
    session: Session, actor: User, consultation_id: int, data: bytes, *, now: datetime
) -> int:
    """Save a board member's copy as their comments on the version in review; return how many."""
    require(actor, "draft.review")
    read = read_upload(session, actor, consultation_id, data)
    number = read.review.base_number
    draft = Draft.from_json(version_by_number(session, consultation_id, number).content)
    editors = ", ".join(read.review.editors) or actor.name
    texts = _new_comments(session, consultation_id, read, draft, editors, suggestions=True)
    if not texts:
        raise WorkbenchError(
            "This copy has no comments or changes that are not already in the workbench."
        )
    for key, text in texts:
        add_comment(
            session, actor, consultation_id, number=number, section_key=key, text=text, now=now
        )
    return len(texts)


def _refuse_saved_before(session: Session, consultation_id: int, sha256: str) -> None:
    earlier = session.scalar(
        select(DraftVersion).where(
            DraftVersion.consultation_id == consultation_id, DraftVersion.word_sha256 == sha256
        )
    )
    if earlier is not None:
        raise WorkbenchError(
            f"This copy was already saved as version {earlier.number} "
            f"({plain_datetime(earlier.created_at)}). Nothing was saved again."
        )


def _comment_text(comment: CopyComment) -> str:
    when = f", {plain_datetime(comment.written_at)}" if comment.written_at else ""
    covered = comment.covered if len(comment.covered) <= 200 else comment.covered[:199] + "…"
    on = f" on “{covered}”" if covered else ""
    return _limited(f"{comment.text}\n— {comment.author} in Word{when}{on}")


def _suggestion_text(section: SectionReview, editors: str) -> str:
    said = {CHANGED: "changed", DELETED: "deleted", NEW: "added"}[section.status]
    lines = [
        f"− {text}" if mark == "-" else f"+ {text}" for mark, text in section.lines if mark != " "
    ]
    return _limited(f"The Word copy ({editors}) {said} this section:\n" + "\n".join(lines))


def _limited(text: str) -> str:
    return text if len(text) <= MAX_COMMENT else text[: MAX_COMMENT - 1] + "…"


def _comment_key(comment: CopyComment, draft: Draft) -> str:
    keys = [s.key for s in draft.sections]
    if comment.section in keys:
        return comment.section
    return "cover" if "cover" in keys else keys[0]


def _review_key(section: SectionReview, draft: Draft) -> str:
    keys = [s.key for s in draft.sections]
    if section.key in keys:
        return section.key
    if section.after in keys:
        return section.after
    return keys[-1]


def _plain(text: str) -> str:
    return " ".join(text.split())


def _new_comments(
    session: Session,
    consultation_id: int,
    read: ReadCopy,
    draft: Draft,
    editors: str,
    *,
    suggestions: bool,
) -> list[tuple[str, str]]:
    """The comments to add, as (section key, text): the copy's, and what it changed if asked.

    A comment the app wrote into the .docx comes back in every copy: one whose words are
    already a comment here is left out, and so is the same comment twice.
    """
    existing = {
        _plain(text)
        for text in session.scalars(
            select(SectionComment.text).where(SectionComment.consultation_id == consultation_id)
        )
    }
    found = []
    for comment in read.copy.comments:
        text = _comment_text(comment)
        if {_plain(comment.text), _plain(text)} & existing:
            continue
        existing.add(_plain(text))
        found.append((_comment_key(comment, draft), text))
    if suggestions:
        for section in read.review.changed:
            text = _suggestion_text(section, editors)
            if _plain(text) not in existing:
                found.append((_review_key(section, draft), text))
    return found


def _add_section_comments(session, actor, consultation_id, saved, draft, items, now) -> None:
    headings = {s.key: s.heading for s in draft.sections}
    for key, text in items:
        comment = SectionComment(
            consultation_id=consultation_id,
            draft_version_id=saved.id,
            member_id=actor.id,
            section_key=key,
            section_heading=headings.get(key, "")[:300],
            text=text,
            created_at=now,
        )
        session.add(comment)
        session.flush()
        record_event(
            session,
            actor=actor,
            action="review.commented",
            object_type="section comment",
            object_id=comment.id,
            consultation_id=consultation_id,
            detail={"number": saved.number, "section": key, "from": "Word copy"},
            now=now,
        )


# --- The dry run -----------------------------------------------------------------------------


def dry_run(data: bytes) -> list[dict]:
    """What an edited copy holds, section by section, read without the database."""
    copy = read_copy(data)
    lines = []
    for section in copy.sections:
        if not section.pieces:
            status = DELETED
        elif section.written and written_fingerprint(section) == section.written:
            status = UNCHANGED
        else:
            status = CHANGED
        lines.append(_line(section.key, status, section.insertions, section.deletions, copy))
    for number, group in enumerate(copy.outside, 1):
        line = _line(f"new-{number}", NEW, group.insertions, group.deletions, copy)
        line["after"] = group.after
        line["text"] = [piece.text for piece in group.pieces]
        lines.append(line)
    return lines


def _line(key: str, status: str, insertions: int, deletions: int, copy: EditedCopy) -> dict:
    return {
        "section": key,
        "status": status,
        "insertions": insertions,
        "deletions": deletions,
        "comments": [
            {"author": c.author, "text": c.text} for c in copy.comments if c.section == key
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Print what an edited copy holds as JSON lines; exit 2 with the reason if refused."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("Usage: python -m exports.word_return FILE.docx", file=sys.stderr)
        return 2
    try:
        data = Path(args[0]).read_bytes()
        copy = read_copy(data)
        lines = dry_run(data)
    except (OSError, WorkbenchError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    identity = copy.identity
    print(
        f"Consultation {identity.consultation_id} ({identity.reference or 'no reference'}), "
        f"version {identity.version}; {len(copy.comments)} comments",
        file=sys.stderr,
    )
    for line in lines:
        print(json.dumps(line, ensure_ascii=False))
    return 0


__all__ = [
    "ACCEPT",
    "MODES",
    "REVIEW",
    "UNCHANGED",
    "ReadCopy",
    "board_comments",
    "check_copy",
    "draft_docx",
    "dry_run",
    "read_upload",
    "save_board_copy",
    "save_edited_copy",
]

if __name__ == "__main__":
    sys.exit(main())

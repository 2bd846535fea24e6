"""The files the draft page's download buttons give, and the same files from the command line.

    python -m exports.export --consultation REFERENCE --what draft|annex|answers|sharing
                             --out FILE [--version N] [--demo]

``draft``: a version of the draft as Word (the newest unless ``--version``); ``annex``: that
version's annex as a Word document of its own; ``answers``: the officer's workbook of every
submitted answer; ``sharing``: the workbook for sharing (every organisation numbered, no words
of a partner who asked not to be named). ``--demo`` reads the demo database instead of the real
one. The command reads as the first active officer account and writes nothing to the database.
The page and the command call the same functions here, so they give the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.dates import uk_today
from consultations.db import make_engine, read_scope
from consultations.errors import WorkbenchError
from consultations.file_names import download_name
from consultations.files import FILE_TYPES
from consultations.models import Consultation, User
from consultations.settings import Settings, load_settings
from evidence.analysis import partnership_evidence
from evidence.consent import Policy
from evidence.facts import Evidence
from exports.annex import annex_document
from exports.draft_model import Draft
from exports.excel import write_answers_xlsx
from exports.models import latest_version, version_by_number
from exports.word import write_docx
from exports.word_return import draft_docx

WHATS = ("draft", "annex", "answers", "sharing")
DOCX = FILE_TYPES["docx"].media_type
XLSX = FILE_TYPES["xlsx"].media_type


@dataclass(frozen=True)
class Export:
    """One file to hand over: its name, type and bytes."""

    file_name: str
    media_type: str
    content: bytes


def file_name(title: str, what: str, number: int | None = None) -> str:
    """The name each download gets: "family-migration-draft-v3.docx", "...-answers.xlsx"
    (``consultations.file_names``, the rule for every download)."""
    names = {
        "draft": (("draft", f"v{number}"), "docx"),
        "annex": (("annex", f"v{number}"), "docx"),
        "answers": (("answers",), "xlsx"),
        "sharing": (("answers", "anonymised"), "xlsx"),
    }
    what_it_is, extension = names[what]
    return download_name(title, *what_it_is, extension=extension)


def draft_file(draft: Draft, number: int) -> Export:
    """The version as Word, as it reads (with its annex only if the version holds it in)."""
    return Export(file_name(draft.title, "draft", number), DOCX, write_docx(draft))


def annex_file(draft: Draft, number: int) -> Export:
    """The version's annex as a Word document of its own."""
    return Export(file_name(draft.title, "annex", number), DOCX, write_docx(annex_document(draft)))


def answers_file(evidence: Evidence, *, sharing: bool) -> Export:
    """The officer's workbook of every submitted answer, or the copy for sharing."""
    content = write_answers_xlsx(
        evidence.answers,
        themes=evidence.themes,
        questions=evidence.questions,
        policy=Policy.of(evidence.answers, reference=evidence.reference),
        sharing=sharing,
    )
    return Export(file_name(evidence.title, "sharing" if sharing else "answers"), XLSX, content)


def export_file(
    session: Session,
    actor: User,
    consultation_id: int,
    what: str,
    *,
    number: int | None = None,
    today: date,
    settings: Settings,
) -> Export:
    """Make one of the files: a version's draft or annex, or one of the two workbooks."""
    require(actor, "draft.edit")
    if what not in WHATS:
        raise WorkbenchError(f"'{what}' is not something to export: {', '.join(WHATS)}.")
    if what in ("answers", "sharing"):
        evidence = partnership_evidence(
            session, actor, consultation_id, today=today, settings=settings
        )
        return answers_file(evidence, sharing=what == "sharing")
    saved = (
        version_by_number(session, consultation_id, number)
        if number is not None
        else latest_version(session, consultation_id)
    )
    if saved is None:
        raise WorkbenchError("This consultation has no draft yet: assemble it on the Draft page.")
    draft = Draft.from_json(saved.content)
    if what == "draft":  # as the page gives it: with its identity and the board's comments
        content = draft_docx(session, actor, consultation_id, saved.number)
        return Export(file_name(draft.title, "draft", saved.number), DOCX, content)
    return annex_file(draft, saved.number)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit status (2 with a message when it cannot)."""
    parser = argparse.ArgumentParser(prog="python -m exports.export", description=__doc__)
    parser.add_argument("--consultation", required=True, help="the consultation's reference")
    parser.add_argument("--what", required=True, choices=WHATS)
    parser.add_argument("--out", required=True, type=Path, help="the file to write")
    parser.add_argument("--version", type=int, default=None, help="a draft version's number")
    parser.add_argument("--demo", action="store_true", help="read the demo database")
    arguments = parser.parse_args(argv)
    try:
        made = _export_as_operator(arguments)
    except WorkbenchError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    arguments.out.write_bytes(made.content)
    print(
        f"Wrote {arguments.out} ({len(made.content):,} bytes; the page names it {made.file_name})."
    )
    return 0


def _export_as_operator(arguments: argparse.Namespace) -> Export:
    settings = load_settings()
    url = settings.demo_database_url if arguments.demo else settings.database_url
    engine = make_engine(url)
    try:
        with read_scope(engine) as session:
            found = list(
                session.scalars(
                    select(Consultation).where(Consultation.reference == arguments.consultation)
                )
            )
            if len(found) != 1:
                how = "No consultation has" if not found else f"{len(found)} consultations have"
                raise WorkbenchError(
                    f"{how} the reference '{arguments.consultation}'. Give the reference shown "
                    "on the consultation's 'Details and stage' page."
                )
            officer = session.scalar(
                select(User).where(User.role == "officer", User.active).order_by(User.id).limit(1)
            )
            if officer is None:
                raise WorkbenchError("There is no active officer account to export as.")
            return export_file(
                session,
                officer,
                found[0].id,
                arguments.what,
                number=arguments.version,
                today=uk_today(),
                settings=settings,
            )
    finally:
        engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())

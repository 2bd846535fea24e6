"""Every output, on the same answers, shows each partner the same way and names no one who
asked not to be named.

One consultation with six partners (named, sector-only and anonymous; three councils, so
"local authority" may be shown, and one of each other sector) whose answers name themselves
and each other as partners do: in full, by initials, by a short name, by their own area. The
draft is assembled, sent to the board and approved through the functions the pages call; then
every output is read back from its bytes: the Word draft (with its annex), the officer's and
the sharing workbooks, the board's view of the evidence, and the approved response.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import timedelta

import docx
import openpyxl
import pytest

from consultations.consultation import move_consultation
from consultations.db import read_scope, session_scope
from consultations.models import User
from evidence.analysis import load_evidence
from evidence.consent import Policy
from evidence.facts import Evidence
from evidence.submissions import AnswerInput, save_answer, submit
from exports.approval import record_decision, send_for_review
from exports.approval_rule import APPROVE
from exports.approved import approved_document
from exports.board_view import evidence_behind
from exports.draft_model import Draft
from exports.drafts import assemble_draft, draft_of, latest
from exports.excel import ALL_ANSWERS_SHEET, NOT_SHARED, write_answers_xlsx
from exports.word import write_docx
from tests.conftest import NOW, add_consultation, add_organisation, add_person, later

TODAY = NOW.date()

# name, sector, area, consent, an answer to each of the three questions
PARTNERS = (
    (
        "Belfast City Council", "local authority", "Belfast", "named",
        "We disagree. Families in Belfast wait months for advice, and the Sperrin Trust tells "
        "us the same of the west.",
        "We agree that ESOL classes must be funded before any higher test applies.",
        "We ask the Home Office to publish an equality impact assessment before deciding.",
    ),
    (
        "Derry City and Strabane District Council", "local authority", "Derry City and Strabane",
        "sector",
        "We disagree. Derry City and Strabane District Council sees families wait months for "
        "advice in Strabane.",
        "We agree that ESOL classes must be funded before any higher test applies.",
        "We ask the Home Office to publish an equality impact assessment before deciding.",
    ),
    (
        "Mid Ulster District Council", "local authority", "Mid Ulster", "sector",
        "We disagree. Mid Ulster supports families who wait months for advice.",
        "ESOL classes must be funded before any higher test applies, as MUDC has found.",
        "We ask the Home Office to publish an equality impact assessment before deciding.",
    ),
    (
        "Sperrin Health and Care Trust", "health", "Western", "sector",
        "We disagree. In the Western area families wait months for advice, and our staff at "
        "Sperrin Health and Care Trust see the harm.",
        "ESOL classes must be funded before any higher test applies, for our patients.",
        "We ask the Home Office to publish an equality impact assessment before deciding.",
    ),
    (
        "Churches Together for Sanctuary", "faith", "Belfast", "anonymous",
        "We disagree. Churches Together for Sanctuary sees families wait months for advice; "
        "our clergy and pastoral volunteers meet them every week in Belfast.",
        "ESOL classes must be funded before any higher test applies. CTS runs 14 classes.",
        "We ask the Home Office to publish an equality impact assessment before deciding.",
    ),
    (
        "Refugee and Asylum Forum NI", "voluntary and community", "Northern Ireland", "named",
        "We disagree. Families wait months for advice; Churches Together and Mid Ulster "
        "Council have told us so.",
        "We agree that ESOL classes must be funded before any higher test applies.",
        "We ask the Home Office to publish an equality impact assessment before deciding.",
    ),
)  # fmt: skip

# Words of each unnamed partner that name it; none may appear in any output.
NAMES_OF = {
    "Derry City and Strabane District Council": ("Derry City and Strabane District Council",),
    "Mid Ulster District Council": ("Mid Ulster District Council", "Mid Ulster Council", "MUDC"),
    "Sperrin Health and Care Trust": ("Sperrin", "Western"),
    "Churches Together for Sanctuary": ("Churches Together", "CTS"),
}
# An anonymous partner's own details: never reproduced in a document that leaves.
DETAILS_OF_ANONYMOUS = ("pastoral volunteers", "clergy", "14 classes")


@dataclass
class Outputs:
    policy: Policy
    evidence: Evidence
    draft: Draft
    word: bytes
    officer_workbook: bytes
    sharing_workbook: bytes
    board_view: list
    approved: bytes


@pytest.fixture(scope="module")
def outputs(shared_engine) -> Outputs:
    engine = shared_engine
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer, questions=3, reference="HO-CE-1")
        cid = consultation.id
        questions = [q.id for q in consultation.questions]
        move_consultation(session, officer, cid, "open", now=NOW)
        chair = add_person(session, "board", is_chair=True, email="chair-ce@example.org")
        people = []
        for name, sector, area, *_ in PARTNERS:
            organisation = add_organisation(session, name, sector, area)
            people.append(add_person(session, "partner", organisation=organisation).id)
        officer_id, chair_id = officer.id, chair.id
    for person, (_, _, _, consent, *texts) in zip(people, PARTNERS, strict=True):
        with session_scope(engine) as session:
            partner = session.get(User, person)
            for question, text in zip(questions, texts, strict=True):
                save_answer(
                    session,
                    partner,
                    cid,
                    AnswerInput(question_id=question, text=text, position="Disagree"),
                    seen_version=0,
                    today=TODAY,
                    now=NOW,
                )
            submit(session, partner, cid, consent=consent, today=TODAY, now=NOW)
    with session_scope(engine) as session:
        officer = session.get(User, officer_id)
        move_consultation(session, officer, cid, "closed", now=later(hours=1))
        evidence = load_evidence(
            session, officer, cid, today=TODAY, partnership="SMP", region="Northern Ireland"
        )
        assemble_draft(session, officer, evidence, cid, now=later(hours=1))
        send_for_review(
            session,
            officer,
            cid,
            number=1,
            review_by=TODAY + timedelta(days=7),
            today=TODAY,
            now=later(hours=2),
        )
    with session_scope(engine) as session:
        record_decision(
            session, session.get(User, chair_id), cid, number=1, decision=APPROVE,
            comment="", now=later(hours=3),
        )  # fmt: skip
    with read_scope(engine) as session:
        officer = session.get(User, officer_id)
        draft = draft_of(latest(session, cid))
        cited = sorted({i for s in draft.sections for i in s.answer_ids()})
        board_view = evidence_behind(session, session.get(User, chair_id), cid, 1, cited)
        approved = approved_document(session, officer, cid).document
    policy = Policy.of(evidence.answers, reference=evidence.reference)

    def workbook(sharing: bool) -> bytes:
        return write_answers_xlsx(
            evidence.answers,
            themes=evidence.themes,
            questions=evidence.questions,
            policy=policy,
            sharing=sharing,
        )

    return Outputs(
        policy,
        evidence,
        draft,
        write_docx(draft),
        workbook(False),
        workbook(True),
        board_view,
        approved,
    )


def docx_text(data: bytes) -> str:
    """Every word a reader can see in a .docx: body, tables, headers, footers, properties."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [archive.read(name).decode("utf-8") for name in archive.namelist()]
    texts = []
    for part in parts:
        for paragraph in re.findall(r"<w:p[ >].*?</w:p>", part, flags=re.DOTALL):
            texts.append("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", paragraph)))
        texts.append(re.sub(r"<[^>]+>", " ", part) if "coreProperties" in part else "")
    return "\n".join(texts)


def xlsx_text(data: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return (
        "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
        + "\n"
        + " ".join(str(v) for v in vars(workbook.properties).values() if v)
    )


def annex_rows_of(data: bytes) -> list[list[str]]:
    """The Word annex's table, read back: [partner, sector, question, position, themes]."""
    document = docx.Document(io.BytesIO(data))
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Partner"]
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def workbook_rows(data: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data))[ALL_ANSWERS_SHEET]
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_every_output_was_made_and_the_draft_cites_every_partner(outputs: Outputs):
    organisations = {a.organisation for a in outputs.evidence.answers}
    cited = {a.answer_id for a in outputs.board_view}
    assert organisations == {p[0] for p in PARTNERS}
    assert {a.organisation for a in outputs.evidence.answers if a.answer_id in cited} == (
        organisations
    )
    assert outputs.approved[:2] == b"PK" and outputs.word[:2] == b"PK"


@pytest.mark.parametrize(
    "output", ["word", "approved", "officer_workbook", "sharing_workbook", "board_view"]
)
def test_no_output_names_a_partner_that_asked_not_to_be_named(outputs: Outputs, output: str):
    value = getattr(outputs, output)
    if output == "board_view":
        text = "\n".join(f"{a.who} {a.sector} {a.text}" for a in value)
    elif output.endswith("workbook"):
        text = xlsx_text(value)
    else:
        text = docx_text(value)

    for organisation, names in NAMES_OF.items():
        for name in names:
            assert name.lower() not in text.lower(), f"{name!r} ({organisation}) in {output}"
    assert "Belfast City Council" in text or output == "sharing_workbook"


@pytest.mark.parametrize("output", ["word", "approved", "sharing_workbook"])
def test_an_anonymous_partners_own_details_never_leave(outputs: Outputs, output: str):
    value = getattr(outputs, output)
    text = xlsx_text(value) if output.endswith("workbook") else docx_text(value)

    for detail in DETAILS_OF_ANONYMOUS:
        assert detail not in text, f"{detail!r} in {output}"


def test_each_partner_appears_the_same_way_in_every_output(outputs: Outputs):
    policy = outputs.policy
    expected = {
        name: (policy.annex_label(name), policy.sector(name) or "not given")
        for name in policy.partners
    }
    by_answer = {a.answer_id: a.organisation for a in outputs.evidence.answers}
    label_of = {label: name for name, (label, _) in expected.items()}

    word = {(row[0], row[1]) for row in annex_rows_of(outputs.word)}
    approved = {(row[0], row[1]) for row in annex_rows_of(outputs.approved)}
    officer = {(row[0], row[1]) for row in workbook_rows(outputs.officer_workbook)}
    board = {(a.who, a.sector or "not given") for a in outputs.board_view}
    shown = set(expected.values())

    assert word == approved == officer == board == shown
    # The copy for sharing numbers every partner, with the same number as everywhere else.
    shared = {(row[0], row[1]) for row in workbook_rows(outputs.sharing_workbook)}
    assert shared == {(f"Partner {policy.number(n)}", s) for n, (_, s) in expected.items()}
    for answer in outputs.board_view:
        assert label_of[answer.who] == by_answer[answer.answer_id]
    # Three councils: a council's sector shows; the lone health body's does not.
    assert policy.sector("Mid Ulster District Council") == "local authority"
    assert policy.sector("Sperrin Health and Care Trust") == ""


def test_quotes_carry_the_same_label_the_policy_gives(outputs: Outputs):
    policy = outputs.policy
    by_answer = {a.answer_id: a.organisation for a in outputs.evidence.answers}
    quotes = [b for s in outputs.draft.sections for b in s.blocks if b.kind in ("quote", "figure")]

    assert quotes
    for block in quotes:
        (answer_id,) = block.answer_ids
        organisation = by_answer[answer_id]
        assert policy.may_reproduce(organisation)
        assert block.attribution == policy.label(organisation)


def test_the_sharing_workbook_carries_no_words_of_a_partner_not_named(outputs: Outputs):
    policy = outputs.policy
    rows = workbook_rows(outputs.sharing_workbook)
    unnamed = {f"Partner {policy.number(n)}" for n in policy.partners if not policy.named(n)}

    assert unnamed
    for row in rows:
        if row[0] in unnamed:
            assert row[5] in (NOT_SHARED, "") and row[6] in (NOT_SHARED, "", None)
        else:
            assert row[5] not in (NOT_SHARED, "")


def test_the_about_section_lists_only_sectors_three_partners_share(outputs: Outputs):
    about = " ".join(b.text for b in outputs.draft.section("about").blocks)

    assert "three local authority partners" in about
    for lonely in ("health", "faith", "voluntary and community"):
        assert f"{lonely} partner" not in about

"""Partners' responses laid out as real ones are, through the matcher and through the dry run.

Every document in ``tests/data/intake/responses`` (made by ``make_responses.py`` there, each
imitating a kind of published response) has its expected parts in ``expected.json``: for each
part, the questions it is proposed for, how sure, the position read, how its text starts, and
where it matters the subtitle, what the text must or must not hold and why it was matched. The
same expectations hold through ``propose_response`` and through ``python -m evidence.intake``.
No database is needed: the dry run's questions come from the question import.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from consultations.demo import FAMILY_QUESTIONS
from consultations.documents import read_file, tidy
from evidence.intake import ACCEPTED, PaperQuestion, main, propose_response, questions_from_file
from evidence.likeness import likeness
from evidence.parts import CONFIDENCES, ProposedAnswer
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "intake" / "responses"
EXPECTED: dict[str, dict] = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
DOCUMENTS = sorted(EXPECTED)


def expectation(name: str) -> dict:
    spec = EXPECTED[name]
    if "same_as" in spec:
        return {**EXPECTED[spec["same_as"]], "layout": spec["layout"]}
    return spec


def proposed(name: str) -> tuple[list[ProposedAnswer], list]:
    spec = expectation(name)
    questions = questions_from_file(DATA / spec["questions"])
    data = (DATA / name).read_bytes()
    return propose_response(data, questions, filename=name), questions


def check_part(name: str, index: int, found: dict, wanted: dict) -> None:
    where = f"{name}, part {index + 1} ({found['text'][:50]!r}; {found['reason']})"
    assert found["questions"] == wanted["questions"], where
    assert found["confidence"] == wanted["confidence"], where
    assert found["position"] == wanted.get("position", ""), where
    assert found["text"].startswith(wanted["starts"]), where
    for text in wanted.get("contains", ()):
        assert text in found["text"], where
    for text in wanted.get("excludes", ()):
        assert text not in found["text"], where
    assert wanted.get("reason", "") in found["reason"], where
    if "subtitle" in wanted:
        assert found["subtitle"] == wanted["subtitle"], where


def as_found(part: ProposedAnswer) -> dict:
    return {
        "questions": list(part.numbers) if part.question_ids else [],
        "confidence": part.confidence,
        "position": part.position,
        "text": part.text,
        "reason": part.why,
        "subtitle": part.subtitle,
    }


def test_the_fixture_set_covers_every_kind_of_file_and_at_least_twelve_documents():
    files = {path.name for path in DATA.iterdir()} - {"expected.json", "make_responses.py"}
    files -= {"__pycache__"}
    responses = {name for name in files if not name.endswith("_questions.csv")}
    assert responses == set(EXPECTED)
    assert len(responses) >= 12
    assert {Path(name).suffix for name in responses} == set(ACCEPTED)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_partner_document_splits_into_the_expected_parts(name):
    parts, _ = proposed(name)

    wanted = expectation(name)["parts"]
    assert len(parts) == len(wanted), [(p.numbers, p.text[:40]) for p in parts]
    for index, (part, expected) in enumerate(zip(parts, wanted, strict=True)):
        check_part(name, index, as_found(part), expected)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_partner_document_gives_the_same_parts_through_the_dry_run(name, capsys):
    spec = expectation(name)

    status = main([str(DATA / name), "--questions", str(DATA / spec["questions"])])

    assert status == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == len(spec["parts"])
    for index, (line, wanted) in enumerate(zip(lines, spec["parts"], strict=True)):
        assert set(line) == {
            "question",
            "questions",
            "position",
            "text",
            "confidence",
            "reason",
            "source",
        }
        assert line["question"] == (wanted["questions"][0] if wanted["questions"] else None)
        check_part(name, index, {**line, "subtitle": wanted.get("subtitle", "")}, wanted)


def _letters(text: str) -> str:
    return "".join(character for character in text.casefold() if character.isalnum())


def _visible(parts: list[ProposedAnswer]) -> str:
    """Everything the officer sees of the parts, part by part: marker, subtitle, position, text,
    and the reason (where a heading with nothing under it is named)."""
    pieces = []
    for part in parts:
        pieces += [part.marker, part.subtitle, part.stance_words, part.position_line]
        pieces += [part.position, part.text, part.evidence_note, part.why]
    return _letters(" ".join(pieces))


@pytest.mark.parametrize("name", DOCUMENTS)
def test_nothing_in_a_partner_document_is_dropped_without_being_shown(name):
    """Every line is in some part (its marker, subtitle, position or text), or is a question's
    own wording quoted before its answer, or a response form's header."""
    parts, questions = proposed(name)
    contents = read_file(name, (DATA / name).read_bytes(), accepted=ACCEPTED, max_bytes=10**7)
    visible = _visible(parts)
    lines = [line for block in contents.blocks for cell in block.cells for line in cell]
    lines += [
        str(cell) for sheet in contents.sheets for _, row in sheet.rows for cell in row if cell
    ]
    headers = {"No.", "Question", "Response", "Ref", "Agree / Disagree", "Our response"}
    headers |= {"Consultation question", "Comments"}
    missing = [
        text
        for text in map(tidy, lines)
        if text
        and text not in headers
        and not any(likeness(text, q.text) >= 0.6 for q in questions)
        and _letters(text) not in visible
    ]
    assert missing == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_part_says_how_sure_it_is_and_why(name):
    parts, _ = proposed(name)

    for part in parts:
        assert part.confidence in CONFIDENCES
        assert part.why.strip()
        assert part.source


def test_dry_run_runs_as_a_module_and_prints_json_lines():
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "evidence.intake",
            str(DATA / "05_network_joint_answers.docx"),
            "--questions",
            str(DATA / "family_questions.csv"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    joint = [json.loads(line) for line in completed.stdout.splitlines()][2]
    assert (joint["question"], joint["questions"]) == ("Q3", ["Q3", "Q4"])
    assert "one answer for both" in joint["reason"]


def test_dry_run_exits_2_with_the_message_when_the_response_cannot_be_read(tmp_path, capsys):
    program = tmp_path / "response.docx"
    program.write_bytes(b"MZ\x90\x00" + bytes(300))

    status = main([str(program), "--questions", str(DATA / "family_questions.csv")])

    assert status == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("The file 'response.docx' has 1 problem: it holds a Windows")


def test_dry_run_exits_2_when_the_questions_file_is_missing(tmp_path, capsys):
    status = main(
        [str(DATA / "03_health_trust_q_dot.docx"), "--questions", str(tmp_path / "q.csv")]
    )

    assert status == 2
    assert "could not be opened" in capsys.readouterr().err


def test_spreadsheet_with_no_header_row_is_refused_saying_what_to_add(tmp_path, capsys):
    sheet = tmp_path / "answers.csv"
    sheet.write_text("We agree with the proposals.\nFunding must follow.\n", encoding="utf-8")

    status = main([str(sheet), "--questions", str(DATA / "asylum_questions.csv")])

    assert status == 2
    assert "a header row naming a question column" in capsys.readouterr().err


FAMILY = [name for name in DOCUMENTS if expectation(name)["questions"] == "family_questions.csv"]


@pytest.mark.parametrize("name", FAMILY)
def test_the_same_letters_match_the_demo_consultations_own_wording_of_the_questions(name):
    """The demo's family questions were written by another hand, in other words: each part
    must still go to the same question (positions may differ where the options differ)."""
    questions = [
        PaperQuestion(index, number, text, kind, tuple(options))
        for index, (number, text, kind, options) in enumerate(FAMILY_QUESTIONS, start=1)
    ]

    parts = propose_response((DATA / name).read_bytes(), questions, filename=name)

    assert [list(p.numbers) if p.question_ids else [] for p in parts] == [
        wanted["questions"] for wanted in expectation(name)["parts"]
    ]


def test_the_dry_run_reads_the_questions_from_a_pdf_paper_as_from_its_word_version(capsys):
    """QFILE may be any file the question import takes: the paper as Word, or as PDF."""
    response = str(DATA / "18_chapters_of_the_paper.docx")
    lines = []
    for paper in ("questions-ho-family-paper.docx", "questions-ho-family-paper-pdf.pdf"):
        assert main([response, "--questions", str(DATA.parent / paper)]) == 0
        lines.append(capsys.readouterr().out)

    assert lines[0] == lines[1]
    assert '"questions": ["Q4", "Q5"]' in lines[0]

"""Evidence attachments: real files on a real database, across two organisations and every role."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consultations.consultation import move_consultation
from consultations.dates import plain_date
from consultations.errors import AccessDenied, ValidationFailed, WorkbenchError
from consultations.models import AuditEvent, Consultation, Organisation, User
from evidence.attachments import (
    add_attachment,
    attachment_for_download,
    list_attachments,
    remove_attachment,
)
from evidence.models import Attachment, Submission
from evidence.submissions import AnswerInput, DeadlinePassed, save_answer, submit
from tests.conftest import NOW, PARTNER_DEADLINE, add_consultation, add_organisation, add_person
from tests.test_files import (
    encrypted,
    jpeg_bytes,
    pdf_bytes,
    plain_zip,
    png_bytes,
    rezipped,
    windows_program,
    with_macros,
    word_bytes,
    workbook_bytes,
    zip_bomb,
)

TODAY = NOW.date()
AFTER_DEADLINE = PARTNER_DEADLINE + timedelta(days=1)


@dataclass
class World:
    officer: User
    board: User
    council: Organisation
    charity: Organisation
    council_partner: User
    charity_partner: User
    consultation: Consultation


@pytest.fixture
def world(session: Session) -> World:
    officer = add_person(session, "officer")
    council = add_organisation(session)
    charity = add_organisation(session, "Law Centre NI", "voluntary and community", "Belfast")
    consultation = add_consultation(session, officer)
    move_consultation(session, officer, consultation.id, "open", now=NOW)
    return World(
        officer=officer,
        board=add_person(session, "board"),
        council=council,
        charity=charity,
        council_partner=add_person(session, "partner", organisation=council),
        charity_partner=add_person(session, "partner", organisation=charity),
        consultation=consultation,
    )


def attach(session: Session, world: World, name: str, data: bytes, **options) -> Attachment:
    options.setdefault("today", TODAY)
    options.setdefault("now", NOW)
    actor = options.pop("actor", world.council_partner)
    return add_attachment(session, actor, world.consultation.id, name=name, data=data, **options)


def stored_count(session: Session) -> int:
    return session.scalar(select(func.count(Attachment.id)))


# --- What is accepted ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "kind", "media_type"),
    [
        ("Housing evidence.pdf", pdf_bytes, "pdf", "application/pdf"),
        (
            "response.docx",
            word_bytes,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "figures.xlsx",
            workbook_bytes,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("figures.csv", lambda: b"Area,Families\nBelfast,120\n", "csv", "text/csv"),
        ("notes.txt", lambda: b"Notes from the Newry forum.", "txt", "text/plain"),
        ("chart.png", png_bytes, "png", "image/png"),
        ("photo.JPG", jpeg_bytes, "jpeg", "image/jpeg"),
    ],
)
def test_partner_attaches_each_accepted_type_with_its_size_and_sha256(
    session, world, name, make, kind, media_type
):
    data = make()

    attachment = attach(session, world, name, data)

    stored = session.get(Attachment, attachment.id)
    assert (stored.name, stored.kind, stored.media_type) == (name, kind, media_type)
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.data == data
    assert stored.entered_by_officer is False
    assert stored.submission.organisation_id == world.council.id
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "attachment.added"))
    assert event.object_id == attachment.id
    assert event.detail["sha256"] == stored.sha256


def test_officer_attaches_on_a_partners_behalf_and_it_is_marked(session, world):
    attachment = attach(
        session,
        world,
        "Emailed evidence.pdf",
        pdf_bytes(),
        actor=world.officer,
        organisation_id=world.charity.id,
    )

    assert attachment.entered_by_officer is True
    assert attachment.submission.organisation_id == world.charity.id


def test_file_name_is_stripped_of_folders_and_control_characters(session, world):
    attachment = attach(session, world, "C:\\Users\\me\\Desktop\\re\u202eport\n.pdf", pdf_bytes())

    assert attachment.name == "report .pdf"
    name, media_type, _ = attachment_for_download(
        session, world.council_partner, attachment.id, now=NOW
    )
    assert (name, media_type) == ("report .pdf", "application/pdf")


# --- What is refused ----------------------------------------------------------------------------


def test_file_over_the_size_limit_is_refused_and_nothing_is_saved(session, world):
    too_big = pdf_bytes() + bytes(20 * 1024 * 1024)

    with pytest.raises(
        ValidationFailed,
        match=r"^The file 'big\.pdf' has 1 problem: it is 20\.1 MB and the largest file accepted "
        r"is 20\.0 MB",
    ):
        attach(session, world, "big.pdf", too_big)

    assert stored_count(session) == 0
    assert session.scalar(select(func.count(Submission.id))) == 0


def test_size_and_count_limits_come_from_the_caller(session, world):
    with pytest.raises(ValidationFailed, match=r"largest file accepted is 0\.0 MB"):
        attach(session, world, "small.txt", b"x" * 2048, max_bytes=1024)


def test_eleventh_file_is_refused(session, world):
    for number in range(10):
        attach(session, world, f"note {number}.txt", f"Evidence note {number}".encode())

    with pytest.raises(
        ValidationFailed,
        match="this submission already has 10 files and at most 10 can be attached; remove a "
        "file you no longer need",
    ):
        attach(session, world, "note 11.txt", b"One more note")

    assert stored_count(session) == 10


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("evidence.zip", plain_zip, r"files '\.zip' are not accepted; upload a PDF"),
        ("page.html", lambda: b"<html><script>alert(1)</script></html>", r"files '\.html'"),
        ("setup.exe", windows_program, r"files '\.exe' are not accepted"),
        ("slides.pptx", word_bytes, r"files '\.pptx' are not accepted"),
    ],
)
def test_types_we_do_not_take_are_refused(session, world, name, make, message):
    with pytest.raises(ValidationFailed, match=message):
        attach(session, world, name, make())

    assert stored_count(session) == 0


def test_renamed_executable_is_refused_saying_what_it_really_is(session, world):
    with pytest.raises(
        ValidationFailed,
        match=r"^The file 'report\.pdf' has 1 problem: it holds a Windows program, not a PDF "
        r"\(\.pdf\), although its name ends in \.pdf",
    ):
        attach(session, world, "report.pdf", windows_program())

    assert stored_count(session) == 0


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("figures.xlsm", workbook_bytes),
        ("figures.xlsx", lambda: with_macros(workbook_bytes())),
    ],
)
def test_macro_enabled_workbooks_are_refused(session, world, name, make):
    with pytest.raises(
        ValidationFailed, match="it is macro-enabled, and files with macros are refused for safety"
    ):
        attach(session, world, name, make())


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: workbook_bytes()[:1200], r"it is damaged and cannot be opened as an Excel"),
        (
            lambda: rezipped(
                workbook_bytes(),
                replace=lambda name, data: data[:40] if name == "xl/workbook.xml" else data,
            ),
            "it could not be read as an Excel workbook and may be damaged",
        ),
        (lambda: encrypted(workbook_bytes()), "it is password-protected; open it, save a copy"),
    ],
)
def test_corrupt_and_encrypted_workbooks_are_refused(session, world, make, message):
    with pytest.raises(ValidationFailed, match=message):
        attach(session, world, "figures.xlsx", make())

    assert stored_count(session) == 0


def test_zip_bomb_is_refused_without_being_unpacked(session, world):
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024

    with pytest.raises(ValidationFailed, match="it would unpack to more than 100 MB"):
        attach(session, world, "figures.xlsx", bomb)


def test_same_file_twice_is_noticed_naming_the_earlier_file(session, world):
    attach(session, world, "Housing report.pdf", pdf_bytes())

    with pytest.raises(
        ValidationFailed,
        match=r"^The file 'copy of report\.pdf' has 1 problem: it is the same file as 'Housing "
        rf"report\.pdf', attached on {plain_date(TODAY)} at 10:00, so it was not attached "
        "again",
    ):
        attach(session, world, "copy of report.pdf", pdf_bytes())

    assert stored_count(session) == 1


def test_same_file_may_be_attached_by_two_organisations(session, world):
    attach(session, world, "shared.pdf", pdf_bytes())
    attach(session, world, "shared.pdf", pdf_bytes(), actor=world.charity_partner)

    assert stored_count(session) == 2


def test_partner_cannot_attach_after_the_deadline(session, world):
    passed = f"The partner deadline was {plain_date(PARTNER_DEADLINE)}"
    with pytest.raises(DeadlinePassed, match=passed):
        attach(session, world, "late.pdf", pdf_bytes(), today=AFTER_DEADLINE)

    assert stored_count(session) == 0


def test_partner_cannot_attach_to_another_organisations_submission(session, world):
    with pytest.raises(AccessDenied, match="only see and change your own organisation's"):
        attach(session, world, "sneaky.pdf", pdf_bytes(), organisation_id=world.charity.id)


def test_board_member_cannot_attach(session, world):
    with pytest.raises(AccessDenied):
        attach(session, world, "board.pdf", pdf_bytes(), actor=world.board)


# --- Who can see and download -------------------------------------------------------------------


def test_partner_lists_only_their_own_organisations_files(session, world):
    attach(session, world, "council.pdf", pdf_bytes("council"))
    attach(session, world, "charity.pdf", pdf_bytes("charity"), actor=world.charity_partner)

    mine = list_attachments(session, world.council_partner, world.consultation.id)
    theirs = list_attachments(
        session, world.officer, world.consultation.id, organisation_id=world.charity.id
    )

    assert [a.name for a in mine] == ["council.pdf"]
    assert [a.name for a in theirs] == ["charity.pdf"]
    with pytest.raises(AccessDenied):
        list_attachments(
            session, world.council_partner, world.consultation.id, organisation_id=world.charity.id
        )


def test_partner_and_officer_download_and_each_download_is_audited(session, world):
    attachment = attach(session, world, "evidence.pdf", pdf_bytes())

    for person in (world.council_partner, world.officer):
        name, media_type, data = attachment_for_download(session, person, attachment.id, now=NOW)
        assert (name, media_type, data) == ("evidence.pdf", "application/pdf", pdf_bytes())

    downloads = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "attachment.downloaded")
    ).all()
    assert [event.actor_id for event in downloads] == [world.council_partner.id, world.officer.id]


def test_partner_of_another_organisation_cannot_download_by_id(session, world):
    attachment = attach(session, world, "evidence.pdf", pdf_bytes())

    with pytest.raises(AccessDenied, match="This attempt has been recorded"):
        attachment_for_download(session, world.charity_partner, attachment.id, now=NOW)

    assert not session.scalars(
        select(AuditEvent).where(AuditEvent.action == "attachment.downloaded")
    ).all()


def test_board_member_cannot_download(session, world):
    attachment = attach(session, world, "evidence.pdf", pdf_bytes())

    with pytest.raises(AccessDenied):
        attachment_for_download(session, world.board, attachment.id, now=NOW)


def test_unknown_attachment_id_is_reported_plainly(session, world):
    with pytest.raises(WorkbenchError, match="That file does not exist or has been removed"):
        attachment_for_download(session, world.officer, 999_999, now=NOW)


# --- Removing -------------------------------------------------------------------------------


def test_partner_removes_a_file_and_the_audit_log_keeps_its_name_and_hash(session, world):
    attachment = attach(session, world, "wrong file.pdf", pdf_bytes())
    attachment_id, sha256 = attachment.id, attachment.sha256

    remove_attachment(session, world.council_partner, attachment_id, today=TODAY, now=NOW)

    assert stored_count(session) == 0
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "attachment.removed"))
    assert (event.object_id, event.detail["name"], event.detail["sha256"]) == (
        attachment_id,
        "wrong file.pdf",
        sha256,
    )


def test_removed_file_can_be_attached_again(session, world):
    attachment = attach(session, world, "evidence.pdf", pdf_bytes())
    remove_attachment(session, world.council_partner, attachment.id, today=TODAY, now=NOW)

    attach(session, world, "evidence.pdf", pdf_bytes())

    assert stored_count(session) == 1


def test_partner_of_another_organisation_cannot_remove_a_file(session, world):
    attachment = attach(session, world, "evidence.pdf", pdf_bytes())

    with pytest.raises(AccessDenied):
        remove_attachment(session, world.charity_partner, attachment.id, today=TODAY, now=NOW)

    assert stored_count(session) == 1


def test_partner_cannot_remove_a_file_after_the_deadline(session, world):
    attachment = attach(session, world, "evidence.pdf", pdf_bytes())

    with pytest.raises(DeadlinePassed):
        remove_attachment(
            session, world.council_partner, attachment.id, today=AFTER_DEADLINE, now=NOW
        )

    assert stored_count(session) == 1


def test_attaching_after_submitting_marks_the_submission_as_changed(session, world):
    save_answer(
        session,
        world.council_partner,
        world.consultation.id,
        AnswerInput(world.consultation.questions[0].id, "Agree", "We agree."),
        seen_version=0,
        today=TODAY,
        now=NOW,
    )
    submit(
        session, world.council_partner, world.consultation.id, consent="named", today=TODAY, now=NOW
    )

    attachment = attach(session, world, "late evidence.pdf", pdf_bytes())

    assert attachment.submission.status == "draft"

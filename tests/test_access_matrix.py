"""The access matrix: every guarded action, download, page and URL id, tried by every persona.

One world per database: organisation A (a council) has answered consultations at four
stages (open to partners, drafting, with the board, approved), with an answer, a file, tags, a
draft version that was never sent, one sent for review, an approved response, a board comment, a
notification and the audit trail. Seven personas try everything: a partner of A, a partner of B,
the officer, a board member, the board chair, and a deactivated officer and partner of A.

Who should get through comes from the access table (``consultations.access``: ACTIONS, PAGES and
``allowed``) and the own-organisation rule, never from a boolean written beside the case. A
refused action changes nothing; a refused page or URL writes an "access.refused" audit event
naming the person. Each action runs in a transaction that is rolled back, so the world stays as
it was built for every case.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from app import LOGGED_IN_PAGES
from consultations.access import ACTIONS, PAGES, allowed, page_allowed
from consultations.accounts import invite_person, reset_access, set_active, start_login_session
from consultations.audit_trail import AuditFilter, audit_choices, audit_csv, audit_events
from consultations.consultation import (
    create_consultation,
    move_consultation,
    update_consultation,
    visible_consultations,
)
from consultations.db import Base, read_scope, session_scope, utcnow
from consultations.errors import AccessDenied, LifecycleError, WorkbenchError
from consultations.mail.outbox import message_shown, outbox_counts, outbox_rows, resend
from consultations.models import AuditEvent, Consultation, User
from consultations.notifications import mark_read, notifications_for, notify, unread_count
from consultations.organisations import OrganisationForm, create_organisation, update_organisation
from consultations.people import list_people
from consultations.questions import (
    QuestionForm,
    add_question,
    delete_question,
    move_question,
    replace_questions,
    save_questions,
    update_question,
)
from consultations.settings import load_settings
from evidence.analysis import answer_sources, evidence_stamp, load_evidence, partnership_evidence
from evidence.attachments import (
    add_attachment,
    attachment_for_download,
    list_attachments,
    remove_attachment,
)
from evidence.consent import Policy
from evidence.import_preview import saved_answers
from evidence.learning import NotEnoughReviewed
from evidence.model_store import activate_tag_model, deactivate_tag_model, save_tag_model
from evidence.models import TagSuggestion, Theme
from evidence.reminders import remind_now, reminder_rounds, set_reminder_days
from evidence.review import (
    add_theme_by_hand,
    answer_review,
    answer_reviews,
    bulk_accept,
    decide,
)
from evidence.review_queue import QueueFilter, review_counts, review_queue
from evidence.submissions import (
    AnswerInput,
    import_answers,
    open_submission,
    organisation_for,
    save_answer,
    submission_by_id,
    submit,
)
from evidence.tagging import retag_consultation
from evidence.themes import (
    add_phrase,
    add_theme,
    drop_theme,
    merge_themes,
    remove_phrase,
    restore_theme,
    update_theme,
)
from evidence.tracker import tracker_rows
from evidence.training import learning_status, model_summaries, train_on_decisions
from exports.approval import (
    add_comment,
    after_new_version,
    mark_addressed,
    mark_request_addressed,
    record_decision,
    record_sent,
    send_for_review,
)
from exports.approved import approved_document, sections_using_my_answers
from exports.board_view import evidence_behind, readable_draft, readable_version
from exports.drafts import (
    add_own_paragraph,
    add_own_section,
    assemble_draft,
    draft_of,
    latest,
    move_added,
    regenerate_section,
    remove_added,
    restore_version,
    save_section,
    set_annex,
    versions,
)
from exports.excel import write_answers_xlsx
from exports.export import export_file
from exports.models import version_by_number
from exports.review_overview import awaiting_review, last_reviewed, review_overview
from exports.word import write_docx, written_keys
from exports.word_marks import DocumentIdentity, WordComment
from exports.word_return import draft_docx, read_upload, save_board_copy, save_edited_copy
from tests.conftest import (
    NOW,
    ROOT,
    add_consultation,
    add_organisation,
    add_person,
    consultation_form,
    later,
)
from tests.test_files import pdf_bytes

TODAY = NOW.date()
WEEK = timedelta(days=7)
# Words only organisation A wrote, in a consultation still open to partners: nobody but A's
# partners and the officer may ever be shown them.
SECRET = "Armagh casework ledger 4471"
SECRET_FILE = "Armagh ledger.pdf"
GOOD_FIGURES = {"systems": {"rules": {"micro_f1": 0.5}, "combined": {"micro_f1": 0.6}}}
PERSONAS = (
    "partner_a",
    "partner_b",
    "officer",
    "board",
    "chair",
    "former_officer",
    "former_partner_a",
)


@dataclass(frozen=True)
class World:
    """Ids of everything the personas try their hand at."""

    people: dict[str, int]
    org_a: int
    org_b: int
    setup: int  # a consultation still being set up (not yet open to partners)
    open: int  # open to partners: A's answer, file and tags
    drafting: int  # closed, its first draft never sent to the board; two stored tag models
    review: int  # its draft with the board, commented on
    approved: int  # approved by the board, not yet recorded as sent
    open_version: int
    org_b_version: int
    setup_question: int
    question: int
    submission: int
    answer: int
    attachment: int
    theme: int  # suggested for A's answer
    other_theme: int  # not suggested for it
    dropped_theme: int
    model_on: int
    model_off: int
    cited: tuple[int, ...]  # A's answers behind points of the version with the board
    section: str
    comment: int
    notification: int  # partner A's
    decision: int  # the chair's approval of the approved consultation's version


# --- the world -------------------------------------------------------------------------------


def _answered_and_closed(session: Session, officer: User, partner: User, title: str) -> int:
    """A consultation that A answered and submitted, closed to partners, with a first draft."""
    consultation = add_consultation(session, officer, questions=2, title=title)
    move_consultation(session, officer, consultation.id, "open", now=NOW)
    save_answer(
        session,
        partner,
        consultation.id,
        AnswerInput(
            consultation.questions[0].id,
            "Disagree",
            "Families with no recourse to public funds in Armagh are left destitute.",
        ),
        seen_version=0,
        today=TODAY,
        now=NOW,
    )
    submit(session, partner, consultation.id, consent="named", today=TODAY, now=NOW)
    move_consultation(session, officer, consultation.id, "closed", now=NOW)
    evidence = load_evidence(
        session, officer, consultation.id, today=TODAY, partnership="SMP", region="NI"
    )
    assemble_draft(session, officer, evidence, consultation.id, now=later(hours=1))
    return consultation.id


def build_world(engine: Engine) -> World:
    """Build the world once per database (every case rolls its own changes back)."""
    with session_scope(engine) as session:
        officer = add_person(session, "officer", email="officer@smp.example.org")
        org_a = add_organisation(session, "Armagh City Council", "local authority", "Armagh")
        org_b = add_organisation(session, "Law Centre NI", "voluntary and community", "Belfast")
        people = {
            "officer": officer,
            "partner_a": add_person(session, "partner", organisation=org_a),
            "partner_b": add_person(session, "partner", organisation=org_b),
            "board": add_person(session, "board"),
            "chair": add_person(session, "board", is_chair=True),
            "former_officer": add_person(session, "officer"),
            "former_partner_a": add_person(session, "partner", organisation=org_a),
        }
        partner = people["partner_a"]
        setup = add_consultation(session, officer, title="Still being set up")
        opened = add_consultation(session, officer, title="Open to partners")
        move_consultation(session, officer, opened.id, "open", now=NOW)
        answer = save_answer(
            session,
            partner,
            opened.id,
            AnswerInput(
                opened.questions[0].id,
                "Disagree",
                f"Families with no recourse to public funds in Belfast are destitute. {SECRET}.",
            ),
            seen_version=0,
            today=TODAY,
            now=NOW,
        )
        attachment = add_attachment(
            session,
            partner,
            opened.id,
            name=SECRET_FILE,
            data=pdf_bytes(SECRET),
            today=TODAY,
            now=NOW,
        )
        drafting = _answered_and_closed(session, officer, partner, "Drafting")
        review = _answered_and_closed(session, officer, partner, "With the board")
        approved = _answered_and_closed(session, officer, partner, "Approved")
        for cid in (review, approved):
            send_for_review(
                session,
                officer,
                cid,
                number=1,
                review_by=TODAY + timedelta(days=14),
                today=TODAY,
                now=later(hours=2),
            )
        decision = record_decision(
            session, people["chair"], approved, number=1, decision="approve", now=later(hours=3)
        ).decision_id
        sections = draft_of(latest(session, review)).sections
        cited = tuple(i for s in sections for i in s.answer_ids())
        section = next(s.key for s in sections if s.answer_ids())
        comment = add_comment(
            session,
            people["board"],
            review,
            number=1,
            section_key=section,
            text="Say more about destitution.",
            now=later(hours=3),
        )
        suggested = session.scalar(
            select(TagSuggestion.theme_id).where(TagSuggestion.answer_id == answer.id)
        )
        themes = {
            t.key: t.id
            for t in session.scalars(select(Theme).where(Theme.consultation_id == opened.id))
        }
        others = sorted(tid for tid in themes.values() if tid != suggested)
        drop_theme(session, officer, others[1], now=NOW)
        models = [
            save_tag_model(
                session,
                officer,
                drafting,
                data=b"a trained model",
                labels=[],
                figures=GOOD_FIGURES,
                now=NOW,
            )
            for _ in range(2)
        ]
        activate_tag_model(session, officer, models[0].id, now=NOW)
        (notification,) = notify(
            session, [partner], "sent", "The response was sent.", consultation_id=approved, now=NOW
        )
        # Only an administrator deactivates an officer; the personas' officer is not one.
        admin = add_person(session, "officer", email="admin@smp.example.org", is_admin=True)
        for name in ("former_officer", "former_partner_a"):
            set_active(session, admin, people[name].id, active=False, now=NOW)
        assert suggested is not None, "the tagger suggested no theme for A's answer"
        return World(
            people={name: person.id for name, person in people.items()},
            org_a=org_a.id,
            org_b=org_b.id,
            setup=setup.id,
            open=opened.id,
            drafting=drafting,
            review=review,
            approved=approved,
            open_version=session.get(Consultation, opened.id).version,
            org_b_version=org_b.version,
            setup_question=setup.questions[0].id,
            question=opened.questions[0].id,
            submission=answer.submission_id,
            answer=answer.id,
            attachment=attachment.id,
            theme=suggested,
            other_theme=others[0],
            dropped_theme=others[1],
            model_on=models[0].id,
            model_off=models[1].id,
            cited=cited,
            section=section,
            comment=comment.id,
            notification=notification.id,
            decision=decision,
        )


@pytest.fixture(scope="module")
def engine(shared_engine: Engine) -> Engine:
    """One database per module (and per backend): the world is built once in it."""
    return shared_engine


@pytest.fixture(scope="module")
def world(engine: Engine) -> Iterator[World]:
    """The world, built under the default approval rule (the chair's approval)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("WORKBENCH_APPROVAL_RULE", raising=False)
        yield build_world(engine)


# --- the actions -------------------------------------------------------------------------------

Call = Callable[[Session, User, World], object]


@dataclass(frozen=True)
class Case:
    """One way in: the guarded function it goes through, and the access table's row for it."""

    does: Callable[..., object]
    action: str  # the row of ACTIONS that says who may
    call: Call
    own: bool = False  # organisation A's own submission: other organisations' partners may not
    # A rule past the access check that stops even a permitted person here (the call is still
    # made: reaching the rule proves the door was open).
    stopped_by: type[Exception] | None = None
    commits: bool = False  # runs its own transactions on the engine


def _answer(w: World, text: str) -> AnswerInput:
    return AnswerInput(w.question, "Agree", text)


def _evidence(s: Session, w: World, cid: int):
    """The evidence as the officer loads it (the input of the drafting functions)."""
    return load_evidence(
        s, s.get(User, w.people["officer"]), cid, today=TODAY, partnership="SMP", region="NI"
    )


def _word_copy(s: Session, cid: int) -> bytes:
    """Version 1's .docx as a reader brings it back from Word: with a comment on a section."""
    reference = s.get(Consultation, cid).reference or ""
    draft = draft_of(version_by_number(s, cid, 1))
    comments = [WordComment(written_keys(draft)[0], "A. Reader", "From Word.")]
    return write_docx(draft, identity=DocumentIdentity(cid, reference, 1), comments=comments)


def _section(s: Session, w: World):
    return draft_of(latest(s, w.drafting)).section("recommendations")


def _answers_workbook(s: Session, who: User, w: World) -> bytes:
    evidence = partnership_evidence(s, who, w.review, today=TODAY, settings=load_settings())
    return write_answers_xlsx(
        evidence.answers,
        themes=evidence.themes,
        questions=evidence.questions,
        policy=Policy.of(evidence.answers, reference=evidence.reference),
        sharing=False,
    )


CASES: dict[str, Case] = {
    # consultations and their questions
    "list the consultations": Case(
        visible_consultations, "consultation.view", lambda s, who, w: visible_consultations(s, who)
    ),
    "create a consultation": Case(
        create_consultation,
        "consultation.edit",
        lambda s, who, w: create_consultation(s, who, consultation_form(), now=NOW),
    ),
    "edit a consultation": Case(
        update_consultation,
        "consultation.edit",
        lambda s, who, w: update_consultation(
            s,
            who,
            w.open,
            seen_version=w.open_version,
            form=consultation_form(title="Renamed"),
            now=NOW,
        ),
    ),
    "move a consultation on": Case(
        move_consultation,
        "consultation.move",
        lambda s, who, w: move_consultation(s, who, w.open, "closed", now=NOW),
    ),
    "add a question": Case(
        add_question,
        "question.edit",
        lambda s, who, w: add_question(s, who, w.setup, QuestionForm("Q9", "More?"), now=NOW),
    ),
    "import questions": Case(
        save_questions,
        "question.import",
        lambda s, who, w: save_questions(
            s, who, w.setup, [QuestionForm("Q9", "More?")], now=NOW, source="questions.xlsx"
        ),
    ),
    "import questions, replacing those with their numbers": Case(
        replace_questions,
        "question.import",
        lambda s, who, w: replace_questions(
            s, who, w.setup, [QuestionForm("Q9", "More?")], now=NOW, source="questions.xlsx"
        ),
    ),
    "edit a question": Case(
        update_question,
        "question.edit",
        lambda s, who, w: update_question(
            s, who, w.setup_question, seen_version=1, form=QuestionForm("Q1", "Changed?"), now=NOW
        ),
    ),
    "move a question": Case(
        move_question,
        "question.edit",
        lambda s, who, w: move_question(s, who, w.setup_question, step=1, now=NOW),
    ),
    "delete a question": Case(
        delete_question,
        "question.edit",
        lambda s, who, w: delete_question(s, who, w.setup_question, now=NOW),
    ),
    # the partnership's organisations and people
    "add an organisation": Case(
        create_organisation,
        "organisation.edit",
        lambda s, who, w: create_organisation(s, who, OrganisationForm("New Council", "health")),
    ),
    "edit an organisation": Case(
        update_organisation,
        "organisation.edit",
        lambda s, who, w: update_organisation(
            s,
            who,
            w.org_b,
            seen_version=w.org_b_version,
            form=OrganisationForm("Renamed Centre", "voluntary and community"),
        ),
    ),
    "invite a person": Case(
        invite_person,
        "person.invite",
        lambda s, who, w: invite_person(
            s,
            who,
            email="new.partner@example.org",
            name="New Partner",
            role="partner",
            organisation_id=w.org_b,
            now=NOW,
            valid_for=WEEK,
        ),
    ),
    "reset a person's access": Case(
        reset_access,
        "person.manage",
        lambda s, who, w: reset_access(s, who, w.people["partner_b"], now=NOW, valid_for=WEEK),
    ),
    "deactivate a person": Case(
        set_active,
        "person.manage",
        lambda s, who, w: set_active(s, who, w.people["partner_b"], active=False, now=NOW),
    ),
    "list the people": Case(
        list_people, "person.manage", lambda s, who, w: list_people(s, who, now=NOW)
    ),
    # the audit trail, and its CSV download
    "read the audit trail": Case(
        audit_events, "audit.view", lambda s, who, w: audit_events(s, who, AuditFilter())
    ),
    "download the audit trail": Case(
        audit_events,
        "audit.view",
        lambda s, who, w: audit_csv(audit_events(s, who, AuditFilter(consultation_id=w.open))),
    ),
    "list the audit filters": Case(
        audit_choices, "audit.view", lambda s, who, w: audit_choices(s, who)
    ),
    # notifications: everyone has their own, and only their own
    "count my notifications": Case(
        unread_count, "notification.view", lambda s, who, w: unread_count(s, who)
    ),
    "list my notifications": Case(
        notifications_for, "notification.view", lambda s, who, w: notifications_for(s, who)
    ),
    "mark a notification read": Case(
        mark_read,
        "notification.view",
        lambda s, who, w: mark_read(s, who, [w.notification], now=NOW),
    ),
    # A's submission, answers and files, by every path and id
    "open A's submission": Case(
        open_submission,
        "submission.edit",
        lambda s, who, w: open_submission(s, who, w.open, organisation_id=w.org_a),
        own=True,
    ),
    "read A's saved answers to check an import against": Case(
        saved_answers,
        "submission.edit",
        lambda s, who, w: saved_answers(s, who, w.open, organisation_id=w.org_a),
        own=True,
    ),
    "open A's submission by its id": Case(
        submission_by_id,
        "submission.edit",
        lambda s, who, w: submission_by_id(s, who, w.submission),
        own=True,
    ),
    "save an answer for A": Case(
        save_answer,
        "submission.edit",
        lambda s, who, w: save_answer(
            s,
            who,
            w.open,
            _answer(w, "Changed."),
            seen_version=1,
            organisation_id=w.org_a,
            today=TODAY,
            now=NOW,
        ),
        own=True,
    ),
    "import answers for A": Case(
        import_answers,
        "submission.edit",
        lambda s, who, w: import_answers(
            s,
            who,
            w.open,
            [_answer(w, "Imported.")],
            organisation_id=w.org_a,
            source="response.xlsx",
            today=TODAY,
            now=NOW,
        ),
        own=True,
    ),
    "submit A's answers": Case(
        submit,
        "submission.edit",
        lambda s, who, w: submit(
            s, who, w.open, consent="named", organisation_id=w.org_a, today=TODAY, now=NOW
        ),
        own=True,
    ),
    "list A's files": Case(
        list_attachments,
        "submission.edit",
        lambda s, who, w: list_attachments(s, who, w.open, w.org_a),
        own=True,
    ),
    "attach a file for A": Case(
        add_attachment,
        "submission.edit",
        lambda s, who, w: add_attachment(
            s,
            who,
            w.open,
            name="Planted.pdf",
            data=pdf_bytes("Planted"),
            organisation_id=w.org_a,
            today=TODAY,
            now=NOW,
        ),
        own=True,
    ),
    "name A as whose submission it is": Case(
        organisation_for,
        "submission.edit",
        lambda s, who, w: organisation_for(who, w.org_a),
        own=True,
    ),
    "download A's file": Case(
        attachment_for_download,
        "submission.edit",
        lambda s, who, w: attachment_for_download(s, who, w.attachment, now=NOW),
        own=True,
    ),
    "remove A's file": Case(
        remove_attachment,
        "submission.edit",
        lambda s, who, w: remove_attachment(s, who, w.attachment, today=TODAY, now=NOW),
        own=True,
    ),
    # everyone's answers: the officer's tracker and analysis, and the Excel download
    "see the tracker": Case(
        tracker_rows, "submission.track", lambda s, who, w: tracker_rows(s, who, w.open)
    ),
    "load the evidence": Case(
        load_evidence,
        "submission.track",
        lambda s, who, w: load_evidence(
            s, who, w.review, today=TODAY, partnership="SMP", region="NI"
        ),
    ),
    "download the answers workbook": Case(
        partnership_evidence, "submission.track", _answers_workbook
    ),
    "fingerprint the evidence": Case(
        evidence_stamp, "submission.track", lambda s, who, w: evidence_stamp(s, who, w.open)
    ),
    "trace answers to their organisations": Case(
        answer_sources,
        "submission.track",
        lambda s, who, w: answer_sources(s, who, [w.answer]),
    ),
    # themes and tag review
    "edit a theme": Case(
        update_theme,
        "theme.edit",
        lambda s, who, w: update_theme(
            s, who, w.theme, label="Renamed", description="", seen_version=1, now=NOW
        ),
    ),
    "add a phrase": Case(
        add_phrase,
        "theme.edit",
        lambda s, who, w: add_phrase(s, who, w.theme, "soup kitchens", now=NOW),
    ),
    "remove a phrase": Case(
        remove_phrase,
        "theme.edit",
        lambda s, who, w: remove_phrase(
            s, who, w.theme, s.get(Theme, w.theme).patterns[0]["phrase"], now=NOW
        ),
    ),
    "add a theme": Case(
        add_theme,
        "theme.edit",
        lambda s, who, w: add_theme(s, who, w.open, label="Transport", now=NOW),
    ),
    "merge themes": Case(
        merge_themes,
        "theme.edit",
        lambda s, who, w: merge_themes(s, who, keep_id=w.theme, merge_id=w.other_theme, now=NOW),
    ),
    "drop a theme": Case(
        drop_theme, "theme.edit", lambda s, who, w: drop_theme(s, who, w.other_theme, now=NOW)
    ),
    "restore a theme": Case(
        restore_theme,
        "theme.edit",
        lambda s, who, w: restore_theme(s, who, w.dropped_theme, now=NOW),
    ),
    "tag every answer again": Case(
        retag_consultation,
        "theme.edit",
        lambda engine, who, w: retag_consultation(engine, who.id, w.open),
        commits=True,
    ),
    "list answers to review": Case(
        review_queue, "tag.review", lambda s, who, w: review_queue(s, who, w.open, QueueFilter())
    ),
    "count answers to review": Case(
        review_counts, "tag.review", lambda s, who, w: review_counts(s, who, w.open)
    ),
    "read answers under review": Case(
        answer_reviews, "tag.review", lambda s, who, w: answer_reviews(s, who, [w.answer])
    ),
    "read A's answer under review": Case(
        answer_review, "tag.review", lambda s, who, w: answer_review(s, who, w.answer)
    ),
    "accept a tag": Case(
        decide,
        "tag.review",
        lambda s, who, w: decide(s, who, w.answer, w.theme, accepted=True, now=NOW),
    ),
    "add a theme by hand": Case(
        add_theme_by_hand,
        "tag.review",
        lambda s, who, w: add_theme_by_hand(s, who, w.answer, w.other_theme, now=NOW),
    ),
    "accept a theme on every answer": Case(
        bulk_accept,
        "tag.review",
        lambda s, who, w: bulk_accept(s, who, w.open, w.theme, now=NOW),
    ),
    # learning from decisions
    "see what learning needs": Case(
        learning_status, "model.train", lambda s, who, w: learning_status(s, who, w.open)
    ),
    "list the trained models": Case(
        model_summaries, "model.train", lambda s, who, w: model_summaries(s, who, w.drafting)
    ),
    "train a model": Case(
        train_on_decisions,
        "model.train",
        lambda s, who, w: train_on_decisions(s, who, w.open, now=NOW),
        stopped_by=NotEnoughReviewed,
    ),
    "store a model": Case(
        save_tag_model,
        "model.train",
        lambda s, who, w: save_tag_model(
            s, who, w.drafting, data=b"model", labels=[], figures=GOOD_FIGURES, now=NOW
        ),
    ),
    "switch a model on": Case(
        activate_tag_model,
        "model.train",
        lambda s, who, w: activate_tag_model(s, who, w.model_off, now=NOW),
    ),
    "switch a model off": Case(
        deactivate_tag_model,
        "model.train",
        lambda s, who, w: deactivate_tag_model(s, who, w.model_on, now=NOW),
    ),
    # the officer's draft, and its .docx download
    "list the draft's versions": Case(
        versions, "draft.edit", lambda s, who, w: versions(s, who, w.drafting)
    ),
    "assemble a draft": Case(
        assemble_draft,
        "draft.edit",
        lambda s, who, w: assemble_draft(s, who, _evidence(s, w, w.drafting), w.drafting, now=NOW),
    ),
    "edit a section": Case(
        save_section,
        "draft.edit",
        lambda s, who, w: save_section(s, who, w.drafting, _section(s, w), seen=1, now=NOW),
    ),
    "regenerate a section": Case(
        regenerate_section,
        "draft.edit",
        lambda s, who, w: regenerate_section(
            s, who, _evidence(s, w, w.drafting), w.drafting, "recommendations", seen=1, now=NOW
        ),
    ),
    "add a paragraph of one's own": Case(
        add_own_paragraph,
        "draft.edit",
        lambda s, who, w: add_own_paragraph(
            s, who, w.drafting, "recommendations", text="Our own ask.", seen=1, now=NOW
        ),
    ),
    "add a section of one's own": Case(
        add_own_section,
        "draft.edit",
        lambda s, who, w: add_own_section(
            s,
            who,
            w.drafting,
            heading="Covering note",
            text="Words.",
            after="cover",
            seen=1,
            now=NOW,
        ),
    ),
    # Only what the officer added can go or move: a generated section stops even an officer.
    "remove a section of one's own": Case(
        remove_added,
        "draft.edit",
        lambda s, who, w: remove_added(s, who, w.drafting, "recommendations", seen=1, now=NOW),
        stopped_by=WorkbenchError,
    ),
    "move a section of one's own": Case(
        move_added,
        "draft.edit",
        lambda s, who, w: move_added(
            s, who, w.drafting, "recommendations", step=1, seen=1, now=NOW
        ),
        stopped_by=WorkbenchError,
    ),
    # The drafting world holds one version, so there is none earlier to restore.
    "make an earlier version the newest again": Case(
        restore_version,
        "draft.edit",
        lambda s, who, w: restore_version(s, who, w.drafting, 1, now=NOW),
        stopped_by=WorkbenchError,
    ),
    "take the annex out of the document": Case(
        set_annex,
        "draft.edit",
        lambda s, who, w: set_annex(s, who, w.drafting, include=False, seen=1, now=NOW),
    ),
    "export the draft as the page's button does": Case(
        export_file,
        "draft.edit",
        lambda s, who, w: export_file(
            s, who, w.drafting, "draft", today=TODAY, settings=load_settings()
        ),
    ),
    # No version 2 was saved: the move back to drafting needs one, which stops even an officer.
    "make a new version of the draft with the board": Case(
        after_new_version,
        "draft.edit",
        lambda s, who, w: after_new_version(s, who, w.review, 2, now=NOW),
        stopped_by=LifecycleError,
    ),
    "read a version never sent to the board": Case(
        readable_version,
        "draft.edit",
        lambda s, who, w: readable_version(s, who, w.drafting, 1),
    ),
    "download a version never sent to the board": Case(
        readable_draft,
        "draft.edit",
        lambda s, who, w: write_docx(readable_draft(s, who, w.drafting, 1)),
    ),
    "mark a board comment addressed": Case(
        mark_addressed, "draft.edit", lambda s, who, w: mark_addressed(s, who, w.comment, now=NOW)
    ),
    # a request for changes from someone who left the board: an officer says how it was met (an
    # approval of a consultation no longer in review stops even an officer, past the door)
    "mark a former member's request addressed": Case(
        mark_request_addressed,
        "draft.edit",
        lambda s, who, w: mark_request_addressed(s, who, w.decision, note="Done.", now=NOW),
        stopped_by=LifecycleError,
    ),
    # board review
    "send a version to the board": Case(
        send_for_review,
        "draft.send",
        lambda s, who, w: send_for_review(
            s, who, w.drafting, number=1, review_by=TODAY + WEEK, today=TODAY, now=NOW
        ),
    ),
    "record the response as sent": Case(
        record_sent,
        "draft.send",
        lambda s, who, w: record_sent(
            s,
            who,
            w.approved,
            sent_on=TODAY,
            method="Email to the department",
            today=TODAY,
            now=NOW,
        ),
    ),
    "read the version with the board": Case(
        readable_version,
        "draft.read",
        lambda s, who, w: readable_version(s, who, w.review, 1),
    ),
    "download the version with the board": Case(
        readable_draft,
        "draft.read",
        lambda s, who, w: write_docx(readable_draft(s, who, w.review, 1)),
    ),
    "open the evidence behind a point": Case(
        evidence_behind,
        "draft.read",
        lambda s, who, w: evidence_behind(s, who, w.review, 1, w.cited),
    ),
    "see where the review stands": Case(
        review_overview, "draft.read", lambda s, who, w: review_overview(s, who, w.review)
    ),
    "list the versions awaiting review": Case(
        awaiting_review, "draft.review", lambda s, who, w: awaiting_review(s, who)
    ),
    "find the version last reviewed": Case(
        last_reviewed, "draft.review", lambda s, who, w: last_reviewed(s, who, w.review)
    ),
    "comment on a section": Case(
        add_comment,
        "draft.review",
        lambda s, who, w: add_comment(
            s, who, w.review, number=1, section_key=w.section, text="Shorter, please.", now=NOW
        ),
    ),
    # the draft in Word, and back
    "download a version to edit in Word": Case(
        draft_docx, "draft.read", lambda s, who, w: draft_docx(s, who, w.review, 1)
    ),
    "read an edited Word copy": Case(
        read_upload,
        "draft.read",
        lambda s, who, w: read_upload(s, who, w.review, _word_copy(s, w.review)),
    ),
    "save an edited Word copy as a version": Case(
        save_edited_copy,
        "draft.edit",
        lambda s, who, w: save_edited_copy(
            s,
            who,
            w.drafting,
            _word_copy(s, w.drafting),
            mode="accept",
            now=NOW,
        ),
    ),
    "comment with a Word copy": Case(
        save_board_copy,
        "draft.review",
        lambda s, who, w: save_board_copy(s, who, w.review, _word_copy(s, w.review), now=NOW),
    ),
    "approve the version with the board": Case(
        record_decision,
        "draft.review",
        lambda s, who, w: record_decision(s, who, w.review, number=1, decision="approve", now=NOW),
    ),
    # the approved response, for everyone
    "download the approved response": Case(
        approved_document,
        "response.view",
        lambda s, who, w: approved_document(s, who, w.approved).document,
    ),
    "read the approved response": Case(
        readable_version,
        "response.view",
        lambda s, who, w: readable_version(s, who, w.approved, 1),
    ),
    "see which sections use my answers": Case(
        sections_using_my_answers,
        "response.view",
        lambda s, who, w: sections_using_my_answers(s, who, w.approved),
    ),
    # email: the outbox and reminders
    "list the outbox": Case(outbox_rows, "mail.view", lambda s, who, w: outbox_rows(s, who)),
    "count the outbox": Case(outbox_counts, "mail.view", lambda s, who, w: outbox_counts(s, who)),
    "read a message in the outbox": Case(
        message_shown,
        "mail.view",
        lambda s, who, w: message_shown(s, who, MISSING),
        stopped_by=WorkbenchError,
    ),
    "send a failed message again": Case(
        resend,
        "mail.resend",
        lambda s, who, w: resend(s, who, MISSING, now=NOW),
        stopped_by=WorkbenchError,
    ),
    "set the reminder schedule": Case(
        set_reminder_days,
        "reminder.send",
        lambda s, who, w: set_reminder_days(s, who, w.open, [7, 2], now=NOW),
    ),
    "remind who has not submitted": Case(
        remind_now,
        "reminder.send",
        lambda s, who, w: remind_now(s, who, None, w.open, now=NOW),
        stopped_by=WorkbenchError,
    ),
    "list the reminder rounds": Case(
        reminder_rounds,
        "submission.track",
        lambda s, who, w: reminder_rounds(s, who, w.open),
    ),
}


def may_do(who: User, case: Case, w: World) -> bool:
    """What the access table allows: the action's roles, active accounts, A's partners for A."""
    if not allowed(who, case.action):
        return False
    return not (case.own and who.role == "partner" and who.organisation_id != w.org_a)


def footprint(session: Session) -> tuple:
    """Every table's row count and the sum of its row versions, in one query."""
    parts = []
    for table in Base.metadata.sorted_tables:
        parts.append(select(func.count()).select_from(table).scalar_subquery())
        if "version" in table.c:
            parts.append(select(func.coalesce(func.sum(table.c.version), 0)).scalar_subquery())
    return tuple(session.execute(select(*parts)).one())


def attempt(run: Callable[[], object], trace: Callable[[], tuple], case: Case, may: bool) -> None:
    """Make the call; refused exactly when the table says so (and then it changes nothing)."""
    if not may:
        before = trace()
        with pytest.raises(AccessDenied):
            run()
        assert trace() == before
    elif case.stopped_by is not None:
        with pytest.raises(case.stopped_by):
            run()
    else:
        run()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", CASES)
def test_an_action_succeeds_only_for_whom_the_access_table_allows(engine, world, name, persona):
    case = CASES[name]
    if case.commits:
        with read_scope(engine) as session:
            who = session.get(User, world.people[persona])

        def committed() -> tuple:
            with read_scope(engine) as session:
                return footprint(session)

        attempt(lambda: case.call(engine, who, world), committed, case, may_do(who, case, world))
        return
    session = Session(engine, expire_on_commit=False)
    try:
        who = session.get(User, world.people[persona])
        attempt(
            lambda: case.call(session, who, world),
            lambda: footprint(session),
            case,
            may_do(who, case, world),
        )
    finally:
        session.rollback()
        session.close()


# --- the matrix covers every guarded function and every row of the table ---------------------

GUARDS = frozenset({"require", "require_page", "organisation_for"})


def _functions() -> dict[str, set[str]]:
    """Every module-level function of the three packages (not pages, migrations or demos),
    with the names of what it calls."""
    found = {}
    for package in ("consultations", "evidence", "exports"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if {"pages", "migrations"} & set(parts) or parts[-1].startswith("demo"):
                continue
            for node in ast.parse(path.read_text()).body:
                # A command's main() runs as the operator, with no person logged in (like
                # app.py); the guarded functions it calls each have their own case.
                if isinstance(node, ast.FunctionDef) and node.name != "main":
                    found[".".join((*parts, node.name))] = _called(node)
    return found


def _called(function: ast.FunctionDef) -> set[str]:
    calls = [node.func for node in ast.walk(function) if isinstance(node, ast.Call)]
    return {
        f.id if isinstance(f, ast.Name) else f.attr
        for f in calls
        if hasattr(f, "id") or hasattr(f, "attr")
    }


def guarded_functions() -> set[str]:
    """The public functions that check access themselves or through a function that does."""
    functions = _functions()
    guarded = {name for name, calls in functions.items() if calls & GUARDS}
    while True:
        names = {name.rsplit(".", 1)[1] for name in guarded}
        more = {name for name, calls in functions.items() if calls & names} - guarded
        if not more:
            return {name for name in guarded if not name.rsplit(".", 1)[1].startswith("_")}
        guarded |= more


def test_the_matrix_goes_through_every_function_that_checks_access():
    covered = {f"{case.does.__module__}.{case.does.__name__}" for case in CASES.values()}
    assert sorted(guarded_functions() - covered) == []
    assert "exports.board_view.readable_draft" in guarded_functions()  # through readable_version


def test_the_matrix_tries_every_row_of_the_access_table():
    assert {case.action for case in CASES.values()} == set(ACTIONS)


# --- pages and the ids their URLs carry, in the running app (AppTest) ------------------------

# The board chair differs from a member only in deciding; the deactivated are tried below.
PAGE_PERSONAS = ("partner_a", "partner_b", "officer", "board")
# Which of A's consultations each page is opened on (pages keep it in ?consultation=).
PAGE_CONSULTATION = {
    "board_review": "review",
    "approval": "review",
    "draft": "drafting",
    "learning": "drafting",
    "analysis": "review",
    "response": "approved",
}
MISSING = 999_999


@pytest.fixture(scope="module")
def app_env(engine: Engine, world: World, tmp_path_factory) -> Iterator[World]:
    """Point the app at the world's database for the whole module."""
    import streamlit as st

    folder = tmp_path_factory.mktemp("app")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
        patch.setenv("WORKBENCH_DATA_DIR", str(folder / "data"))
        patch.setenv("WORKBENCH_DEMO_DATABASE_URL", f"sqlite:///{folder / 'demo.db'}")
        patch.delenv("WORKBENCH_APPROVAL_RULE", raising=False)
        patch.chdir(ROOT)
        st.cache_resource.clear()
        yield world
        st.cache_resource.clear()


@pytest.fixture(scope="module")
def browsers(app_env: World, engine: Engine) -> dict[str, AppTest]:
    """One logged-in app per persona, reused page after page (as a person clicks through)."""
    opened = {}
    for persona in (*PAGE_PERSONAS, "former_officer", "former_partner_a"):
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        with session_scope(engine) as session:
            person = session.get(User, app_env.people[persona])
            app.session_state["login_token"] = start_login_session(session, person, now=utcnow())
        opened[persona] = app.run()
    return opened


def visit(app: AppTest, page: str, query: dict[str, int]) -> AppTest:
    """Open the page with these ids in its URL."""
    app.query_params.clear()
    app.query_params.update({key: str(value) for key, value in query.items()})
    return app.switch_page(LOGGED_IN_PAGES[page][0]).run()


def refusals(engine: Engine, person_id: int) -> list[dict]:
    """The details of every "access.refused" event naming the person, oldest first."""
    with read_scope(engine) as session:
        return list(
            session.scalars(
                select(AuditEvent.detail)
                .where(AuditEvent.action == "access.refused", AuditEvent.actor_id == person_id)
                .order_by(AuditEvent.id)
            )
        )


def shown(app: AppTest) -> str:
    """Everything the page put on the screen, as one text."""
    return "\n".join(str(getattr(node, "proto", "")) for node in app._tree)


def person(engine: Engine, person_id: int) -> User:
    with read_scope(engine) as session:
        return session.get(User, person_id)


def check_visit(engine, app, page, who, query, refused: bool) -> str:
    """Visit the page; refused (with an error, and audited naming the person) exactly as said."""
    before = refusals(engine, who.id)
    visit(app, page, query)
    assert not app.exception, [e.message for e in app.exception]
    audited = refusals(engine, who.id)[len(before) :]
    assert bool(audited) == refused
    assert bool(app.error) >= refused
    if refused:
        assert [event["page"] for event in audited] == [page]
        assert "This attempt has been recorded." in app.error[0].value
    return shown(app)


def test_every_page_of_the_app_is_in_the_access_table():
    assert set(LOGGED_IN_PAGES) == set(PAGES)


@pytest.mark.parametrize("persona", PAGE_PERSONAS)
@pytest.mark.parametrize("page", LOGGED_IN_PAGES)
def test_a_page_opens_only_for_whom_the_access_table_allows(
    engine, app_env, browsers, page, persona
):
    w = app_env
    who = person(engine, w.people[persona])
    query = {"consultation": getattr(w, PAGE_CONSULTATION.get(page, "open"))}
    screen = check_visit(engine, browsers[persona], page, who, query, not page_allowed(who, page))
    if persona in ("partner_b", "board"):
        assert SECRET not in screen
        assert SECRET_FILE not in screen


# (consultation, organisation) in the answer page's URL
ANSWER_URLS = {
    "A's answers": ("open", "org_a"),
    "an organisation that does not exist": ("open", MISSING),
    "A's answers to a consultation that does not exist": (MISSING, "org_a"),
    "A's answers to a consultation not yet open": ("setup", "org_a"),
    "A's answers to a consultation closed to partners": ("drafting", "org_a"),
}


def _id(w: World, name: str | int) -> int:
    return name if isinstance(name, int) else getattr(w, name)


@pytest.mark.parametrize("persona", PAGE_PERSONAS)
@pytest.mark.parametrize("url", ANSWER_URLS)
def test_the_answer_page_shows_a_submission_only_to_its_organisation_and_officers(
    engine, app_env, browsers, url, persona
):
    w = app_env
    who = person(engine, w.people[persona])
    consultation, organisation = (_id(w, name) for name in ANSWER_URLS[url])
    # A partner names only their own organisation, and sees a consultation once it is open.
    may = (
        page_allowed(who, "answer")
        and allowed(who, "submission.edit")
        and (who.role != "partner" or organisation == who.organisation_id)
        and (who.role != "partner" or consultation != w.setup)
    )
    query = {"consultation": consultation, "organisation": organisation}
    screen = check_visit(engine, browsers[persona], "answer", who, query, not may)
    if not may:
        assert SECRET not in screen
    elif (consultation, organisation) == (w.open, w.org_a):
        assert SECRET in screen
        assert SECRET_FILE in screen
    if consultation == MISSING and may:
        assert "That consultation does not exist" in screen


@pytest.mark.parametrize("persona", ["former_officer", "former_partner_a"])
def test_a_deactivated_person_reaches_no_page(engine, browsers, persona):
    app = browsers[persona]
    assert "Log in" in [s.value for s in app.header]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(LOGGED_IN_PAGES["response"][0])


def test_logged_out_visitors_reach_only_the_login_and_invite_pages(app_env):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert "Log in" in [s.value for s in app.header]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("consultations/pages/people.py")

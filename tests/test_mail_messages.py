"""Each kind of message: written by its action in the same transaction, to the right people,
rendered as plain text and escaped HTML with nothing fetched from elsewhere, and delivered by a
real SMTP server on localhost (a receipt with the partner's copy attached)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from html.parser import HTMLParser

import docx
import pytest
from sqlalchemy import select

from consultations.consultation import move_consultation
from consultations.db import read_scope, session_scope, utcnow
from consultations.mail.config import Postbox
from consultations.mail.letters import (
    Kind,
    Recipient,
    receipt_letter,
    render_html,
    render_text,
    review_letter,
)
from consultations.mail.outbox import post
from consultations.mail.sender import send_due, transport_for
from consultations.models import OutboxAttachment, OutboxMessage, User
from evidence.consent import CONSENT_CHOICES
from evidence.submissions import AnswerInput, save_answer, submit
from exports.approval import record_decision
from exports.approval_rule import APPROVE
from tests.board_world import build_board, build_in_review, send
from tests.conftest import NOW, add_organisation, add_person, later
from tests.tagging_world import ESOL, NRPF_BELFAST, TODAY, build_world, save
from tests.test_mail_sender import config_for

POSTBOX = Postbox(
    "NI Strategic Migration Partnership", "https://workbench.nismp.test", "nismp.test"
)
HOSTILE = (
    '<script>alert("x")</script> <img src="https://tracker.example/p.gif"> '
    "[click](https://evil.example) **bold** & more"
)


def messages(engine, kind: str | None = None) -> list[OutboxMessage]:
    with read_scope(engine) as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        return list(session.scalars(query))


# --- rendering -------------------------------------------------------------------------------


def hostile_review() -> str:
    letter = review_letter(
        Recipient("chair@example.org", "Chair <b>Doherty</b>"),
        consultation_id=1,
        title=HOSTILE,
        number=2,
        review_by=date(2026, 12, 18),
        today=date(2026, 12, 8),
        sent_by="Officer & Co",
        note=HOSTILE + "\nSecond line of the note.",
        link="https://workbench.nismp.test/board_review?consultation=1",
    )
    return render_html(letter, "NI <Strategic> Migration Partnership")


def test_the_html_part_escapes_every_word_people_wrote():
    page = hostile_review()
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=&quot;https://tracker.example/p.gif&quot;&gt;" in page
    assert "Officer &amp; Co" in page
    assert "NI &lt;Strategic&gt; Migration Partnership" in page
    assert "Chair &lt;b&gt;Doherty&lt;/b&gt;" in page


class Tags(HTMLParser):
    """Every element and attribute of an HTML page, as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def test_the_html_part_fetches_nothing_and_links_only_to_the_workbench():
    parsed = Tags()
    parsed.feed(hostile_review())
    assert parsed.tags <= {
        "html",
        "head",
        "meta",
        "title",
        "body",
        "div",
        "p",
        "a",
        "br",
        "table",
        "tr",
        "th",
        "td",
        "blockquote",
    }
    assert not [a for a in parsed.attributes if a[1] in {"src", "background", "srcset"}]
    assert not [a for a in parsed.attributes if "url(" in a[2]]
    assert {value for tag, name, value in parsed.attributes if name == "href"} == {
        "https://workbench.nismp.test/board_review?consultation=1"
    }


def test_the_text_part_says_the_same_with_the_note_quoted_and_the_link_on_its_own_line():
    letter = review_letter(
        Recipient("chair@example.org", "Margaret Doherty"),
        consultation_id=1,
        title="Family migration",
        number=2,
        review_by=date(2026, 12, 18),
        today=date(2026, 12, 8),
        sent_by="Aoife Byrne",
        note="Section 3 changed.\nPlease read the annex.",
        link="https://workbench.nismp.test/board_review?consultation=1",
    )
    text = render_text(letter, "NI Strategic Migration Partnership")
    assert text.startswith("Dear Margaret Doherty,\n")
    assert "Please decide by: Friday 18 December 2026, 10 days left" in text
    assert (
        "Aoife Byrne's note for the board:\n> Section 3 changed.\n> Please read the annex." in text
    )
    assert "\nhttps://workbench.nismp.test/board_review?consultation=1\n" in text
    assert "NI Strategic Migration Partnership" in text
    assert all(len(line) <= 72 or "http" in line for line in text.splitlines())


def test_a_subject_never_carries_a_line_break_into_the_headers(engine):
    letter = review_letter(
        Recipient("chair@example.org"),
        consultation_id=None,
        title="Family\r\nBcc: everyone@example.org",
        number=1,
        review_by=date(2026, 12, 18),
        today=date(2026, 12, 8),
        sent_by="Officer",
        note="",
        link="https://workbench.nismp.test/board_review",
    )
    assert "\n" not in letter.subject and "\r" not in letter.subject
    with session_scope(engine) as session:
        post(session, POSTBOX, letter, now=NOW)
    [message] = messages(engine)
    assert message.subject == (
        "For your review: version 1 of the response to Family Bcc: everyone@example.org"
    )


# --- a partner submits -------------------------------------------------------------------------


def submit_with(world, partner: int, consent: str, postbox=POSTBOX, *, as_officer=False):
    with session_scope(world.engine) as session:
        who = world.officer if as_officer else world.partners[partner]
        return submit(
            session,
            session.get(User, who),
            world.consultation,
            consent=consent,
            organisation_id=world.organisations[partner] if as_officer else None,
            today=TODAY,
            now=NOW,
            postbox=postbox,
        )


def test_a_submission_sends_the_partner_a_receipt_with_a_copy_of_their_answers(engine):
    world = build_world(engine)
    save(world, 0, 0, NRPF_BELFAST)
    save(world, 0, 2, "Line one of the answer.\x0bA pasted Word line.")
    submit_with(world, 0, "sector")
    [receipt] = messages(engine, Kind.RECEIPT)
    with read_scope(engine) as session:
        partner = session.get(User, world.partners[0])
        assert (receipt.to_address, receipt.person_id) == (partner.email, partner.id)
        [attachment] = session.scalars(select(OutboxAttachment)).all()
        content, name = attachment.content, attachment.name
    assert receipt.subject == (
        "Received: Partner organisation 1's response to Family migration: a consultation"
    )
    assert f"How the partnership may quote you: {CONSENT_CHOICES['sector']}" in receipt.text_body
    assert "Questions answered: 2 of 3" in receipt.text_body
    assert name == (
        "partner-organisation-1-response-to-family-migration-a-consultation-submission-1.docx"
    )
    document = docx.Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    assert "How the partnership may quote you: " + CONSENT_CHOICES["sector"] in paragraphs
    assert NRPF_BELFAST in paragraphs
    # Word's line break (a vertical tab, which XML cannot hold) starts a new line.
    assert paragraphs[-2:] == ["Line one of the answer.", "A pasted Word line."]
    assert paragraphs.count("Not answered.") == 1
    assert {p.style.name for p in document.paragraphs} >= {"Title", "Heading 1", "Quote"}
    assert document.core_properties.title == (
        "Partner organisation 1: response to Family migration: a consultation"
    )


def test_the_officers_are_told_when_a_partner_submits(engine):
    world = build_world(engine)
    with session_scope(engine) as session:
        second = add_person(session, "officer", email="second.officer@example.org")
        add_person(session, "officer", email="gone@example.org").active = False
    save(world, 1, 0, ESOL)
    submit_with(world, 1, "named")
    told = messages(engine, Kind.SUBMITTED)
    with read_scope(engine) as session:
        first = session.get(User, world.officer)
        assert sorted(m.to_address for m in told) == sorted([first.email, second.email])
    assert told[0].subject == (
        "Partner organisation 2 submitted its response to Family migration: a consultation"
    )
    assert "Organisations submitted so far: 1 of 3" in told[0].text_body
    assert "https://workbench.nismp.test/tracker?consultation=" in told[0].text_body


def test_a_submission_entered_by_the_officer_sends_the_receipt_to_the_organisations_partners(
    engine,
):
    world = build_world(engine)
    with session_scope(engine) as session:
        colleague = add_person(
            session,
            "partner",
            email="colleague@example.org",
            organisation=session.get(User, world.partners[0]).organisation,
        )
    with session_scope(engine) as session:
        save_answer(
            session,
            session.get(User, world.officer),
            world.consultation,
            AnswerInput(question_id=world.questions[0], text=ESOL),
            seen_version=0,
            organisation_id=world.organisations[0],
            today=TODAY,
            now=NOW,
        )
    submit_with(world, 0, "named", as_officer=True)
    receipts = messages(engine, Kind.RECEIPT)
    with read_scope(engine) as session:
        partner = session.get(User, world.partners[0])
        assert sorted(m.to_address for m in receipts) == sorted([partner.email, colleague.email])
    assert "the policy officer, on your behalf" in receipts[0].text_body
    # The officer who entered it is not told of their own action.
    assert messages(engine, Kind.SUBMITTED) == []


def test_without_email_a_submission_writes_nothing_to_the_outbox(engine):
    world = build_world(engine)
    save(world, 0, 0, ESOL)
    submit_with(world, 0, "named", postbox=None)
    assert messages(engine) == []


def test_a_refused_submission_writes_no_message(engine):
    world = build_world(engine)
    with pytest.raises(Exception, match="Answer at least one question"):
        submit_with(world, 0, "named")
    assert messages(engine) == []


# --- the consultation opens ------------------------------------------------------------------


def test_opening_a_consultation_tells_every_active_partner_once(engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        from tests.conftest import add_consultation

        consultation = add_consultation(session, officer, title="Asylum support <review>")
        council = add_organisation(session, "Belfast City Council")
        closed = add_organisation(session, "Closed Down Trust", "voluntary and community")
        closed.active = False
        aoife = add_person(session, "partner", email="aoife@belfast.gov.uk", organisation=council)
        add_person(
            session, "partner", email="left@belfast.gov.uk", organisation=council
        ).active = False
        add_person(session, "partner", email="closed@trust.org", organisation=closed)
        add_person(session, "board", email="board@example.org")
        cid, officer_id = consultation.id, officer.id
    for move, hours in (("open", 1), ("draft", 2), ("open", 3)):
        with session_scope(engine) as session:
            move_consultation(
                session,
                session.get(User, officer_id),
                cid,
                move,
                now=later(hours=hours),
                postbox=POSTBOX,
            )
    [opened] = messages(engine, Kind.OPENED)
    assert opened.to_address == aoife.email
    assert opened.subject == "Now open for your answers: Asylum support <review>"
    assert "&lt;review&gt;" in opened.html_body
    assert f"https://workbench.nismp.test/answer?consultation={cid}" in opened.text_body
    assert "Questions: 3" in opened.text_body


# --- the board ---------------------------------------------------------------------------------


def test_the_board_is_emailed_the_version_awaiting_review_with_the_officers_note(engine):
    board = build_board(engine)
    with session_scope(engine) as session:
        session.get(User, board.other).active = False  # a member who has left is not emailed
    send(board, note="Please look at the recommendations <first>.", postbox=POSTBOX)
    alerts = messages(engine, Kind.REVIEW)
    with read_scope(engine) as session:
        expected = {session.get(User, board.chair).email, session.get(User, board.member).email}
    assert {m.to_address for m in alerts} == expected
    assert "> Please look at the recommendations <first>." in alerts[0].text_body
    assert "Please look at the recommendations &lt;first&gt;." in alerts[0].html_body
    assert f"board_review?consultation={board.cid}" in alerts[0].text_body


def test_the_board_and_the_officers_are_emailed_when_the_board_approves(engine):
    board = build_in_review(engine, postbox=POSTBOX)
    with session_scope(engine) as session:
        record_decision(
            session,
            session.get(User, board.chair),
            board.cid,
            number=1,
            decision=APPROVE,
            now=later(hours=3),
            postbox=POSTBOX,
        )
    approved = messages(engine, Kind.APPROVED)
    with read_scope(engine) as session:
        expected = {
            session.get(User, pid).email
            for pid in (board.chair, board.member, board.other, board.officer)
        }
    assert {m.to_address for m in approved} == expected
    assert approved[0].subject == "Approved: the response to Family migration: a consultation"


# --- delivered ---------------------------------------------------------------------------------


def test_a_receipt_arrives_with_the_copy_attached(engine, smtp_server, tmp_path):
    config = config_for(smtp_server, tmp_path)
    world = build_world(engine)
    save(world, 0, 0, NRPF_BELFAST)
    submit_with(world, 0, "anonymous")
    report = send_due(engine, transport_for(config), max_attempts=3, clock=utcnow)
    assert report.sent == 2  # the receipt, and the officer's news
    arrived = smtp_server.catcher.wait_for(2)
    with read_scope(engine) as session:
        partner = session.get(User, world.partners[0]).email
    [receipt] = [r for r in arrived if r.to == partner]
    [(name, media_type, content)] = receipt.attachments()
    assert name.endswith("-submission-1.docx")
    assert media_type == ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert NRPF_BELFAST in [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]
    assert CONSENT_CHOICES["anonymous"] in receipt.part("text/plain")


def test_every_kind_of_message_has_a_label_for_the_outbox():
    from consultations.mail.letters import KIND_LABELS

    assert set(KIND_LABELS) == set(Kind)


def test_receipt_letter_without_a_copy_points_to_the_download():
    letter = receipt_letter(
        Recipient("a@example.org"),
        consultation_id=1,
        title="T",
        organisation="O",
        submitted_at=NOW,
        submitted_by="P",
        on_behalf=False,
        consent="named",
        answered=1,
        questions=2,
        deadline=TODAY + timedelta(days=3),
        link="https://workbench.nismp.test/answer?consultation=1",
        copy=None,
    )
    assert "download a copy of your answers" in render_text(letter, "NISMP")

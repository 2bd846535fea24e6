"""Every kind of message the workbench sends, written once as blocks and rendered twice: as plain
text and as HTML.

The HTML part escapes every word (names, titles and notes come from people, and a partner's
text is never markup), links only to the workbench, and holds no image, style sheet or anything
else fetched from elsewhere: there is nothing to track a reader with.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from consultations.dates import deadline_phrase, plain_date, plain_datetime
from consultations.words import possessive


class Kind(StrEnum):
    """The kinds of message, as stored in the outbox."""

    INVITE = "invite"
    ACCESS_RESET = "access_reset"
    PASSWORD_RESET = "password_reset"
    OPENED = "consultation_opened"
    REMINDER = "reminder"
    RECEIPT = "receipt"
    SUBMITTED = "partner_submitted"
    REVIEW = "board_review"
    APPROVED = "board_approved"
    ACCOUNT = "account_change"
    TEST = "test"


KIND_LABELS = {
    Kind.INVITE: "Invitation",
    Kind.ACCESS_RESET: "Access reset by an officer",
    Kind.PASSWORD_RESET: "Password reset asked for",
    Kind.OPENED: "Consultation opened to partners",
    Kind.REMINDER: "Reminder to submit",
    Kind.RECEIPT: "Receipt for a submission",
    Kind.SUBMITTED: "A partner submitted",
    Kind.REVIEW: "Draft awaiting the board's review",
    Kind.APPROVED: "Draft approved by the board",
    Kind.ACCOUNT: "Board account changed",
    Kind.TEST: "Test message",
}
MAX_SUBJECT = 300
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain words."""

    text: str


@dataclass(frozen=True)
class Button:
    """The message's main link: a button in HTML, the label and the address in plain text."""

    label: str
    url: str


@dataclass(frozen=True)
class Facts:
    """A few labelled facts, one per line ("Partner deadline: Friday 4 December 2026")."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Quote:
    """Someone's own words, quoted as they wrote them (the officer's note to the board)."""

    label: str
    text: str


Block = Paragraph | Button | Facts | Quote


@dataclass(frozen=True)
class Recipient:
    """Who a message goes to."""

    address: str
    name: str = ""
    person_id: int | None = None


@dataclass(frozen=True)
class FileToSend:
    """A file attached to a message."""

    name: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class Letter:
    """One message to one person, before it is rendered."""

    kind: Kind
    to: Recipient
    subject: str
    blocks: tuple[Block, ...]
    consultation_id: int | None = None
    attachments: tuple[FileToSend, ...] = ()
    # The message carries a login link: never shown to officers, taken out once sent.
    holds_link: bool = False
    why: str = ""


def one_line(text: str, limit: int = MAX_SUBJECT) -> str:
    """Return text on one line (no line breaks can reach a header), at most ``limit`` long."""
    flat = _SPACE.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


# --- rendering ---------------------------------------------------------------------------------


def render_text(letter: Letter, partnership: str) -> str:
    """Return the plain-text part: paragraphs wrapped at 72 characters, links on lines of their
    own, quotes marked with '>'."""
    parts = [f"Dear {one_line(letter.to.name) or 'colleague'},"]
    for block in letter.blocks:
        parts.append(_text_block(block))
    parts.append(f"The policy team\n{partnership}")
    parts.append("-- \n" + _wrap(_footer(letter, partnership)))
    return "\n\n".join(parts) + "\n"


def _text_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return _wrap(block.text)
    if isinstance(block, Button):
        return f"{block.label}:\n{block.url}"
    if isinstance(block, Facts):
        return "\n".join(f"{label}: {value}" for label, value in block.rows)
    quoted = "\n".join(f"> {line}" if line else ">" for line in block.text.splitlines())
    return f"{block.label}:\n{quoted}"


def _wrap(text: str) -> str:
    return "\n".join(
        textwrap.fill(line, 72, break_long_words=False, break_on_hyphens=False) if line else ""
        for line in text.splitlines()
    )


def _footer(letter: Letter, partnership: str) -> str:
    why = letter.why or "You get this email because you have an account on the workbench."
    return (
        f"{partnership}: consultation response workbench. {why} To reach the policy team, "
        "reply to this email."
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render_html(letter: Letter, partnership: str) -> str:
    """Return the HTML part: the same words as the text part, every one of them escaped."""
    body = "\n".join(_html_block(block) for block in letter.blocks)
    name = _e(one_line(letter.to.name) or "colleague")
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(one_line(letter.subject))}</title>
</head>
<body style="margin:0;padding:0;background:#f3f2f1;">
<div style="max-width:640px;margin:0 auto;padding:24px 16px;font-family:Arial,Helvetica,sans-serif;\
font-size:16px;line-height:1.5;color:#0b0c0c;">
<p style="margin:0 0 16px;font-size:14px;font-weight:bold;color:#1d4f91;">{_e(partnership)}</p>
<div style="background:#ffffff;padding:24px;border-top:4px solid #1d4f91;">
<p style="margin:0 0 16px;">Dear {name},</p>
{body}
<p style="margin:24px 0 0;">The policy team<br>{_e(partnership)}</p>
</div>
<p style="margin:16px 0 0;font-size:13px;color:#505a5f;">{_e(_footer(letter, partnership))}</p>
</div>
</body>
</html>
"""


def _html_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        lines = "<br>".join(_e(line) for line in block.text.splitlines())
        return f'<p style="margin:0 0 16px;">{lines}</p>'
    if isinstance(block, Button):
        url = _e(block.url)
        return (
            '<p style="margin:24px 0;"><a href="'
            + url
            + '" style="display:inline-block;background:#00703c;color:#ffffff;padding:10px 16px;'
            'text-decoration:none;font-weight:bold;border-radius:4px;">'
            + _e(block.label)
            + "</a></p>"
            + '<p style="margin:0 0 16px;font-size:14px;color:#505a5f;">'
            + "If the button does not work, copy this address into your browser:<br>"
            + f'<a href="{url}" style="color:#1d70b8;word-break:break-all;">{url}</a></p>'
        )
    if isinstance(block, Facts):
        rows = "".join(
            '<tr><th scope="row" style="text-align:left;vertical-align:top;padding:4px 16px 4px '
            f'0;font-weight:bold;">{_e(label)}</th><td style="padding:4px 0;">{_e(value)}</td></tr>'
            for label, value in block.rows
        )
        table = '<table role="presentation" style="border-collapse:collapse;margin:0 0 16px;">'
        return f"{table}{rows}</table>"
    lines = "<br>".join(_e(line) for line in block.text.splitlines())
    return (
        f'<p style="margin:0 0 4px;font-weight:bold;">{_e(block.label)}</p>'
        '<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #b1b4b6;'
        f'background:#f8f8f8;">{lines}</blockquote>'
    )


# --- the letters -------------------------------------------------------------------------------

ROLE_PHRASES = {
    "partner": "to answer consultations for {organisation}",
    "officer": "as a policy officer",
    "board": "as a member of the board",
}


def invite_letter(
    to: Recipient,
    *,
    partnership: str,
    role: str,
    organisation: str,
    link: str,
    expires_at: datetime,
    is_chair: bool = False,
) -> Letter:
    """An invitation to join the workbench, with the single-use link that sets a password."""
    role_phrase = (
        "as the chair of the board"
        if is_chair
        else ROLE_PHRASES.get(role, "").format(organisation=organisation or "your organisation")
    )
    return Letter(
        kind=Kind.INVITE,
        to=to,
        subject=one_line(f"Your invitation to the {partnership} consultation workbench"),
        blocks=(
            Paragraph(
                f"You have been invited to the {possessive(partnership)} consultation response "
                f"workbench {role_phrase}. The workbench is where the partnership gathers its "
                "partners' answers to government consultations and agrees its response."
            ),
            Paragraph("Choose your password with this link to get started:"),
            Button("Choose your password", link),
            Facts((("The link works until", plain_datetime(expires_at)),)),
            Paragraph(
                "The link works once, and only for you: please do not forward this email. If "
                "you were not expecting it, you can ignore it."
            ),
        ),
        holds_link=True,
        why="You get this email because the partnership's policy team invited you.",
    )


def access_reset_letter(
    to: Recipient, *, partnership: str, link: str, expires_at: datetime
) -> Letter:
    """A new login link after an officer or administrator reset the person's access."""
    return Letter(
        kind=Kind.ACCESS_RESET,
        to=to,
        subject=one_line(f"A new link to log in to the {partnership} workbench"),
        blocks=(
            Paragraph(
                "Your access to the consultation workbench has been reset by the policy team, "
                "so your old password no longer works. Choose a new one with this link:"
            ),
            Button("Choose a new password", link),
            Facts((("The link works until", plain_datetime(expires_at)),)),
            Paragraph(
                "The link works once, and only for you: please do not forward this email. If "
                "you did not ask for this, tell the policy team by replying to this email."
            ),
        ),
        holds_link=True,
    )


def password_reset_letter(
    to: Recipient, *, partnership: str, link: str, expires_at: datetime
) -> Letter:
    """The single-use link a person asked for on the login page."""
    return Letter(
        kind=Kind.PASSWORD_RESET,
        to=to,
        subject=one_line(f"Reset your password for the {partnership} workbench"),
        blocks=(
            Paragraph(
                "Someone, probably you, asked to reset the password of your account on the "
                "consultation workbench. Choose a new password with this link:"
            ),
            Button("Choose a new password", link),
            Facts((("The link works until", plain_datetime(expires_at)),)),
            Paragraph(
                "Your current password keeps working until you choose a new one. If you did "
                "not ask for this, you can ignore this email: nothing has changed."
            ),
        ),
        holds_link=True,
    )


def opened_letter(
    to: Recipient,
    *,
    consultation_id: int,
    title: str,
    department: str,
    deadline: date,
    today: date,
    questions: int,
    link: str,
) -> Letter:
    """A consultation is open to partners: what it is, the deadline and where to answer."""
    return Letter(
        kind=Kind.OPENED,
        to=to,
        subject=one_line(f"Now open for your answers: {title}"),
        consultation_id=consultation_id,
        blocks=(
            Paragraph(
                f"The partnership is gathering its partners' views on the {possessive(department)} "
                f"consultation '{one_line(title)}', and it is now open for your organisation's "
                "answers."
            ),
            Facts(
                (
                    ("Partner deadline", deadline_phrase(deadline, today)),
                    ("Questions", str(questions)),
                )
            ),
            Button("Read the questions and answer", link),
            Paragraph(
                "Everyone at your organisation works on the same response, and it is saved as "
                "you go. The partnership's response carries more weight with every partner "
                "who answers."
            ),
        ),
    )


def reminder_letter(
    to: Recipient,
    *,
    consultation_id: int,
    title: str,
    organisation: str,
    deadline: date,
    today: date,
    progress: str,
    link: str,
) -> Letter:
    """A reminder to an organisation that has not submitted."""
    return Letter(
        kind=Kind.REMINDER,
        to=to,
        subject=one_line(f"Reminder: {title}, partner deadline {plain_date(deadline)}"),
        consultation_id=consultation_id,
        blocks=(
            Paragraph(
                f"{organisation} has not yet submitted its answers to '{one_line(title)}'. "
                "The partnership would like to include your evidence in its response."
            ),
            Facts(
                (
                    ("Partner deadline", deadline_phrase(deadline, today)),
                    ("Where your response stands", progress),
                )
            ),
            Button("Continue your response", link),
            Paragraph(
                "If your organisation does not plan to answer, or needs more time, please reply "
                "to this email to let the policy team know."
            ),
        ),
        why="You get this email because your organisation is a partner of the partnership.",
    )


def receipt_letter(
    to: Recipient,
    *,
    consultation_id: int,
    title: str,
    organisation: str,
    submitted_at: datetime,
    submitted_by: str,
    on_behalf: bool,
    consent: str,
    answered: int,
    questions: int,
    deadline: date,
    link: str,
    copy: FileToSend | None,
) -> Letter:
    """A receipt for a submission, with a copy of the answers attached."""
    by = f"{submitted_by} (the policy officer, on your behalf)" if on_behalf else submitted_by
    copy_line = (
        "A copy of your answers is attached as a Word document. "
        if copy
        else "You can download a copy of your answers from the workbench. "
    )
    return Letter(
        kind=Kind.RECEIPT,
        to=to,
        subject=one_line(f"Received: {possessive(organisation)} response to {title}"),
        consultation_id=consultation_id,
        attachments=(copy,) if copy else (),
        blocks=(
            Paragraph(
                f"Thank you. The partnership has received {possessive(organisation)} response to "
                f"'{one_line(title)}'."
            ),
            Facts(
                (
                    ("Submitted", plain_datetime(submitted_at)),
                    ("By", by),
                    ("Questions answered", f"{answered} of {questions}"),
                    ("How the partnership may quote you", consent),
                )
            ),
            Paragraph(
                copy_line + "You can change your answers and submit again until the partner "
                f"deadline, {plain_date(deadline)}."
            ),
            Button("See your response", link),
        ),
    )


def submitted_letter(
    to: Recipient,
    *,
    consultation_id: int,
    title: str,
    organisation: str,
    submitted_by: str,
    submitted_at: datetime,
    answered: int,
    questions: int,
    submitted_count: int,
    organisations: int,
    link: str,
) -> Letter:
    """The officer told that a partner submitted."""
    return Letter(
        kind=Kind.SUBMITTED,
        to=to,
        subject=one_line(f"{organisation} submitted its response to {title}"),
        consultation_id=consultation_id,
        blocks=(
            Paragraph(
                f"{submitted_by} submitted {possessive(organisation)} response to "
                f"'{one_line(title)}'."
            ),
            Facts(
                (
                    ("Submitted", plain_datetime(submitted_at)),
                    ("Questions answered", f"{answered} of {questions}"),
                    ("Organisations submitted so far", f"{submitted_count} of {organisations}"),
                )
            ),
            Button("See who has responded", link),
        ),
    )


def review_letter(
    to: Recipient,
    *,
    consultation_id: int,
    title: str,
    number: int,
    review_by: date,
    today: date,
    sent_by: str,
    note: str,
    link: str,
) -> Letter:
    """A board member asked to review a version of the draft response."""
    blocks: list[Block] = [
        Paragraph(
            f"Version {number} of the partnership's draft response to '{one_line(title)}' is "
            "awaiting your review."
        ),
        Facts(
            (
                ("Please decide by", deadline_phrase(review_by, today)),
                ("Sent by", sent_by),
            )
        ),
    ]
    if note.strip():
        blocks.append(Quote(f"{possessive(sent_by)} note for the board", note.strip()))
    blocks += [
        Button("Read and review the draft", link),
        Paragraph("You can comment on each section, and approve the draft or ask for changes."),
    ]
    return Letter(
        kind=Kind.REVIEW,
        to=to,
        subject=one_line(f"For your review: version {number} of the response to {title}"),
        consultation_id=consultation_id,
        blocks=tuple(blocks),
    )


def approved_letter(
    to: Recipient,
    *,
    consultation_id: int,
    title: str,
    number: int,
    approved_on: date,
    link: str,
) -> Letter:
    """The board approved a version of the response."""
    return Letter(
        kind=Kind.APPROVED,
        to=to,
        subject=one_line(f"Approved: the response to {title}"),
        consultation_id=consultation_id,
        blocks=(
            Paragraph(
                f"The board approved version {number} of the partnership's response to "
                f"'{one_line(title)}' on {plain_date(approved_on)}. The approved document is "
                "frozen: any later change makes a new version that needs approval again."
            ),
            Button("See the approved response", link),
        ),
    )


def account_letter(to: Recipient, *, person: str, message: str, link: str) -> Letter:
    """The chair (or the board) told of a change to a board account."""
    return Letter(
        kind=Kind.ACCOUNT,
        to=to,
        subject=one_line(f"A change to the board's accounts: {person}"),
        blocks=(
            Paragraph(message),
            Paragraph(
                "Board accounts are created, reset and deactivated only by the partnership's "
                "administrator, and each change is announced to the chair. If this is not what "
                "you expected, reply to this email."
            ),
            Button("Open the workbench", link),
        ),
    )


def trial_letter(to: Recipient, *, partnership: str, sent_at: datetime) -> Letter:
    """A message that only proves the mail settings work."""
    return Letter(
        kind=Kind.TEST,
        to=to,
        subject=one_line(f"Test message from the {partnership} workbench"),
        blocks=(
            Paragraph(
                "This message shows that the workbench can send email with its current "
                "settings. Nothing else needs doing."
            ),
            Facts((("Written", plain_datetime(sent_at)),)),
        ),
        why="You get this email because an administrator asked for a test message.",
    )

"""Who may do what: the access table as data, checked on every page and action.

ARCHITECTURE.md ("Who does what") says it in words.

Hiding a button is not access control: each page calls ``require_page`` and each plain function
that changes something calls ``require`` with the acting person before it touches the database.
"""

from __future__ import annotations

from typing import Protocol

from consultations.errors import AccessDenied


class Person(Protocol):
    """Anyone whose role can be checked: an ORM ``User`` or a page's snapshot of one."""

    role: str
    active: bool


OFFICER = frozenset({"officer"})
EVERYONE = frozenset({"partner", "officer", "board"})

# action -> the roles allowed to do it
ACTIONS: dict[str, frozenset[str]] = {
    "consultation.view": EVERYONE,
    "consultation.edit": OFFICER,
    "consultation.move": OFFICER,
    "question.edit": OFFICER,
    "question.import": OFFICER,
    "organisation.edit": OFFICER,
    "person.invite": OFFICER,
    "person.manage": OFFICER,
    "audit.view": OFFICER,
    # Write and submit answers: partners for their own organisation only (the rule is
    # evidence.submissions.organisation_for), officers on a partner's behalf.
    "submission.edit": frozenset({"partner", "officer"}),
    "submission.track": OFFICER,
    "theme.edit": OFFICER,
    "tag.review": OFFICER,
    "model.train": OFFICER,
    "draft.edit": OFFICER,
    # Board review: the officer sends a version to the board and records it as sent; board
    # members read what was sent to them, comment and decide; everyone sees the approved response.
    "draft.send": OFFICER,
    "draft.read": frozenset({"officer", "board"}),
    "draft.review": frozenset({"board"}),
    "response.view": EVERYONE,
    "notification.view": EVERYONE,
    # Email: officers see the outbox, send a failed message again, and remind partners.
    "mail.view": OFFICER,
    "mail.resend": OFFICER,
    "reminder.send": OFFICER,
}

# page key -> the roles that may open it
PAGES: dict[str, frozenset[str]] = {
    "home": frozenset({"officer", "board"}),
    "consultation_edit": OFFICER,
    "questions": OFFICER,
    "organisations": OFFICER,
    "people": OFFICER,
    "partner_home": frozenset({"partner"}),
    "answer": frozenset({"partner", "officer"}),
    "tracker": OFFICER,
    "import_response": OFFICER,
    "review": OFFICER,
    "themes": OFFICER,
    "learning": OFFICER,
    "analysis": OFFICER,
    "draft": OFFICER,
    "approval": OFFICER,
    "board_review": frozenset({"board"}),
    "response": EVERYONE,
    "notifications": EVERYONE,
    "audit": OFFICER,
    "outbox": OFFICER,
}

ROLE_LABELS = {"partner": "partner", "officer": "policy officer", "board": "board member"}
ROLE_NAMES = {"partner": "partners", "officer": "policy officers", "board": "board members"}


def allowed(user: Person | None, action: str) -> bool:
    """Say whether the person may do the action (an unknown action is allowed to nobody)."""
    return bool(user and user.active and user.role in ACTIONS.get(action, frozenset()))


def page_allowed(user: Person | None, page: str) -> bool:
    """Say whether the person may open the page (an unknown page is open to nobody)."""
    return bool(user and user.active and user.role in PAGES.get(page, frozenset()))


def require(user: Person | None, action: str) -> Person:
    """Return the person if they may do the action; refuse otherwise."""
    if not allowed(user, action):
        raise AccessDenied(_refusal(ACTIONS.get(action, frozenset()), "do this"))
    assert user is not None
    return user


def require_page(user: Person | None, page: str) -> Person:
    """Return the person if they may open the page; refuse otherwise."""
    if not page_allowed(user, page):
        raise AccessDenied(_refusal(PAGES.get(page, frozenset()), "open this page"))
    assert user is not None
    return user


def _refusal(roles: frozenset[str], what: str) -> str:
    if not roles:
        return f"Nobody can {what}."
    names = [ROLE_NAMES[r] for r in sorted(roles)]
    names = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    return (
        f"Only {names} can {what}. If you need it, ask your partnership's policy officer. "
        "This attempt has been recorded."
    )

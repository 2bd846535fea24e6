"""The consultation response workbench: page setup, login and role-based navigation. No logic."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from consultations import access
from consultations.pages import databases, later_stages, logins, memory, sidebar, start_pages
from exports import demo, review_overview

PAGES = "consultations/pages"
ICON = Path(__file__).resolve().parent / "consultations" / "static" / "icon.png"

# page key -> (file, title, icon, section); the access table decides who sees which.
LOGGED_IN_PAGES = {
    "partner_home": (
        "evidence/pages/partner_home.py",
        "Your consultations",
        ":material/home:",
        "Consultations",
    ),
    "home": (f"{PAGES}/home.py", "Consultations", ":material/list_alt:", "Consultations"),
    "answer": ("evidence/pages/answer.py", "Answer", ":material/edit:", "Consultations"),
    "tracker": ("evidence/pages/tracker.py", "Responses", ":material/fact_check:", "Consultations"),
    "import_response": (
        "evidence/pages/import_response.py",
        "Import a response",
        ":material/upload_file:",
        "Consultations",
    ),
    "consultation_edit": (
        f"{PAGES}/consultation_edit.py",
        "Set up a consultation",
        ":material/edit_note:",
        "Consultations",
    ),
    "questions": (f"{PAGES}/questions.py", "Questions", ":material/help:", "Consultations"),
    "review": (
        "evidence/pages/review.py",
        "Review theme tags",
        ":material/rule:",
        "Evidence",
    ),
    "themes": ("evidence/pages/themes.py", "Themes", ":material/sell:", "Evidence"),
    "learning": (
        "evidence/pages/learning.py",
        "Learning from decisions",
        ":material/model_training:",
        "Evidence",
    ),
    "analysis": ("exports/pages/analysis.py", "Analysis", ":material/insights:", "Response"),
    "draft": ("exports/pages/draft.py", "Draft response", ":material/article:", "Response"),
    "approval": (
        "exports/pages/approval.py",
        "Board approval",
        ":material/approval:",
        "Response",
    ),
    "board_review": (
        "exports/pages/board_review.py",
        "Review the draft",
        ":material/rate_review:",
        "Response",
    ),
    "response": (
        "exports/pages/response.py",
        "Approved response",
        ":material/verified:",
        "Response",
    ),
    "notifications": (
        f"{PAGES}/notifications.py",
        "Notifications",
        ":material/notifications:",
        "Consultations",
    ),
    "audit": (f"{PAGES}/audit.py", "Audit trail", ":material/history:", "Partnership"),
    "organisations": (
        f"{PAGES}/organisations.py",
        "Organisations",
        ":material/corporate_fare:",
        "Partnership",
    ),
    "people": (f"{PAGES}/people.py", "People and invites", ":material/group:", "Partnership"),
    "outbox": (f"{PAGES}/outbox.py", "Outbox", ":material/outbox:", "Partnership"),
}


def page_title(key: str, viewer: logins.Viewer) -> str:
    """The page's title for this person (the officer enters answers on a partner's behalf)."""
    title = LOGGED_IN_PAGES[key][1]
    return "Enter answers for a partner" if key == "answer" and viewer.role == "officer" else title


def logged_in_navigation(viewer: logins.Viewer) -> list[st.Page]:
    """Every page, so that a URL always reaches its guard; only permitted ones are listed."""
    pages = []
    for key, (path, _, icon, _) in LOGGED_IN_PAGES.items():
        allowed = access.page_allowed(viewer, key)
        pages.append(
            st.Page(
                path,
                title=page_title(key, viewer),
                icon=icon,
                default=allowed and path == start_pages.HOME_PAGES[viewer.role],
                visibility="visible" if allowed else "hidden",
            )
        )
    pages.append(
        st.Page(f"{PAGES}/accept_invite.py", title="Accept an invite", visibility="hidden")
    )
    pages.append(
        st.Page(f"{PAGES}/reset_password.py", title="Reset your password", visibility="hidden")
    )
    return pages


def menu(viewer: logins.Viewer) -> dict[str, list[tuple[str, str, str]]]:
    """The pages the person may open, by section, as the sidebar lists them: (file, title,
    icon). Notifications are left out: the sidebar links to them with the count of new ones.

    The sidebar draws this menu itself rather than through st.navigation's own, whose sections
    put a heading inside the list of links, which screen readers announce as a broken list.
    """
    sections: dict[str, list[tuple[str, str, str]]] = {}
    for key, (path, _, icon, section) in LOGGED_IN_PAGES.items():
        if key != "notifications" and access.page_allowed(viewer, key):
            sections.setdefault(section, []).append((path, page_title(key, viewer), icon))
    return sections


def logged_out_navigation() -> list[st.Page]:
    """The first-run screen on an empty database, otherwise the login; and invite links."""
    entry = (
        st.Page(start_pages.FIRST_RUN_PAGE, title="Set up the workbench", default=True)
        if start_pages.entry_page() == start_pages.FIRST_RUN_PAGE
        else st.Page(start_pages.LOGIN_PAGE, title="Log in", default=True)
    )
    return [
        entry,
        st.Page(f"{PAGES}/accept_invite.py", title="Accept an invite"),
        st.Page(f"{PAGES}/reset_password.py", title="Reset your password"),
    ]


def main() -> None:
    """Route the person to the pages their role allows."""
    st.set_page_config(  # the icon is a file of ours: a material icon is fetched from Google
        page_title="Consultation response workbench", page_icon=str(ICON), layout="wide"
    )
    databases.start_up()
    later_stages.use_demo_builder(demo.build_demo)
    later_stages.use_reviews_waiting(review_overview.awaiting_review)
    memory.freeze_long_lived_objects(after="start-up")
    viewer = logins.restore_login()
    st.session_state["_viewer_for_run"] = viewer
    if viewer is None:
        navigation = st.navigation(logged_out_navigation(), position="hidden")
    else:
        navigation = st.navigation(logged_in_navigation(viewer), position="hidden")
        sidebar.sidebar(viewer, menu(viewer))
    logins.write_cookie()
    navigation.run()
    logins.cookie_delivered()
    memory.freeze_long_lived_objects(after=navigation.url_path)


if __name__ == "__main__":
    main()

"""What people wrote is shown as text in every label and message, never as markdown.

One rule (``consultations.pages.escaping``): ``plain`` for a label or a fragment, ``markup_free``
for a whole sentence that quotes people's words. The source walk finds every label, option,
heading and message a page draws from people's text and checks it passes through one of them;
the pages, run with hostile names, show those names as text.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from consultations.db import read_scope, session_scope
from consultations.models import User
from consultations.pages.escaping import markup_free, plain
from consultations.questions import QuestionForm, save_questions
from evidence.models import Theme
from tests.conftest import NOW
from tests.tagging_world import HOTELS, build_world, save, theme_id
from tests.test_hostile_input import PLAIN_ELEMENTS, elements, strings

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "# big [x](http://evil) ![i](http://evil/i.png)"
# A link or an image that would load, or a heading: unless a backslash escapes its sign.
LIVE = re.compile(r"(?m)(?<!\\)\]\(http://evil|^\s{0,3}#+ big")

# Streamlit calls whose first argument (or label, body, help) is markdown; and those whose
# options are markdown too, unless a format_func shows them.
MARKDOWN_CALLS = {
    *("markdown", "write", "caption", "header", "subheader", "title", "toast", "badge"),
    *("info", "warning", "error", "success", "expander", "popover", "status", "tabs"),
    *("checkbox", "toggle", "radio", "button", "form_submit_button", "download_button"),
    *("link_button", "page_link", "selectbox", "multiselect", "text_input", "text_area"),
    *("number_input", "date_input", "time_input", "file_uploader", "metric", "pills"),
    *("segmented_control", "select_slider"),
}
MARKDOWN_OPTIONS = {"radio", "pills", "segmented_control", "select_slider"}
ESCAPES = {"plain", "markup_free"}
# Names that hold what people wrote: names, labels, headings, titles, options, messages.
PEOPLES_WORDS = {
    *("name", "label", "heading", "title", "organisation", "organisation_name", "organisations"),
    *("text", "options", "section", "member", "by", "who", "partnership_name", "description"),
    *("reference", "department", "attribution", "exc", "problem", "message"),
}
# (file, function, call, name) of values that only ever hold the pages' own words.
OWN_WORDS = {
    # "Analysis"
    ("consultations/pages/consultation_picker.py", "consultation_page", "title", "title"),
    ("consultations/pages/consultation_picker.py", "choose_consultation", "selectbox", "label"),
    ("consultations/pages/widgets.py", "confirmed", "button", "label"),  # "Delete"
    ("consultations/pages/sidebar.py", "sidebar", "caption", "section"),  # the menu's sections
    ("consultations/pages/sidebar.py", "sidebar", "page_link", "title"),  # the menu's pages
    # The refusal to start names the operator's settings, with underscores to keep.
    ("consultations/pages/databases.py", "start_up", "error", "exc"),
    ("consultations/pages/people.py", "_manage", "button", "label"),  # "Deactivate ..."
    ("consultations/pages/question_upload.py", "import_questions", "button", "label"),
    ("exports/pages/board_review.py", "_block", "toggle", "label"),  # "Show the 3 answers ..."
    # "Download version 2 (.docx)": the callers' own words and a version number.
    ("exports/pages/word_upload.py", "download_for_word", "download_button", "label"),
    ("consultations/pages/passwords.py", "new_password", "text_input", "label"),  # "New password"
}


def _unescaped(node: ast.AST) -> list[str]:
    """The people's-words names in an expression that no escape function wraps."""
    if isinstance(node, ast.Call):
        called = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        called = called or getattr(node.func, "id", "")
        if called in ESCAPES or called == "len":
            return []
    if isinstance(node, ast.IfExp):  # the condition is not shown
        return _unescaped(node.body) + _unescaped(node.orelse)
    if isinstance(node, ast.Attribute) and node.attr in PEOPLES_WORDS:
        return [ast.unparse(node)]
    if isinstance(node, ast.Name) and node.id in PEOPLES_WORDS:
        return [node.id]
    return [name for child in ast.iter_child_nodes(node) for name in _unescaped(child)]


def _shown(call: ast.Call) -> list[ast.AST]:
    shown = [*call.args[:1], *(k.value for k in call.keywords if k.arg in ("label", "body"))]
    shown += [k.value for k in call.keywords if k.arg == "help"]
    formatted = any(k.arg == "format_func" for k in call.keywords)
    if call.func.attr in MARKDOWN_OPTIONS and not formatted:
        shown += [*call.args[1:2], *(k.value for k in call.keywords if k.arg == "options")]
    return shown


def unescaped_labels() -> list[str]:
    """Every place a page shows people's words as markdown without escaping them."""
    found = []
    for path in sorted(ROOT.glob("*/pages/*.py")):
        where = str(path.relative_to(ROOT))
        for function, call in _calls(ast.parse(path.read_text())):
            if call.func.attr not in MARKDOWN_CALLS:
                continue
            for shown in _shown(call):
                for name in _unescaped(shown):
                    if (where, function, call.func.attr, name) not in OWN_WORDS:
                        found.append(
                            f"{where}:{call.lineno} {function}: st.{call.func.attr}(... {name} ...)"
                        )
    return found


def _calls(node: ast.AST, function: str = "") -> list[tuple[str, ast.Call]]:
    """Every method call in the tree, with the name of the function it stands in."""
    calls = []
    for child in ast.iter_child_nodes(node):
        inside = child.name if isinstance(child, ast.FunctionDef) else function
        if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute):
            calls.append((function, child))
        calls += _calls(child, inside)
    return calls


def test_every_label_option_and_message_passes_peoples_words_through_one_escape():
    assert unescaped_labels() == []


@pytest.mark.parametrize("escape", [plain, markup_free])
def test_hostile_names_stay_text_through_either_escape(escape):
    for name in (HOSTILE, f"Saved by\n{HOSTILE}", "- item", "1. item", "> quote"):
        shown = escape(name)
        assert not LIVE.search(shown), shown
        assert not re.search(r"(?m)^\s*(?:[-+>]|\d+\.)\s", shown), shown


# --- the pages, run with hostile names --------------------------------------------------------


def live(app) -> list[str]:
    """Name every element that shows HOSTILE as markup rather than text."""
    found = []
    for element in elements(app._tree):
        for field, text in strings(element.proto):
            if element.type in PLAIN_ELEMENTS and field not in ("label", "help"):
                continue
            if element.type == "html" or not LIVE.search(text):
                continue
            found.append(f"{element.type} {field}: {text[:120]}")
    return found


def shows(app, words: str) -> bool:
    """Say whether the words are on the page (as markdown shows them: escapes taken out)."""
    return any(
        words.replace("\\", "") in text.replace("\\", "")
        for e in elements(app._tree)
        for _, text in strings(e.proto)
    )


@pytest.fixture
def hostile(engine):
    """An open consultation whose organisations, a closed question's options and a theme carry
    HOSTILE; partner 0 has answered, so the themes are there."""
    world = build_world(engine, prefix=HOSTILE)
    with session_scope(engine) as session:
        officer = session.get(User, world.officer)
        form = QuestionForm("Q4", "Which?", "closed", (f"Yes {HOSTILE}", "No"), HOSTILE)
        save_questions(session, officer, world.consultation, [form], now=NOW, source="f")
    save(world, 0, 0, HOTELS)
    with session_scope(engine) as session:
        asylum = session.get(Theme, theme_id(session, world, "asylum"))
        asylum.label = f"{HOSTILE} asylum"
    return world


def as_user(engine, user_id: int) -> User:
    with read_scope(engine) as session:
        return session.scalar(select(User).where(User.id == user_id))


def test_question_options_and_names_show_as_text_on_the_answer_page(open_page, engine, hostile):
    app = open_page(
        "evidence/pages/answer.py",
        as_user=as_user(engine, hostile.partners[0]),
        query={"consultation": str(hostile.consultation), "question": "4"},
    )
    assert not app.exception
    assert shows(app, "http://evil")
    assert live(app) == []


@pytest.mark.parametrize(
    ("page", "theme_box"),
    [("evidence/pages/themes.py", "Theme"), ("evidence/pages/review.py", "Theme")],
)
def test_a_theme_label_shows_as_text_in_headers_checkboxes_and_expanders(
    open_page, engine, hostile, page, theme_box
):
    app = open_page(
        page,
        as_user=as_user(engine, hostile.officer),
        query={"consultation": str(hostile.consultation)},
    )
    with read_scope(engine) as session:
        asylum = theme_id(session, hostile, "asylum")
    next(box for box in app.selectbox if box.label == theme_box).set_value(asylum).run()
    assert not app.exception
    assert shows(app, f"{plain(HOSTILE)} asylum")  # in a header, a checkbox or an expander
    assert live(app) == []


@pytest.mark.parametrize("escape", [plain, markup_free])
@pytest.mark.parametrize(
    "name",
    ["Fake org http://3232235777/", "see www.example.invalid now", "HTTPS://evil.invalid/x"],
)
def test_a_bare_address_in_peoples_words_is_never_made_a_link(escape, name):
    """Markdown turns a bare address into a link by itself; escaped, it stays text."""
    shown = escape(name)
    assert not re.search(r"(?i)(https?://|www\.)", shown), shown
    assert shown.replace("\\", "") == name

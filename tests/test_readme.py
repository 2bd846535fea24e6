"""The README stays true where it can be checked: the buttons it tells a newcomer to press are
the pages' own, and the annex's note it quotes is the one the draft writes."""

from __future__ import annotations

import re

from exports.annex import themes_note
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def pages_source() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(ROOT.glob("*/pages/*.py")))


def test_the_demos_steps_to_the_board_name_buttons_and_pages_that_exist():
    demo = README[README.index("To send the family migration draft") :]
    demo = demo[: demo.index("\n\n")]
    named = re.findall(r"\*\*(.+?)\*\*", " ".join(demo.split()))
    source = " ".join(pages_source().split())
    for name in ("Start drafting the response", "Make this version the newest again"):
        assert name in named
    for name in named:
        assert f'"{name}' in source or f"'{name}" in source, name


def test_the_readme_quotes_the_annexs_note_on_who_chose_the_themes_as_the_draft_writes_it():
    readme = " ".join(README.split())
    assert themes_note("officers' decisions only") in readme
    assert "annex's first note" not in readme

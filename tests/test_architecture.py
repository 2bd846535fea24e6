"""ARCHITECTURE.md, the project's own note on how it is built, is linked from the README and
stays true where it can be checked: its lifecycle table is the lifecycle map."""

from __future__ import annotations

import re

from consultations.access import ACTIONS
from consultations.consultation import TRANSITIONS, Stage
from tests.conftest import ROOT

NOTE = ROOT / "ARCHITECTURE.md"
STAGE_WORDS = {stage.value.replace("_", " "): stage for stage in Stage}


def lifecycle_rows() -> set[tuple[str, str, str]]:
    """(from, to, who) for every move the note's lifecycle table lists."""
    text = NOTE.read_text(encoding="utf-8")
    table = text.split("## The lifecycle", 1)[1].split("\n## ", 1)[0]
    rows = set()
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[1] or cells[0] in ("from", "---"):
            continue
        for current in cells[0].split(","):
            for wanted in cells[1].split(","):
                rows.add((STAGE_WORDS[current.strip()], STAGE_WORDS[wanted.strip()], cells[2]))
    return rows


def test_the_readme_sends_readers_to_the_architecture_note_in_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "[ARCHITECTURE.md](ARCHITECTURE.md)" in readme
    assert NOTE.is_file()
    assert not re.search(r"follows `DESIGN\.md`|of `DESIGN\.md`", readme)


def test_the_notes_lifecycle_table_is_the_lifecycle_map_with_who_may_make_each_move():
    expected = {
        (current, wanted, " and ".join(sorted(ACTIONS[move.action])))
        for current, moves in TRANSITIONS.items()
        for wanted, move in moves.items()
    }
    assert lifecycle_rows() == expected


def test_the_note_says_where_each_package_lives():
    text = NOTE.read_text(encoding="utf-8")
    for place in ("`app.py`", "`consultations/`", "`evidence/`", "`exports/`", "`*/pages/`"):
        assert place in text

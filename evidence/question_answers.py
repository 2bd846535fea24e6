"""Partners' answers through an edit of their question: what they chose, and relabelling a
reworded option (``consultations.questions`` asks; registered when ``evidence`` is imported).

Relabelling changes the position's wording only, as the officer reworded the option: the
answer's version, text and tags stay as they were, so nobody's open edit is refused for it.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from consultations.questions import AnswerKeeper, register_answer_keeper
from evidence.models import Answer


def chosen_positions(session: Session, question_id: int) -> dict[str, int]:
    """Count the question's answers by the position they chose."""
    return dict(
        session.execute(
            select(Answer.position, func.count())
            .where(Answer.question_id == question_id)
            .group_by(Answer.position)
            .order_by(Answer.position)
        ).all()
    )


def relabel_positions(session: Session, question_id: int, renames: Mapping[str, str]) -> int:
    """Give the answers that chose a reworded option its new wording; return how many."""
    if not renames:
        return 0
    table = Answer.__table__
    result = session.execute(
        update(table)
        .where(table.c.question_id == question_id, table.c.position.in_(list(renames)))
        .values(position=case(dict(renames), value=table.c.position))
    )
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, Answer) and loaded.question_id == question_id:
            session.expire(loaded, ["position"])
    return result.rowcount


register_answer_keeper(AnswerKeeper(chosen=chosen_positions, relabel=relabel_positions))

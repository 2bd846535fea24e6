"""The load bench, small: partners saving and submitting while an officer drafts, on a real
database, lose nothing and see no error; its checks catch a lost update; SQLite writers take
turns in order."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select, update

from bench.load import (
    PartnerLog,
    Plan,
    build_world,
    check_answers,
    check_duplicates,
    partner_save,
    run_load,
)
from consultations.dates import uk_today
from consultations.db import (
    DatabaseBusy,
    WriterQueue,
    make_engine,
    read_scope,
    session_scope,
    utcnow,
)
from consultations.migrate import upgrade
from consultations.models import User
from evidence.models import Answer, Submission
from evidence.submissions import AnswerInput, save_answer, submit
from tests.conftest import add_person

SMALL = Plan(
    partners=8,
    officers=1,
    questions=6,
    rounds=3,
    edits_per_round=3,
    officer_actions=6,
    cap_seconds=40,
)


def test_partners_and_an_officer_at_once_lose_nothing_and_see_no_error(database_url):
    result = run_load(database_url, SMALL)

    assert result.problems == []
    assert not result.capped
    # Every question in the first round, three of them in each later round.
    assert len(result.save_ms) == SMALL.partners * (6 + 3 + 3)
    assert result.submits == SMALL.partners * 2
    assert (result.drafts, result.refused) == (SMALL.officer_actions, 0)


def test_load_check_reports_an_answer_overwritten_behind_the_partner(engine):
    world = build_world(engine, Plan(partners=1, officers=1, questions=3), run="lost")
    log = PartnerLog(world.partner_ids[0])
    question = world.question_ids[0]
    partner_save(engine, log, world, AnswerInput(question, position="Agree", text="Ours."))
    with session_scope(engine) as session:
        # What a lost update looks like: another write replaced the words, version unchanged.
        session.execute(update(Answer).where(Answer.question_id == question).values(text="Theirs."))

    lost = check_answers(engine, world, [log])

    assert lost == [
        f"partner {log.user_id}, question {question}: the stored answer is not the one last saved"
    ]
    assert check_duplicates(engine, world) == []


def at_once(*actions) -> list[str]:
    """Run the actions in threads released together; return what each would have shown."""
    barrier = threading.Barrier(len(actions))
    shown: list[str] = []

    def run(action) -> None:
        barrier.wait(timeout=10)
        try:
            action()
        except Exception as exc:
            shown.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return shown


def test_two_people_of_one_organisation_saving_and_submitting_at_once_share_one_submission(
    engine,
):
    world = build_world(engine, Plan(partners=1, officers=1, questions=2), run="pair")
    with session_scope(engine) as session:
        first = session.get(User, world.partner_ids[0])
        second = add_person(session, "partner", organisation=first.organisation).id

    def save(person: int, question: int):
        with session_scope(engine) as session:
            answer = AnswerInput(question, position="Agree", text="We agree.")
            save_answer(
                session,
                session.get(User, person),
                world.consultation_id,
                answer,
                seen_version=0,
                today=uk_today(),
                now=utcnow(),
            )

    def submit_as(person: int):
        with session_scope(engine) as session:
            submit(
                session,
                session.get(User, person),
                world.consultation_id,
                consent="named",
                today=uk_today(),
                now=utcnow(),
            )

    one, other = world.question_ids
    saving = at_once(lambda: save(first.id, one), lambda: save(second, other))
    submitting = at_once(lambda: submit_as(first.id), lambda: submit_as(second))

    assert (saving, submitting) == ([], [])
    with read_scope(engine) as session:
        (submission,) = session.scalars(select(Submission)).all()
        assert len(submission.answers) == 2
        assert [s.number for s in submission.snapshots] == [1, 2]


def test_sqlite_writers_take_turns_in_the_order_they_arrived():
    queue = WriterQueue()
    entered: list[int] = []

    def writer(n: int) -> None:
        with queue.turn():
            entered.append(n)

    with queue.turn():
        threads = []
        for n in range(6):
            threads.append(threading.Thread(target=writer, args=(n,)))
            threads[-1].start()
            time.sleep(0.02)  # each is waiting before the next arrives
    for thread in threads:
        thread.join(timeout=10)

    assert entered == list(range(6))


def test_a_writer_may_open_a_second_session_inside_its_turn(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'workbench.db'}")
    upgrade(engine)
    with session_scope(engine) as outer, session_scope(engine) as inner:
        assert inner is not outer
    engine.dispose()


def test_a_writer_kept_waiting_too_long_is_told_to_try_again():
    queue = WriterQueue()
    failures: list[str] = []

    def impatient() -> None:
        with pytest.raises(DatabaseBusy) as raised, queue.turn(timeout=0.05):
            pass
        failures.append(str(raised.value))

    with queue.turn():
        thread = threading.Thread(target=impatient)
        thread.start()
        thread.join(timeout=10)
    with queue.turn(timeout=0.05):
        pass  # the queue is free again after the refusal

    assert failures == [
        "The workbench is very busy, so your change was not saved. Try again in a minute."
    ]

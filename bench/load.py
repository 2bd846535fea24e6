"""Load: 30 partners saving and submitting answers while 3 officers build the draft, at once.

Run from the repository root: ``.venv/bin/python bench/load.py [--database URL ...]``.

Without ``--database`` it runs on a temporary SQLite file, and also on PostgreSQL when
BENCH_DATABASE_URL or TEST_DATABASE_URL is set (in a schema of its own, dropped afterwards);
it says which ran. Only databases on this machine are accepted.

Each run builds 30 partner organisations with a partner each, three officers and an open
consultation of 20 questions, then starts every person's thread together (a barrier). The
threads make the same calls as the pages do, one transaction per button press
(``evidence/pages/answer.py``, ``exports/pages/draft.py``):

* a partner opens the answer page and saves answers, question by question, in several rounds
  of edits; submits after the first round and again at the end;
* an officer opens the draft page, assembles a draft (or assembles again) and saves edited
  sections as new versions while the partners write. A save refused because another officer
  changed the same section is counted as a refusal and handled as the page does: start again
  from the newest version.

Counted and checked afterwards: every error a person would have been shown (must be none);
every partner's answers are exactly what it last saved, each save counted once in the answer's
version and in the audit trail (nothing lost); no answer, submission or snapshot twice; every
submit made a snapshot, numbered without gaps; the draft's versions numbered 1..n without gaps,
one per officer action, each holding the section its officer saved. The run is bounded: a fixed
number of rounds and actions, and a wall-clock cap per database. The table printed at the end
gives saves per second and the median and slowest save; the exit status is 1 if a check fails.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from consultations.consultation import (  # noqa: E402
    ConsultationForm,
    create_consultation,
    move_consultation,
)
from consultations.dates import uk_today  # noqa: E402
from consultations.db import (  # noqa: E402
    make_engine,
    normalise_url,
    read_scope,
    scratch_schema,
    session_scope,
    utcnow,
)
from consultations.errors import StaleEdit, WorkbenchError  # noqa: E402
from consultations.migrate import upgrade  # noqa: E402
from consultations.models import AuditEvent, Organisation, User  # noqa: E402
from consultations.questions import QuestionForm, save_questions  # noqa: E402
from consultations.settings import load_settings  # noqa: E402
from evidence.analysis import partnership_evidence  # noqa: E402
from evidence.consent import CONSENT_CHOICES  # noqa: E402
from evidence.models import Answer, Submission, SubmissionSnapshot  # noqa: E402
from evidence.submissions import AnswerInput, open_submission, save_answer, submit  # noqa: E402
from evidence.tagging import current_taxonomy, tagger_for  # noqa: E402
from exports.draft_model import Block, Draft  # noqa: E402
from exports.drafts import assemble_draft, save_section, versions  # noqa: E402
from exports.models import DraftVersion  # noqa: E402

T = TypeVar("T")
LOCAL_HOSTS = {None, "", "localhost", "127.0.0.1", "::1"}
AGREEMENT = ("Agree", "Disagree", "Neither agree nor disagree", "Don't know")
SECTORS = ("local authority", "health", "housing", "voluntary and community", "education")
SENTENCES = (
    "Demand for social housing in {place} is already very high, with long waiting lists.",
    "Councils need new burdens funding to support families with no recourse to public funds.",
    "Waiting times for GP registration have grown for people seeking asylum in {place}.",
    "ESOL classes in {place} have waiting lists of over 200 learners.",
    "The income threshold would keep families apart in Northern Ireland.",
    "Care workers recruited from overseas earn below the proposed threshold.",
    "Joint working between the council and the health trust has improved this year.",
    "Young people leaving care need support with settlement applications.",
)
PLACES = ("Belfast", "Derry", "Newry", "Armagh", "Omagh", "Lisburn", "Bangor", "Antrim")


@dataclass(frozen=True)
class Plan:
    """How big the load is, and its bounds."""

    partners: int = 30
    officers: int = 3
    questions: int = 20
    rounds: int = 3
    edits_per_round: int = 5
    officer_actions: int = 10
    cap_seconds: float = 45.0
    seed: int = 20261129


@dataclass(frozen=True)
class World:
    """The ids the threads work on."""

    consultation_id: int
    question_ids: tuple[int, ...]
    open_question_ids: frozenset[int]
    partner_ids: tuple[int, ...]
    officer_ids: tuple[int, ...]


@dataclass
class PartnerLog:
    """What one partner did, and what it was told."""

    user_id: int
    last_saved: dict[int, tuple[str, str]] = field(default_factory=dict)
    saves_of: Counter[int] = field(default_factory=Counter)
    save_ms: list[float] = field(default_factory=list)
    submits: int = 0
    last_submitted: dict[int, tuple[str, str]] = field(default_factory=dict)
    refused: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class OfficerLog:
    """What one officer did: each saved version's number, its section and the words added."""

    user_id: int
    saved: list[tuple[int, str, str]] = field(default_factory=list)
    refused: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class LoadResult:
    """The figures and the problems of one database's run."""

    database: str
    seconds: float
    save_ms: list[float]
    submits: int
    drafts: int
    refused: int
    errors: list[str]
    lost: list[str]
    duplicated: list[str]
    other: list[str]
    capped: bool

    @property
    def problems(self) -> list[str]:
        """Every failed check, as sentences."""
        return [*self.errors, *self.lost, *self.duplicated, *self.other]

    @property
    def saves_per_second(self) -> float:
        """Answer saves per second of the run's wall-clock time."""
        return len(self.save_ms) / self.seconds if self.seconds else 0.0


# --- one user action, as actions.act runs it ---------------------------------------------------


def act(engine: Engine, user_id: int, fn: Callable[..., T]) -> T:
    """Run one button press in one transaction as the person, like ``actions.act``."""
    with session_scope(engine) as session:
        me = session.get(User, user_id)
        return fn(session, me)


def shown(exc: BaseException) -> str:
    """What the page would show for an exception: its message, or the bug's type and text."""
    if isinstance(exc, WorkbenchError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


# --- building the world -------------------------------------------------------------------------


def build_world(engine: Engine, plan: Plan, *, run: str) -> World:
    """Add the people, the organisations and the open consultation with its questions."""
    today = uk_today()
    now = utcnow()
    with session_scope(engine) as session:
        officers = [
            User(email=f"officer{n}-{run}@example.org", name=f"Officer {n}", role="officer")
            for n in range(1, plan.officers + 1)
        ]
        session.add_all(officers)
        partners = []
        for n in range(1, plan.partners + 1):
            organisation = Organisation(
                name=f"{PLACES[n % len(PLACES)]} Partner {n}",
                sector=SECTORS[n % len(SECTORS)],
                area=PLACES[n % len(PLACES)],
            )
            session.add(organisation)
            session.flush()
            partner = User(
                email=f"partner{n}-{run}@example.org",
                name=f"Partner {n}",
                role="partner",
                organisation_id=organisation.id,
            )
            session.add(partner)
            partners.append(partner)
        session.flush()
        consultation = create_consultation(
            session,
            officers[0],
            ConsultationForm(
                title="Family migration: a consultation",
                department="Home Office",
                reference="HO-FM-LOAD",
                url="https://www.gov.uk/government/consultations",
                description="Proposals on spouses, partners and dependants.",
                opens_on=today - timedelta(days=10),
                partner_deadline=today + timedelta(days=20),
                closes_on=today + timedelta(days=30),
            ),
            now=now,
        )
        questions = save_questions(
            session,
            officers[0],
            consultation.id,
            [question_form(n) for n in range(1, plan.questions + 1)],
            now=now,
            source="load",
        )
        move_consultation(session, officers[0], consultation.id, "open", now=now)
        # A running server has built its tagger at its first save; the load measures the saves
        # after that (the first save since start waits about a second for the build).
        tagger_for(current_taxonomy(session, consultation.id, now=now))
        return World(
            consultation_id=consultation.id,
            question_ids=tuple(q.id for q in questions),
            open_question_ids=frozenset(q.id for q in questions if q.kind == "open"),
            partner_ids=tuple(p.id for p in partners),
            officer_ids=tuple(o.id for o in officers),
        )


def question_form(n: int) -> QuestionForm:
    """Every third question open, the others hybrid (a position and a comment)."""
    if n % 3 == 0:
        return QuestionForm(f"Q{n}", f"What would proposal {n} mean for your area?", "open")
    return QuestionForm(f"Q{n}", f"Do you agree with proposal {n}?", "hybrid", AGREEMENT)


# --- a partner ----------------------------------------------------------------------------------


def answer_text(rng: random.Random, partner: int, question: int, round_: int) -> str:
    """Two sentences and a line that makes this save's words unique to it."""
    first, second = rng.sample(SENTENCES, 2)
    place = rng.choice(PLACES)
    return (
        f"{first.format(place=place)} {second.format(place=place)} "
        f"Partner {partner} wrote this on pass {round_ + 1} of question {question}."
    )


def saved_versions(engine: Engine, user_id: int, world: World) -> dict[int, int]:
    """Open the answer page: the saved answers' versions, read as the page reads them."""
    with read_scope(engine) as session:
        me = session.get(User, user_id)
        submission = open_submission(session, me, world.consultation_id)
        return {a.question_id: a.version for a in (submission.answers if submission else [])}


def partner_save(engine: Engine, log: PartnerLog, world: World, answer: AnswerInput) -> None:
    """Press Save on one answer (after the page's rerun read), timing the save's transaction."""
    seen = saved_versions(engine, log.user_id, world).get(answer.question_id, 0)

    def save(session, me):
        return save_answer(
            session,
            me,
            world.consultation_id,
            answer,
            seen_version=seen,
            today=uk_today(),
            now=utcnow(),
        )

    started = time.perf_counter()
    try:
        act(engine, log.user_id, save)
    except StaleEdit:
        log.refused += 1
        return
    finally:
        log.save_ms.append((time.perf_counter() - started) * 1000)
    log.last_saved[answer.question_id] = (answer.position, answer.text)
    log.saves_of[answer.question_id] += 1


def partner_submit(engine: Engine, log: PartnerLog, world: World, consent: str) -> None:
    """Tick the consent and the confirmation, press Submit."""
    act(
        engine,
        log.user_id,
        lambda session, me: submit(
            session, me, world.consultation_id, consent=consent, today=uk_today(), now=utcnow()
        ),
    )
    log.submits += 1
    log.last_submitted = dict(log.last_saved)


def partner_rounds(engine: Engine, log: PartnerLog, world: World, plan: Plan, deadline: float):
    """Answer every question, submit, then edit a few of them each round; submit again."""
    number = world.partner_ids.index(log.user_id) + 1
    rng = random.Random(plan.seed * 1000 + number)
    consent = list(CONSENT_CHOICES)[number % len(CONSENT_CHOICES)]
    for round_ in range(plan.rounds):
        chosen = list(world.question_ids)
        if round_:
            chosen = sorted(rng.sample(chosen, min(plan.edits_per_round, len(chosen))))
        for position, question_id in enumerate(chosen):
            if time.monotonic() > deadline:
                break
            answer = AnswerInput(
                question_id=question_id,
                position=""
                if question_id in world.open_question_ids
                else AGREEMENT[(position + round_ + number) % len(AGREEMENT)],
                text=answer_text(rng, number, question_id, round_),
            )
            partner_save(engine, log, world, answer)
        if round_ == 0 or round_ == plan.rounds - 1:
            partner_submit(engine, log, world, consent)


# --- an officer ---------------------------------------------------------------------------------


def newest_version(engine: Engine, user_id: int, world: World) -> tuple[int, str] | None:
    """Open the draft page: the newest version's number and content."""
    with read_scope(engine) as session:
        me = session.get(User, user_id)
        saved = versions(session, me, world.consultation_id)
        return (saved[0].number, saved[0].content) if saved else None


def officer_assemble(engine: Engine, log: OfficerLog, world: World) -> None:
    """Press "Assemble the first draft" (or "Assemble a new draft from the evidence")."""
    limits = load_settings({"WORKBENCH_SECRET_KEY": "load", "WORKBENCH_DATA_DIR": "."})

    def assemble(session, me):
        evidence = partnership_evidence(
            session, me, world.consultation_id, today=uk_today(), settings=limits
        )
        return assemble_draft(session, me, evidence, world.consultation_id, now=utcnow())

    saved = act(engine, log.user_id, assemble)
    log.saved.append((saved.number, "", ""))


def officer_edit(engine: Engine, log: OfficerLog, world: World, rng: random.Random) -> None:
    """Open the newest version, add a paragraph to one section, press "Save as a new version"."""
    newest = newest_version(engine, log.user_id, world)
    if newest is None:
        # Before the first draft the page offers only "Assemble the first draft".
        officer_assemble(engine, log, world)
        return
    number, content = newest
    section = rng.choice(Draft.from_json(content).sections)
    words = f"Officer {log.user_id} added this to version {number} of {section.key}."
    edited = replace(section, blocks=[*section.blocks, Block("paragraph", text=words)])
    try:
        saved = act(
            engine,
            log.user_id,
            lambda session, me: save_section(
                session, me, world.consultation_id, edited, seen=number, now=utcnow()
            ),
        )
    except StaleEdit:
        # The page shows the other officer's text; the officer starts again from the newest.
        log.refused += 1
        return
    log.saved.append((saved.number, section.key, words))


def officer_actions(engine: Engine, log: OfficerLog, world: World, plan: Plan, deadline: float):
    """Assemble every fourth time (and when there is no draft yet); otherwise edit a section."""
    rng = random.Random(plan.seed + log.user_id)
    for action in range(plan.officer_actions):
        if time.monotonic() > deadline:
            break
        if action % 4 == 3:
            officer_assemble(engine, log, world)
        else:
            officer_edit(engine, log, world, rng)


# --- running the threads ------------------------------------------------------------------------


def in_thread(body: Callable[[], None], errors: list[str], barrier: threading.Barrier):
    """Wait for everyone, run the person's actions, and note whatever the page would show."""

    def run() -> None:
        try:
            barrier.wait(timeout=120)
            body()
        except BaseException as exc:
            errors.append(shown(exc))

    return threading.Thread(target=run, daemon=True)


def run_people(engine: Engine, world: World, plan: Plan):
    """Start every partner and officer together; return their logs, the seconds and the cap."""
    partners = [PartnerLog(user_id) for user_id in world.partner_ids]
    officers = [OfficerLog(user_id) for user_id in world.officer_ids]
    barrier = threading.Barrier(len(partners) + len(officers) + 1)
    deadline = time.monotonic() + plan.cap_seconds
    threads = [
        in_thread(
            lambda log=log: partner_rounds(engine, log, world, plan, deadline), log.errors, barrier
        )
        for log in partners
    ] + [
        in_thread(
            lambda log=log: officer_actions(engine, log, world, plan, deadline),
            log.errors,
            barrier,
        )
        for log in officers
    ]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=120)
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic() + 60))
    seconds = time.perf_counter() - started
    hung = sum(thread.is_alive() for thread in threads)
    return partners, officers, seconds, time.monotonic() > deadline, hung


# --- the checks ---------------------------------------------------------------------------------


def check_answers(engine: Engine, world: World, partners: list[PartnerLog]) -> list[str]:
    """Each partner's answers are what it last saved, and each save counted once."""
    lost = []
    with read_scope(engine) as session:
        for log in partners:
            me = session.get(User, log.user_id)
            submission = open_submission(session, me, world.consultation_id)
            stored = {a.question_id: a for a in (submission.answers if submission else [])}
            for question_id in world.question_ids:
                lost += _answer_problems(log, question_id, stored.get(question_id))
        saved_events = session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.consultation_id == world.consultation_id,
                AuditEvent.action == "answer.saved",
            )
        )
    saves = sum(sum(log.saves_of.values()) for log in partners)
    if saved_events != saves:
        lost.append(f"{saves} saves succeeded but the audit trail records {saved_events}")
    return lost


def _answer_problems(log: PartnerLog, question_id: int, row: Answer | None) -> list[str]:
    who = f"partner {log.user_id}, question {question_id}"
    wanted = log.last_saved.get(question_id)
    if wanted is None:
        return [f"{who}: an answer is stored that was never saved"] if row else []
    if row is None:
        return [f"{who}: the saved answer is missing"]
    problems = []
    if (row.position, row.text) != wanted:
        problems.append(f"{who}: the stored answer is not the one last saved")
    if row.version != log.saves_of[question_id]:
        problems.append(
            f"{who}: saved {log.saves_of[question_id]} times but the version is {row.version}"
        )
    return problems


def check_duplicates(engine: Engine, world: World) -> list[str]:
    """No answer, submission or snapshot stored twice."""
    groups = (
        ("answers", select(Answer.submission_id, Answer.question_id)),
        ("submissions", select(Submission.consultation_id, Submission.organisation_id)),
        (
            "snapshots",
            select(SubmissionSnapshot.submission_id, SubmissionSnapshot.number),
        ),
    )
    duplicated = []
    with read_scope(engine) as session:
        for name, keys in groups:
            rows = Counter(tuple(row) for row in session.execute(keys))
            twice = sum(n - 1 for n in rows.values() if n > 1)
            if twice:
                duplicated.append(f"{twice} {name} are stored more than once")
    return duplicated


def check_submissions(engine: Engine, world: World, partners: list[PartnerLog]) -> list[str]:
    """Each submit made one snapshot, numbered 1..n, the last holding the last submitted answers."""
    problems = []
    with read_scope(engine) as session:
        for log in partners:
            me = session.get(User, log.user_id)
            submission = open_submission(session, me, world.consultation_id)
            numbers = [s.number for s in submission.snapshots] if submission else []
            if numbers != list(range(1, log.submits + 1)):
                problems.append(
                    f"partner {log.user_id} submitted {log.submits} times; snapshots {numbers}"
                )
                continue
            if not log.submits:
                continue
            last = {
                a["question_id"]: (a["position"], a["text"])
                for a in submission.snapshots[-1].answers
            }
            if last != log.last_submitted:
                problems.append(
                    f"partner {log.user_id}: the last snapshot is not what was submitted"
                )
            if log.last_submitted == log.last_saved and submission.status != "submitted":
                problems.append(f"partner {log.user_id}: submitted last, but not marked submitted")
    return problems


def check_drafts(engine: Engine, world: World, officers: list[OfficerLog]) -> list[str]:
    """Versions 1..n, one per officer action, each holding the section its officer saved."""
    with read_scope(engine) as session:
        stored = {
            v.number: v.content
            for v in session.scalars(
                select(DraftVersion).where(DraftVersion.consultation_id == world.consultation_id)
            )
        }
    made = sorted(number for log in officers for number, _, _ in log.saved)
    problems = []
    if sorted(stored) != list(range(1, len(stored) + 1)):
        problems.append(f"the draft's versions are not numbered 1 to n: {sorted(stored)}")
    if made != sorted(stored):
        problems.append(f"the officers saved versions {made}; the database holds {sorted(stored)}")
    for log in officers:
        for number, key, words in log.saved:
            if key and not _has_words(stored.get(number), key, words):
                problems.append(f"version {number} lacks the words saved in its {key} section")
    return problems


def _has_words(content: str | None, key: str, words: str) -> bool:
    if content is None:
        return False
    draft = Draft.from_json(content)
    return bool(draft.sections) and any(b.text == words for b in draft.section(key).blocks)


# --- one database -------------------------------------------------------------------------------


def run_load(url: str, plan: Plan = Plan(), *, name: str = "") -> LoadResult:
    """Build the world on an empty database, run everyone at once, check what was stored."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        world = build_world(engine, plan, run=uuid.uuid4().hex[:8])
        partners, officers, seconds, capped, hung = run_people(engine, world, plan)
        other = [f"{hung} people's threads did not finish"] if hung else []
        other += [
            f"partner {log.user_id} was told someone else saved its answer, but nobody else did"
            for log in partners
            if log.refused
        ]
        other += check_submissions(engine, world, partners)
        other += check_drafts(engine, world, officers)
        return LoadResult(
            database=name or engine.dialect.name,
            seconds=seconds,
            save_ms=[ms for log in partners for ms in log.save_ms],
            submits=sum(log.submits for log in partners),
            drafts=sum(len(log.saved) for log in officers),
            refused=sum(log.refused for log in [*partners, *officers]),
            errors=[e for log in [*partners, *officers] for e in log.errors],
            lost=check_answers(engine, world, partners),
            duplicated=check_duplicates(engine, world),
            other=other,
            capped=capped,
        )
    finally:
        engine.dispose()


# --- the command --------------------------------------------------------------------------------


def refuse_remote(url: str) -> None:
    """Refuse a database that is not on this machine: a load test is for localhost only."""
    host = make_url(normalise_url(url)).host
    if host not in LOCAL_HOSTS:
        raise SystemExit(f"The load test runs on this machine only; {host} is not localhost.")


@contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """An empty database for the run: a temporary SQLite file, or a PostgreSQL schema of its own."""
    if url == "sqlite":
        with tempfile.TemporaryDirectory(prefix="workbench-load-") as folder:
            yield f"sqlite:///{Path(folder) / 'load.db'}"
        return
    refuse_remote(url)
    if normalise_url(url).startswith("sqlite"):
        yield normalise_url(url)
        return
    with scratch_schema(url, prefix="load") as scratch:
        yield scratch


def chosen_databases(given: list[str]) -> tuple[list[str], str]:
    """The databases to run on, and a sentence saying which and why."""
    if given:
        return given, "Databases given on the command line."
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if server:
        return ["sqlite", server], "A temporary SQLite file, and PostgreSQL (from the environment)."
    return ["sqlite"], (
        "A temporary SQLite file only: set BENCH_DATABASE_URL or TEST_DATABASE_URL to run on "
        "PostgreSQL too."
    )


def table(results: list[LoadResult]) -> str:
    """The figures, one row per database."""
    header = (
        f"{'database':<12}{'saves':>7}{'saves/s':>9}{'median ms':>11}{'slowest ms':>12}"
        f"{'submits':>9}{'drafts':>8}{'refused':>9}{'errors':>8}{'lost':>6}{'duplicated':>12}"
    )
    rows = [header]
    for r in results:
        rows.append(
            f"{r.database:<12}{len(r.save_ms):>7}{r.saves_per_second:>9.1f}"
            f"{statistics.median(r.save_ms or [0]):>11.1f}{max(r.save_ms or [0]):>12.1f}"
            f"{r.submits:>9}{r.drafts:>8}{r.refused:>9}{len(r.errors):>8}{len(r.lost):>6}"
            f"{len(r.duplicated):>12}"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the load on each database, print the figures and every failed check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database",
        action="append",
        default=[],
        help="'sqlite' (a temporary file) or a database URL on localhost; may be repeated",
    )
    parser.add_argument("--partners", type=int, default=Plan.partners)
    parser.add_argument("--officers", type=int, default=Plan.officers)
    parser.add_argument("--rounds", type=int, default=Plan.rounds)
    parser.add_argument("--cap", type=float, default=Plan.cap_seconds, help="seconds per database")
    args = parser.parse_args(argv)
    plan = Plan(
        partners=args.partners, officers=args.officers, rounds=args.rounds, cap_seconds=args.cap
    )
    databases, which = chosen_databases(args.database)
    print(which)
    print(
        f"{plan.partners} partners and {plan.officers} officers at once, {plan.questions} "
        f"questions, {plan.rounds} rounds ({plan.edits_per_round} edits in each after the "
        f"first), at most {plan.cap_seconds:.0f} s per database."
    )
    results = []
    for url in databases:
        with scratch_database(url) as scratch:
            name = "sqlite" if scratch.startswith("sqlite") else "postgresql"
            results.append(run_load(scratch, plan, name=name))
    print(table(results))
    failed = False
    for result in results:
        if result.capped:
            print(f"{result.database}: stopped at the time cap; the figures cover what was done.")
        for problem in result.problems:
            failed = True
            print(f"{result.database}: {problem}")
    print("Some checks failed." if failed else "Every check passed.")
    from bench.budget import report

    for result in results:
        report(
            f"load on {result.database}: {plan.partners} partners and {plan.officers} officers",
            f"{result.saves_per_second:.1f} saves/s, "
            f"slowest {max(result.save_ms, default=0):,.0f} ms, "
            f"{len(result.errors)} errors, {len(result.lost)} lost, "
            f"{len(result.duplicated)} duplicated",
            "no error, nothing lost or twice",
            within=not result.problems,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

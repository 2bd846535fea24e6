"""Time the heaviest pages on a full-size consultation: server time per page view.

Run from the repository root: ``.venv/bin/python bench/pages.py``.

DESIGN.md's budget: every page renders in under 300 ms of server time with 200 partners, 20
questions and 5,000 answers in the database. The data set is built in a temporary SQLite
database (the default deployment) the way the app builds it:

- 200 partner organisations in the nine sectors, each with a partner, their names, sectors and
  consents drawn as in ``bench/draft.py`` (same seed); an officer.
- The consultation under test: 20 questions (agree/disagree, yes/no and open), every partner
  answering every question with ``bench/draft.py``'s realistic comments (figures, places, a
  campaign text sent with small edits): 4,000 answers, which is all there can be, since an
  organisation has one submission per consultation and one answer per question in it.
- An earlier consultation, now closed, that 50 of the partners answered: 1,000 answers more,
  so the database holds 5,000.
- Every answer tagged by the real tagger (``evidence.tagging.tag_answers``); every organisation
  submits with its consent (named, by sector, anonymous); the officer has bulk-accepted two
  themes and rejected some suggestions; the draft is assembled (``exports.drafts``) and has a
  second version with an edited section.

Each page is opened through Streamlit's ``AppTest`` as the person who uses it (logged in as in
``tests/conftest.py``'s ``open_page``, with the ``DATABASE_URL`` and ``WORKBENCH_*`` settings
pointing at the temporary database). Everything is imported and every page opened once before
anything is timed, as on a running server. Then, per page, ``--rounds`` times: the caches the
pages keep are emptied (``st.cache_data``; and the analysis page's evidence, by a change to the
consultation, which is what empties it on a server), a fresh browser session opens the page
(the first view, which fills them), and it is re-run
``--reruns`` times (what each click on the page costs). Where a case picks something (a
question, a section), its first view is the one showing what was picked.

The figure is server time: from the start of the script run to its end, taken from
Streamlit's own script events, so AppTest's parsing of the output is not counted (nor its
compiling of the scripts on every run, which a server does once: one compiled copy is shared).
Two clocks: the wall clock, and the CPU time of the thread that runs the script (the database
is SQLite, in that thread). On a shared machine the wall clock also counts the time other
processes had the core, so, as in ``bench/tagging.py``, the verdict is on CPU time: the median
first view and the median re-run of every page under 300 ms. The wall-clock median and worst
are printed beside them. The script exits with status 1 when a page is over budget.

Memory: the process's peak resident memory while it serves all the page views above (the
building of the data set left out: the peak is reset after it), against DESIGN.md's 600 MB for
the app process. AppTest runs the app in this process, so the figure also holds AppTest itself:
a little more than a server would use.

``--keep FOLDER`` keeps the database there and reuses it on the next run (the build takes a
minute). ``--profile "analysis, all questions"`` (any case's name) prints where that case's
re-runs spend their time; add ``--cold`` to empty the caches before each.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import importlib.util
import io
import os
import pstats
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MEMORY_BUDGET_MB = 600
BUDGET_MS = 300.0
ROUNDS = 3
RERUNS = 3
EARLIER_PARTNERS = 50


@dataclass(frozen=True)
class World:
    """Ids of what the pages are opened on."""

    consultation: int
    officer: int
    partner: int
    question: int
    answers: int


@dataclass(frozen=True)
class Case:
    """One page view to time: who opens which page, and what they pick on it first."""

    name: str
    page: str
    as_officer: bool = True
    pick: Callable[[object, World], None] | None = None


def _pick(label: str, value: Callable[[World], object]) -> Callable[[object, World], None]:
    def pick(app, world: World) -> None:
        next(s for s in app.selectbox if s.label == label).set_value(value(world)).run()

    return pick


CASES = (
    Case("analysis, all questions", "exports/pages/analysis.py"),
    Case(
        "analysis, one question",
        "exports/pages/analysis.py",
        pick=_pick("Question", lambda w: w.question),
    ),
    Case("draft, cover", "exports/pages/draft.py"),
    Case(
        "draft, a question",
        "exports/pages/draft.py",
        pick=_pick("Section", lambda w: f"question-{w.question}"),
    ),
    Case("responses (tracker)", "evidence/pages/tracker.py"),
    Case("review theme tags", "evidence/pages/review.py"),
    Case("answer (partner)", "evidence/pages/answer.py", as_officer=False),
)


# --- the data set ------------------------------------------------------------------------------


def _draft_bench():
    """bench/draft.py, for its organisations, questions and comments (same seed, same text)."""
    spec = importlib.util.spec_from_file_location("bench_draft", ROOT / "bench" / "draft.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(engine, *, today) -> World:
    """Fill the database as described at the top; return what the pages are opened on."""
    from sqlalchemy import func, select

    from consultations.consultation import (
        ConsultationForm,
        create_consultation,
        move_consultation,
    )
    from consultations.db import session_scope
    from consultations.models import Organisation, Question, User
    from consultations.questions import QuestionForm, save_questions
    from evidence.analysis import partnership_evidence
    from evidence.models import Answer, Submission, TagSuggestion
    from evidence.review import bulk_accept, decide
    from evidence.submissions import submit
    from evidence.tagging import tag_answers
    from evidence.themes import consultation_themes
    from exports.drafts import assemble_draft, draft_of, save_section

    synthetic = _draft_bench()
    rng = random.Random(synthetic.SEED)
    organisations = synthetic._organisations(rng)
    questions = synthetic._questions()
    campaigners = set(rng.sample([name for name, _, _ in organisations], 30))
    now = datetime.combine(today, datetime.min.time()) + timedelta(hours=9)
    with session_scope(engine) as session:
        officer = User(email="officer@example.org", name="Policy Officer", role="officer")
        session.add(officer)
        partners = []
        for name, sector, consent in organisations:
            organisation = Organisation(name=name, sector=sector, area="")
            session.add(organisation)
            session.flush()
            partner = User(
                email=f"partner{organisation.id}@example.org",
                name=f"Partner at {name}",
                role="partner",
                organisation_id=organisation.id,
            )
            session.add(partner)
            partners.append((partner, organisation, consent))
        session.flush()
        consultations = []
        for title, reference in (
            ("Asylum accommodation: working with councils", "HO-AA-2026-01"),
            ("Family migration: a consultation", "HO-FM-2026-07"),
        ):
            consultation = create_consultation(
                session,
                officer,
                ConsultationForm(
                    title=title,
                    department="Home Office",
                    reference=reference,
                    url="https://www.gov.uk/government/consultations",
                    description="Proposals for the region's partners to answer.",
                    opens_on=today - timedelta(days=21),
                    partner_deadline=today + timedelta(days=14),
                    closes_on=today + timedelta(days=28),
                ),
                now=now,
            )
            save_questions(
                session,
                officer,
                consultation.id,
                [QuestionForm(q.number, q.text, q.kind, q.options) for q in questions],
                now=now,
                source="bench",
            )
            move_consultation(session, officer, consultation.id, "open", now=now)
            consultations.append(consultation)
        earlier, current = consultations
        for consultation, answering in (
            (earlier, partners[:EARLIER_PARTNERS]),
            (current, partners),
        ):
            by_number = {q.number: q for q in consultation.questions}
            for partner, organisation, consent in answering:
                submission = Submission(
                    consultation_id=consultation.id,
                    organisation_id=organisation.id,
                    created_at=now,
                    last_activity_at=now,
                )
                session.add(submission)
                session.flush()
                for question in questions:
                    fact = synthetic._answer(
                        rng,
                        0,
                        question,
                        organisation.name,
                        organisation.sector,
                        consent,
                        campaigners,
                    )
                    session.add(
                        Answer(
                            submission_id=submission.id,
                            question_id=by_number[question.number].id,
                            position=fact.position,
                            text=fact.text,
                            updated_at=now,
                            updated_by_id=partner.id,
                        )
                    )
        session.flush()
        ids = (officer.id, earlier.id, current.id)
        partner_ids = [(p.id, consent) for p, _, consent in partners]
    officer_id, earlier_id, current_id = ids

    started = time.perf_counter()
    with session_scope(engine) as session:
        answers = list(session.scalars(select(Answer).order_by(Answer.id)))
        tagged = tag_answers(session, answers, now=now)
    print(f"  tagged {tagged:,} answers in {time.perf_counter() - started:.1f} s")

    for consultation_id, answering in (
        (earlier_id, partner_ids[:EARLIER_PARTNERS]),
        (current_id, partner_ids),
    ):
        for partner_id, consent in answering:
            with session_scope(engine) as session:
                submit(
                    session,
                    session.get(User, partner_id),
                    consultation_id,
                    consent=consent,
                    today=today,
                    now=now,
                )
    with session_scope(engine) as session:
        officer = session.get(User, officer_id)
        move_consultation(session, officer, earlier_id, "closed", now=now)
        themes = {t.key: t.id for t in consultation_themes(session, current_id)}
        for key in ("nrpf", "family"):
            bulk_accept(session, officer, current_id, themes[key], now=now)
        health = session.scalars(
            select(TagSuggestion.answer_id)
            .join(Answer, TagSuggestion.answer_id == Answer.id)
            .join(Submission)
            .where(
                Submission.consultation_id == current_id,
                TagSuggestion.theme_id == themes["health"],
            )
            .order_by(TagSuggestion.answer_id)
            .limit(150)
        ).all()
        for answer_id in health:
            decide(session, officer, answer_id, themes["health"], accepted=False, now=now)
    from consultations.settings import load_settings

    settings = load_settings()
    with session_scope(engine) as session:
        officer = session.get(User, officer_id)
        evidence = partnership_evidence(
            session, officer, current_id, today=today, settings=settings
        )
        first = assemble_draft(session, officer, evidence, current_id, now=now)
        question = session.scalar(
            select(func.min(Question.id)).where(Question.consultation_id == current_id)
        )
        section = draft_of(first).section(f"question-{question}")
        blocks = list(section.blocks)
        blocks[1] = replace(blocks[1], text="Edited by the officer.")
        save_section(
            session,
            officer,
            current_id,
            replace(section, blocks=blocks),
            seen=first.number,
            now=now + timedelta(hours=1),
            note="Edited the first question",
        )
        answer_count = session.scalar(select(func.count()).select_from(Answer))
    return World(
        consultation=current_id,
        officer=officer_id,
        partner=partner_ids[0][0],
        question=question,
        answers=answer_count,
    )


# --- timing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """One page view: server time on the wall clock, and the CPU time of the script's thread."""

    wall: float  # ms
    cpu: float  # ms


class ScriptClock:
    """Server time of AppTest runs, from Streamlit's own script-started and -stopped events,
    which the thread running the script sends: the wall clock, and that thread's CPU time."""

    def __init__(self) -> None:
        from streamlit.runtime.scriptrunner import ScriptRunnerEvent
        from streamlit.testing.v1 import app_test, local_script_runner

        self.events: list[tuple[int, float, float, bool]] = []
        started = ScriptRunnerEvent.SCRIPT_STARTED
        stopped = {
            ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS,
            ScriptRunnerEvent.SCRIPT_STOPPED_WITH_COMPILE_ERROR,
            ScriptRunnerEvent.SCRIPT_STOPPED_FOR_RERUN,
        }
        clock = self
        # A server compiles each script once; AppTest compiles app.py and the page on every
        # run (a new ScriptCache each time). Share one, so that what is timed is the server's.
        shared = local_script_runner.ScriptCache()
        local_script_runner.ScriptCache = app_test.ScriptCache = lambda: shared
        runner = local_script_runner.LocalScriptRunner
        original = runner.__init__

        def recording_init(self, *args, **kwargs):
            original(self, *args, **kwargs)

            def record(sender, event, **_):
                if event == started or event in stopped:
                    clock.events.append(
                        (
                            threading.get_ident(),
                            time.perf_counter(),
                            time.thread_time(),
                            event == started,
                        )
                    )

            self.on_event.connect(record, weak=False)

        runner.__init__ = recording_init

    def run(self, step: Callable[[], object]) -> Timing:
        """Run one AppTest step; return its server time over all the script runs it made."""
        self.events.clear()
        step()
        starts = [wall for _, wall, _, is_start in self.events if is_start]
        stops = [wall for _, wall, _, is_start in self.events if not is_start]
        if not starts or not stops:
            raise RuntimeError("The page did not run.")
        cpu = 0.0
        for thread in {ident for ident, *_ in self.events}:
            mine = [(used, is_start) for ident, _, used, is_start in self.events if ident == thread]
            cpu += max(u for u, s in mine if not s) - min(u for u, s in mine if s)
        return Timing(wall=(max(stops) - min(starts)) * 1000, cpu=cpu * 1000)


def open_app(world: World, engine, case: Case):
    """A fresh AppTest session, logged in as the case's person, on the consultation."""
    from streamlit.testing.v1 import AppTest

    from consultations.accounts import start_login_session
    from consultations.db import session_scope, utcnow
    from consultations.models import User

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    with session_scope(engine) as session:
        person = session.get(User, world.officer if case.as_officer else world.partner)
        app.session_state["login_token"] = start_login_session(session, person, now=utcnow())
    app.query_params["consultation"] = str(world.consultation)
    return app


def view(app, case: Case, world: World, clock: ScriptClock) -> Timing:
    """Open the case's page and make its pick; return the server time of that first view."""
    app.run()
    first = clock.run(lambda: app.switch_page(case.page).run())
    _check(app, case)
    if case.pick is not None:  # the view timed is the one showing what was picked
        first = clock.run(lambda: case.pick(app, world))
        _check(app, case)
    return first


def _check(app, case: Case) -> None:
    if app.exception:
        raise RuntimeError(f"{case.name}: the page failed: {app.exception[0].message}")
    if app.error:
        raise RuntimeError(f"{case.name}: the page shows an error: {app.error[0].value}")


def time_case(
    world: World, engine, case: Case, clock: ScriptClock, rounds: int, reruns: int
) -> tuple[list[Timing], list[Timing]]:
    """Server times of ``rounds`` first views (each in a fresh session, with nothing in
    nothing cached) and of ``reruns`` re-runs after each."""

    first, again = [], []
    for _ in range(rounds):
        empty_caches(engine, world)
        app = open_app(world, engine, case)
        first.append(view(app, case, world, clock))
        for _ in range(reruns):
            again.append(clock.run(app.run))
            _check(app, case)
    return first, again


def empty_caches(engine, world: World) -> None:
    """Make the next view of each page an uncached one, as after a change on a server.

    ``st.cache_data`` is emptied; the analysis page keeps its evidence in ``st.cache_resource``
    (beside the app's database engine, which a server keeps open) until anything it was made
    from changes, so the consultation is touched: a change that every stamp sees.
    """
    import streamlit as st

    from consultations.db import session_scope, utcnow
    from consultations.models import Consultation

    st.cache_data.clear()
    with session_scope(engine) as session:
        session.get(Consultation, world.consultation).updated_at = utcnow()


def profile_case(
    world: World, engine, case: Case, clock: ScriptClock, rounds: int, *, cold: bool
) -> None:
    """Print where the case's re-runs spend their time (in the thread that runs the script),
    with the caches emptied before each when ``cold``."""
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    app = open_app(world, engine, case)
    view(app, case, world, clock)
    profiler = cProfile.Profile()
    original = LocalScriptRunner._run_script_thread

    def profiled(self):
        profiler.enable()
        try:
            original(self)
        finally:
            profiler.disable()

    LocalScriptRunner._run_script_thread = profiled
    try:
        for _ in range(rounds):
            if cold:
                empty_caches(engine, world)
            app.run()
    finally:
        LocalScriptRunner._run_script_thread = original
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(40)
    print(out.getvalue())


def main(argv: Sequence[str] | None = None) -> int:
    """Build the data set, warm up, time each page; 1 when any view is over budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=ROUNDS, help="first views per page (fresh sessions)"
    )
    parser.add_argument("--reruns", type=int, default=RERUNS, help="re-runs after each")
    parser.add_argument(
        "--cold", action="store_true", help="with --profile: empty st.cache_data before each run"
    )
    parser.add_argument("--profile", metavar="CASE", help="profile one case's re-runs instead")
    parser.add_argument(
        "--keep", metavar="FOLDER", help="keep the database in this folder and reuse it next time"
    )
    args = parser.parse_args(argv)
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        return _bench(Path(args.keep).resolve(), args)
    with tempfile.TemporaryDirectory(prefix="workbench-pages-") as folder:
        return _bench(Path(folder), args)


def _bench(folder: Path, args: argparse.Namespace) -> int:
    database = folder / "workbench.db"
    os.environ.update(
        {
            "WORKBENCH_DATA_DIR": str(folder),
            "DATABASE_URL": f"sqlite:///{database}",
            "WORKBENCH_DEMO_DATABASE_URL": f"sqlite:///{folder / 'demo.db'}",
        }
    )
    os.chdir(ROOT)
    import streamlit as st
    from streamlit.logger import set_log_level

    from consultations.dates import uk_today
    from consultations.db import make_engine
    from consultations.migrate import upgrade

    fresh = not database.exists()
    engine = make_engine(f"sqlite:///{database}")
    try:
        if fresh:
            upgrade(engine)
            started = time.perf_counter()
            print(f"Building the data set in {database} …")
            world = build(engine, today=uk_today())
            print(f"  built in {time.perf_counter() - started:.0f} s")
        else:
            world = _world_of(engine)
        print(
            f"Database: 200 partner organisations, 20 questions per consultation, "
            f"{world.answers:,} answers (4,000 of them in the consultation timed); "
            f"{args.rounds} first views of each page, each followed by {args.reruns} re-runs."
        )
        clock = ScriptClock()
        reset_peak_memory()  # the data set's building is not the app's memory
        for case in CASES:  # what a running server has done before anyone is timed
            view(open_app(world, engine, case), case, world, clock)
        # Logins and cache clearing happen outside script runs: no "missing ScriptRunContext"
        # or "No runtime found" chatter about that (the app's config set the level meanwhile).
        set_log_level("error")
        if args.profile:
            case = next(c for c in CASES if c.name == args.profile)
            profile_case(world, engine, case, clock, args.reruns, cold=args.cold)
            return 0
        over = False
        slowest: dict[str, float] = {}
        print(f"{'':26} {'first view, ms':>20}   {'re-run, ms':>20}")
        print(
            f"{'page':26} {'CPU':>6} {'wall':>6} {'worst':>6}   {'CPU':>6} {'wall':>6} {'worst':>6}"
        )
        for case in CASES:
            first, again = time_case(world, engine, case, clock, args.rounds, args.reruns)
            cpu = [statistics.median(t.cpu for t in times) for times in (first, again)]
            slowest[case.name] = max(cpu)
            over |= max(cpu) >= BUDGET_MS
            print(
                f"{case.name:26} "
                + "   ".join(
                    f"{statistics.median(t.cpu for t in times):6.0f} "
                    f"{statistics.median(t.wall for t in times):6.0f} "
                    f"{max(t.wall for t in times):6.0f}"
                    for times in (first, again)
                )
                + f"   {'within' if max(cpu) < BUDGET_MS else 'OVER'}"
            )
        print(
            f"Medians of {args.rounds} first views and {args.rounds * args.reruns} re-runs; "
            f"judged on the CPU medians against {BUDGET_MS:.0f} ms: "
            + ("every page within budget." if not over else "some pages are OVER budget.")
        )
        from bench.budget import report

        for case, cpu in slowest.items():
            report(
                f"page: {case}",
                f"{cpu:.0f} ms CPU",
                f"under {BUDGET_MS:.0f} ms",
                within=cpu < BUDGET_MS,
            )
        peak = peak_memory_mb()
        print(
            f"Memory: the process peaked at {peak:,.0f} MB while serving every page above "
            f"(budget {MEMORY_BUDGET_MB} MB)."
        )
        report(
            "memory of the app process, this data set",
            f"{peak:,.0f} MB at peak",
            f"under {MEMORY_BUDGET_MB} MB",
            within=peak < MEMORY_BUDGET_MB,
        )
        over |= peak >= MEMORY_BUDGET_MB
        return 1 if over else 0
    finally:
        st.cache_resource.clear()  # the app's engine, so the folder can go
        engine.dispose()


def reset_peak_memory() -> None:
    """Start the process's peak resident memory (VmHWM) afresh, where Linux allows it."""
    # Where it cannot, the peak counts the building of the data set too: an overestimate.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_memory_mb() -> float:
    """The process's peak resident memory since ``reset_peak_memory``, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _world_of(engine) -> World:
    """The ids of a data set built by an earlier run with --keep."""
    from sqlalchemy import func, select

    from consultations.db import read_scope
    from consultations.models import Consultation, Question, User
    from evidence.models import Answer

    with read_scope(engine) as session:
        current = session.scalar(select(Consultation).where(Consultation.status == "open"))
        return World(
            consultation=current.id,
            officer=session.scalar(select(User.id).where(User.role == "officer")),
            partner=session.scalar(select(User.id).where(User.role == "partner").order_by(User.id)),
            question=session.scalar(
                select(func.min(Question.id)).where(Question.consultation_id == current.id)
            ),
            answers=session.scalar(select(func.count()).select_from(Answer)),
        )


if __name__ == "__main__":
    sys.exit(main())

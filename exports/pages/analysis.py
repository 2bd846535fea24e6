"""The officer's analysis: positions, themes by partners and by sector, shared points, answers.

Everything is counted by ``evidence.analysis`` from the submitted answers and their tags, the
same counts the draft uses. Partner text is shown in tables and with ``st.text``, never as
markup.
"""

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from consultations.dates import uk_today
from consultations.db import read_scope
from consultations.pages import consultation_picker, databases, escaping, logins
from consultations.words import agreeing, counted
from evidence.analysis import (
    NO_POSITION,
    AnswerFilter,
    evidence_stamp,
    filter_answers,
    load_evidence,
    partner_count,
    position_counts,
    themes_by_partners,
    themes_by_sector,
)
from evidence.facts import Evidence
from evidence.review_state import what_counts
from evidence.similar import shared_points

ANY = "Any"


def main() -> None:
    """Filters first, then the charts and the table for what they select."""
    viewer, cid = consultation_picker.consultation_page("analysis", "Analysis")
    limits = databases.settings()
    with read_scope(databases.engine()) as session:
        me = logins.snapshot_user(session, viewer)
        evidence = _evidence(
            session,
            me,
            str(databases.engine().url),
            cid,
            evidence_stamp(session, me, cid),  # checks the officer may read the answers
            uk_today(),
            limits.partnership_name,
            limits.home_region,
        )
        counts_note = what_counts(session, cid)
    if not evidence.answers:
        st.info(
            "No partner has submitted a response yet. Answers appear here once their "
            "organisation submits."
        )
        return
    chosen = _filters(evidence)
    answers = filter_answers(evidence, chosen)
    st.caption(
        f"{counted(len(answers), 'answer')} from {counted(partner_count(answers), 'partner')} "
        f"{agreeing(len(answers), 'matches', 'match')}. Counts are of partners: two people "
        "from one organisation count once."
    )
    # The charts count the answers the filters and the search select, as the table lists.
    shown = replace(evidence, answers=tuple(answers))
    if chosen != AnswerFilter(question_id=chosen.question_id):
        st.caption("The charts below count only these matching answers.")
    if chosen.question_id is not None:
        _positions(shown, chosen.question_id)
        _shared(evidence, answers)
    _themes(shown, chosen, counts_note)
    _table(evidence, answers)


# The cached evidence is shared, not copied: a copy (st.cache_data unpickles one on every run)
# of 4,000 answers took a quarter of the page's budget, and Evidence is immutable all the way
# down (frozen dataclasses holding tuples and strings), so nothing can change it under anyone.
@st.cache_resource(max_entries=4, ttl=3600, show_spinner="Reading the answers…")
def _evidence(
    _session,
    _me,
    database: str,
    consultation_id: int,
    stamp: tuple,
    today,
    partnership: str,
    region: str,
) -> Evidence:
    """The consultation's evidence, loaded once and kept while nothing it is made from changes.

    Loading 4,000 answers with their tags takes longer than the page's whole budget; the stamp
    (``evidence_stamp``: a few small counts and sums, which the caller reads first, checking
    the officer may see the answers) changes whenever anything loaded does, so filters and
    reruns reuse the evidence. Keyed by the database too: the demo and the real database number
    their consultations alike.
    """
    return load_evidence(
        _session, _me, consultation_id, today=today, partnership=partnership, region=region
    )


def _filters(evidence) -> AnswerFilter:
    questions = {q.id: f"{q.number}: {q.text[:80]}" for q in evidence.questions}
    themes = {t.id: t.label for t in evidence.themes}
    sectors = sorted({a.sector for a in evidence.answers})
    positions = sorted({a.position or NO_POSITION for a in evidence.answers})
    with st.container(border=True):
        first, second, third = st.columns(3)
        question = first.selectbox(
            "Question",
            [None, *questions],
            format_func=lambda q: "All questions" if q is None else questions[q],
        )
        theme = second.selectbox(
            "Theme", [None, *themes], format_func=lambda t: ANY if t is None else themes[t]
        )
        sector = third.selectbox("Sector", [None, *sectors], format_func=lambda s: s or ANY)
        first, second, third, fourth = st.columns([2, 3, 1.3, 1.7], vertical_alignment="bottom")
        position = first.selectbox("Position", [None, *positions], format_func=lambda p: p or ANY)
        search = second.text_input(
            "Search the answers",
            help="Finds answers containing every word you type, in any case.",
        )
        figures = third.checkbox("With figures", help="Only answers that give a figure.")
        regional = fourth.checkbox(
            "About our own region", help="Only answers about our own region or a local difference."
        )
    return AnswerFilter(
        question_id=question,
        theme_id=theme,
        sector=sector,
        position=position,
        has_figures=True if figures else None,
        regional=True if regional else None,
        search=search,
    )


def _positions(evidence, question_id: int) -> None:
    counts = position_counts(evidence, question_id)
    st.header("Positions", divider="gray")
    data = pd.DataFrame(
        [(c.position, c.partners) for c in counts], columns=["Position", "Partners"]
    )
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("Partners:Q", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y(
                "Position:N", sort=list(data["Position"]), title=None, axis=alt.Axis(labelLimit=360)
            ),
            tooltip=["Position", "Partners"],
        )
        .properties(
            height=alt.Step(32),
            description="Bar chart of the number of partners taking each position: "
            + _spoken(data, "Position", "Partners"),
        )
    )
    st.altair_chart(chart, width="stretch")


def _shared(evidence, answers) -> None:
    groups = shared_points(answers, min_partners=2)
    if not groups:
        return
    st.header("Points several partners made", divider="gray")
    for group in groups[:8]:
        with st.container(border=True):
            st.caption(
                f"{group.partners} partners made this point: "
                + escaping.plain(", ".join(group.organisations))
            )
            st.text(group.representative.text)


def _themes(evidence, chosen: AnswerFilter, counts_note: str) -> None:
    counts = themes_by_partners(evidence, chosen.question_id)
    if not counts:
        st.info("No themes yet: tag the answers on the Review page.")
        return
    st.header("Themes by number of partners", divider="gray")
    st.caption(counts_note)
    data = pd.DataFrame(
        [(c.label, c.partners, c.answers) for c in counts], columns=["Theme", "Partners", "Answers"]
    )
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("Partners:Q", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("Theme:N", sort="-x", title=None, axis=alt.Axis(labelLimit=360)),
            tooltip=["Theme", "Partners", "Answers"],
        )
        .properties(
            height=alt.Step(24),
            description="Bar chart of the number of partners raising each theme: "
            + _spoken(data, "Theme", "Partners"),
        )
    )
    st.altair_chart(chart, width="stretch")
    st.header("Themes by sector", divider="gray")
    by_sector = pd.DataFrame(
        [(r.sector, r.label, r.partners) for r in themes_by_sector(evidence, chosen.question_id)],
        columns=["Sector", "Theme", "Partners"],
    )
    order = list(data["Theme"])
    base = alt.Chart(by_sector).encode(
        # Every sector labelled: none dropped where labels would overlap, long ones shortened.
        x=alt.X(
            "Sector:N",
            title=None,
            axis=alt.Axis(labelAngle=-35, labelLimit=240, labelOverlap=False),
        ),
        y=alt.Y("Theme:N", sort=order, title=None, axis=alt.Axis(labelLimit=360)),
    )
    heat = base.mark_rect().encode(
        color=alt.Color("Partners:Q", scale=alt.Scale(scheme="blues"), legend=None),
        tooltip=["Sector", "Theme", "Partners"],
    )
    # White numbers on the darker half of the scale, black on the lighter: readable on both.
    dark = by_sector["Partners"].max() / 2 if len(by_sector) else 0
    labels = base.mark_text().encode(
        text="Partners:Q",
        color=alt.condition(alt.datum.Partners > dark, alt.value("white"), alt.value("black")),
    )
    cells = by_sector.assign(Cell=by_sector["Theme"] + " (" + by_sector["Sector"] + ")")
    described = (heat + labels).properties(
        height=alt.Step(24),
        description="Heat map of the number of partners in each sector raising each theme: "
        + _spoken(cells, "Cell", "Partners"),
    )
    st.altair_chart(described, width="stretch")


def _spoken(data: pd.DataFrame, label: str, count: str) -> str:
    """The chart's figures in words, for people who cannot see it: 'Agree: 3; Disagree: 5.'"""
    return "; ".join(f"{row[label]}: {row[count]}" for _, row in data.iterrows()) + "."


def _table(evidence, answers) -> None:
    st.header("Answers", divider="gray")
    numbers = {q.id: q.number for q in evidence.questions}
    labels = {t.id: t.label for t in evidence.themes}
    st.dataframe(
        pd.DataFrame(
            [
                (
                    a.organisation,
                    a.sector,
                    numbers.get(a.question_id, ""),
                    a.position,
                    ", ".join(labels.get(t, t) for t in a.themes),
                    "yes" if a.figures else "",
                    "yes" if a.regional else "",
                    a.text,
                )
                for a in answers
            ],
            columns=[
                "Organisation",
                "Sector",
                "Question",
                "Position",
                "Themes",
                "Figures",
                "Regional",
                "Comment",
            ],
        ),
        hide_index=True,
        width="stretch",
    )


main()

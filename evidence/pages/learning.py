"""Learning from the officer's decisions: train a model, compare it with the rules, switch it."""

import pandas as pd
import streamlit as st

from consultations.db import read_scope, utcnow
from consultations.errors import AccessDenied, WorkbenchError
from consultations.pages import actions, consultation_picker, databases, demo_mode, escaping, logins
from consultations.words import counted
from evidence.learning import MIN_REVIEWED
from evidence.model_store import activate_tag_model, deactivate_tag_model
from evidence.tagging import retag_consultation
from evidence.training import (
    MEASURES,
    MICRO_F1_COLUMNS,
    SYSTEMS,
    LearningStatus,
    ModelSummary,
    figures_rows,
    learning_status,
    macro_f1_sentence,
    model_summaries,
    models_rows,
    theme_labels,
    train_on_decisions,
    verdict,
)

SCORE = st.column_config.NumberColumn(format="%.2f")


def main() -> None:
    """Show how many answers are reviewed, the train button, a model's figures and the list."""
    viewer, cid = consultation_picker.consultation_page("learning", "Learning from decisions")
    with read_scope(databases.engine()) as session:
        me = logins.snapshot_user(session, viewer)
        status = learning_status(session, me, cid)
        models = model_summaries(session, me, cid)
        labels = theme_labels(session, cid)
    st.caption(
        "A model learns from the themes you accepted and rejected on the review page, and then "
        "suggests themes that no phrase names. One reviewed answer in five is held back to "
        "measure it against the rules. Its suggestions are only used once you switch it on."
    )
    _train(cid, status)
    if not models:
        return
    chosen = _choose(cid, models)
    _figures(chosen, labels)
    _switch(viewer, cid, chosen)
    _stored(models)


def _train(cid: int, status: LearningStatus) -> None:
    with st.container(border=True):
        st.markdown(f"**{counted(status.reviewed, 'answer')}** reviewed so far.")
        if not status.enough:
            st.info(
                f"A model needs at least {MIN_REVIEWED} reviewed answers. Review "
                f"{counted(status.needed, 'more answer')} on 'Review theme tags', then train one "
                "here."
            )
        if not st.button(
            "Train a model on the decisions",
            type="primary",
            icon=":material/model_training:",
            disabled=not status.enough,
            help="Trains on four in five reviewed answers and measures the model on the rest. "
            "It takes a few seconds; tagging does not change until you switch the model on.",
        ) or not demo_mode.allow_heavy_job("training"):
            return
        with st.spinner("Training on your decisions and measuring the model…"):
            trained = actions.act(
                lambda s, me: train_on_decisions(s, me, cid, now=utcnow()), rerun=False
            )
        if trained is not None:
            st.session_state[f"learning-model-{cid}"] = trained.id
            st.session_state["flash"] = f"Trained and stored version {trained.version}."
            st.rerun()


def _choose(cid: int, models: list[ModelSummary]) -> ModelSummary:
    by_id = {model.id: model for model in models}
    wanted = st.session_state.get(f"learning-model-{cid}")
    active = next((model.id for model in models if model.active), None)
    first = wanted if wanted in by_id else active or models[0].id
    chosen = st.selectbox(
        "Model to look at",
        list(by_id),
        index=list(by_id).index(first),
        format_func=lambda mid: _title(by_id[mid]),
        help="Every model trained for this consultation, newest first.",
    )
    st.session_state[f"learning-model-{cid}"] = chosen
    return by_id[chosen]


def _title(model: ModelSummary) -> str:
    on = " (switched on)" if model.active else ""
    return f"Version {model.version}, trained {model.trained_on}{on}"


def _figures(model: ModelSummary, labels: dict[str, str]) -> None:
    st.subheader(f"How version {model.version} compares with the rules")
    (st.warning if model.refusal else st.info)(verdict(model.figures, active=model.active))
    if model.trained is not None:
        took = f" in {model.seconds:.1f} seconds" if model.seconds is not None else ""
        st.caption(
            f"Trained on {counted(model.trained, 'answer')}{took}, and measured on "
            f"{counted(model.held_back or 0, 'held-back answer')} it had not seen."
        )
    measure = st.radio(
        "Measure",
        list(MEASURES),
        format_func=MEASURES.get,
        horizontal=True,
        key=f"measure-{model.id}",
        help="Precision: the share of its suggestions that you accepted. Recall: the share of "
        "your themes that it found. F1 balances the two.",
    )
    rows = figures_rows(model.figures, labels, measure=measure)
    if rows:
        st.dataframe(
            pd.DataFrame(rows),
            hide_index=True,
            width="stretch",
            column_config={title: SCORE for title in SYSTEMS.values()},
        )
        st.caption(macro_f1_sentence(model.figures))


def _switch(viewer, cid: int, model: ModelSummary) -> None:
    if model.active:
        st.success(
            f"Version {model.version} is switched on: its suggestions show on the review page "
            "as 'suggested by the model learned from your decisions', with how sure it is."
        )
        if st.button(
            "Switch off",
            help="Tag with the rules again (and the default learned model, unless it is "
            "switched off) from the next save or re-tag. Learned suggestions nobody has decided "
            "on are removed now; every decision stays.",
        ):
            removed = actions.act(
                lambda s, me: deactivate_tag_model(s, me, model.id, now=utcnow()), rerun=False
            )
            if removed is not None:
                st.session_state["flash"] = (
                    f"Switched off version {model.version} and removed "
                    f"{counted(removed, 'learned suggestion')} nobody had decided on."
                )
                st.rerun()
        return
    if not st.button(
        "Switch this model on",
        type="primary",
        disabled=model.refusal is not None,
        help=model.refusal
        or "Adds its suggestions to the rules' on every answer, now and on every save, marked "
        "'learned'. Replaces any model switched on before, and the default learned model. Every "
        "answer is tagged again now.",
    ) or not demo_mode.allow_heavy_job("re-tagging"):
        return
    if actions.act(lambda s, me: activate_tag_model(s, me, model.id, now=utcnow()), rerun=False):
        _retag(viewer, cid, model.version)


def _retag(viewer, cid: int, version: int) -> None:
    bar = st.progress(0.0, text="Tagging every answer with the model…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"Tagged {done} of {total} answers")

    try:
        result = retag_consultation(databases.engine(), viewer.id, cid, progress=progress)
    except AccessDenied as exc:
        actions.refuse(exc, {"action": "retag_consultation", "consultation": cid})
    except WorkbenchError as exc:
        st.error(
            escaping.markup_free(f"Version {version} is switched on, but re-tagging stopped: {exc}")
        )
        st.info("Re-tag every answer on the Themes page to see its suggestions.")
        return
    st.session_state["flash"] = (
        f"Switched on version {version} and tagged {counted(result.answers, 'answer')} with it."
    )
    st.rerun()


def _stored(models: list[ModelSummary]) -> None:
    st.subheader("Stored models")
    st.dataframe(
        pd.DataFrame(models_rows(models)),
        hide_index=True,
        width="stretch",
        column_config={title: SCORE for title in MICRO_F1_COLUMNS},
    )


main()

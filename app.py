"""sdp-grader web app: partners paste or upload answers, reviewers refine a draft assessment.

The page layout only. Grading is `grader.engine.assess`, reports are `grader.report.render`;
the app's parts live in `grader.webapp`:

    sidebar.py      the judge to grade with (as Settings) and the history of assessments
    inputs.py       the input form and the Application it describes
    session.py      what the Assess button does: run cache, judge, assess, store
    views.py        the summary, downloads and the parts of one control's results
    review_form.py  the reviewer's override form under each control

Start it with `grader app` (or `streamlit run app.py`).

Session state (per browser tab): `assessment_id`, `input_errors` and `last_run` are written
by `grader.webapp.session`; `sample` is the sample application chosen as input; `api_key`
is the API key typed in the sidebar, only there, never stored; `compare_with` is the saved
assessment re-opened from the history (a later run shows what moved against it); `open_control`
is the control a reviewer last saved a review for (it stays open).
"""

from __future__ import annotations

import streamlit as st

from grader.catalogue import get_catalogue
from grader.config import get_settings
from grader.errors import UserError
from grader.models import ControlAssessment
from grader.webapp import inputs, review, sidebar, views
from grader.webapp.markdown import md_escape
from grader.webapp.review_form import review_form
from grader.webapp.session import interrupted_run_notice, on_assess
from grader.webapp.store import AssessmentStore, Override, open_store


def control_panel(assessment_id: str, result: ControlAssessment, overrides: list[Override]) -> None:
    """One control: the grader's verdict beside the reviewer's, the details, the review form."""
    current = review.latest(overrides)
    reviewed_verdict = review.effective_verdict(result, overrides)
    touched = any(control == result.control for control, _ in current)
    text, colour = views.VERDICT_BADGE[result.verdict]
    label = f"{result.control} · {result.title} — grader: {text}"
    if touched:
        label += f" · reviewer: {views.VERDICT_BADGE[reviewed_verdict][0]}"
    # A key keeps the panel the same element when its label changes with a review, so it stays
    # as the reviewer left it; the control last reviewed is drawn open.
    with st.expander(label, icon=views.VERDICT_ICON[reviewed_verdict if touched else result.verdict],
                     key=f"panel_{assessment_id}_{result.control}",
                     expanded=st.session_state.get("open_control") == result.control):
        badges = st.columns([1, 3])
        badges[0].badge(f"Grader: {text}", color=colour)
        if touched:
            explicit = current.get((result.control, None))
            r_text, r_colour = views.VERDICT_BADGE[reviewed_verdict]
            note = f" — {md_escape(explicit.comment)}" if explicit and explicit.comment else ""
            badges[1].badge(f"Reviewer: {r_text}{note}", color=r_colour, icon=":material/rate_review:")
        if not result.answered:
            st.warning("Not answered: every criterion is unmet. Add an answer and evidence for this control.")
        if result.summary:
            st.markdown(md_escape(result.summary))
        views.review_needed(result)
        views.criterion_table(result, current)
        views.quotes(result)
        views.gaps(result)
        views.flag_list(result.flags, result.errors)
        review_form(assessment_id, result, overrides)


def results(store: AssessmentStore, assessment_id: str) -> None:
    try:
        result = store.load(assessment_id)
    except UserError as exc:
        st.error(str(exc))
        return
    overrides = store.overrides(assessment_id)
    views.summary(result, overrides)
    earlier = st.session_state.get("compare_with")
    if earlier and earlier != assessment_id:
        views.what_moved(store.load(earlier), result)
    views.downloads(store, assessment_id, result, overrides)
    st.header("Controls")
    for control in result.controls:
        control_panel(assessment_id, control, overrides)


def main() -> None:
    st.set_page_config(page_title="SDP grader", page_icon=":material/fact_check:", layout="wide")
    st.session_state.setdefault("input_mode", inputs.MODE_PASTE)
    try:
        settings = get_settings()
        catalogue = get_catalogue()
        store = open_store(settings)
    except UserError as exc:
        st.error(f"The grader cannot start: {exc}")
        return
    choice, run_settings = sidebar.judge_settings(settings)
    st.sidebar.text_input("Reviewer name", key="reviewer", help="Recorded with your overrides.")

    st.title("AWS SDP / Competency technical validation: draft assessment")
    st.caption("Paste or upload the evidence for each control, get a draft assessment, and see what to fix. "
               "Reviewers can override any verdict and export reviewed controls as eval cases.")
    top = st.columns([3, 1], vertical_alignment="bottom")
    top[0].radio("Input", [inputs.MODE_PASTE, inputs.MODE_FILE], key="input_mode", horizontal=True)
    top[1].button("Load sample application", key="load_sample", on_click=inputs.load_sample_clicked)
    slots = inputs.paste_inputs(catalogue) if st.session_state.input_mode == inputs.MODE_PASTE else inputs.file_inputs()
    interrupted_run_notice()
    if st.button("Assess", type="primary", key="assess"):
        on_assess(choice, run_settings, slots)
    if st.session_state.get("assessment_id"):
        results(store, st.session_state.assessment_id)
    sidebar.history(store)


main()

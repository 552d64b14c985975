"""One click on Assess: the app's run logic, and what it leaves in the browser session.

    grade()      fingerprint the inputs; an unchanged re-run is a run-cache lookup, otherwise
                 build the judge, `grader.engine.assess`, store the result, remember it
    on_assess()  the button: inputs -> Application -> grade() with a progress box; the
                 outcome (or the problem) goes to session state and beside the inputs

Session state written here (per browser tab):
    assessment_id   the assessment on screen (a row of the store)
    input_errors    problems with the inputs, keyed by control id or "application"
    last_run        how the last Assess click went (seconds, whether it was cached)
    assessing       set while an assessment runs; still set on the next page run when the run
                    was stopped (Cancel), which interrupted_run_notice() then says
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import streamlit as st
from pydantic import BaseModel

from grader.catalogue import Catalogue, get_catalogue
from grader.config import Settings
from grader.engine import assess, make_judge
from grader.errors import ApplicationError, UserError
from grader.judges.base import Judge
from grader.models import Application, Assessment
from grader.webapp import intake
from grader.webapp.inputs import MODE_PASTE, ErrorSlots, build_application, input_errors_of, show_input_errors
from grader.webapp.runs import JudgeChoice, RunCache, fingerprint
from grader.webapp.sidebar import missing_llm_setting
from grader.webapp.store import AssessmentStore, open_store
from grader.webapp.views import ERROR_ICON

log = logging.getLogger("grader.app")


class RunDisplay:
    """What a run shows while the controls are graded; this one shows nothing."""

    def advance(self, control_id: str, done: int, of: int) -> None:
        """`of` controls are being graded, `done` of them so far, `control_id` the last."""

    def finish(self, result: Assessment) -> None:
        """The run is over."""


# (number of controls, judge label) -> a context in which the run is displayed
Displayed = Callable[[int, str], AbstractContextManager[RunDisplay]]


@contextmanager
def unseen(total: int, judge: str) -> Iterator[RunDisplay]:
    yield RunDisplay()


class RunOutcome(BaseModel):
    assessment_id: str
    cached: bool  # an unchanged re-run: the stored result was reused, nothing was graded


def grade(
    application: Application,
    choice: JudgeChoice,
    settings: Settings,
    store: AssessmentStore,
    cache: RunCache,
    judge_for: Callable[[JudgeChoice, Settings], Judge],
    displayed: Displayed = unseen,
    catalogue: Catalogue | None = None,
) -> RunOutcome:
    """Grade the application (or find the unchanged earlier result) and store the result."""
    catalogue = catalogue or get_catalogue()
    files = intake.attachment_bytes(application)
    key = fingerprint(application, files, choice, catalogue.hashes)
    cached = cache.get(store.url, key)
    if cached is not None:
        return RunOutcome(assessment_id=cached, cached=True)
    judge = judge_for(choice, settings)
    with displayed(len(catalogue), choice.label()) as display:
        result = assess(application, judge=judge, progress=display.advance, settings=settings, catalogue=catalogue)
        display.finish(result)
    assessment_id = store.save(result, application, files)
    cache.put(store.url, key, assessment_id)
    return RunOutcome(assessment_id=assessment_id, cached=False)


# --------------------------------------------------------------------------- per-server resources


@st.cache_resource(show_spinner=False)
def run_cache() -> RunCache:
    """Fingerprint -> stored assessment: an unchanged re-run is a lookup."""
    return RunCache()


@st.cache_resource(show_spinner="Loading the offline judge and its embedding model…")
def offline_judge() -> Judge:
    """Built once per server: the embedding model loads on the first use only."""
    from grader.embeddings import get_embedder  # deferred: imports chromadb (~0.5 s), not needed to draw the page

    get_embedder().embed(["warm up"])
    return make_judge("offline")


def judge_for(choice: JudgeChoice, settings: Settings) -> Judge:
    """The server's offline judge, or an LLM judge for these settings (a typed key included)."""
    return offline_judge() if choice.judge == "offline" else make_judge("llm", settings)


# --------------------------------------------------------------------------- the Assess button


class StatusBox(RunDisplay):
    """A Streamlit status box with a progress bar, collapsed when the run is over."""

    def __init__(self, status, bar, total: int, cancel=None) -> None:
        self._status, self._bar, self._total, self._cancel = status, bar, total, cancel

    def advance(self, control_id: str, done: int, of: int) -> None:
        self._bar.progress(done / of, text=f"{done} of {of} controls graded · {control_id} done")

    def finish(self, result: Assessment) -> None:
        if self._cancel is not None:
            self._cancel.empty()  # nothing left to cancel
        self._status.update(label=f"Assessed {self._total} controls in {result.seconds:.1f} s",
                            state="complete", expanded=False)


@contextmanager
def status_box(total: int, judge: str) -> Iterator[RunDisplay]:
    with st.status(f"Assessing {total} controls with the {judge} judge…", expanded=True) as status:
        bar = st.progress(0.0, text=f"0 of {total} controls graded")
        # Any click reruns the page, and Streamlit stops this run at its next progress update:
        # the button only has to be there. The inputs are widgets' state and stay as they were.
        cancel = st.empty()
        cancel.button("Cancel", key="cancel_assessment", icon=":material/cancel:",
                      help="Stop this assessment after the control being graded. Your answers and files are kept.")
        yield StatusBox(status, bar, total, cancel)


def interrupted_run_notice() -> None:
    """An assessment that never finished (Cancel, or another click during it) is said once."""
    if st.session_state.pop("assessing", None):
        st.warning("The assessment was cancelled before it finished; nothing was saved. "
                   "Your answers and files are kept: change them or click Assess again.",
                   icon=":material/cancel:")


def run_assessment(application: Application, choice: JudgeChoice, settings: Settings) -> RunOutcome:
    """grade() with this server's store, run cache and judges, its progress on the page."""
    return grade(application, choice, settings, open_store(), run_cache(), judge_for, status_box)


def on_assess(choice: JudgeChoice, settings: Settings, slots: ErrorSlots) -> None:
    missing = missing_llm_setting(choice, settings)
    if missing:
        st.error(missing, icon=ERROR_ICON)
        return
    # A run Streamlit stops (Cancel, or any click during it) raises through here and leaves
    # the mark set; the next page run says so (interrupted_run_notice).
    st.session_state.assessing = True
    assess_inputs(choice, settings, slots)
    st.session_state.assessing = False


def assess_inputs(choice: JudgeChoice, settings: Settings, slots: ErrorSlots) -> None:
    mode = st.session_state.get("input_mode", MODE_PASTE)
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="grader-app-") as tmp:
            application = build_application(Path(tmp))
            if application is None:
                return
            outcome = run_assessment(application, choice, settings)
    except ApplicationError as exc:  # the uploaded application file itself is unreadable
        st.session_state.input_errors = {"application": [str(exc)]}
        show_input_errors(slots.get("application", st.empty()), [str(exc)])
        return
    except UserError as exc:  # settings (an LLM judge without a model ...) or the store
        st.error(str(exc), icon=ERROR_ICON)
        return
    except Exception as exc:  # noqa: BLE001 - a bug must not show a traceback to a partner
        log.exception("assessment failed")
        st.error(f"The grader failed while assessing ({type(exc).__name__}: {exc}). "
                 "Details are in the server log.")
        return
    result = open_store().load(outcome.assessment_id)
    st.session_state.assessment_id = outcome.assessment_id
    st.session_state.input_errors = input_errors_of(result, mode)
    st.session_state.last_run = {
        "seconds": round(time.perf_counter() - started, 2),
        "cached": outcome.cached,
    }
    for key, slot in slots.items():
        show_input_errors(slot, st.session_state.input_errors.get(key, []))

"""sdp-grader web app: partners paste or upload answers, reviewers refine a draft assessment.

A thin Streamlit shell: grading is `grader.engine.assess`, reports are
`grader.report.render`, and storing, reviewing and exporting live in `grader.webapp`.
Start it with `grader app` (or `streamlit run app.py`).

Session state (per browser tab):
    assessment_id   the assessment on screen (a row of the store)
    input_errors    problems with the inputs, keyed by control id or "application"
    last_run        how the last Assess click went (seconds, whether it was cached)
    sample          the sample application is the chosen input
    api_key         the API key typed in the sidebar: only here, never stored
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

import pandas as pd
import streamlit as st
from pydantic import SecretStr, ValidationError

from grader.catalogue import Catalogue, Control, get_catalogue
from grader.config import Settings, get_settings
from grader.engine import assess, make_judge
from grader.errors import ApplicationError, UserError
from grader.judges.base import Judge
from grader.models import Application, Assessment, ControlAssessment, Finding, IngestError
from grader.report.render import render
from grader.webapp import export, intake, review
from grader.webapp.flags import group_flags
from grader.webapp.markdown import md_escape
from grader.webapp.runs import JudgeChoice, RunCache, fingerprint
from grader.webapp.store import AssessmentStore, Override, open_store

log = logging.getLogger("grader.app")

MODE_PASTE = "Answer per control"
MODE_FILE = "Upload an application file"
VERDICT_BADGE = {"pass": ("PASS", "green"), "fail": ("FAIL", "red")}
STATUS_TEXT = {"met": "met", "partial": "partial", "not_met": "not met"}
# Material icons ship with Streamlit, so they render even where no emoji font is installed.
VERDICT_ICON = {"pass": ":material/check_circle:", "fail": ":material/cancel:"}
ERROR_ICON = ":material/error:"
FILE_ICON = ":material/attach_file:"
CHART_COLOURS = {"met": "#2e7d32", "partial": "#f9a825", "not met": "#c62828"}
CONTROL_ITEM = "Whole control"


# --------------------------------------------------------------------------- per-server resources


@st.cache_resource(show_spinner=False)
def run_cache() -> RunCache:
    """Fingerprint -> stored assessment: an unchanged re-run is a lookup."""
    return RunCache()


@st.cache_resource(show_spinner="Loading the offline judge and its embedding model…")
def offline_judge() -> Judge:
    """Built once per server: the embedding model loads on the first use only."""
    from grader.embeddings import get_embedder

    get_embedder().embed(["warm up"])
    return make_judge("offline")


def store() -> AssessmentStore:
    return open_store(get_settings())


# --------------------------------------------------------------------------- sidebar


def sidebar_settings(settings: Settings) -> tuple[JudgeChoice, Settings]:
    """Judge settings; the API key lives in session state only."""
    side = st.sidebar
    side.header("Settings")
    judge = side.radio(
        "Judge", ["offline", "llm"], key="judge",
        format_func=lambda j: "Offline (no model, default)" if j == "offline" else "LLM",
    )
    if judge == "offline":
        return JudgeChoice(), settings.model_copy(update={"judge": "offline"})
    providers = ["openai", "azure", "bedrock"]
    provider = side.selectbox("Provider", providers, index=providers.index(settings.provider), key="provider")
    model = side.text_input("Model", value=settings.model or "", key="model").strip() or None
    base_url = side.text_input(
        "Base URL", value=settings.base_url or "", key="base_url",
        help="OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp …); empty for the provider's default.",
    ).strip() or None
    typed = side.text_input(
        "API key", type="password", key="api_key",
        help="Kept in this browser session only: never stored, logged or written to a report.",
    ).strip()
    if not typed:
        side.caption("Using the API key from the environment." if settings.api_key
                     else "No API key in the environment: type one, unless your endpoint needs none.")
    choice = JudgeChoice(judge="llm", provider=provider, model=model, base_url=base_url)
    update: dict = {"judge": "llm", "provider": provider, "model": model, "base_url": base_url}
    if typed:
        update["api_key"] = SecretStr(typed)
    return choice, settings.model_copy(update=update)


def open_from_history() -> None:
    chosen = st.session_state.get("history_choice")
    if chosen:
        st.session_state.assessment_id = chosen
        st.session_state.input_errors = {}
        st.session_state.last_run = None


def sidebar_history(entries_store: AssessmentStore) -> None:
    """Drawn last, so an assessment made in this run is already listed."""
    side = st.sidebar
    side.header("History")
    entries = entries_store.history()
    if not entries:
        side.caption("No assessments yet.")
        return
    labels = {e.id: e.label() for e in entries}
    side.selectbox("Saved assessments", list(labels), format_func=labels.get, key="history_choice")
    side.button("Open", key="open_history", on_click=open_from_history)
    side.caption(f"Store: {entries_store.label}")


# --------------------------------------------------------------------------- inputs


def load_sample_clicked() -> None:
    st.session_state.input_mode = MODE_FILE
    st.session_state.sample = True
    st.session_state.input_errors = {}


def clear_sample_clicked() -> None:
    st.session_state.sample = False


def error_slot(key: str) -> st.delta_generator.DeltaGenerator:
    """A placeholder beside an input where its problems are shown (now or after a run)."""
    slot = st.empty()
    show_input_errors(slot, st.session_state.get("input_errors", {}).get(key, []))
    return slot


def show_input_errors(slot, messages: list[str]) -> None:
    with slot.container():
        for message in messages:
            st.error(md_escape(message), icon=ERROR_ICON)


def guide_notes(control: Control) -> None:
    with st.expander("What the calibration guide asks"):
        st.markdown(control.requirement)
        st.markdown("\n".join(f"- {c}" for c in control.criteria_for_passing))


def paste_inputs(catalogue: Catalogue) -> dict[str, object]:
    """One tab per control: the answer text and its files. Returns the error slots."""
    st.text_input("Partner (optional)", key="partner")
    errors = st.session_state.get("input_errors", {})
    tabs = st.tabs([(":material/warning: " if errors.get(c.id) else "") + c.id for c in catalogue])
    slots: dict[str, object] = {}
    for tab, control in zip(tabs, catalogue):
        with tab:
            st.caption(control.title)
            guide_notes(control)
            st.text_area("Answer", key=f"answer_{control.id}", height=160,
                         placeholder="Paste the partner's answer for this control…")
            st.file_uploader(
                "Evidence files", accept_multiple_files=True, key=f"files_{control.id}",
                help="PDF, DOCX, XLSX, Markdown/text, JSON/YAML, Terraform, draw.io, PNG/JPEG.",
            )
            slots[control.id] = error_slot(control.id)
    return slots


def file_inputs() -> dict[str, object]:
    if st.session_state.get("sample"):
        shown = intake.SAMPLE_APPLICATION.relative_to(intake.SAMPLE_APPLICATION.parents[2])
        st.info(f"Sample application loaded: `{shown}`")
        st.button("Use my own application file instead", key="clear_sample", on_click=clear_sample_clicked)
    else:
        st.file_uploader("Application file (.yaml, .yml, .json or the self-assessment .xlsx)",
                         type=["yaml", "yml", "json", "xlsx"], key="application_file")
        st.file_uploader("Its attachments (all files the application names)",
                         accept_multiple_files=True, key="application_attachments")
    return {"application": error_slot("application")}


def uploads(key: str) -> list[intake.Upload]:
    files = st.session_state.get(key) or []
    files = files if isinstance(files, list) else [files]
    return [intake.Upload(name=f.name, content=f.getvalue()) for f in files]


def build_application(folder: Path) -> Application | None:
    """The Application the current inputs describe, or None (with a message) when there is none."""
    if st.session_state.get("input_mode", MODE_PASTE) == MODE_PASTE:
        catalogue = get_catalogue()
        answers = {c.id: st.session_state.get(f"answer_{c.id}", "") for c in catalogue}
        files = {c.id: uploads(f"files_{c.id}") for c in catalogue}
        application = intake.application_from_answers(answers, files, folder, st.session_state.get("partner"))
        if not application.controls:
            st.warning("Nothing to assess yet: answer at least one control, or load the sample application.")
            return None
        return application
    if st.session_state.get("sample"):
        return intake.load_sample()
    chosen = uploads("application_file")
    if not chosen:
        st.warning("Upload an application file first, or load the sample application.")
        return None
    return intake.application_from_upload(chosen[0], uploads("application_attachments"), folder)


def input_errors_of(result: Assessment, mode: str) -> dict[str, list[str]]:
    """Problems to show beside the inputs they concern."""
    def line(e: IngestError) -> str:
        return f"{e.file}: {e.message}"

    if mode == MODE_PASTE:
        found: dict[str, list[str]] = {}
        for c in result.controls:
            if c.errors:
                found[c.control] = [line(e) for e in c.errors]
        if result.errors:
            found["application"] = [line(e) for e in result.errors]
        return found
    every = [line(e) for e in result.errors] + [
        f"{c.control} · {line(e)}" for c in result.controls for e in c.errors
    ]
    return {"application": every} if every else {}


# --------------------------------------------------------------------------- running


def run_assessment(application: Application, choice: JudgeChoice, settings: Settings) -> tuple[str, bool]:
    """Grade (or find the unchanged earlier result): (stored assessment id, whether it was cached)."""
    current_store = store()
    catalogue = get_catalogue()
    files = intake.attachment_bytes(application)
    key = fingerprint(application, files, choice, catalogue.hashes)
    cached = run_cache().get(current_store.url, key)
    if cached is not None:
        return cached, True
    judge = offline_judge() if choice.judge == "offline" else make_judge("llm", settings)
    total = len(catalogue)
    with st.status(f"Assessing {total} controls with the {choice.label()} judge…", expanded=True) as status:
        bar = st.progress(0.0, text=f"0 of {total} controls graded")

        def progress(control_id: str, done: int, of: int) -> None:
            bar.progress(done / of, text=f"{done} of {of} controls graded · {control_id} done")

        result = assess(application, judge=judge, progress=progress, settings=settings)
        status.update(label=f"Assessed {total} controls in {result.seconds:.1f} s", state="complete", expanded=False)
    assessment_id = current_store.save(result, application, files)
    run_cache().put(current_store.url, key, assessment_id)
    return assessment_id, False


def on_assess(choice: JudgeChoice, settings: Settings, slots: dict[str, object]) -> None:
    mode = st.session_state.get("input_mode", MODE_PASTE)
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="grader-app-") as tmp:
            application = build_application(Path(tmp))
            if application is None:
                return
            assessment_id, cached = run_assessment(application, choice, settings)
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
    result = store().load(assessment_id)
    st.session_state.assessment_id = assessment_id
    st.session_state.input_errors = input_errors_of(result, mode)
    st.session_state.last_run = {
        "seconds": round(time.perf_counter() - started, 2),
        "cached": cached,
    }
    for key, slot in slots.items():
        show_input_errors(slot, st.session_state.input_errors.get(key, []))


# --------------------------------------------------------------------------- results


def summary(result: Assessment, overrides: list[Override]) -> None:
    st.header("Summary")
    total = len(result.controls)
    criteria = [c for control in result.controls for c in control.criteria]
    met = sum(c.status == "met" for c in criteria)
    flags = sum(len(c.flags) for c in result.controls)
    problems = len(result.errors) + sum(len(c.errors) for c in result.controls)
    reviewed = review.reviewed_controls(result, overrides)
    cols = st.columns(4)
    cols[0].metric("Controls passed", f"{result.passed} / {total}")
    cols[1].metric("Criteria met", f"{met} / {len(criteria)}")
    cols[2].metric("Input problems", problems)
    cols[3].metric("Reviewed controls", f"{len(reviewed)} / {total}")
    who = " · ".join(md_escape(x) for x in (result.partner, result.program, result.source) if x)
    st.caption(
        (f"{who} · " if who else "")
        + f"judge {result.judge}{f' ({result.model})' if result.model else ''} · graded in {result.seconds:.1f} s"
        + f" · {flags} flag(s)"
    )
    last = st.session_state.get("last_run")
    if last:
        st.caption("Unchanged inputs: the stored result was reused." if last["cached"]
                   else f"From clicking Assess to results: {last['seconds']:.1f} s.")
    rows = [
        {"control": c.control,
         "met": sum(x.status == "met" for x in c.criteria),
         "partial": sum(x.status == "partial" for x in c.criteria),
         "not met": sum(x.status == "not_met" for x in c.criteria)}
        for c in result.controls
    ]
    st.bar_chart(pd.DataFrame(rows), x="control", y=list(CHART_COLOURS), color=list(CHART_COLOURS.values()),
                 stack=True, sort=False, horizontal=True, height=40 + 26 * len(rows), x_label="criteria", y_label="")
    for error in result.errors:
        st.error(md_escape(f"{error.file}: {error.message}"), icon=ERROR_ICON)


def downloads(assessment_id: str, result: Assessment, overrides: list[Override]) -> None:
    """Report and export downloads; each file is built only when its button is clicked."""
    stem = f"assessment-{assessment_id[:8]}"
    ready, skipped = export.exportable(result, overrides)
    current_store = store()
    with st.container(horizontal=True):
        for label, fmt, mime in (
            ("Markdown report", "md", "text/markdown"),
            ("HTML report", "html", "text/html"),
            ("JSON report", "json", "application/json"),
        ):
            st.download_button(label, lambda fmt=fmt: render(result, fmt), f"{stem}.{fmt}", mime,
                               key=f"download_{fmt}", on_click="ignore")
        st.download_button(
            "Overrides (JSON)", lambda: "[" + ",\n".join(o.model_dump_json() for o in overrides) + "]",
            f"{stem}-overrides.json", "application/json", key="download_overrides", on_click="ignore",
        )
        if ready:
            st.download_button(
                f"Eval cases ({len(ready)} reviewed)",
                lambda: export.export_zip(assessment_id, result, current_store.inputs(assessment_id), overrides)[0],
                f"{stem}-eval-cases.zip", "application/zip", key="download_cases", on_click="ignore",
                help="Labeled cases in the eval-case format: unpack under eval/cases/ and run `grader eval`.",
            )
    if not ready:
        st.caption("Override or confirm a verdict to export that control as a labeled eval case.")
    for control, why in skipped.items():
        st.caption(f"{control} not exported: {why}")
    leaked = [c for c in ready if any(f.rule.startswith("secret.") for f in result.control(c).flags)]
    if leaked:
        st.warning("The exported files of " + ", ".join(leaked) + " contain credentials the grader found "
                   "(redacted in reports, not in the original files): remove them before sharing the cases.")


def save_override(assessment_id: str, result: ControlAssessment) -> None:
    """Button callback: runs before the page is drawn, so the table shows the new override."""
    state = st.session_state
    item = state.get(f"ov_item_{result.control}", CONTROL_ITEM)
    try:
        override = Override(
            control=result.control,
            criterion=None if item == CONTROL_ITEM else item,
            verdict=state.get(f"ov_verdict_{result.control}", ""),
            comment=(state.get(f"ov_comment_{result.control}") or "").strip(),
            reviewer=(state.get("reviewer") or "").strip(),
        )
    except ValidationError as exc:
        state[f"ov_error_{result.control}"] = exc.errors()[0]["msg"]
        return
    store().add_override(assessment_id, override)
    state[f"ov_error_{result.control}"] = None
    state[f"ov_comment_{result.control}"] = ""


def confirm_verdict(assessment_id: str, result: ControlAssessment) -> None:
    store().add_override(assessment_id, Override(
        control=result.control, verdict=result.verdict, comment="grader's verdict confirmed",
        reviewer=(st.session_state.get("reviewer") or "").strip(),
    ))


def criterion_table(result: ControlAssessment, current: dict) -> None:
    rows = []
    for c in result.criteria:
        o = current.get((result.control, c.slug))
        rows.append({
            "criterion": c.slug,
            "grader": STATUS_TEXT[c.status],
            "reviewer": STATUS_TEXT[o.verdict] if o else "",
            "reviewer comment": o.comment if o else "",
            "why": c.rationale,
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def quotes(result: ControlAssessment) -> None:
    shown = [c for c in result.criteria if c.quotes]
    if not shown:
        return
    st.markdown("**Evidence quoted**")
    for c in shown:
        for q in c.quotes:
            st.markdown(f"> {md_escape(q.text)}")
            st.caption(f"{c.slug} · {FILE_ICON} {md_escape(q.source.label())}")


def gaps(result: ControlAssessment) -> None:
    missing = [c for c in result.criteria if c.status != "met"]
    if not missing:
        return
    st.markdown("**What is missing and how to fix it**")
    st.markdown("\n".join(
        f"- **{c.slug}** ({STATUS_TEXT[c.status]}): {md_escape(c.missing) or 'not shown'}"
        + (f" — *fix:* {md_escape(c.fix)}" if c.fix else "")
        for c in missing
    ))


def flag_list(findings: list[Finding], errors: list[IngestError]) -> None:
    for group, members in group_flags(findings):
        st.markdown(f"**{group.icon} {group.title}**")
        for f in members:
            where = f" ({f.source.label()})" if f.source else ""
            show = {"fail": st.error, "warn": st.warning}.get(f.severity, st.info)
            show(md_escape(f"{f.message}{where}"))  # messages quote the partner's text
    if errors:
        st.markdown("**:material/broken_image: Files that could not be read**")
        for e in errors:
            st.error(md_escape(f"{e.file}: {e.message}"))


def review_controls(assessment_id: str, result: ControlAssessment, overrides: list[Override]) -> None:
    st.markdown("**Review**")
    cid = result.control
    cols = st.columns([2, 2, 5], vertical_alignment="bottom")
    item = cols[0].selectbox("Item", [CONTROL_ITEM, *(c.slug for c in result.criteria)], key=f"ov_item_{cid}")
    verdicts = ["pass", "fail"] if item == CONTROL_ITEM else ["met", "partial", "not_met"]
    cols[1].selectbox("Reviewer's verdict", verdicts, key=f"ov_verdict_{cid}",
                      format_func=lambda v: STATUS_TEXT.get(v, v.upper()))
    cols[2].text_input("Comment", key=f"ov_comment_{cid}", placeholder="Why the grader is wrong (or right)")
    with st.container(horizontal=True):
        st.button("Save override", key=f"ov_save_{cid}", on_click=save_override, args=(assessment_id, result))
        st.button("Confirm grader's verdict", key=f"ov_confirm_{cid}", on_click=confirm_verdict,
                  args=(assessment_id, result))
    if st.session_state.get(f"ov_error_{cid}"):
        st.error(st.session_state[f"ov_error_{cid}"])
    mine = [o for o in overrides if o.control == cid]
    if mine:
        st.caption("Review history: " + " · ".join(
            f"{o.created:%Y-%m-%d %H:%M} {md_escape(o.reviewer) or 'reviewer'}: {o.criterion or 'control'} → {o.verdict}"
            + (f" ({md_escape(o.comment)})" if o.comment else "") for o in mine))


def control_panel(assessment_id: str, result: ControlAssessment, overrides: list[Override]) -> None:
    current = review.latest(overrides)
    reviewed_verdict = review.effective_verdict(result, overrides)
    touched = any(control == result.control for control, _ in current)
    text, colour = VERDICT_BADGE[result.verdict]
    label = f"{result.control} · {result.title} — grader: {text}"
    if touched:
        label += f" · reviewer: {VERDICT_BADGE[reviewed_verdict][0]}"
    with st.expander(label, icon=VERDICT_ICON[reviewed_verdict if touched else result.verdict]):
        badges = st.columns([1, 3])
        badges[0].badge(f"Grader: {text}", color=colour)
        if touched:
            explicit = current.get((result.control, None))
            r_text, r_colour = VERDICT_BADGE[reviewed_verdict]
            note = f" — {md_escape(explicit.comment)}" if explicit and explicit.comment else ""
            badges[1].badge(f"Reviewer: {r_text}{note}", color=r_colour, icon=":material/rate_review:")
        if not result.answered:
            st.warning("Not answered: every criterion is unmet. Add an answer and evidence for this control.")
        if result.summary:
            st.markdown(md_escape(result.summary))
        criterion_table(result, current)
        quotes(result)
        gaps(result)
        flag_list(result.flags, result.errors)
        review_controls(assessment_id, result, overrides)


def results(assessment_id: str) -> None:
    current_store = store()
    try:
        result = current_store.load(assessment_id)
    except UserError as exc:
        st.error(str(exc))
        return
    overrides = current_store.overrides(assessment_id)
    summary(result, overrides)
    downloads(assessment_id, result, overrides)
    st.header("Controls")
    for control in result.controls:
        control_panel(assessment_id, control, overrides)


# --------------------------------------------------------------------------- page


def main() -> None:
    st.set_page_config(page_title="SDP grader", page_icon=":material/fact_check:", layout="wide")
    st.session_state.setdefault("input_mode", MODE_PASTE)
    try:
        settings = get_settings()
        catalogue = get_catalogue()
        current_store = store()
    except UserError as exc:
        st.error(f"The grader cannot start: {exc}")
        return
    choice, run_settings = sidebar_settings(settings)
    st.sidebar.text_input("Reviewer name", key="reviewer", help="Recorded with your overrides.")

    st.title("AWS SDP / Competency technical validation: draft assessment")
    st.caption("Paste or upload the evidence for each control, get a draft assessment, and see what to fix. "
               "Reviewers can override any verdict and export reviewed controls as eval cases.")
    top = st.columns([3, 1], vertical_alignment="bottom")
    top[0].radio("Input", [MODE_PASTE, MODE_FILE], key="input_mode", horizontal=True)
    top[1].button("Load sample application", key="load_sample", on_click=load_sample_clicked)
    slots = paste_inputs(catalogue) if st.session_state.input_mode == MODE_PASTE else file_inputs()
    if st.button("Assess", type="primary", key="assess"):
        on_assess(choice, run_settings, slots)
    if st.session_state.get("assessment_id"):
        results(st.session_state.assessment_id)
    sidebar_history(current_store)


main()

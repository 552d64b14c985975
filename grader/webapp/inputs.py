"""The input form: an answer and files per control, or an application file; its problems beside it.

The widgets keep their values in session state (keys `answer_<ID>`, `files_<ID>`,
`application_file`, `application_attachments`, `partner`, `input_mode`, `sample`);
`build_application` reads them back through `grader.webapp.intake`. `kept_files` holds, per
control, the files of a saved assessment re-opened from the history (`restore`): a browser's
file widget cannot be filled from the server, so they are listed under it and graded with it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from grader.catalogue import Catalogue, Control, get_catalogue
from grader.config import get_settings
from grader.models import Application, Assessment, IngestError
from grader.webapp import intake
from grader.webapp.markdown import md_escape
from grader.webapp.views import ERROR_ICON

# One pasted answer at most (the browser enforces it): 5 MB of text, graded at bounded cost
# (GRADER_CLOSE_READING_CHARS) like an attachment of that size.
PASTE_LIMIT_CHARS = 5_000_000

MODE_PASTE = "Answer per control"
MODE_FILE = "Upload an application file"

ErrorSlots = dict[str, DeltaGenerator]  # input key (control id or "application") -> its error slot


def load_sample_clicked() -> None:
    st.session_state.input_mode = MODE_FILE
    st.session_state.sample = True
    st.session_state.input_errors = {}
    st.session_state.compare_with = None


def restore(reopened: intake.ReopenedInputs, catalogue: Catalogue) -> None:
    """Fill the answer-per-control form with a saved application (a callback: before drawing)."""
    state = st.session_state
    state.input_mode = MODE_PASTE
    state.sample = False
    state.partner = reopened.partner or ""
    for control in catalogue:
        state[f"answer_{control.id}"] = reopened.answers.get(control.id, "")
    state.kept_files = reopened.files
    state.not_kept_files = reopened.not_kept


def drop_kept_files(control_id: str) -> None:
    st.session_state.get("kept_files", {}).pop(control_id, None)


def kept_files(control_id: str) -> None:
    kept = st.session_state.get("kept_files", {}).get(control_id)
    if kept:
        cols = st.columns([4, 1], vertical_alignment="center")
        cols[0].caption("Kept from the saved assessment, graded again with any file added above: "
                        + ", ".join(f"`{md_escape(u.name)}`" for u in kept))
        cols[1].button("Remove them", key=f"drop_kept_{control_id}", on_click=drop_kept_files, args=(control_id,))
    lacking = st.session_state.get("not_kept_files", {}).get(control_id)
    if lacking:
        st.caption("Not kept with the saved assessment, so not graded again (upload them again): "
                   + ", ".join(f"`{md_escape(name)}`" for name in lacking))


def clear_sample_clicked() -> None:
    st.session_state.sample = False


def error_slot(key: str) -> DeltaGenerator:
    """A placeholder beside an input where its problems are shown (now or after a run)."""
    slot = st.empty()
    show_input_errors(slot, st.session_state.get("input_errors", {}).get(key, []))
    return slot


def show_input_errors(slot: DeltaGenerator, messages: list[str]) -> None:
    with slot.container():
        for message in messages:
            st.error(md_escape(message), icon=ERROR_ICON)


def guide_notes(control: Control) -> None:
    with st.expander("What the calibration guide asks"):
        st.markdown(control.requirement)
        st.markdown("\n".join(f"- {c}" for c in control.criteria_for_passing))


def paste_inputs(catalogue: Catalogue) -> ErrorSlots:
    """One tab per control: the answer text and its files. Returns the error slots."""
    st.text_input("Partner (optional)", key="partner")
    settings = get_settings()
    st.caption(f"Each answer takes up to {PASTE_LIMIT_CHARS:,} characters and each file up to "
               f"{settings.max_file_mb:g} MB. Evidence above {settings.close_reading_chars:,} characters "
               "for one control is ranked by keywords and only the best part read closely; the "
               "assessment then says which files and flags the control for the reviewer.")
    errors = st.session_state.get("input_errors", {})
    tabs = st.tabs([(":material/warning: " if errors.get(c.id) else "") + c.id for c in catalogue])
    slots: ErrorSlots = {}
    for tab, control in zip(tabs, catalogue):
        with tab:
            st.caption(control.title)
            guide_notes(control)
            st.text_area("Answer", key=f"answer_{control.id}", height=160, max_chars=PASTE_LIMIT_CHARS,
                         placeholder="Paste the partner's answer for this control…")
            st.file_uploader(
                "Evidence files", accept_multiple_files=True, key=f"files_{control.id}",
                help="PDF, DOCX, XLSX, Markdown/text, JSON/YAML, Terraform, draw.io, PNG/JPEG.",
            )
            kept_files(control.id)
            slots[control.id] = error_slot(control.id)
    return slots


def file_inputs() -> ErrorSlots:
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
        kept = st.session_state.get("kept_files", {})
        files = {c.id: [*kept.get(c.id, []), *uploads(f"files_{c.id}")] for c in catalogue}
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

"""The sidebar: the judge to grade with (as Settings, the way the CLI makes them) and the history.

The API key typed here lives in this browser session's state only: it goes into the
Settings of a run, never into the store, a report or the fingerprint.
"""

from __future__ import annotations

import streamlit as st
from pydantic import SecretStr

from grader.catalogue import get_catalogue
from grader.config import Settings, settings_with
from grader.webapp import inputs, intake
from grader.webapp.runs import JudgeChoice
from grader.webapp.store import AssessmentStore

PROVIDERS = ["openai", "azure", "bedrock"]


def judge_settings(settings: Settings) -> tuple[JudgeChoice, Settings]:
    """The judge chosen in the sidebar, and the Settings a run uses for it.

    `settings` (the environment's) fills the widgets; an option left empty keeps its value.
    """
    side = st.sidebar
    side.header("Settings")
    judge = side.radio(
        "Judge", ["offline", "llm"], key="judge",
        format_func=lambda j: "Offline (no model, default)" if j == "offline" else "LLM",
    )
    if judge == "offline":
        return JudgeChoice(), settings_with(judge="offline")
    provider = side.selectbox("Provider", PROVIDERS, index=PROVIDERS.index(settings.provider), key="provider")
    model = side.text_input("Model", value=settings.model or "", key="model").strip()
    base_url = side.text_input(
        "Base URL", value=settings.base_url or "", key="base_url",
        help="OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp …); "
             "empty for GRADER_BASE_URL, else the provider's default.",
    ).strip()
    typed = side.text_input(
        "API key", type="password", key="api_key",
        help="Kept in this browser session only: never stored, logged or written to a report.",
    ).strip()
    if not typed:
        side.caption("Using the API key from the environment." if settings.api_key
                     else "No API key in the environment: type one, unless your endpoint needs none.")
    chosen = settings_with(judge="llm", provider=provider, model=model, base_url=base_url,
                           api_key=SecretStr(typed) if typed else None)
    # What the run really uses (an empty field fell back to the environment), never the key.
    choice = JudgeChoice(judge="llm", provider=chosen.provider, model=chosen.model, base_url=chosen.base_url)
    return choice, chosen


def missing_llm_setting(choice: JudgeChoice, settings: Settings) -> str | None:
    """What the sidebar still needs before the LLM judge can run, said where to set it in the
    app (the CLI's message names flags and variables a partner in the app never sees)."""
    if choice.judge != "llm":
        return None
    if not settings.model:
        return ("The LLM judge needs a model: type one in the sidebar under Settings → Model (for example "
                "gpt-4o-mini, or the model name your local server serves), or choose the Offline judge.")
    if settings.provider == "openai" and not settings.api_key and not settings.base_url:
        return ("The LLM judge needs an API key or an endpoint: type the key in the sidebar under Settings → "
                "API key (kept in this browser session only), or a Base URL for a local server such as "
                "llama.cpp, vLLM or Ollama.")
    return None


def open_from_history(store: AssessmentStore) -> None:
    """Show the saved assessment, and put its answers and files back in the form to edit and
    assess again; the next run shows what moved against this one (`compare_with`)."""
    chosen = st.session_state.get("history_choice")
    if not chosen:
        return
    st.session_state.assessment_id = chosen
    st.session_state.compare_with = chosen
    st.session_state.input_errors = {}
    st.session_state.last_run = None
    stored = store.inputs(chosen)
    inputs.restore(intake.reopened(stored.application, stored.files), get_catalogue())


def history(store: AssessmentStore) -> None:
    """Drawn last, so an assessment made in this run is already listed."""
    side = st.sidebar
    side.header("History")
    entries = store.history()
    if not entries:
        side.caption("No assessments yet.")
        return
    labels = {e.id: e.label() for e in entries}
    side.selectbox("Saved assessments", list(labels), format_func=labels.get, key="history_choice")
    side.button("Open", key="open_history", on_click=open_from_history, args=(store,),
                help="Shows it, and puts its answers and files back in the form to edit and assess again.")
    side.caption(f"Store: {store.label}")

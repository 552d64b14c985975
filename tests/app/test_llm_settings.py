"""The LLM judge chosen in the sidebar, against a fake OpenAI-compatible server on 127.0.0.1.

The API key typed in is used for the calls and kept in the session only: never in the
store, a report or the log.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from grader.report.render import render
from grader.webapp.store import AssessmentStore
from tests.app.answers import ACCT_001_ANSWER
from tests.fakes.openai_server import FakeOpenAI, Reply, judgement

API_KEY = "sk-test-DO-NOT-STORE-4f1d2c"


@pytest.fixture
def fake_llm():
    with FakeOpenAI(lambda body: Reply(payload=judgement(body))) as server:
        yield server


def test_typed_api_key_is_used_but_never_stored_reported_or_logged(
    app, store: AssessmentStore, fake_llm: FakeOpenAI, grader_home: Path, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    at = app()
    at.radio(key="judge").set_value("llm").run()
    at.text_input(key="model").input("gpt-4o-mini")
    at.text_input(key="base_url").input(fake_llm.base_url)
    at.text_input(key="api_key").input(API_KEY)
    at.text_area(key="answer_ACCT-001").input(ACCT_001_ANSWER)
    at.button(key="assess").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]

    assert fake_llm.calls >= 1
    result = store.load(at.session_state.assessment_id)
    assert result.judge == "llm" and result.model == "gpt-4o-mini"
    assert result.control("ACCT-001").judge  # graded by the model, not "none"

    store_file = (grader_home / "assessments.sqlite").read_bytes()
    assert API_KEY.encode() not in store_file
    for fmt in ("md", "html", "json"):
        assert API_KEY not in render(result, fmt)  # type: ignore[arg-type]
    assert API_KEY not in caplog.text
    assert API_KEY not in str(fake_llm.requests)  # the key travels in a header, never in a prompt


def assess_with_the_llm_judge(app, model: str):
    """LLM chosen in the sidebar with `model`, ACCT-001 answered, Assess clicked."""
    at = app()
    at.radio(key="judge").set_value("llm").run()
    at.text_input(key="model").input(model)
    at.text_area(key="answer_ACCT-001").input(ACCT_001_ANSWER)
    at.button(key="assess").click().run()
    assert not at.exception
    return at


def test_llm_judge_without_a_model_is_a_clear_message(app, monkeypatch) -> None:
    monkeypatch.delenv("GRADER_MODEL", raising=False)
    monkeypatch.delenv("OPENAI_MODEL", raising=False)
    at = assess_with_the_llm_judge(app, "")
    (message,) = [e.value for e in at.error if "needs a model" in e.value]
    assert "in the sidebar under Settings → Model" in message and "--model" not in message
    assert not any(h.value == "Summary" for h in at.header)


def test_llm_judge_without_a_key_or_endpoint_says_where_to_type_them(app, monkeypatch) -> None:
    for name in ("GRADER_API_KEY", "OPENAI_API_KEY", "GRADER_BASE_URL", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    at = assess_with_the_llm_judge(app, "gpt-4o-mini")
    (message,) = [e.value for e in at.error if "API key or an endpoint" in e.value]
    assert "Settings → API key" in message and "Base URL" in message
    assert not any(h.value == "Summary" for h in at.header)

"""What goes over the wire: the real langchain-openai client against a fake server (FakeOpenAI).

These are the LLM-judge tests that need HTTP; the judge's logic is tested in process in
test_llm_judge.py. Pinned here: the request shape each configured model sends (langchain-openai
would quietly switch json_schema to function calling for older models, or route some names to
the Responses API), how the real client surfaces HTTP errors, malformed replies and timeouts
so the judge can retry them (and that it adds no retries of its own), the on-disk cache, and
controls graded in parallel.
"""

from __future__ import annotations

import re

import time
import warnings
from pathlib import Path

import pytest

from grader.catalogue import get_catalogue
from grader.config import Settings
from grader.errors import UserError
from grader.judges.llm.judge import reply_budget
from grader.engine import assess, make_judge
from grader.models import Application, ControlAnswer, ControlAssessment
from tests.fakes.llm_judge import (
    ACCT_001_GOOD_QUOTES,
    ACCT_001_RESPONSE,
    acct_001_folder,
    grade_with_llm,
    llm_settings,
)
from tests.fakes.openai_server import FakeOpenAI, Reply, in_flight_peak, in_turn, judgement, quoting_judgement

ANSWER = (
    "Engineers sign in through IAM Identity Center with MFA and receive temporary credentials "
    "for one hour; nobody has long-term access keys."
)


@pytest.mark.parametrize(("model", "shape"), [
    ("gpt-4o-mini", "json_schema"),
    ("gpt-3.5-turbo", "function_calling"),
    ("gpt-5-pro", "json_schema"),  # langchain would send this name to /v1/responses
])
def test_each_model_sends_the_shape_it_was_configured_for_to_chat_completions(
    grader_home: Path, tmp_path: Path, model: str, shape: str
) -> None:
    with FakeOpenAI(lambda body: Reply(judgement(body, "partial"))) as server:
        settings = llm_settings(server, grader_home, model=model)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no silent "Overriding to function_calling" switch
            judge = make_judge("llm", settings)
        result = grade_with_llm(settings, tmp_path, "ACCT-002", ANSWER)

    assert judge.method == shape
    assert [r["path"] for r in server.requests] == ["/v1/chat/completions"]
    body = server.requests[0]["body"]
    assert body["model"] == model
    # The classic field every compatible server reads, sized to the control's schema.
    assert body["max_tokens"] == reply_budget(get_catalogue()["ACCT-002"], settings.llm_max_tokens) < settings.llm_max_tokens
    if shape == "json_schema":  # the answer comes back as JSON in message.content
        assert body["response_format"]["type"] == "json_schema"
        assert body["response_format"]["json_schema"]["name"] == "LLMJudgement"
        assert body["response_format"]["json_schema"]["strict"] is True
        assert "tools" not in body
    else:  # the answer comes back as a forced tool call
        assert [t["function"]["name"] for t in body["tools"]] == ["LLMJudgement"]
        assert body["tool_choice"]["function"]["name"] == "LLMJudgement"
        assert "response_format" not in body
    # Both shapes parse into the same verdicts.
    assert result.criterion("federation").status == "partial"
    assert result.usage.llm_calls == 1


def like_llama_cpp(body: dict) -> Reply:
    """llama.cpp's server: a json_schema response_format is refused with a 500 naming it."""
    if (body.get("response_format") or {}).get("type") == "json_schema":
        return Reply(status=500, error="1 validation error: {'type': 'literal_error', 'loc': ('body', "
                                       "'response_format', 'type'), 'msg': \"Input should be 'text' or 'json_object'\"}")
    return Reply(judgement(body, "partial"))


def test_a_server_that_refuses_json_schema_gets_a_tool_call_from_then_on_and_the_refusal_is_no_attempt(
    grader_home: Path, tmp_path: Path
) -> None:
    with FakeOpenAI(like_llama_cpp) as server:
        settings = llm_settings(server, grader_home, max_retries=1)  # one attempt at an answer
        judge = make_judge("llm", settings)
        application = Application(base_dir=str(tmp_path), controls={
            cid: ControlAnswer(control=cid, response=text) for cid, text in CONTROL_ANSWERS.items()})
        result = assess(application, judge=judge, settings=settings)

    shapes = ["tools" if r["body"].get("tools") else r["body"]["response_format"]["type"] for r in server.requests]
    # Controls run in parallel: each may be refused once before the switch is known, never again.
    assert shapes[0] == "json_schema" and 1 <= shapes.count("json_schema") <= settings.concurrency
    assert shapes.count("tools") == len(CONTROL_ANSWERS)  # and no shape further down (json_mode)

    # Remembered for this server and model: the next run asks in the shape it accepts at once.
    assert make_judge("llm", settings).method == "function_calling"
    assert make_judge("llm", settings.model_copy(update={"model": "another-model"})).method == "json_schema"
    assert judge.method == "function_calling" and result.judge_setup["output"] == "function_calling"
    graded = [result.control(cid) for cid in CONTROL_ANSWERS]
    assert all(c.error is None and c.criteria[0].status == "partial" for c in graded)


def test_a_configured_shape_the_server_refuses_is_one_clear_error_not_retried(grader_home: Path, tmp_path: Path) -> None:
    with FakeOpenAI(like_llama_cpp) as server:
        settings = llm_settings(server, grader_home, structured_output="json_schema", max_retries=4)
        with pytest.raises(UserError, match="could not grade ACCT-002 .* after 1 attempt"):
            grade_with_llm(settings, tmp_path, "ACCT-002", ANSWER)
    assert server.calls == 1  # a request the server names as invalid is not sent again unchanged


CONTROL_ANSWERS = {
    "ACCT-001": "Root user has MFA and is used only for tasks that require it.",
    "ACCT-002": ANSWER,
    "OPE-001": "We collect CloudWatch metrics and logs and alarm on CPU above 80 percent.",
    "NETSEC-001": "Security groups allow only HTTPS from the internet to the load balancer.",
    "REL-001": "All infrastructure is deployed with CloudFormation from a pipeline.",
}


@pytest.mark.parametrize("concurrency", [1, 3])
def test_controls_are_graded_concurrently_within_the_bound(grader_home: Path, tmp_path: Path, concurrency: int) -> None:
    application = Application(base_dir=str(tmp_path), controls={
        cid: ControlAnswer(control=cid, response=text) for cid, text in CONTROL_ANSWERS.items()})
    with FakeOpenAI(lambda body: Reply(judgement(body, "met")), latency=0.3) as server:
        settings = llm_settings(server, grader_home, concurrency=concurrency)
        result = assess(application, judge=make_judge("llm", settings), settings=settings)

    assert server.calls == len(CONTROL_ANSWERS)  # one call per answered control, none for the rest
    assert result.usage.llm_calls == len(CONTROL_ANSWERS)
    peak = in_flight_peak(server.requests)
    if concurrency == 1:
        assert peak == 1
    else:
        assert 2 <= peak <= concurrency  # requests overlapped, never more than the bound


# ---------------------------------------------------------------------- errors, retries, cache (ACCT-001)


def good_answer(body: dict) -> Reply:
    return Reply(quoting_judgement(body, ACCT_001_GOOD_QUOTES))


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    return acct_001_folder(tmp_path)


def grade_acct_001(settings: Settings, folder: Path) -> ControlAssessment:
    return grade_with_llm(settings, folder, "ACCT-001", ACCT_001_RESPONSE, ["sop.pdf"])


@pytest.mark.parametrize("bad_reply", [
    pytest.param("{\"criteria\": [{\"slug\": \"root-usage\", ", id="invalid-json"),
    pytest.param({"criteria": "all met", "verdict": "pass"}, id="wrong-schema"),
])
@pytest.mark.parametrize("model", [
    pytest.param("gpt-4o-mini", id="content"),  # parsed inside the openai client
    pytest.param("gpt-3.5-turbo", id="tool-call"),  # parsed by langchain's tool parser
])
def test_a_malformed_reply_from_the_real_client_is_retried_with_a_correction_and_paid_for(
    grader_home: Path, evidence: Path, bad_reply: dict | str, model: str
) -> None:
    # The wire half of test_llm_judge's malformed-reply test: that the real client surfaces a
    # malformed reply where the judge catches it, and with the usage the judge can count.
    with FakeOpenAI(in_turn(lambda body: Reply(bad_reply), good_answer)) as server:
        result = grade_acct_001(llm_settings(server, grader_home, model=model), evidence)

    assert server.calls == 2
    first, second = (r["body"]["messages"] for r in server.requests)
    assert len(second) == len(first) + 1
    assert second[:-1] == first  # the same prompt, then the correction
    assert second[-1]["role"] == "user"
    assert "did not match the required JSON schema" in second[-1]["content"]
    assert result.verdict == "pass"
    assert result.usage.llm_calls == 2
    assert result.usage.prompt_tokens == 2 * 1200  # both replies were paid for


def test_a_429_is_retried_as_it_was_sent_and_then_succeeds(grader_home: Path, evidence: Path) -> None:
    rate_limited = Reply(status=429, error="Rate limit reached for gpt-4o-mini", headers={"Retry-After": "0"})
    with FakeOpenAI(in_turn(lambda body: rate_limited, good_answer)) as server:
        result = grade_acct_001(llm_settings(server, grader_home), evidence)

    assert server.calls == 2
    assert server.requests[0]["body"] == server.requests[1]["body"]  # retried as it was
    assert result.verdict == "pass"
    assert result.usage.llm_calls == 2


def test_a_persistent_429_is_requested_exactly_max_retries_times_then_the_control_is_not_graded(
    grader_home: Path, evidence: Path
) -> None:
    rate_limited = Reply(status=429, error="Rate limit reached", headers={"Retry-After": "0"})
    with FakeOpenAI(lambda body: rate_limited) as server:
        settings = llm_settings(server, grader_home, max_retries=2)
        result = grade_acct_001(settings, evidence)

    assert server.calls == 2  # the client adds no retries of its own to the judge's
    assert result.verdict == "fail"
    assert re.search(r"ACCT-001 .*gpt-4o-mini.*2 attempt\(s\).*RateLimitError", result.error)


def test_a_request_slower_than_the_timeout_is_abandoned_and_retried(grader_home: Path, evidence: Path) -> None:
    def slow(body: dict) -> Reply:
        time.sleep(1.0)
        return good_answer(body)

    with FakeOpenAI(in_turn(slow, good_answer)) as server:
        result = grade_acct_001(llm_settings(server, grader_home, request_timeout=0.25), evidence)

    assert server.calls == 2
    assert server.requests[0]["body"] == server.requests[1]["body"]
    assert result.verdict == "pass"
    assert result.usage.llm_calls == 2
    assert result.usage.prompt_tokens == 1200  # the abandoned reply never arrived to be counted


def test_an_unchanged_rerun_is_served_from_the_disk_cache_with_zero_calls(grader_home: Path, evidence: Path) -> None:
    application = Application(base_dir=str(evidence), controls={
        "ACCT-001": ControlAnswer(control="ACCT-001", response=ACCT_001_RESPONSE, attachments=["sop.pdf"])})

    def run(settings: Settings):  # a fresh judge each time, as a new `grader assess` would build
        return assess(application, judge=make_judge("llm", settings), settings=settings)

    with FakeOpenAI(good_answer) as server:
        settings = llm_settings(server, grader_home, llm_cache=True)
        first = run(settings)
        assert server.calls == 1
        second = run(settings)
        assert server.calls == 1  # nothing reached the server

        changed = application.model_copy(update={"controls": {"ACCT-001": ControlAnswer(
            control="ACCT-001", response=ACCT_001_RESPONSE + "Root has no access keys.\n", attachments=["sop.pdf"])}})
        assess(changed, judge=make_judge("llm", settings), settings=settings)
        assert server.calls == 2  # changed evidence is a new question

    assert (settings.cache_dir / "llm-cache.sqlite").is_file()
    assert first.usage.llm_calls == 1 and first.usage.cached_calls == 0
    assert second.usage.llm_calls == 0 and second.usage.cached_calls == 1
    assert (second.usage.prompt_tokens, second.usage.cost_usd) == (0, 0.0)
    assert second.control("ACCT-001").criteria == first.control("ACCT-001").criteria


@pytest.mark.parametrize("model", ["gpt-4o-mini", "gpt-3.5-turbo"])  # json_schema, function calling
def test_a_reply_that_fitted_after_a_corrective_retry_is_served_at_once_on_a_rerun(
    grader_home: Path, evidence: Path, model: str
) -> None:
    application = Application(base_dir=str(evidence), controls={
        "ACCT-001": ControlAnswer(control="ACCT-001", response=ACCT_001_RESPONSE, attachments=["sop.pdf"])})
    cut_off = lambda body: Reply('{"criteria": [{"slug": "root-usage", ')  # noqa: E731
    with FakeOpenAI(in_turn(cut_off, good_answer, cut_off)) as server:
        settings = llm_settings(server, grader_home, model=model, llm_cache=True, max_retries=2)
        first = assess(application, judge=make_judge("llm", settings), settings=settings)
        assert server.calls == 2  # cut off, then corrected
        again = assess(application, judge=make_judge("llm", settings), settings=settings)
        assert server.calls == 2  # the first request, as first asked, finds the reply that fitted

    assert first.control("ACCT-001").error is None
    assert again.control("ACCT-001").criteria == first.control("ACCT-001").criteria
    assert again.usage.llm_calls == 0 and again.usage.cached_calls == 1


def test_a_reply_that_never_fits_the_schema_is_never_cached(grader_home: Path, evidence: Path) -> None:
    application = Application(base_dir=str(evidence), controls={
        "ACCT-001": ControlAnswer(control="ACCT-001", response=ACCT_001_RESPONSE, attachments=["sop.pdf"])})
    with FakeOpenAI(lambda body: Reply('{"criteria": [{"slug": "root-usage", ')) as server:
        settings = llm_settings(server, grader_home, llm_cache=True, max_retries=2)
        first = assess(application, judge=make_judge("llm", settings), settings=settings)
        assert server.calls == 2
        again = assess(application, judge=make_judge("llm", settings), settings=settings)
        assert server.calls == 4  # asked again: nothing broken was served from the cache

    assert first.control("ACCT-001").error and again.control("ACCT-001").error

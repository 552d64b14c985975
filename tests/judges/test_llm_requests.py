"""What goes over the wire: the request shape each model gets, and controls graded in parallel.

langchain-openai picks the structured-output shape from the model name (and would quietly
switch json_schema to function calling for older models, or route some names to the
Responses API). These tests pin what each configured model actually sends to the server.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from grader.engine import assess, make_judge
from grader.models import Application, ControlAnswer
from tests.fakes.llm_judge import grade_with_llm, llm_settings
from tests.fakes.openai_server import FakeOpenAI, Reply, in_flight_peak, judgement

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

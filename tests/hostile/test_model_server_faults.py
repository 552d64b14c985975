"""A model server that misbehaves, end to end: `grader assess --judge llm` against the fake
OpenAI-compatible server (tests/fakes/openai_server.py), one control's requests faulty.

Every fault ends in one of two ways. Once, it is retried and the whole application is graded.
Every time, that control is reported not graded (an error naming the control and the model)
and the rest of the application is graded. Either way the LLM cache never holds a broken
reply: a re-run asks the faulty control again and serves the others from the cache.
tests/judges/test_llm_requests.py pins how the client surfaces each HTTP error; this is the
whole command around them.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from grader.cli import app
from grader.config import reset_settings
from tests.fakes.openai_server import FakeOpenAI, Reply, human_prompt, judgement

MODEL = "gpt-4o-mini"
FAULTY = "ACCT-002"
ANSWERS = {
    "ACCT-001": "The root user has MFA with a hardware key and is used only for tasks that require it.",
    FAULTY: "Engineers sign in through IAM Identity Center with MFA and receive temporary credentials.",
    "OPE-001": "We collect CloudWatch metrics and logs and alarm when CPU is above 80 percent.",
}
ATTEMPTS = 2  # GRADER_MAX_RETRIES: attempts per control, the first included


@dataclass
class Fault:
    reply: Callable[[dict], Reply]
    error: str  # how the control's error names it once the attempts are spent (a regex)
    settings: dict[str, str] = field(default_factory=dict)


def cut_after(size: int) -> Callable[[dict], Reply]:
    return lambda body: Reply(judgement(body, "partial"), cut_after=size)


FAULTS = {
    "connection closed before a reply": Fault(cut_after(0), "ConnectionError: Connection error"),
    # The status line and headers arrive, then the connection ends part way through the body.
    "connection dropped mid-reply": Fault(cut_after(200), "ConnectionError: Connection error"),
    "HTTP 500": Fault(lambda body: Reply(status=500, error="The server had an error processing your request"),
                      "Error: Error code: 500 - The server had an error"),
    "HTTP 429 with Retry-After": Fault(
        lambda body: Reply(status=429, error="Rate limit reached", headers={"Retry-After": "1"}), "RateLimitError: Error code: 429"),
    "reply slower than the request timeout": Fault(
        # Held back until the server stops (each reply its own event, released by the server).
        lambda body: Reply(judgement(body, "partial"), hold=threading.Event()), "TimeoutError: Request timed out",
        {"GRADER_REQUEST_TIMEOUT": "1.5"}),  # the other replies come at once: plenty for them
    "JSON body cut short": Fault(
        lambda body: Reply(raw_body=b'{"id": "chatcmpl-1", "object": "chat.completion", "choices": [{"ind'),
        r"UnreadableReply: the server's reply is not a chat completion \(JSONDecodeError"),
    "JSON body that is no completion": Fault(
        lambda body: Reply(raw_body=b'{"error": {"message": "upstream model crashed", "type": "server_error"}}'),
        r"UnreadableReply: the server's reply is not a chat completion"),
}


def control_asked(body: dict) -> str:
    return re.search(r"^# Control (\S+):", human_prompt(body), re.M).group(1)


def good(body: dict) -> Reply:
    return Reply(judgement(body, "partial"))


def faulty_once(fault: Fault) -> Callable[[dict], Reply]:
    """The faulty control's first request gets the fault; every other request a good reply."""
    faulted = threading.Event()

    def reply(body: dict) -> Reply:
        if control_asked(body) == FAULTY and not faulted.is_set():
            faulted.set()
            return fault.reply(body)
        return good(body)

    return reply


def faulty_always(fault: Fault) -> Callable[[dict], Reply]:
    return lambda body: fault.reply(body) if control_asked(body) == FAULTY else good(body)


@pytest.fixture
def application(tmp_path: Path) -> Path:
    path = tmp_path / "application.yaml"
    path.write_text(yaml.safe_dump({"partner": "Northwind", "controls": {
        cid: {"response": text} for cid, text in ANSWERS.items()}}), encoding="utf-8")
    return path


@pytest.fixture
def llm_environment(grader_home: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[dict[str, str]], None]:
    """The LLM judge's settings as a user sets them: the environment (the endpoint on the command
    line). Quick retries; timeouts generous except where a fault needs one to pass."""
    def configure(extra: dict[str, str]) -> None:
        for name, value in {"GRADER_API_KEY": "test-key", "GRADER_MAX_RETRIES": str(ATTEMPTS),
                            "GRADER_RETRY_WAIT": "0.01", "GRADER_REQUEST_TIMEOUT": "60", **extra}.items():
            monkeypatch.setenv(name, value)
        reset_settings()

    return configure


def assess(application: Path, server: FakeOpenAI) -> dict[str, dict]:
    """`grader assess --judge llm`: the report's answered controls by id. Exit 1 at most: a
    failing control, never a usage error or a traceback."""
    out = application.with_name("report.json")
    result = CliRunner().invoke(app, ["assess", str(application), "--judge", "llm", "--model", MODEL,
                                      "--base-url", server.base_url, "--format", "json", "--out", str(out), "-q"])
    assert isinstance(result.exception, SystemExit) and result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    return {c["control"]: c for c in report["controls"] if c["control"] in ANSWERS}


def asked(server: FakeOpenAI) -> Counter:
    """Requests per control the server received."""
    return Counter(control_asked(r["body"]) for r in server.requests)


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_fault_once_is_retried_and_the_whole_application_graded_then_served_from_the_cache(
    application: Path, llm_environment, fault: Fault
) -> None:
    llm_environment(fault.settings)
    with FakeOpenAI(faulty_once(fault)) as server:
        first = assess(application, server)
        assert asked(server) == Counter({FAULTY: 2, "ACCT-001": 1, "OPE-001": 1})
        retried = [r["body"] for r in server.requests if control_asked(r["body"]) == FAULTY]
        assert retried[0] == retried[1]  # asked again as it was: the fault was the server's, not the answer's

        again = assess(application, server)
        assert server.calls == 4  # nothing asked again: every reply came from the cache

    assert all(c["error"] is None for c in first.values())
    assert first[FAULTY]["criteria"] == again[FAULTY]["criteria"]
    assert sum(c["usage"]["cached_calls"] for c in again.values()) == len(ANSWERS)
    assert sum(c["usage"]["llm_calls"] for c in again.values()) == 0


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_fault_every_time_leaves_that_control_not_graded_and_the_rest_graded_and_nothing_broken_cached(
    application: Path, llm_environment, fault: Fault
) -> None:
    llm_environment(fault.settings)
    with FakeOpenAI(faulty_always(fault)) as server:
        first = assess(application, server)
        assert asked(server) == Counter({FAULTY: ATTEMPTS, "ACCT-001": 1, "OPE-001": 1})

        again = assess(application, server)
        # The faulty control is asked again (nothing of it was cached); the others are not.
        assert asked(server) == Counter({FAULTY: 2 * ATTEMPTS, "ACCT-001": 1, "OPE-001": 1})

    for report in (first, again):
        failed = report[FAULTY]
        assert failed["verdict"] == "fail"
        assert re.search(rf"could not grade {FAULTY} with model {MODEL} at http://127\.0\.0\.1:\d+/v1 "
                         rf"after {ATTEMPTS} attempt\(s\).*{fault.error}", failed["error"]), failed["error"]
        assert failed["summary"].startswith("Not graded:")
        assert all(c["error"] is None and c["criteria"] for cid, c in report.items() if cid != FAULTY)
    assert sum(c["usage"]["cached_calls"] for cid, c in again.items() if cid != FAULTY) == 2


# ---------------------------------------------------------------------- Retry-After


def rate_limited(after: str) -> Fault:
    return Fault(lambda body: Reply(status=429, error="Rate limit reached", headers={"Retry-After": after}),
                 "RateLimitError: Error code: 429")


def test_the_retry_after_a_429_waits_as_long_as_the_server_asked(application: Path, llm_environment) -> None:
    llm_environment({})  # the judge's own backoff would wait 0.01 s
    with FakeOpenAI(faulty_once(rate_limited("1"))) as server:
        graded = assess(application, server)

    refused, retried = (r for r in server.requests if control_asked(r["body"]) == FAULTY)
    assert retried["received"] - refused["answered"] >= 1.0  # the server's clock, not the test's
    assert graded[FAULTY]["error"] is None


def test_a_retry_after_past_the_control_deadline_is_not_waited_for_and_says_so(
    application: Path, llm_environment
) -> None:
    llm_environment({"GRADER_CONTROL_DEADLINE": "5"})
    with FakeOpenAI(faulty_always(rate_limited("120"))) as server:
        graded = assess(application, server)

    assert asked(server)[FAULTY] == 1  # no second attempt: it could only start after the deadline
    error = graded[FAULTY]["error"]
    assert f"could not grade {FAULTY} with model {MODEL}" in error
    assert "the server asked to wait 120 s before retrying (Retry-After), past the control deadline of 5 s" in error
    assert all(c["error"] is None for cid, c in graded.items() if cid != FAULTY)

"""An in-process chat model for unit tests of the LLM judge: scripted replies, no network.

In the spirit of inspect_ai's mock model: a test lists what the model says, hands the fake
to `LLMJudge(fake, model, settings)`, and reads back what it was asked. It implements only
what LLMJudge uses: `with_structured_output(schema, method=..., include_raw=True)` and
`.invoke(messages)` on the result, answering `{"raw", "parsed", "parsing_error"}`.

A reply is one of
  - an LLMJudgement: the parsed answer;
  - a dict or a str: the JSON the model wrote, parsed with the schema as langchain would;
    one that does not fit fails the way langchain-openai fails for the method asked for
    (json_schema: the openai client raises a ValidationError carrying the HTTP response;
    function_calling, json_mode: `parsing_error` is set). UNPARSEABLE is such a reply;
  - an exception (e.g. openai.RateLimitError): raised by invoke;
  - a callable taking the messages sent and returning any of the above.
The n-th call gets the n-th reply; the last one repeats. Every reply costs `usage` tokens.
Which of the two failure shapes langchain really produces is pinned over HTTP
(tests/judges/test_llm_requests.py); here it is taken as given.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import httpx
from langchain_core.messages import AIMessage
from pydantic import BaseModel, ValidationError

Messages = list[tuple[str, str]]
UNPARSEABLE = '{"criteria": [{"slug": "root-usage", '  # a reply cut off mid-JSON


class FakeChatModel:
    def __init__(self, *replies: Any, usage: tuple[int, int] = (1200, 300)) -> None:
        if not replies:
            raise ValueError("script at least one reply")
        self.replies = replies
        self.usage = usage
        self.requests: list[Messages] = []  # the messages of each call, as sent
        self.methods: list[str] = []  # the structured-output method each binding asked for
        self._lock = threading.Lock()

    @property
    def calls(self) -> int:
        return len(self.requests)

    def with_structured_output(self, schema: type[BaseModel], *, method: str,
                               include_raw: bool = False) -> "_Structured":
        if not include_raw:
            raise NotImplementedError("the fake answers only in the include_raw=True shape")
        self.methods.append(method)
        return _Structured(self, schema, method)

    def _next(self, messages: Messages) -> Any:
        with self._lock:
            reply = self.replies[min(len(self.requests), len(self.replies) - 1)]
            self.requests.append(list(messages))
        return reply(messages) if callable(reply) else reply


class _Structured:
    def __init__(self, model: FakeChatModel, schema: type[BaseModel], method: str) -> None:
        self.model, self.schema, self.method = model, schema, method

    def invoke(self, messages: Messages) -> dict[str, Any]:
        reply = self.model._next(messages)
        if isinstance(reply, BaseException):
            raise reply
        prompt_tokens, completion_tokens = self.model.usage
        text = reply.model_dump_json() if isinstance(reply, BaseModel) else (
            reply if isinstance(reply, str) else json.dumps(reply))
        raw = AIMessage(content=text, usage_metadata={
            "input_tokens": prompt_tokens, "output_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens})
        try:
            parsed = self.schema.model_validate_json(text)
        except ValidationError as error:
            if self.method != "json_schema":  # langchain's own output parser caught it
                return {"raw": raw, "parsed": None, "parsing_error": error}
            # the openai client parsed it; langchain-openai attaches the HTTP response
            error.response = httpx.Response(200, json={"usage": {  # type: ignore[attr-defined]
                "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens}})
            raise error
        return {"raw": raw, "parsed": parsed, "parsing_error": None}


def request_body(messages: Messages) -> dict:
    """The messages as an OpenAI request body carries them, for tests.fakes.openai_server's
    prompt helpers (slugs_in, blocks_in, judgement, quoting_judgement, human_prompt)."""
    roles = {"human": "user", "ai": "assistant"}
    return {"messages": [{"role": roles.get(role, role), "content": text} for role, text in messages]}


def answering(make: Callable[[dict], Any]) -> Callable[[Messages], Any]:
    """A reply computed from the prompt by one of openai_server's helpers, e.g.
    `answering(lambda body: judgement(body, "met"))`."""
    return lambda messages: make(request_body(messages))

"""The LLM judge: one structured-output call per control, quotes verified, facts override.

The prompt is prompt.py over prompts/system.md and prompts/control.md; partner text is fenced
as untrusted data. Whatever the model says, every quote is checked against the evidence
(mapping.py) and deterministic failures win (judges/verdict.py).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import openai
from pydantic import ValidationError

from grader.catalogue import Control
from grader.config import Settings
from grader.judges.llm.cost import estimate_cost
from grader.judges.llm.mapping import to_verdicts, unknown_slugs
from grader.judges.llm.prompt import build_messages, evidence_blocks
from grader.judges.llm.providers import (
    FALLBACK_METHODS,
    MAX_WAIT_SECONDS,
    ShapeRefused,
    UnreadableReply,
    count_cache_hits,
    enable_cache,
    hold_cache_writes,
    make_chat_model,
    refuses_request_shape,
    remember_shape,
    retry_after_seconds,
    retryable_errors,
    retrying,
    structured_method,
    with_reply_cap,
    write_validated,
)
from grader.judges.llm.schema import ControlNotGraded, LLMCallError, LLMJudgement, SchemaError
from grader.judges.verdict import apply_findings, control_verdict, summarise
from grader.models import ControlAssessment, CriterionVerdict, Finding, RetrievedEvidence, Usage


@dataclass
class _Calls:
    """What one judge call cost: model invocations, cache hits among them, tokens spent."""

    attempts: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add_reply(self, raw: Any, from_cache: bool) -> None:
        if from_cache:  # a cached reply carries its original token counts: nothing was spent
            return
        meta = getattr(raw, "usage_metadata", None) or {}
        self.prompt_tokens += int(meta.get("input_tokens", 0))
        self.completion_tokens += int(meta.get("output_tokens", 0))

    def add_unparsed_reply(self, error: BaseException) -> None:
        """Tokens of a reply the client could not parse (langchain attaches the HTTP response)."""
        try:
            usage = getattr(error, "response").json().get("usage") or {}
        except Exception:  # noqa: BLE001 - no response or no JSON: nothing we can count
            return
        self.prompt_tokens += int(usage.get("prompt_tokens", 0))
        self.completion_tokens += int(usage.get("completion_tokens", 0))


# A reply in the schema costs about this much: the summary and flags, then per criterion its
# slug, status, rationale, one or two short quotes, what is missing and the fix.
REPLY_BASE_TOKENS = 256
REPLY_TOKENS_PER_CRITERION = 224


def reply_budget(control: Control, cap: int) -> int:
    """max_tokens for one control's reply: enough for its schema, never above the configured cap."""
    return min(cap, REPLY_BASE_TOKENS + REPLY_TOKENS_PER_CRITERION * len(control.criteria))


def correction_message(error: object) -> tuple[str, str]:
    """The message appended after a reply that did not fit the schema.

    Saying what was wrong helps the model; it also changes the cache key, so a cached bad
    reply is not served again on the retry.
    """
    return ("human", "Your previous reply did not match the required JSON schema "
                     f"({str(error)[:300]}). Reply again with valid JSON for the schema only.")


class LLMJudge:
    name = "llm"
    concurrent = True  # the engine grades controls in parallel, bounded by settings.concurrency
    needs_examples = True  # retrieval adds the closest calibration examples to the prompt
    model: str

    def __init__(self, chat_model: Any, model: str, settings: Settings):
        self.model = model
        self.settings = settings
        self._switching = threading.Lock()
        self._chat_model = chat_model
        self._use(structured_method(model, settings))

    def _use(self, method: str) -> None:
        self.method = method
        self._structured: dict[int, Any] = {}  # one structured runnable per reply cap, for this method

    def _structured_for(self, max_tokens: int) -> Any:
        if max_tokens not in self._structured:
            capped = with_reply_cap(self._chat_model, max_tokens)
            self._structured[max_tokens] = capped.with_structured_output(
                LLMJudgement, method=self.method, include_raw=True)
        return self._structured[max_tokens]

    @property
    def setup(self) -> dict[str, str]:
        s = self.settings
        return {
            "endpoint": s.base_url or s.provider,
            "output": self.method,
            "request timeout": f"{s.request_timeout:g} s",
            "control deadline": f"{s.control_deadline:g} s",
            "attempts": str(max(1, s.max_retries)),
            "reply cap": f"{s.llm_max_tokens} tokens",
            "rules in": "the user message" if s.llm_system_role == "user" else "the system message",
        }

    def _fall_back(self, refused: BaseException, sent_as: str) -> bool:
        """The server refused the request's shape (llama.cpp answers json_schema with an HTTP 500
        naming response_format): switch to the next shape it may accept, for every later call
        too. Only in `auto`; a configured shape is the user's choice. Controls graded in
        parallel may all be refused for the same shape: the first switches, the others are
        simply asked again in the shape now chosen."""
        if self.settings.structured_output != "auto" or not refuses_request_shape(refused):
            return False
        with self._switching:
            if self.method != sent_as:
                return True
            following = FALLBACK_METHODS.get(self.method)
            if following is None:
                return False
            self._use(following)
            remember_shape(self.model, self.settings, following)
            return True

    @classmethod
    def from_settings(cls, settings: Settings) -> "LLMJudge":
        cache = enable_cache(settings.cache_dir / "llm-cache.sqlite") if settings.llm_cache else None
        return cls(make_chat_model(settings, cache=cache), settings.model or "", settings)

    # ------------------------------------------------------------------ calling

    def _invoke(self, control_id: str, messages: list[tuple[str, str]],
                max_tokens: int) -> tuple[LLMJudgement, _Calls]:
        """One structured call with retries on rate limits, timeouts and malformed replies."""
        started = time.monotonic()
        calls = _Calls()
        refused = [0]  # requests the server refused for their shape (then asked in the next one)
        hits = count_cache_hits()
        held = hold_cache_writes()  # a reply reaches the cache only once it validated
        attempt_messages = list(messages)
        try:
            for attempt in retrying(self.settings, lambda: refused[0]):
                with attempt:
                    calls.attempts += 1
                    hits_before, held_before = hits[0], len(held)
                    try:
                        sent_as = self.method
                        out = self._structured_for(max_tokens).invoke(attempt_messages)
                    except (openai.BadRequestError, openai.InternalServerError, openai.UnprocessableEntityError) as exc:
                        if self._fall_back(exc, sent_as):
                            refused[0] += 1
                            raise ShapeRefused(str(exc)) from exc  # retried at once in the new shape
                        raise
                    except ValidationError as exc:
                        # json_schema replies are parsed inside the openai client, so a malformed
                        # one surfaces here rather than as langchain's parsing_error.
                        calls.add_unparsed_reply(exc)
                        attempt_messages = [*messages, correction_message(exc)]
                        raise SchemaError(str(exc)) from exc
                    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
                        # Not the model's answer but the HTTP reply: the openai client raises
                        # JSONDecodeError on a body cut short or an error page, langchain a
                        # TypeError or IndexError on JSON without choices. Asked again as it was.
                        raise UnreadableReply(f"the server's reply is not a chat completion "
                                              f"({type(exc).__name__}: {exc})") from exc
                    calls.add_reply(out.get("raw"), from_cache=hits[0] > hits_before)
                    parsed = out.get("parsed")
                    if out.get("parsing_error") is not None or parsed is None:
                        error = out.get("parsing_error") or "no structured answer in the reply"
                        attempt_messages = [*messages, correction_message(error)]
                        raise SchemaError(str(error))
                    if isinstance(parsed, dict):
                        try:
                            parsed = LLMJudgement.model_validate(parsed)
                        except ValidationError as exc:
                            attempt_messages = [*messages, correction_message(exc)]
                            raise SchemaError(str(exc)) from exc
                    calls.cached = hits[0]
                    # Only the reply that fitted reaches the cache (none if it came from there).
                    write_validated(held, held_before if len(held) > held_before else None)
                    return parsed, calls
        except (SchemaError, ShapeRefused, UnreadableReply, openai.OpenAIError) as exc:
            # Not a traceback: the user can act on it (key, model name, endpoint, rate limit).
            where = f" at {self.settings.base_url}" if self.settings.base_url else ""
            spent = time.monotonic() - started
            late = self._late(exc, spent, calls.attempts - refused[0])
            message = (f"the LLM judge could not grade {control_id} with model {self.model}{where} after "
                       f"{calls.attempts} attempt(s) in {spent:.0f} s{late}: {type(exc).__name__}: {str(exc)[:300]}")
            # Transient or reply-shaped failures concern this control only; anything else (a
            # bad key, an unknown model, a refused request) would fail every control alike.
            if isinstance(exc, retryable_errors()) and not refuses_request_shape(exc):
                raise ControlNotGraded(message, calls) from exc
            raise LLMCallError(message) from exc
        raise AssertionError("unreachable")  # retrying() re-raises the last error

    def _late(self, error: BaseException, spent: float, attempts: int) -> str:
        """Why the attempts ended before max_retries, when the control deadline ended them."""
        deadline = self.settings.control_deadline
        if spent >= deadline:
            return f", past the control deadline of {deadline:g} s"
        hinted = retry_after_seconds(error)
        if (attempts < max(1, self.settings.max_retries) and hinted is not None
                and spent + min(hinted, MAX_WAIT_SECONDS) >= deadline):
            return (f"; the server asked to wait {hinted:g} s before retrying (Retry-After), "
                    f"past the control deadline of {deadline:g} s")
        return ""

    # ------------------------------------------------------------------ judging

    def judge(self, control: Control, evidence: RetrievedEvidence, findings: list[Finding]) -> ControlAssessment:
        started = time.perf_counter()
        blocks = evidence_blocks(evidence, self.settings.llm_evidence_blocks)
        messages = build_messages(control, evidence, findings, blocks, self.settings.llm_system_role)
        try:
            judgement, calls = self._invoke(control.id, messages, reply_budget(control, self.settings.llm_max_tokens))
        except ControlNotGraded as failure:
            return self._not_graded(control, evidence, findings, failure, started)
        documents = evidence.evidence.documents
        verdicts = to_verdicts(control, judgement, blocks, documents, evidence.evidence.chunks)
        verdicts = apply_findings(verdicts, findings)
        flags = list(findings)
        if judgement.injection_detected and not any(f.rule.startswith("injection") for f in findings):
            flags.append(Finding(control=control.id, severity="warn", rule="injection.model-noticed",
                                 message="The model reports instructions addressed to the grader in the evidence."))
        invented = unknown_slugs(control, judgement)
        if invented:
            flags.append(Finding(control=control.id, severity="warn", rule="llm.unknown-criteria",
                                 message=f"The model answered for criteria this control does not have "
                                         f"({', '.join(invented)}); those answers were dropped."))
        answered = evidence.evidence.answered
        summary = summarise(control, verdicts, findings, answered)
        if judgement.summary.strip():
            summary = f"{summary} Model: {judgement.summary.strip()}"
        return ControlAssessment(
            control=control.id, title=control.title,
            verdict=control_verdict(verdicts, findings, answered),
            summary=summary, answered=answered, criteria=verdicts, flags=flags,
            errors=evidence.evidence.errors, judge=f"llm:{self.model}", usage=self._usage(calls),
            seconds=round(time.perf_counter() - started, 4),
        )

    def _not_graded(self, control: Control, evidence: RetrievedEvidence, findings: list[Finding],
                    failure: "ControlNotGraded", started: float) -> ControlAssessment:
        """The model gave no usable answer: an explicit error for this control, never a pass."""
        reason = str(failure)
        verdicts = [CriterionVerdict(slug=c.slug, status="not_met", rationale="Not graded: the model gave no usable answer.",
                                     missing=c.description, fix=c.fix) for c in control.criteria]
        verdicts = apply_findings(verdicts, findings)
        return ControlAssessment(
            control=control.id, title=control.title, verdict="fail", error=reason,
            summary=f"Not graded: {reason}", answered=evidence.evidence.answered, criteria=verdicts,
            flags=list(findings), errors=evidence.evidence.errors, judge=f"llm:{self.model}",
            usage=self._usage(failure.calls), seconds=round(time.perf_counter() - started, 4),
        )

    def _usage(self, calls: _Calls) -> Usage:
        return Usage(llm_calls=calls.attempts - calls.cached, cached_calls=calls.cached,
                     prompt_tokens=calls.prompt_tokens, completion_tokens=calls.completion_tokens,
                     cost_usd=estimate_cost(self.model, calls.prompt_tokens, calls.completion_tokens))

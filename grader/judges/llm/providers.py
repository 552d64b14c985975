"""Chat-model providers behind one function, plus retry and cache policy for LLM calls."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
import warnings
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import openai
from langchain_openai import AzureChatOpenAI, ChatOpenAI
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_any,
    stop_before_delay,
    wait_exponential,
)

from grader.config import Settings
from grader.errors import ConfigError
from grader.judges.llm.schema import SchemaError

with warnings.catch_warnings():
    # langchain-community announces on import that it is being sunset; its SQLite cache is all
    # we use from it, and the cache test notices if it stops working.
    warnings.simplefilter("ignore", DeprecationWarning)
    from langchain_community.cache import SQLiteCache

MAX_WAIT_SECONDS = 60.0  # never sleep longer than this between attempts, whatever a server asks
# When a server refuses a structured-output shape, the next one to try (auto mode only).
FALLBACK_METHODS = {"json_schema": "function_calling", "function_calling": "json_mode"}


class ShapeRefused(Exception):
    """The server refused the request's structured-output shape; retried in the next shape."""


class UnreadableReply(Exception):
    """The server's HTTP reply could not be read as a chat completion (a body cut short, an error
    page, JSON without choices): a fault of the server or the wire, not of the model's answer,
    so it is retried as it was sent."""


def refuses_request_shape(error: BaseException | None) -> bool:
    """A client error, or a 500 that names the request as invalid (llama.cpp's server answers an
    unsupported response_format with 500 and a validation message): retrying it unchanged
    cannot help."""
    if isinstance(error, ShapeRefused):
        return True
    if isinstance(error, (openai.BadRequestError, openai.UnprocessableEntityError)):
        return True
    if isinstance(error, openai.InternalServerError):
        text = str(error).lower()
        return any(k in text for k in ("response_format", "literal_error", "input should be", "validation error",
                                         "tool_choice", "unsupported"))
    return False


def structured_method(model: str, settings: Settings) -> str:
    """json_schema where the model supports it, else function calling; explicit, not silent.

    langchain-openai would switch these model families to function calling itself, with only
    a warning; choosing here keeps the request shape a decision the tests can pin. A shape a
    server refused before (remembered under GRADER_HOME) is not asked of it again.
    """
    if settings.structured_output != "auto":
        return settings.structured_output
    remembered = _accepted_shapes(settings).get(_server_key(model, settings))
    if remembered in FALLBACK_METHODS.values():
        return remembered
    if model == "gpt-4" or model.startswith(("gpt-3", "gpt-4-")):
        return "function_calling"
    return "json_schema"


def _server_key(model: str, settings: Settings) -> str:
    return f"{settings.provider} {settings.base_url or '-'} {model}"


def _shapes_file(settings: Settings) -> Path:
    return settings.cache_dir / "llm-shapes.json"


def _accepted_shapes(settings: Settings) -> dict[str, str]:
    try:
        found = json.loads(_shapes_file(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def remember_shape(model: str, settings: Settings, method: str) -> None:
    """The server refused the shapes before `method`: the next run starts with it (and so finds
    the replies it cached in that shape)."""
    with _caches_lock:
        shapes = {**_accepted_shapes(settings), _server_key(model, settings): method}
        path = _shapes_file(settings)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(shapes, indent=1, sort_keys=True), encoding="utf-8")
        except OSError:
            pass  # only a shortcut for the next run: without it, that run is refused once again


def make_chat_model(settings: Settings, cache: Any = None) -> Any:
    """A langchain chat model for the configured provider. Retries are ours (tenacity).

    `cache` is a langchain cache for this model only (see `enable_cache`); None means no
    caching at all, even if some other code set langchain's process-global cache.
    """
    key = settings.api_key.get_secret_value() if settings.api_key else None
    model_cache = cache if cache is not None else False
    if settings.provider == "openai":
        if not key and not settings.base_url:
            raise ConfigError("the LLM judge needs OPENAI_API_KEY (or GRADER_API_KEY), or a --base-url for a local server")
        return ChatOpenAI(
            model=settings.model,
            base_url=settings.base_url,
            api_key=key or "not-needed",  # local OpenAI-compatible servers ignore it
            temperature=0,
            max_retries=0,
            timeout=settings.request_timeout,
            # A small model left alone runs to its context limit. langchain sends max_tokens as
            # OpenAI's newer `max_completion_tokens`, which llama.cpp's and other compatible
            # servers ignore: to a base_url the classic `max_tokens` goes in the body instead.
            **({"extra_body": {"max_tokens": settings.llm_max_tokens}} if settings.base_url
               else {"max_tokens": settings.llm_max_tokens}),
            # Chat Completions: what every compatible server speaks. langchain would route some
            # model names to /v1/responses, which vLLM, Ollama and llama.cpp do not serve.
            use_responses_api=False,
            cache=model_cache,
        )
    if settings.provider == "azure":
        return AzureChatOpenAI(azure_deployment=settings.model, azure_endpoint=settings.base_url,
                               api_key=key, temperature=0, max_retries=0, timeout=settings.request_timeout,
                               cache=model_cache)
    if settings.provider == "bedrock":
        try:
            from langchain_aws import ChatBedrockConverse  # deferred: an optional extra (sdp-grader[bedrock])
        except ImportError as exc:
            raise ConfigError("the bedrock provider needs the extra: pip install 'sdp-grader[bedrock]'") from exc
        return ChatBedrockConverse(model=settings.model, temperature=0, cache=model_cache)
    raise ConfigError(f"unknown provider {settings.provider!r}")


def with_reply_cap(chat_model: Any, max_tokens: int) -> Any:
    """The chat model with its replies capped at `max_tokens` (a copy: the original is shared
    by every control). A model with no such field (a test fake) is returned as it is."""
    extra = getattr(chat_model, "extra_body", None)
    if isinstance(extra, dict) and "max_tokens" in extra:
        return chat_model.model_copy(update={"extra_body": {**extra, "max_tokens": max_tokens}})
    if hasattr(chat_model, "max_tokens") and hasattr(chat_model, "model_copy"):
        return chat_model.model_copy(update={"max_tokens": max_tokens})
    return chat_model


# ---------------------------------------------------------------------- retries


def retryable_errors() -> tuple[type[BaseException], ...]:
    return (openai.RateLimitError, openai.APITimeoutError, openai.APIConnectionError,
            openai.InternalServerError, SchemaError, ShapeRefused, UnreadableReply)


def _worth_retrying(error: BaseException) -> bool:
    if isinstance(error, ShapeRefused):
        return True  # a new shape was chosen: try it
    return isinstance(error, retryable_errors()) and not refuses_request_shape(error)


def retry_after_seconds(error: BaseException | None) -> float | None:
    """The wait a server asked for in its Retry-After header (seconds form), if any."""
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    value = headers.get("retry-after") if headers is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # the HTTP-date form: fall back to our own backoff


class _ServerHintedWait:
    """Wait as long as the server's Retry-After says (capped), else back off exponentially.

    Why: our client retries are off (tenacity owns them), so nothing else honours the hint.
    """

    def __init__(self, base: float) -> None:
        self._backoff = wait_exponential(multiplier=base, max=20)

    def __call__(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, ShapeRefused):
            return 0.0  # nothing to wait for: the next request is in another shape
        hinted = retry_after_seconds(error)
        return min(hinted, MAX_WAIT_SECONDS) if hinted is not None else self._backoff(state)


def retrying(settings: Settings, refused: Callable[[], int] = lambda: 0) -> Retrying:
    """Backoff on rate limits, timeouts, server errors and malformed replies, within the
    control's deadline: no new attempt starts after it, and no wait that would end after it
    is begun (a server asking to retry in ten minutes gets a "not graded" now, not then).
    `refused` counts the requests the server refused for their shape: those are not attempts
    at an answer, and do not count."""
    attempts = max(1, settings.max_retries)

    def out_of_attempts(state: RetryCallState) -> bool:
        return state.attempt_number - refused() >= attempts

    return Retrying(
        retry=retry_if_exception(_worth_retrying),
        stop=stop_any(out_of_attempts, stop_before_delay(settings.control_deadline)),
        wait=_ServerHintedWait(settings.retry_wait),
        reraise=True,
    )


# ---------------------------------------------------------------------- cache

# Cache hits seen by the judge call running in this context. langchain runs the model in a
# worker thread (include_raw wraps it in a RunnableParallel) but copies the context into it,
# so a context variable follows the call where a thread-local would not.
_cache_hits: ContextVar[list[int] | None] = ContextVar("grader_llm_cache_hits", default=None)


# Replies the model gave in this context, held back from the cache until the judge has
# validated them: a reply that never fits the schema must not be served again on a re-run.
_held_writes: ContextVar[list[tuple[Any, str, str, Any]] | None] = ContextVar("grader_llm_held_writes", default=None)


# The cache key of the first request made in this context (the control's request as first
# asked, before any corrective retry): the key an unchanged re-run will look up first.
_first_lookup: ContextVar[list[tuple[str, str]] | None] = ContextVar("grader_llm_first_lookup", default=None)


def hold_cache_writes() -> list[tuple[Any, str, str, Any]]:
    """From now on, in this context, replies go to the returned list instead of the cache."""
    held: list[tuple[Any, str, str, Any]] = []
    _held_writes.set(held)
    _first_lookup.set([])
    return held


def write_validated(held: list[tuple[Any, str, str, Any]], validated: int | None) -> None:
    """Store the reply that validated (held[validated]), under its own request and under the
    control's first request, so an unchanged re-run finds it at once even where it took a
    corrective retry. The replies that did not validate are dropped. Then hold nothing."""
    if validated is not None:
        cache, prompt, llm_string, value = held[validated]
        SQLiteCache.update(cache, prompt, llm_string, value)
        first = _first_lookup.get() or [(prompt, llm_string)]
        if first[0] != (prompt, llm_string):
            SQLiteCache.update(cache, *first[0], value)
    held.clear()


def count_cache_hits() -> list[int]:
    """Start counting cache hits for the current context; returns the live one-item counter."""
    box = [0]
    _cache_hits.set(box)
    return box


_caches: dict[Path, Any] = {}
_caches_lock = threading.Lock()


def enable_cache(path: Path) -> Any:
    """langchain's SQLite cache at `path` (one per path per process), to hand to make_chat_model.

    An unchanged re-run makes no calls. The cache is attached to the model, never set as
    langchain's process-global cache, so one run's settings cannot leak into another's.
    """
    with _caches_lock:
        if path not in _caches:
            class CountingSQLiteCache(SQLiteCache):
                def lookup(self, prompt: str, llm_string: str) -> Any:
                    first = _first_lookup.get()
                    if first is not None and not first:
                        first.append((prompt, llm_string))
                    found = super().lookup(prompt, llm_string)
                    box = _cache_hits.get()
                    if found is not None and box is not None:
                        box[0] += 1
                    return found

                def update(self, prompt: str, llm_string: str, return_val: Any) -> None:
                    held = _held_writes.get()
                    if held is None:
                        super().update(prompt, llm_string, return_val)
                    else:
                        held.append((self, prompt, llm_string, return_val))

            # Every cache hit would print langchain's notice that loads()' default allow-list
            # will change; the file holds only what this process wrote, and the cache test
            # notices if a future default stops reading it back.
            warnings.filterwarnings("ignore", message="The default value of `allowed_objects`",
                                    module=r"langchain_community\.cache")
            path.parent.mkdir(parents=True, exist_ok=True)
            _caches[path] = CountingSQLiteCache(database_path=str(path))
        return _caches[path]

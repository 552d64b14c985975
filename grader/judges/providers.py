"""Chat-model providers behind one function, plus retry and cache policy for LLM calls."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from grader.config import Settings
from grader.errors import ConfigError

# Model families that reject OpenAI structured outputs (langchain would switch silently).
_FUNCTION_CALLING_ONLY = ("gpt-3", "gpt-4-", "gpt-4")


def structured_method(model: str, settings: Settings) -> str:
    """json_schema where the model supports it, else function calling; explicit, not silent."""
    if settings.structured_output != "auto":
        return settings.structured_output
    if model == "gpt-4" or model.startswith(("gpt-3", "gpt-4-")):
        return "function_calling"
    return "json_schema"


def make_chat_model(settings: Settings, request_hook: Callable[[Any], None] | None = None) -> Any:
    """A langchain chat model for the configured provider. Retries are ours (tenacity)."""
    key = settings.api_key.get_secret_value() if settings.api_key else None
    if settings.provider == "openai":
        import httpx
        from langchain_openai import ChatOpenAI

        if not key and not settings.base_url:
            raise ConfigError("the LLM judge needs OPENAI_API_KEY (or GRADER_API_KEY), or a --base-url for a local server")
        hooks = {"request": [request_hook]} if request_hook else {}
        return ChatOpenAI(
            model=settings.model,
            base_url=settings.base_url,
            api_key=key or "not-needed",  # local OpenAI-compatible servers ignore it
            temperature=0,
            max_retries=0,
            timeout=settings.request_timeout,
            use_responses_api=False,  # Chat Completions: what every compatible server speaks
            http_client=httpx.Client(timeout=settings.request_timeout, event_hooks=hooks),
        )
    if settings.provider == "azure":
        from langchain_openai import AzureChatOpenAI

        return AzureChatOpenAI(azure_deployment=settings.model, azure_endpoint=settings.base_url,
                               api_key=key, temperature=0, max_retries=0, timeout=settings.request_timeout)
    if settings.provider == "bedrock":
        try:
            from langchain_aws import ChatBedrockConverse
        except ImportError as exc:
            raise ConfigError("the bedrock provider needs the extra: pip install 'sdp-grader[bedrock]'") from exc
        return ChatBedrockConverse(model=settings.model, temperature=0)
    raise ConfigError(f"unknown provider {settings.provider!r}")


def _retryable() -> tuple[type[BaseException], ...]:
    import openai

    from grader.judges.llm import SchemaError

    return (openai.RateLimitError, openai.APITimeoutError, openai.APIConnectionError,
            openai.InternalServerError, SchemaError)


def retrying(settings: Settings) -> Retrying:
    """Exponential backoff on rate limits, timeouts, server errors and malformed replies."""
    return Retrying(
        retry=retry_if_exception_type(_retryable()),
        stop=stop_after_attempt(max(1, settings.max_retries)),
        wait=wait_exponential(multiplier=settings.retry_wait, max=20),
        reraise=True,
    )


_cache_lock = threading.Lock()
_cache_path: Path | None = None


def enable_cache(path: Path) -> None:
    """langchain's SQLite cache on disk: an unchanged re-run makes no calls."""
    global _cache_path
    with _cache_lock:
        if _cache_path == path:
            return
        from langchain_community.cache import SQLiteCache
        from langchain_core.globals import set_llm_cache

        path.parent.mkdir(parents=True, exist_ok=True)
        set_llm_cache(SQLiteCache(database_path=str(path)))
        _cache_path = path

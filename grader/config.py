"""Settings from the environment (GRADER_*, OPENAI_*), with offline defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRADER_", extra="ignore", populate_by_name=True)

    home: Path = Field(default_factory=lambda: Path(user_data_dir("sdp-grader")))
    knowledge_dir: Path = REPO_ROOT / "knowledge"
    chroma_url: str | None = None  # http://host:port of a Chroma server; None = embedded
    db_url: str | None = None  # SQLAlchemy URL of the app's assessment store; None = SQLite under home

    # Ingestion limits
    max_file_mb: float = 25.0
    max_unzipped_mb: float = 200.0  # zip-bomb guard for DOCX/XLSX

    # Judging
    judge: Literal["offline", "llm"] = "offline"
    model: str | None = Field(default=None, validation_alias=AliasChoices("GRADER_MODEL", "OPENAI_MODEL"))
    base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("GRADER_BASE_URL", "OPENAI_BASE_URL")
    )
    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("GRADER_API_KEY", "OPENAI_API_KEY")
    )
    provider: Literal["openai", "azure", "bedrock"] = "openai"
    concurrency: int = 4
    max_retries: int = 4  # attempts per LLM call, including the first
    retry_wait: float = 1.0  # base of the exponential backoff between attempts, seconds
    structured_output: Literal["auto", "json_schema", "function_calling", "json_mode"] = "auto"
    request_timeout: float = 60.0  # one HTTP request to the model, seconds
    # All attempts for one control together, seconds: past it the control is an explicit error
    # (a slow local model must not hold an assessment for hours).
    control_deadline: float = 600.0
    # Every LLM request carries a max_tokens sized to the control's schema (about 1,500 tokens
    # for seven criteria), capped here: without one a small local model generates until its
    # context is full.
    llm_max_tokens: int = 2048
    # Where the grader's rules go. "user" puts them at the head of the first user message, for
    # chat formats with no system role (llama.cpp's `gemma` format drops system messages).
    llm_system_role: Literal["system", "user"] = "system"
    # What a judge reads. evidence_top_k chunks are retrieved per criterion, and the offline
    # judge reads only the sentences of those chunks; the LLM judge's prompt holds at most
    # llm_evidence_blocks of them (the best-ranked, deduplicated across criteria).
    evidence_top_k: int = 6
    # Evidence for one control beyond this many characters is not all embedded: passages are
    # ranked by keywords and cues first (cheap, linear) and only the best, up to this budget,
    # are read closely; the report names each file sampled. 100,000 is ~40 pages, 5x the
    # largest control of any labeled case, so grading cost stays linear and bounded.
    close_reading_chars: int = Field(default=100_000, ge=10_000)
    examples_top_k: int = 2  # calibration examples retrieved per control and label (LLM prompt)
    llm_evidence_blocks: int = 24
    llm_cache: bool = True
    # With the LLM judge, read every criterion again with the offline judge; disagreements are
    # flagged and the stricter reading stands (grader/judges/crosscheck.py).
    cross_check: bool = True

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"


# The defaults as declared above, environment ignored: for signatures that need a default
# value (retrieval's top_k), so no default is written twice.
DEFAULTS = Settings.model_construct()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def settings_with(**overrides: object) -> Settings:
    """The environment's settings with the options a user gave (CLI flags, the app's sidebar).

    The one way from flags to Settings: an option left as None (or "") keeps the environment's
    value, so a flag never erases a setting the user did not touch.
    """
    given = {key: value for key, value in overrides.items() if value not in (None, "")}
    unknown = sorted(set(given) - set(Settings.model_fields))
    if unknown:
        raise TypeError(f"unknown setting(s): {', '.join(unknown)}")
    settings = get_settings()
    return settings.model_copy(update=given) if given else settings


def reset_settings() -> None:
    """Forget cached settings (tests change the environment)."""
    get_settings.cache_clear()

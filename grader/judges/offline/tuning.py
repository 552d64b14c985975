"""The offline judge's thresholds (tuning.yaml), validated once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from grader.errors import ConfigError

TUNING_FILE = Path(__file__).with_name("tuning.yaml")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Similarity(_Frozen):
    with_cue: float = Field(ge=-1, le=1)
    alone: float = Field(ge=-1, le=1)
    weak: float = Field(ge=-1, le=1)
    unacceptable: float = Field(ge=-1, le=1)


class Tuning(_Frozen):
    similarity: Similarity
    cue_bonus: float
    max_quotes: int = Field(ge=1)
    concrete_items_for_met: int = Field(ge=1)


@lru_cache(maxsize=1)
def tuning() -> Tuning:
    try:
        return Tuning.model_validate(yaml.safe_load(TUNING_FILE.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"{TUNING_FILE}: {exc}") from exc

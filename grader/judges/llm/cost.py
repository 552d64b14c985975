"""What a call costs at the model's public list price (prices.yaml)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

PRICES = Path(__file__).with_name("prices.yaml")


@lru_cache(maxsize=1)
def _prices() -> dict[str, dict[str, float]]:
    return yaml.safe_load(PRICES.read_text(encoding="utf-8"))["usd_per_million_tokens"]


def estimate_cost(model: str, prompt_tokens: int, completion_tokens: int) -> float:
    """USD at the model's public list price; 0 for models not in prices.yaml (local ones)."""
    prices = _prices()
    key = next((m for m in sorted(prices, key=len, reverse=True) if model.startswith(m)), None)
    if key is None:
        return 0.0
    p = prices[key]
    return round((prompt_tokens * p["prompt"] + completion_tokens * p["completion"]) / 1e6, 6)

"""Regression gate: refuse a run whose headline figures fell below a committed baseline.

A baseline is any JSON object with the gated keys: the file `--write-baseline` writes,
or a whole `--json` report (same keys).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from grader.errors import UserError

if TYPE_CHECKING:  # kept out at run time: the CLI imports this module for its default tolerance
    from grader.evaluation.summary import EvalSummary

# The figures that may not drop: overall agreement, the costly miss (bad answer passed),
# and the per-criterion feedback partners act on.
GATED_METRICS = ("control_accuracy", "fail_recall", "criterion_accuracy")
# Written into a baseline besides the gated figures, for the reader's context.
BASELINE_CONTEXT = ("judge", "n_cases", "n_criteria", "control_kappa", "fail_precision", "fail_f1")
DEFAULT_TOLERANCE = 0.02
_EPSILON = 1e-9  # a drop of exactly the tolerance passes despite float noise


class BaselineError(UserError):
    """The baseline file is missing, not JSON, or lacks a gated figure."""


class Regression(BaseModel):
    metric: str
    baseline: float
    current: float | None  # None: not measurable on this run (e.g. no fail-labeled cases)
    tolerance: float

    def __str__(self) -> str:
        if self.current is None:
            return f"{self.metric} {_fmt(self.baseline)} -> n/a (not measurable on these cases)"
        drop = self.current - self.baseline
        return f"{self.metric} {_fmt(self.baseline)} -> {_fmt(self.current)} ({_fmt(drop)} > {_fmt(self.tolerance)})"


def _fmt(value: float) -> str:
    """0.93, 0.875, -0.05: at most three decimals, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def load_baseline(path: Path) -> dict[str, float]:
    """The gated figures of a baseline file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: baseline is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise BaselineError(f"{path}: baseline must be a JSON object with {', '.join(GATED_METRICS)}")
    figures = {}
    for key in GATED_METRICS:
        value = data.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise BaselineError(f"{path}: baseline key '{key}' must be a number, found {value!r}")
        figures[key] = float(value)
    return figures


def regressions(
    current: Mapping[str, float | None], baseline: Mapping[str, float], tolerance: float = DEFAULT_TOLERANCE
) -> list[Regression]:
    """Every gated figure that dropped by more than `tolerance` (or could not be measured)."""
    found = []
    for key in GATED_METRICS:
        now, before = current.get(key), baseline[key]
        if now is None or before - now > tolerance + _EPSILON:
            found.append(Regression(metric=key, baseline=before, current=now, tolerance=tolerance))
    return found


def baseline_figures(summary: EvalSummary) -> dict:
    """What `--write-baseline` saves: the gated figures and a little context."""
    data = summary.model_dump(include=set(GATED_METRICS) | set(BASELINE_CONTEXT))
    return {key: data[key] for key in (*GATED_METRICS, *BASELINE_CONTEXT)}


def write_baseline(summary: EvalSummary, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(baseline_figures(summary), indent=2) + "\n", encoding="utf-8")
    return path

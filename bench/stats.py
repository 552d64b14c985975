"""Small statistics over measured times."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

import numpy as np


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def loglog_slope(x: Sequence[float], y: Sequence[float]) -> float:
    """Exponent b of y ~ x^b, least squares on log-log (1 = linear growth, 2 = quadratic)."""
    if len(x) < 2:
        raise ValueError("a slope needs at least two points")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def step_slopes(x: Sequence[float], y: Sequence[float]) -> list[float]:
    """The exponent between each pair of neighbouring points."""
    return [math.log(y[i + 1] / y[i]) / math.log(x[i + 1] / x[i]) for i in range(len(x) - 1)]

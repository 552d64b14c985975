"""Agreement metrics between labels and a judge: small pure functions over label sequences.

Plain Python on purpose: the sets are ~100 cases, and importing scikit-learn would cost
`grader eval` more start-up time than all of these sums together. A figure that is
undefined for the data (no cases, no predicted fails ...) is None, never a made-up 0 or 1.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

from pydantic import BaseModel

T = TypeVar("T")
Label = Hashable


def _paired(expected: Sequence[Label], got: Sequence[Label]) -> int:
    if len(expected) != len(got):
        raise ValueError(f"expected {len(expected)} labels but got {len(got)}")
    return len(expected)


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def accuracy(expected: Sequence[Label], got: Sequence[Label]) -> float | None:
    """Share of items where the judge's label equals the expected one."""
    n = _paired(expected, got)
    return _ratio(sum(e == g for e, g in zip(expected, got)), n)


def cohen_kappa(expected: Sequence[Label], got: Sequence[Label]) -> float | None:
    """Cohen's kappa: agreement corrected for the agreement chance alone would give.

    kappa = (p_o - p_e) / (1 - p_e), p_e = sum over labels of p_expected(l) * p_got(l).
    When p_e == 1 both sides used one and the same label for every item: agreement is
    total but says nothing beyond chance, and the ratio is 0/0, so kappa is undefined (None).
    """
    n = _paired(expected, got)
    if not n:
        return None
    p_o = sum(e == g for e, g in zip(expected, got)) / n
    count_e, count_g = Counter(expected), Counter(got)
    chance = sum(count_e[label] * count_g[label] for label in count_e)
    if chance == n * n:  # p_e == 1, compared in integers so no rounding can hide it
        return None
    p_e = chance / (n * n)
    return (p_o - p_e) / (1.0 - p_e)


class BinaryScores(BaseModel):
    """Precision / recall / F1 of one label treated as the positive class."""

    tp: int
    fp: int
    fn: int
    tn: int
    precision: float | None  # None: the judge never gave the label
    recall: float | None  # None: the label never occurs in the expectations
    f1: float | None


def binary_scores(expected: Sequence[Label], got: Sequence[Label], positive: Label) -> BinaryScores:
    """Scores of `positive` (for us `fail`: a bad answer graded pass is the costliest miss)."""
    _paired(expected, got)
    pairs = list(zip(expected, got))
    tp = sum(e == positive and g == positive for e, g in pairs)
    fp = sum(e != positive and g == positive for e, g in pairs)
    fn = sum(e == positive and g != positive for e, g in pairs)
    tn = len(pairs) - tp - fp - fn
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    if precision is None or recall is None:
        f1 = None
    else:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BinaryScores(tp=tp, fp=fp, fn=fn, tn=tn, precision=precision, recall=recall, f1=f1)


def ordered_labels(preferred: Sequence[Label], *seen: Iterable[Label]) -> list[Label]:
    """`preferred` in its order, then any other label that occurs (e.g. `error`, `missing`)."""
    labels = list(preferred)
    for values in seen:
        labels += [v for v in dict.fromkeys(values) if v not in labels]
    return labels


def confusion_matrix(
    expected: Sequence[Label], got: Sequence[Label], rows: Sequence[Label], cols: Sequence[Label]
) -> list[list[int]]:
    """matrix[i][j] = items expected rows[i] that the judge labeled cols[j]."""
    _paired(expected, got)
    row_of = {label: i for i, label in enumerate(rows)}
    col_of = {label: j for j, label in enumerate(cols)}
    matrix = [[0] * len(cols) for _ in rows]
    for e, g in zip(expected, got):
        if e not in row_of or g not in col_of:
            raise ValueError(f"label pair ({e!r}, {g!r}) is outside the matrix {list(rows)} x {list(cols)}")
        matrix[row_of[e]][col_of[g]] += 1
    return matrix


def group_by(items: Iterable[T], keys: Callable[[T], Iterable[str]]) -> dict[str, list[T]]:
    """Slices: each item goes to every key it has (a case with two tags is in both slices)."""
    groups: dict[str, list[T]] = defaultdict(list)
    for item in items:
        for key in keys(item):
            groups[key].append(item)
    return dict(sorted(groups.items()))


class Interval(BaseModel):
    """A two-sided confidence interval for a proportion."""

    low: float
    high: float


# z for a two-sided 95 % interval.
Z_95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z_95) -> Interval | None:
    """Wilson score interval for successes / n (None when n == 0).

    Chosen over the normal approximation because our slices are small (tens of cases) and
    proportions sit near 1, where p ± z·sqrt(p(1-p)/n) collapses to a zero-width interval.
    """
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError(f"successes {successes} outside 0..{n}")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Interval(low=max(0.0, centre - half), high=min(1.0, centre + half))

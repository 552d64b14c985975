"""The figures of one eval run: what the terminal, --json, --markdown and the gate report.

Field names are the keys eval-case.md fixes for --json (control_accuracy, control_kappa,
fail_precision, fail_recall, criterion_accuracy, n_cases, per_control, per_tag,
disagreements, seconds_per_case), plus extras for diagnosis.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from pydantic import BaseModel, Field

from grader.catalogue import CONTROL_IDS
from grader.evaluation import metrics
from grader.evaluation.run import CaseResult, CriterionOutcome, EvalResult

VERDICTS = ("pass", "fail")
STATUSES = ("met", "partial", "not_met")
DIGITS = 4  # figures are rounded so reports and baselines diff cleanly
# Folder names that mark the parts of a split corpus (eval/corpus/dev, eval/corpus/test).
SPLIT_PARTS = ("dev", "test")


class SliceFigures(BaseModel):
    """The same accuracies on a subset of cases (one part, one control, one tag)."""

    n_cases: int
    control_accuracy: float | None
    fail_recall: float | None
    criterion_accuracy: float | None
    n_criteria: int
    # 95 % Wilson intervals: the slices are small, so a point figure alone overstates what we know.
    control_accuracy_ci: metrics.Interval | None = None
    fail_recall_ci: metrics.Interval | None = None
    n_fail_expected: int = 0
    bad_passed: int = 0  # expected fail, graded pass: the costliest miss


class Confusion(BaseModel):
    rows: list[str]  # expected labels
    cols: list[str]  # the judge's labels (may add `error` / `missing`)
    matrix: list[list[int]]


class Disagreement(BaseModel):
    """A case where the judge and the labels differ, at control or criterion level."""

    id: str
    control: str
    file: str
    expected: str
    got: str
    rationale: str
    criteria: list[CriterionOutcome] = Field(default_factory=list)  # the disagreeing ones
    error: str | None = None


class EvalSummary(BaseModel):
    judge: str
    n_cases: int
    control_accuracy: float | None
    control_accuracy_ci: metrics.Interval | None
    control_kappa: float | None
    fail_precision: float | None
    fail_recall: float | None
    fail_recall_ci: metrics.Interval | None
    fail_f1: float | None
    criterion_accuracy: float | None
    n_criteria: int
    # Being unsure has a visible price: how many controls the judge flagged for a reviewer,
    # and how right it is on the ones it did not flag.
    flagged_rate: float | None
    unflagged_control_accuracy: float | None
    # With two judges (LLM checked by offline): how often their verdicts agree, and how right
    # the reconciled verdict is where they agree and where they do not.
    judges_agreement: float | None = None
    accuracy_where_judges_agree: float | None = None
    accuracy_where_judges_disagree: float | None = None
    control_confusion: Confusion
    criterion_confusion: Confusion
    per_part: dict[str, SliceFigures]  # dev / test when the cases come from a split corpus
    per_control: dict[str, SliceFigures]
    per_tag: dict[str, SliceFigures]
    bad_passed: list[Disagreement]  # expected fail, graded pass: listed first in every report
    disagreements: list[Disagreement]
    seconds_per_case: float | None
    seconds_total: float
    llm_calls: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    errors: int  # cases whose grading raised (counted as wrong)
    cases: list[CaseResult]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def _criterion_pairs(results: Sequence[CaseResult]) -> tuple[list[str], list[str]]:
    outcomes = [c for r in results for c in r.criteria]
    return [c.expected for c in outcomes], [c.got for c in outcomes]


def _verdict_pairs(results: Sequence[CaseResult]) -> tuple[list[str], list[str]]:
    return [r.expected for r in results], [r.got for r in results]


def _round_interval(interval: metrics.Interval | None) -> metrics.Interval | None:
    return None if interval is None else metrics.Interval(low=_round(interval.low), high=_round(interval.high))


def _accuracy_ci(expected: Sequence[str], got: Sequence[str]) -> metrics.Interval | None:
    return _round_interval(metrics.wilson_interval(sum(e == g for e, g in zip(expected, got)), len(expected)))


def _recall_ci(scores: metrics.BinaryScores) -> metrics.Interval | None:
    return _round_interval(metrics.wilson_interval(scores.tp, scores.tp + scores.fn))


def is_bad_passed(result: CaseResult) -> bool:
    return result.expected == "fail" and result.got == "pass"


def slice_figures(results: Sequence[CaseResult]) -> SliceFigures:
    expected, got = _verdict_pairs(results)
    crit_expected, crit_got = _criterion_pairs(results)
    fail = metrics.binary_scores(expected, got, "fail")
    return SliceFigures(
        n_cases=len(results),
        control_accuracy=_round(metrics.accuracy(expected, got)),
        fail_recall=_round(fail.recall),
        criterion_accuracy=_round(metrics.accuracy(crit_expected, crit_got)),
        n_criteria=len(crit_expected),
        control_accuracy_ci=_accuracy_ci(expected, got),
        fail_recall_ci=_recall_ci(fail),
        n_fail_expected=fail.tp + fail.fn,
        bad_passed=sum(is_bad_passed(r) for r in results),
    )


def part_of(file: str) -> str | None:
    """`dev` or `test` when the case file sits in a split corpus part, else None."""
    folders = PurePosixPath(file).parts[:-1]
    return next((name for name in reversed(folders) if name in SPLIT_PARTS), None)


def _confusion(expected: list[str], got: list[str], labels: Sequence[str]) -> Confusion:
    rows = metrics.ordered_labels(labels, expected)
    cols = metrics.ordered_labels(labels, got)
    return Confusion(rows=rows, cols=cols, matrix=metrics.confusion_matrix(expected, got, rows, cols))


def _disagreement(result: CaseResult) -> Disagreement:
    return Disagreement(
        id=result.id,
        control=result.control,
        file=result.file,
        expected=result.expected,
        got=result.got,
        rationale=result.rationale,
        criteria=[c for c in result.criteria if not c.agrees],
        error=result.error,
    )


def _per_control(results: Sequence[CaseResult]) -> dict[str, SliceFigures]:
    groups = metrics.group_by(results, lambda r: [r.control])
    order = {cid: i for i, cid in enumerate(CONTROL_IDS)}  # the guide's order, not alphabetical
    return {k: slice_figures(groups[k]) for k in sorted(groups, key=lambda k: (order.get(k, len(order)), k))}


def _two_judges(results: Sequence[CaseResult]) -> dict[str, float | None]:
    both = [r for r in results if r.judges_agree is not None]
    if not both:
        return {}
    agree = [r for r in both if r.judges_agree]
    disagree = [r for r in both if not r.judges_agree]
    return {
        "judges_agreement": _round(len(agree) / len(both)),
        "accuracy_where_judges_agree": _round(metrics.accuracy(*_verdict_pairs(agree))),
        "accuracy_where_judges_disagree": _round(metrics.accuracy(*_verdict_pairs(disagree))),
    }


def _part_key(result: CaseResult) -> list[str]:
    part = part_of(result.file)
    return [part] if part else []


def summarise(run: EvalResult) -> EvalSummary:
    results = run.results
    expected, got = _verdict_pairs(results)
    crit_expected, crit_got = _criterion_pairs(results)
    fail = metrics.binary_scores(expected, got, "fail")
    usage = run.usage
    return EvalSummary(
        judge=run.judge,
        n_cases=len(results),
        control_accuracy=_round(metrics.accuracy(expected, got)),
        control_accuracy_ci=_accuracy_ci(expected, got),
        control_kappa=_round(metrics.cohen_kappa(expected, got)),
        fail_precision=_round(fail.precision),
        fail_recall=_round(fail.recall),
        fail_recall_ci=_recall_ci(fail),
        fail_f1=_round(fail.f1),
        criterion_accuracy=_round(metrics.accuracy(crit_expected, crit_got)),
        n_criteria=len(crit_expected),
        flagged_rate=_round(sum(r.flagged for r in results) / len(results)) if results else None,
        unflagged_control_accuracy=_round(metrics.accuracy(*_verdict_pairs([r for r in results if not r.flagged]))),
        **_two_judges(results),
        control_confusion=_confusion(expected, got, VERDICTS),
        criterion_confusion=_confusion(crit_expected, crit_got, STATUSES),
        per_part={k: slice_figures(v) for k, v in metrics.group_by(results, _part_key).items()},
        per_control=_per_control(results),
        per_tag={k: slice_figures(v) for k, v in metrics.group_by(results, lambda r: r.tags).items()},
        bad_passed=[_disagreement(r) for r in results if is_bad_passed(r)],
        disagreements=[_disagreement(r) for r in results if r.disagrees_anywhere],
        seconds_per_case=_round(sum(r.seconds for r in results) / len(results)) if results else None,
        seconds_total=round(run.seconds, 3),
        llm_calls=usage.llm_calls,
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        cost_usd=usage.cost_usd,
        errors=sum(r.error is not None for r in results),
        cases=results,
    )

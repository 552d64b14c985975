"""Grade every labeled case with a judge and record what it said next to the labels."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from grader.errors import UserError
from grader.evaluation.cases import EvalCase
from grader.judges.base import Judge
from grader.models import ControlAnswer, ControlAssessment, Usage

# The engine's one-control pipeline (ingest, checks, retrieval, judge); injectable for tests.
AssessFn = Callable[[ControlAnswer, Path, Judge], ControlAssessment]
# progress(done, total, case_id): called after each case.
ProgressFn = Callable[[int, int, str], None]

ERROR = "error"  # the verdict recorded when grading a case raised
MISSING = "missing"  # the criterion status recorded when the judge gave none for a labeled slug


class CriterionOutcome(BaseModel):
    slug: str
    expected: str
    got: str  # met | partial | not_met | missing
    rationale: str = ""

    @property
    def agrees(self) -> bool:
        return self.expected == self.got


class CaseResult(BaseModel):
    """One case: its labels, the judge's answer, and what it cost."""

    id: str
    control: str
    file: str
    tags: list[str] = Field(default_factory=list)
    expected: str  # pass | fail
    got: str  # pass | fail | error
    rationale: str = ""  # the judge's summary for the control verdict
    criteria: list[CriterionOutcome] = Field(default_factory=list)  # labeled criteria only
    flags: list[str] = Field(default_factory=list)  # rule ids of the findings raised
    review_reasons: list[str] = Field(default_factory=list)  # why the judge flagged it for a reviewer
    judges_agree: bool | None = None  # two judges ran (LLM + offline check): did their verdicts agree?
    error: str | None = None
    seconds: float = 0.0
    usage: Usage = Field(default_factory=Usage)

    @property
    def agrees(self) -> bool:
        return self.expected == self.got

    @property
    def flagged(self) -> bool:
        return bool(self.review_reasons)

    @property
    def disagrees_anywhere(self) -> bool:
        return not self.agrees or any(not c.agrees for c in self.criteria)


class EvalResult(BaseModel):
    judge: str
    results: list[CaseResult]
    seconds: float  # wall time of the whole run

    @property
    def usage(self) -> Usage:
        return sum((r.usage for r in self.results), Usage())


def _engine_assess() -> AssessFn:
    # Deferred on purpose: the engine imports the whole pipeline (numpy, Chroma, cfn-lint),
    # which tests of the harness and `grader eval --help` do without.
    from grader.engine import assess_control

    return assess_control


def _control_rationale(assessment: ControlAssessment) -> str:
    """The judge's reason for its verdict: its summary, else its flags and unmet criteria."""
    if assessment.summary.strip():
        return assessment.summary.strip()
    reasons = [f.message for f in assessment.flags]
    reasons += [f"{c.slug}: {c.rationale}" for c in assessment.criteria if c.status != "met" and c.rationale]
    return "; ".join(reasons)


def _criterion_outcomes(case: EvalCase, assessment: ControlAssessment) -> list[CriterionOutcome]:
    outcomes = []
    for slug, expected in case.expected.criteria.items():
        verdict = assessment.criterion(slug)
        rationale = ""
        if verdict is not None:
            rationale = verdict.rationale + (f" Missing: {verdict.missing}" if verdict.missing else "")
        outcomes.append(
            CriterionOutcome(
                slug=slug, expected=expected, got=verdict.status if verdict else MISSING, rationale=rationale.strip()
            )
        )
    return outcomes


def grade_case(case: EvalCase, judge: Judge, assess: AssessFn) -> CaseResult:
    """Grade one case. A crash on one case is recorded as `error` (and counts as wrong);
    a UserError (no index, no API key ...) concerns every case and propagates."""
    base = dict(
        id=case.id, control=case.control, file=case.path.as_posix(), tags=case.tags, expected=case.expected.verdict
    )
    started = time.perf_counter()
    try:
        assessment = assess(case.answer(), case.base_dir, judge)
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - one broken case must not hide the other figures
        return CaseResult(
            **base,
            got=ERROR,
            error=f"{type(exc).__name__}: {exc}",
            criteria=[CriterionOutcome(slug=s, expected=e, got=MISSING) for s, e in case.expected.criteria.items()],
            seconds=time.perf_counter() - started,
        )
    if assessment.error:  # the judge could not grade it: an error, counted as wrong
        return CaseResult(
            **base, got=ERROR, error=assessment.error, rationale=assessment.summary,
            criteria=[CriterionOutcome(slug=s, expected=e, got=MISSING) for s, e in case.expected.criteria.items()],
            seconds=time.perf_counter() - started, usage=assessment.usage,
        )
    return CaseResult(
        **base,
        got=assessment.verdict,
        rationale=_control_rationale(assessment),
        criteria=_criterion_outcomes(case, assessment),
        flags=[f.rule for f in assessment.flags],
        review_reasons=assessment.review_reasons,
        judges_agree=assessment.second_opinion.agrees if assessment.second_opinion else None,
        seconds=time.perf_counter() - started,
        usage=assessment.usage,
    )


def run_eval(
    cases: Sequence[EvalCase],
    judge: Judge,
    assess: AssessFn | None = None,
    progress: ProgressFn | None = None,
) -> EvalResult:
    """Grade every case with `judge` through `assess` (default: the engine's assess_control)."""
    assess = assess or _engine_assess()
    started = time.perf_counter()
    results = []
    for done, case in enumerate(cases, start=1):
        results.append(grade_case(case, judge, assess))
        if progress:
            progress(done, len(cases), case.id)
    return EvalResult(judge=judge.name, results=results,
                      seconds=time.perf_counter() - started)

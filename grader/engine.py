"""The pipeline: application -> ingest -> checks -> retrieval -> judge -> Assessment.

Nothing downstream reaches back upstream: judges see only RetrievedEvidence and findings.
"""

from __future__ import annotations

import time
from functools import lru_cache
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Literal

from grader.catalogue import Catalogue, Control, get_catalogue
from grader.config import Settings, get_settings
from grader.errors import ConfigError
from grader.judges.base import Judge
from grader.models import (
    Application,
    Assessment,
    ControlAnswer,
    ControlAssessment,
    ControlEvidence,
    CriterionVerdict,
    Finding,
    RetrievedEvidence,
    Usage,
)

# progress(control_id, finished_count, total)
Progress = Callable[[str, int, int], None]


def make_judge(name: Literal["offline", "llm"] | None = None, settings: Settings | None = None) -> Judge:
    """Build the configured judge. The LLM judge needs a model; offline needs nothing."""
    settings = settings or get_settings()
    name = name or settings.judge
    if name == "offline":
        from grader.judges.offline import OfflineJudge

        return OfflineJudge()
    if name == "llm":
        if not settings.model:
            raise ConfigError(
                "the LLM judge needs a model: pass --model or set GRADER_MODEL / OPENAI_MODEL"
            )
        from grader.judges.llm import LLMJudge

        return LLMJudge.from_settings(settings)
    raise ConfigError(f"unknown judge {name!r}; choose offline or llm")


def not_answered(control: Control, errors=()) -> ControlAssessment:
    return ControlAssessment(
        control=control.id,
        title=control.title,
        verdict="fail",
        answered=False,
        summary=f"{control.id} was not answered: every criterion is unmet.",
        criteria=[
            CriterionVerdict(
                slug=c.slug, status="not_met", rationale="Control not answered.",
                missing=c.description, fix=c.fix,
            )
            for c in control.criteria
        ],
        errors=list(errors),
        judge="none",
    )


def gather_evidence(answer: ControlAnswer, base_dir: Path, reader=None) -> ControlEvidence:
    from grader.ingest import ingest_control

    return ingest_control(answer, base_dir, reader)


def shared_reader():
    """A reader that parses each attachment once per assessment (documents are immutable)."""
    from grader.ingest.readers import read

    return lru_cache(maxsize=None)(read)


def prepare(
    control: Control, evidence: ControlEvidence, judge: Judge, settings: Settings
) -> tuple[RetrievedEvidence, list[Finding]]:
    """Deterministic checks and retrieval: everything a judge needs, nothing it decides."""
    from grader.checks import run_checks
    from grader.retrieval import retrieve

    findings = [*evidence.findings, *run_checks(control, evidence)]
    # Calibration examples go into the LLM prompt; the offline judge carries its own.
    examples_k = settings.examples_top_k if getattr(judge, "needs_examples", False) else 0
    retrieved = retrieve(control, evidence, top_k=settings.evidence_top_k, examples_k=examples_k)
    return retrieved, findings


def grade_evidence(
    control: Control, evidence: ControlEvidence, judge: Judge, settings: Settings | None = None
) -> ControlAssessment:
    """Checks + retrieval + judge for evidence already ingested."""
    settings = settings or get_settings()
    started = time.perf_counter()
    if not evidence.answered:
        return not_answered(control, evidence.errors)
    retrieved, findings = prepare(control, evidence, judge, settings)
    result = judge.judge(control, retrieved, findings)
    return result.model_copy(update={"seconds": round(time.perf_counter() - started, 4)})


def assess_control(
    answer: ControlAnswer,
    base_dir: Path,
    judge: Judge,
    catalogue: Catalogue | None = None,
    settings: Settings | None = None,
) -> ControlAssessment:
    """Grade one control's answer (the unit the eval harness measures)."""
    catalogue = catalogue or get_catalogue()
    started = time.perf_counter()
    control = catalogue[answer.control]
    evidence = gather_evidence(answer, base_dir)
    result = grade_evidence(control, evidence, judge, settings)
    return result.model_copy(update={"seconds": round(time.perf_counter() - started, 4)})


def _timed(result: ControlAssessment, began: float) -> ControlAssessment:
    return result.model_copy(update={"seconds": round(time.perf_counter() - began, 4)})


def assess(
    application: Application,
    judge: Judge | None = None,
    progress: Progress | None = None,
    settings: Settings | None = None,
    catalogue: Catalogue | None = None,
) -> Assessment:
    """Grade every control of the catalogue for an application (unanswered ones fail)."""
    settings = settings or get_settings()
    catalogue = catalogue or get_catalogue()
    judge = judge or make_judge(settings=settings)
    started = time.perf_counter()
    base_dir = Path(application.base_dir)
    errors_by_control: dict[str, list] = {}
    general_errors = []
    for err in application.errors:
        (errors_by_control.setdefault(err.control, []) if err.control in catalogue.controls
         else general_errors).append(err)

    controls = list(catalogue)
    results: dict[str, ControlAssessment] = {}
    reader = shared_reader()

    def finish(control: Control, result: ControlAssessment, load_errors: list) -> None:
        if load_errors:
            result = result.model_copy(update={"errors": [*load_errors, *result.errors]})
        results[control.id] = result
        if progress:
            progress(control.id, len(results), len(controls))

    # Ingestion, checks and retrieval are CPU work: they run here, in order. Only the judge
    # goes to the pool, so an LLM judge's calls overlap instead of queueing behind the GIL.
    workers = max(1, settings.concurrency) if getattr(judge, "concurrent", False) else 0
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pending: dict[Future, tuple[Control, list, float]] = {}
        for control in controls:
            answer = application.controls.get(control.id)
            load_errors = errors_by_control.get(control.id, [])
            if answer is None or not answer.answered:
                finish(control, not_answered(control), load_errors)
                continue
            began = time.perf_counter()
            evidence = gather_evidence(answer, base_dir, reader)
            if not evidence.answered:
                finish(control, not_answered(control, evidence.errors), load_errors)
                continue
            retrieved, findings = prepare(control, evidence, judge, settings)
            if workers:
                pending[pool.submit(judge.judge, control, retrieved, findings)] = (control, load_errors, began)
            else:
                result = judge.judge(control, retrieved, findings)
                finish(control, _timed(result, began), load_errors)
        for future in as_completed(pending):
            control, load_errors, began = pending[future]
            finish(control, _timed(future.result(), began), load_errors)

    ordered = [results[c.id] for c in controls]
    usage = sum((r.usage for r in ordered), Usage())
    return Assessment(
        partner=application.partner,
        program=application.program,
        source=application.source,
        judge=getattr(judge, "name", type(judge).__name__),
        model=getattr(judge, "model", None),
        controls=ordered,
        errors=general_errors,
        usage=usage,
        seconds=round(time.perf_counter() - started, 3),
    )

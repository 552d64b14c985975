"""The pipeline: application -> ingest -> checks -> retrieval -> judge -> Assessment.

One path per control (`prepare_control` then the judge), used by `assess` (the CLI and the
app), `assess_control` (the eval harness) and the benchmarks alike. Nothing downstream
reaches back upstream: judges see only RetrievedEvidence and findings.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from grader.catalogue import Catalogue, Control, get_catalogue
from grader.checks import run_checks
from grader.config import Settings, get_settings
from grader.errors import ConfigError
from grader.ingest import Reader, ingest_control
from grader.ingest.readers import read
from grader.judges.base import Judge
from grader.models import (
    Application,
    Assessment,
    ControlAnswer,
    ControlAssessment,
    CriterionVerdict,
    Finding,
    IngestError,
    Provenance,
    RetrievedEvidence,
    Usage,
)
from grader.retrieval import retrieve

SAMPLED_RULE = "evidence.sampled"

# progress(control_id, finished_count, total)
Progress = Callable[[str, int, int], None]


def make_judge(name: Literal["offline", "llm"] | None = None, settings: Settings | None = None) -> Judge:
    """Build the configured judge. The LLM judge needs a model; offline needs nothing."""
    settings = settings or get_settings()
    name = name or settings.judge
    if name == "offline":
        from grader.judges.offline import OfflineJudge  # deferred: numpy + the embedding model

        return OfflineJudge()
    if name == "llm":
        if not settings.model:
            raise ConfigError("the LLM judge needs a model: pass --model or set GRADER_MODEL / OPENAI_MODEL")
        from grader.judges.llm import LLMJudge  # deferred: langchain + openai, ~0.7 s to import

        llm = LLMJudge.from_settings(settings)
        if not settings.cross_check:
            return llm
        from grader.judges.crosscheck import CrossCheckedJudge
        from grader.judges.offline import OfflineJudge

        return CrossCheckedJudge(llm, OfflineJudge())
    raise ConfigError(f"unknown judge {name!r}; choose offline or llm")


def not_answered(control: Control, errors: list[IngestError] | tuple = ()) -> ControlAssessment:
    return ControlAssessment(
        control=control.id,
        title=control.title,
        verdict="fail",
        answered=False,
        summary=f"{control.id} was not answered: every criterion is unmet.",
        criteria=[
            CriterionVerdict(slug=c.slug, status="not_met", rationale="Control not answered.",
                             missing=c.description, fix=c.fix)
            for c in control.criteria
        ],
        errors=list(errors),
        judge="none",
    )


def shared_reader() -> Reader:
    """A reader that parses each attachment once per assessment (documents are immutable)."""
    return lru_cache(maxsize=None)(read)


@dataclass(frozen=True)
class PreparedControl:
    """Everything a judge needs for one control, nothing it decides."""

    control: Control
    evidence: RetrievedEvidence
    findings: list[Finding]


def prepare_control(
    control: Control,
    answer: ControlAnswer | None,
    base_dir: Path,
    judge: Judge,
    settings: Settings,
    reader: Reader | None = None,
) -> PreparedControl | ControlAssessment:
    """Ingest, deterministic checks and retrieval for one control.

    An unanswered control (no answer, or nothing readable in it) is already its result.
    """
    if answer is None or not answer.answered:
        return not_answered(control)
    evidence = ingest_control(answer, base_dir, reader)
    if not evidence.answered:
        return not_answered(control, evidence.errors)
    findings = run_checks(control, evidence)
    # Calibration examples go into an LLM prompt; the offline judge carries its own.
    examples_k = settings.examples_top_k if judge.needs_examples else 0
    retrieved = retrieve(control, evidence, top_k=settings.evidence_top_k, examples_k=examples_k,
                         close_reading_chars=settings.close_reading_chars)
    return PreparedControl(control, retrieved, findings + sampling_findings(control, retrieved, settings))


def sampling_findings(control: Control, retrieved: RetrievedEvidence, settings: Settings) -> list[Finding]:
    """A file only partly read closely is said, with how much and why: the reviewer reads the rest."""
    return [
        Finding(
            control=control.id, severity="info", rule=SAMPLED_RULE, source=Provenance(file=s.file),
            message=(f"{s.file}: the evidence for {control.id} is above the close-reading budget of "
                     f"{settings.close_reading_chars:,} characters (GRADER_CLOSE_READING_CHARS), so of this "
                     f"file's {s.passages:,} passages ({s.chars:,} characters) the {s.passages_read:,} ranked "
                     f"best by keywords and cues ({s.chars_read:,} characters) were read closely; "
                     "the deterministic checks still read all of it. Read the rest by hand, "
                     "or attach the sections that answer this control."),
        )
        for s in retrieved.sampled
    ]


def judge_prepared(prepared: PreparedControl, judge: Judge) -> ControlAssessment:
    return judge.judge(prepared.control, prepared.evidence, prepared.findings)


def _judge_timed(prepared: PreparedControl, judge: Judge) -> tuple[ControlAssessment, float]:
    began = time.perf_counter()
    return judge_prepared(prepared, judge), time.perf_counter() - began


def _timed(result: ControlAssessment, began: float) -> ControlAssessment:
    return result.model_copy(update={"seconds": round(time.perf_counter() - began, 4)})


def assess_control(
    answer: ControlAnswer,
    base_dir: Path,
    judge: Judge,
    catalogue: Catalogue | None = None,
    settings: Settings | None = None,
) -> ControlAssessment:
    """Grade one control's answer (the unit the eval harness measures)."""
    began = time.perf_counter()
    control = (catalogue or get_catalogue())[answer.control]
    step = prepare_control(control, answer, base_dir, judge, settings or get_settings())
    result = step if isinstance(step, ControlAssessment) else judge_prepared(step, judge)
    return _timed(result, began)


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

    def finish(control: Control, result: ControlAssessment, seconds: float) -> None:
        load_errors = errors_by_control.get(control.id, [])
        if load_errors:
            result = result.model_copy(update={"errors": [*load_errors, *result.errors]})
        results[control.id] = result.model_copy(update={"seconds": round(seconds, 4)})
        if progress:
            progress(control.id, len(results), len(controls))

    # Ingestion, checks and retrieval are CPU work: they run here, in order. Only the judge
    # goes to the pool, so an LLM judge's calls overlap instead of queueing behind the GIL.
    workers = max(1, settings.concurrency) if judge.concurrent else 0
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        # A control's seconds are its own work (preparing it, then judging it), never the time
        # it waited in the pool for a free worker.
        pending: dict[Future, tuple[Control, float]] = {}
        for control in controls:
            began = time.perf_counter()
            step = prepare_control(control, application.controls.get(control.id), base_dir, judge, settings, reader)
            prepared_in = time.perf_counter() - began
            if isinstance(step, ControlAssessment):
                finish(control, step, prepared_in)
            elif workers:
                pending[pool.submit(_judge_timed, step, judge)] = (control, prepared_in)
            else:
                result, judged_in = _judge_timed(step, judge)
                finish(control, result, prepared_in + judged_in)
        for future in as_completed(pending):
            control, prepared_in = pending[future]
            result, judged_in = future.result()
            finish(control, result, prepared_in + judged_in)

    ordered = [results[c.id] for c in controls]
    return Assessment(
        partner=application.partner,
        program=application.program,
        source=application.source,
        judge=judge.name,
        model=judge.model,
        judge_setup=dict(judge.setup),
        controls=ordered,
        errors=general_errors,
        usage=sum((r.usage for r in ordered), Usage()),
        seconds=round(time.perf_counter() - started, 3),
    )

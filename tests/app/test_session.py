"""The Assess button's run logic without the UI: grade once, then serve unchanged re-runs from the cache."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.catalogue import Control, get_catalogue
from grader.config import Settings, get_settings
from grader.judges.base import Judge
from grader.models import (
    Application,
    Assessment,
    ControlAnswer,
    ControlAssessment,
    Finding,
    IngestError,
    RetrievedEvidence,
)
from grader.webapp.runs import JudgeChoice, RunCache
from grader.webapp.session import RunDisplay, RunOutcome, grade
from grader.webapp.store import AssessmentStore, open_store


class Recorder(RunDisplay):
    def __init__(self) -> None:
        self.opened: list[tuple[int, str]] = []
        self.advanced: list[str] = []
        self.finished: list[Assessment] = []

    @contextmanager
    def __call__(self, total: int, judge: str) -> Iterator[RunDisplay]:
        self.opened.append((total, judge))
        yield self

    def advance(self, control_id: str, done: int, of: int) -> None:
        self.advanced.append(control_id)

    def finish(self, result: Assessment) -> None:
        self.finished.append(result)


class UnusedJudge:
    """No control below is answered, so no judge is consulted."""

    name = "offline"
    model = None
    needs_examples = False
    concurrent = False
    setup: dict[str, str] = {}

    def judge(self, control: Control, evidence: RetrievedEvidence, findings: list[Finding]) -> ControlAssessment:
        raise AssertionError(f"{control.id} was judged, yet it is not answered")


class JudgeFactory:
    """Counts the judges built."""

    def __init__(self) -> None:
        self.built: list[JudgeChoice] = []

    def __call__(self, choice: JudgeChoice, settings: Settings) -> Judge:
        self.built.append(choice)
        return UnusedJudge()


def unanswered(folder: Path, partner: str = "Contoso") -> Application:
    """An application whose only control has no answer and a missing file: graded without a judge."""
    return Application(
        partner=partner, base_dir=str(folder),
        controls={"ACCT-001": ControlAnswer(control="ACCT-001", response="", attachments=[])},
        errors=[IngestError(file="sop.pdf", control="ACCT-001", message="missing")],
    )


def run(application: Application, store: AssessmentStore, cache: RunCache,
        judges: JudgeFactory, shown: Recorder) -> RunOutcome:
    return grade(application, JudgeChoice(), get_settings(), store, cache, judges, shown)


def test_an_unchanged_rerun_is_served_from_the_run_cache(grader_home: Path, tmp_path: Path) -> None:
    store, cache, judges, shown = open_store(), RunCache(), JudgeFactory(), Recorder()
    total = len(get_catalogue())

    first = run(unanswered(tmp_path / "a"), store, cache, judges, shown)
    assert not first.cached
    assert len(judges.built) == 1 and shown.opened == [(total, "offline")]
    assert len(shown.advanced) == total and len(shown.finished) == 1
    stored = store.load(first.assessment_id)
    assert stored == shown.finished[0] and len(stored.controls) == total
    assert store.inputs(first.assessment_id).application.partner == "Contoso"

    # The same inputs, uploaded again into another temporary folder: a lookup, nothing graded.
    again = run(unanswered(tmp_path / "b"), store, cache, judges, shown)
    assert again == RunOutcome(assessment_id=first.assessment_id, cached=True)
    assert len(judges.built) == 1 and len(shown.opened) == 1
    assert len(store.history()) == 1

    changed = run(unanswered(tmp_path / "a", partner="Fabrikam"), store, cache, judges, shown)
    assert not changed.cached and changed.assessment_id != first.assessment_id
    assert len(judges.built) == 2 and len(store.history()) == 2


def test_the_run_cache_never_serves_an_assessment_of_another_store(grader_home: Path, tmp_path: Path) -> None:
    cache, judges, shown = RunCache(), JudgeFactory(), Recorder()
    one = AssessmentStore(f"sqlite:///{tmp_path / 'one.sqlite'}")
    other = AssessmentStore(f"sqlite:///{tmp_path / 'other.sqlite'}")

    first = run(unanswered(tmp_path), one, cache, judges, shown)
    elsewhere = run(unanswered(tmp_path), other, cache, judges, shown)
    assert not elsewhere.cached and elsewhere.assessment_id != first.assessment_id
    assert other.load(elsewhere.assessment_id).partner == "Contoso"

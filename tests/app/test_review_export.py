"""Overrides -> effective labels -> eval cases: the reviewer feedback loop, without the UI."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from grader.evaluation.cases import load_cases
from grader.models import (
    Application,
    Assessment,
    ControlAnswer,
    ControlAssessment,
    CriterionVerdict,
    Finding,
)
from grader.webapp.export import export_zip, write_cases
from grader.webapp.review import effective_criteria, effective_verdict, latest, reviewed_controls
from grader.webapp.store import Override, StoredInputs

T0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
ASSESSMENT_ID = "0123456789abcdef0123456789abcdef"


def ope003(verdict: str = "fail", statuses=("met", "partial", "met"), flags=()) -> ControlAssessment:
    slugs = ("testing-process", "automated-tests", "checklist")
    return ControlAssessment(
        control="OPE-003", title="Deployment readiness", verdict=verdict,  # type: ignore[arg-type]
        criteria=[CriterionVerdict(slug=s, status=st) for s, st in zip(slugs, statuses)],  # type: ignore[arg-type]
        flags=list(flags), judge="offline",
    )


def override(criterion: str | None, verdict: str, minutes: int = 0, **kw) -> Override:
    return Override(control="OPE-003", criterion=criterion, verdict=verdict,
                    created=T0 + timedelta(minutes=minutes), **kw)


def test_the_latest_override_of_an_item_counts() -> None:
    current = latest([override("checklist", "not_met", 5), override("checklist", "met", 1)])
    assert current[("OPE-003", "checklist")].verdict == "not_met"


def test_without_overrides_the_grader_stands() -> None:
    result = ope003()
    assert effective_verdict(result, []) == "fail"
    assert effective_criteria(result, []) == {"testing-process": "met", "automated-tests": "partial", "checklist": "met"}


def test_criterion_overrides_imply_the_control_verdict_by_the_contract_rule() -> None:
    assert effective_verdict(ope003(), [override("automated-tests", "met")]) == "pass"
    assert effective_verdict(ope003("pass", ("met",) * 3), [override("checklist", "partial")]) == "fail"


def test_a_failing_check_still_fails_the_control_unless_the_reviewer_says_pass() -> None:
    flagged = ope003(flags=[Finding(control="OPE-003", severity="fail", rule="phrase.na", message="N/A")])
    assert effective_verdict(flagged, [override("automated-tests", "met")]) == "fail"
    assert effective_verdict(flagged, [override(None, "pass", 1), override("automated-tests", "met")]) == "pass"


def test_only_touched_controls_count_as_reviewed() -> None:
    assessment = Assessment(judge="offline", controls=[
        ope003(), ControlAssessment(control="REL-001", verdict="pass"),
    ])
    assert reviewed_controls(assessment, [override("checklist", "met")]) == ["OPE-003"]


@pytest.fixture
def reviewed(tmp_path: Path) -> tuple[Assessment, StoredInputs, list[Override]]:
    assessment = Assessment(judge="offline", controls=[
        ope003(),
        ControlAssessment(control="REL-001", verdict="fail", answered=False),
    ])
    inputs = StoredInputs(
        application=Application(controls={
            "OPE-003": ControlAnswer(control="OPE-003", response="Line one.\nWe run pytest in CodeBuild.",
                                     attachments=["evidence/checklist.md", "../escape.yaml"]),
        }),
        files={"evidence/checklist.md": b"# Checklist\n- smoke tests\n", "../escape.yaml": b"a: 1\n"},
    )
    overrides = [
        override("automated-tests", "met", 1, comment="CodeBuild runs the suite", reviewer="Dana"),
        Override(control="REL-001", verdict="fail", created=T0),
    ]
    return assessment, inputs, overrides


def test_reviewed_controls_become_cases_in_the_eval_case_format(reviewed, tmp_path: Path) -> None:
    assessment, inputs, overrides = reviewed
    result = write_cases(ASSESSMENT_ID, assessment, inputs, overrides, tmp_path / "cases")

    assert result.skipped == {"REL-001": "not answered: there is no response to label"}
    (path,) = result.cases
    assert path.name == "ope-003-reviewed-01234567.yaml"
    raw = yaml.safe_load(path.read_text())
    assert raw["id"] == "OPE-003/reviewed-01234567"
    # Only what the reviewer touched is a label; the grader's other verdicts are not ground truth.
    assert raw["expected"] == {"verdict": "pass", "criteria": {"automated-tests": "met"}}
    assert "Only the criteria a reviewer confirmed or changed are labeled" in raw["notes"]
    assert raw["tags"] == ["reviewed"]
    assert "automated-tests: grader partial -> reviewer met (Dana): CodeBuild runs the suite" in raw["notes"]
    assert "response: |" in path.read_text()  # multi-line answers stay readable
    # Attachments are copied beside the case and never outside it.
    assert raw["attachments"] == [
        "files/ope-003-reviewed-01234567/evidence/checklist.md",
        "files/ope-003-reviewed-01234567/escape.yaml",
    ]
    assert not (tmp_path / "escape.yaml").exists()

    (case,) = load_cases(tmp_path / "cases")  # the copied escape.yaml is an attachment, not a case
    assert case.answer().response == "Line one.\nWe run pytest in CodeBuild."
    assert (case.base_dir / case.attachments[0]).read_bytes() == b"# Checklist\n- smoke tests\n"


def test_export_zip_unpacks_into_a_loadable_case_set(reviewed, tmp_path: Path) -> None:
    data, result = export_zip(ASSESSMENT_ID, *reviewed)
    assert [p.name for p in result.cases] == ["ope-003-reviewed-01234567.yaml"]
    zipfile.ZipFile(io.BytesIO(data)).extractall(tmp_path / "unzipped")
    assert [c.id for c in load_cases(tmp_path / "unzipped")] == ["OPE-003/reviewed-01234567"]


def test_attachments_missing_from_the_store_are_noted_not_invented(reviewed, tmp_path: Path) -> None:
    assessment, inputs, overrides = reviewed
    partial = inputs.model_copy(update={"files": {}})
    (path,) = write_cases(ASSESSMENT_ID, assessment, partial, overrides, tmp_path).cases
    raw = yaml.safe_load(path.read_text())
    assert "attachments" not in raw
    assert "not kept with the assessment, so not exported: evidence/checklist.md, ../escape.yaml" in raw["notes"]

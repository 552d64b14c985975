"""Reviewed controls -> labeled eval cases in the format of shared/spec/eval-case.md.

This is the feedback loop: what a reviewer corrected becomes a case `grader eval` scores
the next grader version against. Each case is one YAML file; its attachments are copied
into `files/<case>/` beside it, so the folder (or the zip of it) is a valid case set.
A case is built as the `EvalCase` model `grader eval` reads, and written from it.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

import yaml
from pydantic import BaseModel, Field

from grader.evaluation.cases import EvalCase, ExpectedLabels
from grader.models import Assessment, ControlAnswer, ControlAssessment
from grader.webapp.review import effective_verdict, latest, reviewed_controls
from grader.webapp.store import Override, StoredInputs

REVIEWED_TAG = "reviewed"
NOT_ANSWERED = "not answered: there is no response to label"


class ExportResult(BaseModel):
    cases: list[Path] = Field(default_factory=list)
    skipped: dict[str, str] = Field(default_factory=dict)  # control -> why it was not exported


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line answers as `|` blocks, the way people write cases by hand."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _str)


def case_stem(control: str, assessment_id: str) -> str:
    return f"{control.lower()}-reviewed-{assessment_id[:8]}"


def case_id(control: str, assessment_id: str) -> str:
    return f"{control}/reviewed-{assessment_id[:8]}"


def _safe_relative(path: str) -> PurePosixPath:
    """An attachment path with nothing that could climb out of the case folder."""
    parts = [p for p in PurePosixPath(path.replace("\\", "/")).parts if p not in ("", ".", "..", "/")]
    return PurePosixPath(*parts) if parts else PurePosixPath("attachment")


def review_notes(result: ControlAssessment, overrides: Iterable[Override], assessment_id: str) -> str:
    """Why the case is labeled so: each override that counts, grader vs reviewer, with the comment."""
    lines = [f"Reviewed in the app (assessment {assessment_id[:8]}, judge {result.judge or 'unknown'}). "
             "Only the criteria a reviewer confirmed or changed are labeled; the others are left "
             "unlabeled rather than taking the grader's word as ground truth."]
    for (control, criterion), o in latest(overrides).items():
        if control != result.control:
            continue
        if criterion is None:
            was = result.verdict
            item = "control"
        else:
            graded = result.criterion(criterion)
            was = graded.status if graded else "not graded"
            item = criterion
        by = f" ({o.reviewer})" if o.reviewer else ""
        lines.append(f"{item}: grader {was} -> reviewer {o.verdict}{by}" + (f": {o.comment}" if o.comment else ""))
    return "\n".join(lines)


def eval_case(
    result: ControlAssessment,
    answer: ControlAnswer,
    overrides: Iterable[Override],
    assessment_id: str,
    attachments: list[str],
    path: Path,
) -> EvalCase:
    """One reviewed control as the case `grader eval` reads from `path`."""
    overrides = list(overrides)
    return EvalCase(
        id=case_id(result.control, assessment_id),
        control=result.control,
        response=answer.response,
        attachments=attachments,
        expected=ExpectedLabels(
            verdict=effective_verdict(result, overrides),
            criteria=reviewed_criteria(result, overrides),
        ),
        tags=[REVIEWED_TAG],
        notes=review_notes(result, overrides, assessment_id),
        path=path,
    )


def reviewed_criteria(result: ControlAssessment, overrides: Iterable[Override]) -> dict[str, str]:
    """The labels a reviewer set: their latest verdict on each criterion they touched."""
    current = latest(overrides)
    return {c.slug: current[(result.control, c.slug)].verdict
            for c in result.criteria if (result.control, c.slug) in current}


def case_yaml(case: EvalCase) -> str:
    """The case file's text: the model's fields in the spec's order, no empty attachment list."""
    data = case.model_dump(mode="json", exclude={"attachments"} if not case.attachments else None)
    return yaml.dump(data, Dumper=_LiteralDumper, sort_keys=False, allow_unicode=True, width=100)


def exportable(assessment: Assessment, overrides: Iterable[Override]) -> tuple[list[str], dict[str, str]]:
    """Reviewed controls that can become cases, and why the others cannot."""
    ready: list[str] = []
    skipped: dict[str, str] = {}
    for control in reviewed_controls(assessment, overrides):
        graded = assessment.control(control)
        if graded is None or not graded.answered:
            skipped[control] = NOT_ANSWERED
        else:
            ready.append(control)
    return ready, skipped


def write_cases(
    assessment_id: str,
    assessment: Assessment,
    inputs: StoredInputs,
    overrides: Iterable[Override],
    out_dir: Path,
) -> ExportResult:
    """Write one case per reviewed control into `out_dir`."""
    overrides = list(overrides)
    ready, skipped = exportable(assessment, overrides)
    result = ExportResult(skipped=skipped)
    for control in ready:
        graded = assessment.control(control)
        answer = inputs.application.controls.get(control)
        if graded is None or answer is None or not answer.answered:
            result.skipped[control] = NOT_ANSWERED
            continue
        stem = case_stem(control, assessment_id)
        attachments: list[str] = []
        missing = [a for a in answer.attachments if a not in inputs.files]
        for name in answer.attachments:
            if name in missing:
                continue
            relative = PurePosixPath("files", stem) / _safe_relative(name)
            target = out_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(inputs.files[name])
            attachments.append(relative.as_posix())
        path = out_dir / f"{stem}.yaml"
        case = eval_case(graded, answer, overrides, assessment_id, attachments, path)
        if missing:
            note = "\nAttachments not kept with the assessment, so not exported: " + ", ".join(missing)
            case = case.model_copy(update={"notes": case.notes + note})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(case_yaml(case), encoding="utf-8")
        result.cases.append(path)
    return result


def zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def export_zip(
    assessment_id: str, assessment: Assessment, inputs: StoredInputs, overrides: Iterable[Override]
) -> tuple[bytes, ExportResult]:
    """The reviewed controls as a zip of eval cases, ready to unpack under eval/cases/."""
    with tempfile.TemporaryDirectory(prefix="grader-export-") as tmp:
        result = write_cases(assessment_id, assessment, inputs, overrides, Path(tmp))
        data = zip_folder(Path(tmp))
    relative = [Path(p.name) for p in result.cases]  # the temporary folder is gone
    return data, result.model_copy(update={"cases": relative})

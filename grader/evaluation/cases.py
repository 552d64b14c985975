"""Load a directory of labeled eval cases (shared/spec/eval-case.md) into EvalCase models.

Any directory in that format loads, not only the project's own set: every *.yaml / *.yml
below DIR is read; a top-level mapping with both `control` and `expected` is a case, any
other YAML (a CloudFormation attachment, a list, a scalar) is skipped. Every problem found
is collected, so one run names all broken files at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from grader.catalogue import get_catalogue
from grader.errors import UserError
from grader.models import ControlAnswer, ControlVerdict, CriterionStatus

CASE_SUFFIXES = (".yaml", ".yml")
# Control id -> its criterion slugs (controls.md); the catalogue supplies it by default.
CriteriaByControl = Mapping[str, Sequence[str]]


class LoadProblem(BaseModel):
    """One thing wrong with one file: printed as `path: problem`."""

    path: Path
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


class CaseLoadError(UserError):
    """The case directory holds broken cases; `problems` lists every one of them."""

    def __init__(self, problems: list[LoadProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ExpectedLabels(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    verdict: ControlVerdict
    criteria: dict[str, CriterionStatus] = Field(default_factory=dict)

    @field_validator("criteria", mode="before")
    @classmethod
    def _null_is_none_given(cls, value: object) -> object:
        return {} if value is None else value  # `criteria:` left empty in YAML


class EvalCase(BaseModel):
    """One labeled case, exactly the keys of eval-case.md plus the file it came from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    control: str
    response: str = ""
    attachments: list[str] = Field(default_factory=list)
    expected: ExpectedLabels
    tags: list[str] = Field(default_factory=list)
    notes: str = ""
    path: Path = Field(exclude=True)  # the case file; attachments resolve from its folder

    @field_validator("id", "control", mode="before")
    @classmethod
    def _text_id(cls, value: object) -> object:
        # `id: 42` is a fine id; YAML just made it an int.
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    @field_validator("response", "notes", mode="before")
    @classmethod
    def _null_is_empty(cls, value: object) -> object:
        return "" if value is None else value

    @field_validator("attachments", "tags", mode="before")
    @classmethod
    def _null_is_no_items(cls, value: object) -> object:
        return [] if value is None else value

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def answer(self) -> ControlAnswer:
        return ControlAnswer(control=self.control, response=self.response, attachments=self.attachments)


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation short forms (!Ref, !Sub ...) as plain data.

    Such templates sit next to cases as attachments; plain safe_load would reject them.
    """


def _construct_any_tag(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


_TolerantLoader.add_multi_constructor("!", _construct_any_tag)

# A file YAML cannot parse is still a (broken) case if it reads like one at the top level.
_CASE_KEY = re.compile(r"^(control|expected)\s*:", re.M)


def case_files(directory: Path) -> list[Path]:
    """Every *.yaml / *.yml below `directory`, recursively, in a stable order."""
    return sorted(p for p in directory.rglob("*") if p.suffix.lower() in CASE_SUFFIXES and p.is_file())


def catalogue_criteria() -> dict[str, list[str]]:
    """Control id -> criterion slugs, from the knowledge catalogue."""
    return {control.id: control.slugs for control in get_catalogue()}


def _parse(path: Path) -> tuple[object, str | None]:
    """The file's YAML data, or an error message when it cannot be read or parsed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"cannot read: {exc}"
    try:
        docs = list(yaml.load_all(text, Loader=_TolerantLoader))  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        if len(set(_CASE_KEY.findall(text))) == 2:
            return None, f"invalid YAML: {' '.join(str(exc).split())}"
        return None, None  # an unparsable attachment, not a case
    return (docs[0] if len(docs) == 1 else docs), None


def _format_validation(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        parts.append(f"field '{where}': {err['msg']}")
    return "; ".join(parts)


def _label_problems(case: EvalCase, criteria_by_control: CriteriaByControl) -> list[str]:
    if case.control not in criteria_by_control:
        known = ", ".join(criteria_by_control)
        return [f"unknown control {case.control!r} (known: {known})"]
    slugs = criteria_by_control[case.control]
    return [
        f"unknown criterion {slug!r} for {case.control} (known: {', '.join(slugs)})"
        for slug in case.expected.criteria
        if slug not in slugs
    ]


def _strip_control_prefix(data: dict) -> dict:
    """Accept `ACCT-001.root-mfa` as well as `root-mfa` (controls.md allows both spellings)."""
    expected = data.get("expected")
    control = str(data.get("control"))
    if not isinstance(expected, dict) or not isinstance(expected.get("criteria"), dict):
        return data
    criteria = {
        (str(k)[len(control) + 1 :] if str(k).startswith(f"{control}.") else k): v
        for k, v in expected["criteria"].items()
    }
    return {**data, "expected": {**expected, "criteria": criteria}}


def load_case(path: Path, criteria_by_control: CriteriaByControl) -> EvalCase | list[str] | None:
    """One file: an EvalCase, a list of its problems, or None when it is not a case."""
    data, error = _parse(path)
    if error:
        return [error]
    if not isinstance(data, dict):
        return None
    has = {"control", "expected"} & set(data)
    if not has:
        return None
    if len(has) == 1:
        missing = ({"control", "expected"} - has).pop()
        return [f"has '{has.pop()}' but no '{missing}': a case needs both"]
    if "path" in data:  # reserved for the case file itself
        return ["field 'path': Extra inputs are not permitted"]
    try:
        case = EvalCase.model_validate({**_strip_control_prefix(data), "path": path})
    except ValidationError as exc:
        return [_format_validation(exc)]
    problems = _label_problems(case, criteria_by_control)
    problems += [
        f"case {case.id!r}: attachment {a!r} not found at {case.base_dir / a}"
        for a in case.attachments
        if not (case.base_dir / a).is_file()
    ]
    return problems or case


def load_cases(directory: Path, criteria_by_control: CriteriaByControl | None = None) -> list[EvalCase]:
    """Every case below `directory`; raises CaseLoadError listing all problems found."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CaseLoadError([LoadProblem(path=directory, problem="case directory not found")])
    known = criteria_by_control if criteria_by_control is not None else catalogue_criteria()
    cases: list[EvalCase] = []
    problems: list[LoadProblem] = []
    first_seen: dict[str, Path] = {}
    for path in case_files(directory):
        loaded = load_case(path, known)
        if isinstance(loaded, list):
            problems += [LoadProblem(path=path, problem=p) for p in loaded]
        elif isinstance(loaded, EvalCase):
            if loaded.id in first_seen:
                problems.append(
                    LoadProblem(path=path, problem=f"duplicate id {loaded.id!r} (also in {first_seen[loaded.id]})")
                )
                continue
            first_seen[loaded.id] = path
            cases.append(loaded)
    if problems:
        raise CaseLoadError(problems)
    if not cases:
        raise CaseLoadError([LoadProblem(path=directory, problem="no eval cases found (*.yaml / *.yml)")])
    return cases


def select_cases(
    cases: Iterable[EvalCase], tags: Sequence[str] = (), controls: Sequence[str] = ()
) -> list[EvalCase]:
    """Cases carrying any of `tags` and belonging to any of `controls` (empty = no filter)."""
    return [
        c
        for c in cases
        if (not tags or set(tags) & set(c.tags)) and (not controls or c.control in controls)
    ]

"""The rule table (rules.yaml): which control and criterion each fact kind bears on.

Checks only say WHAT they found (a kind, a message, where); this table says what it means
for grading. Keeping it as data lets a reviewer retune a severity without touching code.
"""

from __future__ import annotations

from typing import TypeVar

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from grader.errors import UserError
from grader.models import Finding, Provenance, Severity

RULES_FILE = Path(__file__).with_name("rules.yaml")

M = TypeVar("M", bound="BaseModel")


class ChecksDataError(UserError):
    """A knowledge file of the checks package is missing or malformed."""


class Concern(BaseModel):
    """Where a fact counts: its control, the criterion it proves or disproves, how hard."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    control: str
    criterion: str | None = None
    severity: Severity
    # How it counts when found in another control's evidence (only rules that build their
    # findings for the graded control read it; see checks/secrets.py).
    elsewhere: Severity = "info"


def load_yaml(path: Path) -> object:
    """Read one of this package's YAML files, naming the file in any error."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ChecksDataError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ChecksDataError(f"{path}: invalid YAML: {exc}") from exc


def load_model(path: Path, model: type[M]) -> M:
    """Read one of this package's YAML files into its pydantic model, naming file and field."""
    try:
        return model.model_validate(load_yaml(path))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise ChecksDataError(f"{path}: field '{where}': {first['msg']}") from exc


@lru_cache(maxsize=1)
def concerns() -> dict[str, Concern]:
    raw = load_yaml(RULES_FILE)
    if not isinstance(raw, dict):
        raise ChecksDataError(f"{RULES_FILE}: expected a mapping of fact kind -> concern")
    table: dict[str, Concern] = {}
    for kind, spec in raw.items():
        try:
            table[str(kind)] = Concern.model_validate(spec)
        except ValidationError as exc:
            raise ChecksDataError(f"{RULES_FILE}: rule {kind!r}: {exc.errors()[0]['msg']}") from exc
    return table


def finding(origin: str, kind: str, message: str, source: Provenance | None) -> Finding:
    """A Finding for fact `kind`, addressed to the control the rule table names.

    run_checks later re-addresses it to the control being graded (see __init__.py).
    """
    try:
        concern = concerns()[kind]
    except KeyError:  # a programming error, not bad input: every kind must be in rules.yaml
        raise KeyError(f"fact kind {kind!r} is missing from {RULES_FILE}") from None
    return Finding(
        control=concern.control,
        criterion=concern.criterion,
        severity=concern.severity,
        rule=f"{origin}.{kind}",
        message=message,
        source=source,
    )

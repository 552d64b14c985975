"""A control's flags grouped under the headings a reviewer scans for (flags.yaml)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from grader.models import Finding, Severity

FLAGS_FILE = Path(__file__).with_name("flags.yaml")


class FlagGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    icon: str = ""
    rule_prefixes: list[str] = Field(default_factory=list)
    severities: list[Severity] = Field(default_factory=list)

    def matches(self, finding: Finding) -> bool:
        return finding.rule.startswith(tuple(self.rule_prefixes)) or finding.severity in self.severities


@cache
def flag_groups() -> list[FlagGroup]:
    try:
        return TypeAdapter(list[FlagGroup]).validate_python(yaml.safe_load(FLAGS_FILE.read_text("utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise RuntimeError(f"{FLAGS_FILE}: {exc}") from None


def group_flags(findings: Iterable[Finding]) -> list[tuple[FlagGroup, list[Finding]]]:
    """Non-empty groups in display order; each finding lands in exactly one group."""
    groups = flag_groups()
    buckets: dict[str, list[Finding]] = {g.id: [] for g in groups}
    for finding in findings:
        group = next((g for g in groups if g.matches(finding)), groups[-1])
        buckets[group.id].append(finding)
    return [(g, buckets[g.id]) for g in groups if buckets[g.id]]

"""Verdict rules shared by every judge (shared/spec/controls.md).

A control passes when every criterion is `met` and no unacceptable pattern is present.
Deterministic findings with severity "fail" override whatever a judge concluded.
"""

from __future__ import annotations

from collections.abc import Iterable

from grader.catalogue import Control
from grader.models import ControlVerdict, CriterionStatus, CriterionVerdict, Finding


def apply_findings(verdicts: list[CriterionVerdict], findings: list[Finding]) -> list[CriterionVerdict]:
    """Downgrade every criterion that a failing finding disproves to `not_met`."""
    failing: dict[str, list[Finding]] = {}
    for f in findings:
        if f.severity == "fail" and f.criterion:
            failing.setdefault(f.criterion, []).append(f)
    out = []
    for v in verdicts:
        proofs = failing.get(v.slug)
        if not proofs:
            out.append(v)
            continue
        reasons = " ".join(f"[{f.rule}] {f.message}" for f in proofs)
        out.append(
            v.model_copy(
                update={
                    "status": "not_met",
                    "rationale": f"Deterministic check failed: {reasons}"
                    + (f" (The judge had said {v.status}: {v.rationale})" if v.status != "not_met" else ""),
                    "missing": v.missing or proofs[0].message,
                }
            )
        )
    return out


def verdict_of(statuses: Iterable[CriterionStatus], findings: Iterable[Finding], answered: bool = True) -> ControlVerdict:
    """The contract's rule: pass only when answered, every criterion is met and no check failed."""
    statuses = list(statuses)
    if not answered or any(f.severity == "fail" for f in findings):
        return "fail"
    return "pass" if statuses and all(s == "met" for s in statuses) else "fail"


def control_verdict(
    verdicts: list[CriterionVerdict], findings: list[Finding], answered: bool = True
) -> ControlVerdict:
    return verdict_of((v.status for v in verdicts), findings, answered)


def summarise(
    control: Control, verdicts: list[CriterionVerdict], findings: list[Finding], answered: bool
) -> str:
    if not answered:
        return f"{control.id} was not answered: every criterion is unmet."
    unmet = [v.slug for v in verdicts if v.status != "met"]
    fails = [f for f in findings if f.severity == "fail"]
    parts = []
    if not unmet and not fails:
        return f"All {len(verdicts)} criteria met."
    if unmet:
        parts.append(f"{len(verdicts) - len(unmet)} of {len(verdicts)} criteria met; "
                     f"missing or weak: {', '.join(unmet)}.")
    if fails:
        parts.append("Unacceptable: " + "; ".join(f.message for f in fails[:3]) + ".")
    return " ".join(parts)

"""Verdict rules shared by every judge (shared/spec/controls.md).

A control passes when every criterion is `met` and no unacceptable pattern is present.
Deterministic findings with severity "fail" override whatever a judge concluded.
"""

from __future__ import annotations

from collections.abc import Iterable

from grader.catalogue import Control
from grader.models import ControlVerdict, CriterionStatus, CriterionVerdict, Finding


def apply_findings(verdicts: list[CriterionVerdict], findings: list[Finding]) -> list[CriterionVerdict]:
    """Every finding lands on the criterion it names, whatever the judge read.

    A failing fact sets its criterion to `not_met`; a warning lowers a `met` to `partial` with
    the warning as the reason (the reviewer sees why; the control cannot pass on it silently).
    """
    by_criterion: dict[str, list[Finding]] = {}
    for f in findings:
        if f.criterion and f.severity in ("fail", "warn"):
            by_criterion.setdefault(f.criterion, []).append(f)
    return [_with_findings(v, by_criterion.get(v.slug, [])) for v in verdicts]


def _with_findings(verdict: CriterionVerdict, findings: list[Finding]) -> CriterionVerdict:
    failing = [f for f in findings if f.severity == "fail"]
    if failing:
        reasons = " ".join(f"[{f.rule}] {f.message}" for f in failing)
        return verdict.model_copy(update={
            "status": "not_met",
            "rationale": f"Deterministic check failed: {reasons}"
            + (f" (The judge had said {verdict.status}: {verdict.rationale})" if verdict.status != "not_met" else ""),
            "missing": failing[0].message,
        })
    warnings = [f for f in findings if f.severity == "warn"]
    if warnings and verdict.status == "met":
        reasons = " ".join(f"[{f.rule}] {f.message}" for f in warnings)
        return verdict.model_copy(update={
            "status": "partial",
            "rationale": f"A check raised a doubt the evidence does not resolve: {reasons} "
                         f"(The judge had said met: {verdict.rationale})",
            "missing": warnings[0].message,
        })
    return verdict


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


def sentence(text: str) -> str:
    """`text` ending in one full stop: messages that end in their own are not given a second."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", '."', ".\u201d")) else text + "."


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
        parts.append(sentence("Unacceptable: " + "; ".join(f.message.rstrip(". ") for f in fails[:3])))
    return " ".join(parts)

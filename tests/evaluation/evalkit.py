"""Helpers for the eval-harness tests: the controls.md slug table, a fake judge and a fake
assess function, so these tests depend on neither the catalogue nor the engine."""

from __future__ import annotations

import textwrap
from pathlib import Path

from grader.models import (
    ControlAnswer,
    ControlAssessment,
    ControlEvidence,
    CriterionVerdict,
    Document,
    Finding,
    RetrievedEvidence,
    Usage,
)

# The fixed contract of shared/spec/controls.md.
CONTRACT_SLUGS: dict[str, list[str]] = {
    "DOC-001": ["diagram", "services", "network-layout", "auto-scaling", "high-availability"],
    "ACCT-001": ["root-usage", "root-mfa", "contacts", "cloudtrail", "sop", "customer-example"],
    "ACCT-002": ["access-approach", "temporary-credentials", "federation", "least-privilege",
                 "dedicated-credentials", "sop", "customer-example"],
    "OPE-001": ["health-metrics", "logs", "alert-thresholds", "sop", "customer-example"],
    "OPE-002": ["routine-tasks", "troubleshooting", "kpi-coverage", "sop"],
    "OPE-003": ["testing-process", "automated-tests", "checklist"],
    "NETSEC-001": ["sg-internet", "sg-internal", "nacl", "sop", "customer-example"],
    "NETSEC-002": ["public-endpoints", "outbound-encryption", "encryption-at-rest", "key-management",
                   "sop", "customer-example"],
    "REL-001": ["automation-tooling", "no-console-changes", "template"],
    "REL-002": ["rto-rpo", "recovery-process", "customer-communication", "customer-example"],
    "COST-001": ["cost-inputs", "estimate-summary", "business-value", "cost-artifact"],
}


class KeywordJudge:
    """Deterministic stand-in: fails on "N/A"; a criterion is met when its slug is in the text,
    partial when written "partly <slug>"; every call "costs" one LLM call of 10+2 tokens."""

    name = "keyword"
    model = None
    needs_examples = False
    concurrent = False
    setup: dict[str, str] = {}

    def judge(self, control, evidence: RetrievedEvidence, findings: list[Finding]) -> ControlAssessment:
        text = "\n".join(d.text for d in evidence.evidence.documents)
        criteria = []
        for slug in CONTRACT_SLUGS[evidence.control]:
            status = "partial" if f"partly {slug}" in text else "met" if slug in text else "not_met"
            criteria.append(CriterionVerdict(slug=slug, status=status, rationale=f"looked for '{slug}'"))
        failed = "N/A" in text
        return ControlAssessment(
            control=evidence.control,
            verdict="fail" if failed else "pass",
            summary="answered N/A" if failed else "keywords present",
            criteria=criteria,
            judge=self.name,
            usage=Usage(llm_calls=1, prompt_tokens=10, completion_tokens=2),
        )


def fake_assess(answer: ControlAnswer, base_dir: Path, judge) -> ControlAssessment:
    """The engine's shape (answer, base_dir, judge) with ingest reduced to reading text files."""
    documents = [Document(path="response", kind="response", text=answer.response)]
    documents += [Document(path=a, kind="text", text=(base_dir / a).read_text()) for a in answer.attachments]
    evidence = ControlEvidence(control=answer.control, answered=answer.answered, documents=documents)
    if "CRASH" in answer.response:
        raise RuntimeError("reader exploded")
    return judge.judge(None, RetrievedEvidence(control=answer.control, evidence=evidence), [])


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path



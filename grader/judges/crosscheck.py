"""Two judges that check each other: the LLM judge, read against the offline judge.

With `--judge llm` the offline judge and the deterministic checks run too (under a second
per control). Where the two read a criterion differently, the stricter reading stands and the
criterion is flagged for the reviewer with both rationales: a reviewer must be able to trust a
pass, so no control passes on one judge's word against the other's. Where they agree, the
model's verdict (its quotes and wording) is kept. Failing facts override both (verdict.py).
"""

from __future__ import annotations

from grader.catalogue import Control
from grader.judges.base import Judge
from grader.judges.verdict import summarise, verdict_of
from grader.models import ControlAssessment, CriterionVerdict, Finding, RetrievedEvidence, SecondOpinion

# The stricter of two readings: not_met < partial < met.
_STRICTNESS = {"not_met": 0, "partial": 1, "met": 2}


def reconcile(primary: CriterionVerdict, check: CriterionVerdict, check_name: str) -> CriterionVerdict:
    """One criterion: the primary judge's verdict where both agree; else the stricter, flagged."""
    if primary.status == check.status:
        return primary
    stricter = primary if _STRICTNESS[primary.status] < _STRICTNESS[check.status] else check
    doubt = (f"the judges disagree: the model read {primary.status} ({primary.rationale[:200]}); the "
             f"{check_name} judge read {check.status} ({check.rationale[:200]}); the stricter reading stands")
    return stricter.model_copy(update={"needs_review": doubt})


class CrossCheckedJudge:
    """A primary judge (the LLM) whose every criterion is read again by a check judge (offline)."""

    def __init__(self, primary: Judge, check: Judge) -> None:
        self.primary, self.check = primary, check
        self.name = primary.name
        self.model = primary.model
        self.needs_examples = primary.needs_examples or check.needs_examples
        self.concurrent = primary.concurrent

    @property
    def setup(self) -> dict[str, str]:
        # Read when the report is made: the primary's output shape may have changed on the way.
        return {**self.primary.setup, "cross-check": f"{self.check.name} judge, stricter reading stands"}

    def judge(self, control: Control, evidence: RetrievedEvidence, findings: list[Finding]) -> ControlAssessment:
        checked = self.check.judge(control, evidence, findings)
        result = self.primary.judge(control, evidence, findings)
        opinion = SecondOpinion(judge=checked.judge, verdict=checked.verdict,
                                criteria={c.slug: c.status for c in checked.criteria})
        if result.error:  # not graded by the model: the offline reading is kept for the reviewer
            return result.model_copy(update={"second_opinion": opinion})
        opinion = opinion.model_copy(update={"primary_verdict": result.verdict})
        by_slug = {c.slug: c for c in checked.criteria}
        criteria = [reconcile(c, by_slug[c.slug], checked.judge) if c.slug in by_slug else c
                    for c in result.criteria]
        answered = evidence.evidence.answered
        return result.model_copy(update={
            "criteria": criteria,
            "verdict": verdict_of((c.status for c in criteria), findings, answered),
            "summary": summarise(control, criteria, findings, answered)
            + (f" {result.summary.split(' Model: ', 1)[1]}" if " Model: " in result.summary else ""),
            "second_opinion": opinion,
        })

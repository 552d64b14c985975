"""Reviewer overrides beside the grader's verdicts: which one counts, and what it implies.

The latest override of an item (a criterion, or the control as a whole) counts; earlier
ones stay in the store as history. The grader's verdict is never modified.
"""

from __future__ import annotations

from collections.abc import Iterable

from grader.judges.verdict import verdict_of
from grader.models import Assessment, ControlAssessment, ControlVerdict, CriterionStatus
from grader.reviews import ItemKey, latest  # noqa: F401 - ItemKey is part of this module's API (views)
from grader.webapp.store import Override





def reviewed_controls(assessment: Assessment, overrides: Iterable[Override]) -> list[str]:
    """Controls a reviewer touched, in the assessment's order."""
    touched = {control for control, _ in latest(overrides)}
    return [c.control for c in assessment.controls if c.control in touched]


def effective_criteria(result: ControlAssessment, overrides: Iterable[Override]) -> dict[str, CriterionStatus]:
    """Each criterion's status as the reviewer left it: override if any, else the grader's."""
    current = latest(overrides)
    return {
        c.slug: (
            current[(result.control, c.slug)].verdict  # type: ignore[misc]
            if (result.control, c.slug) in current else c.status
        )
        for c in result.criteria
    }


def effective_verdict(result: ControlAssessment, overrides: Iterable[Override]) -> ControlVerdict:
    """The control verdict a reviewer's overrides imply.

    An explicit control override wins. Otherwise, when criteria were overridden, the
    contract's rule (`grader.judges.verdict.verdict_of`) is applied to the reviewed criteria
    and the control's flags; with no overrides the grader's verdict stands.
    """
    overrides = list(overrides)
    current = latest(overrides)
    explicit = current.get((result.control, None))
    if explicit is not None:
        return explicit.verdict  # type: ignore[return-value]
    if not any(control == result.control for control, _ in current):
        return result.verdict
    return verdict_of(effective_criteria(result, overrides).values(), result.flags, answered=True)

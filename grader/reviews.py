"""A reviewer's verdicts beside the grader's: the model, and which one counts.

Stored by the app (grader/webapp/store.py), shown in every report (grader/report/), and
exported as labels (grader/webapp/export.py). The grader's own verdict is never modified:
both stay visible. The latest review of an item (a criterion, or the control) counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from grader.models import ControlVerdict, CriterionStatus

ItemKey = tuple[str, str | None]  # (control, criterion slug or None for the control)


class Review(BaseModel):
    """A reviewer's verdict on one criterion (or on the whole control when criterion is None)."""

    model_config = ConfigDict(frozen=True)

    control: str
    criterion: str | None = None
    verdict: str  # pass|fail for a control, met|partial|not_met for a criterion
    comment: str = ""
    reviewer: str = ""
    created: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))

    @model_validator(mode="after")
    def _verdict_fits_level(self) -> "Review":
        allowed = get_args(ControlVerdict if self.criterion is None else CriterionStatus)
        if self.verdict not in allowed:
            level = "a control" if self.criterion is None else "a criterion"
            raise ValueError(f"{self.verdict!r} is not a verdict for {level}; choose {', '.join(allowed)}")
        return self


def latest(reviews: Iterable[Review]) -> dict[ItemKey, Review]:
    """The review that counts for each item: the most recent one."""
    current: dict[ItemKey, Review] = {}
    for review in sorted(reviews, key=lambda r: r.created):
        current[(review.control, review.criterion)] = review
    return current

"""What moved between two assessments of one application: control verdicts and criteria.

The app shows it after a saved assessment is re-opened, edited and assessed again, so the
partner sees what their change did (and a reviewer, what a new grader version did).
"""

from __future__ import annotations

from pydantic import BaseModel

from grader.models import Assessment


class Change(BaseModel):
    control: str
    criterion: str | None = None  # None: the control's verdict
    before: str  # pass/fail, or met/partial/not_met; "absent" where the earlier run had none
    after: str

    @property
    def item(self) -> str:
        return f"{self.control} {self.criterion}" if self.criterion else f"{self.control} (control)"


def changes(before: Assessment, after: Assessment) -> list[Change]:
    """Every control verdict and criterion status that differs, in the later run's order."""
    moved: list[Change] = []
    for now in after.controls:
        then = before.control(now.control)
        if then is None:
            moved.append(Change(control=now.control, before="absent", after=now.verdict))
            continue
        if then.verdict != now.verdict:
            moved.append(Change(control=now.control, before=then.verdict, after=now.verdict))
        earlier = {c.slug: c.status for c in then.criteria}
        moved += [Change(control=now.control, criterion=c.slug, before=earlier.get(c.slug, "absent"), after=c.status)
                  for c in now.criteria if earlier.get(c.slug) != c.status]
    return moved

"""The one seam between judges: offline and LLM judges both implement Judge."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from grader.catalogue import Control
from grader.models import ControlAssessment, Finding, RetrievedEvidence


@runtime_checkable
class Judge(Protocol):
    name: str

    def judge(
        self, control: Control, evidence: RetrievedEvidence, findings: list[Finding]
    ) -> ControlAssessment:
        """Grade one control from retrieved evidence and deterministic findings."""
        ...

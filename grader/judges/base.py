"""The one seam between judges: offline and LLM judges both implement Judge.

A judge declares what it needs from the engine as plain members (in the manner of
inspect_ai's model APIs and simonw/llm's capability flags), so the engine reads them
directly and a new judge cannot silently miss one.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from grader.catalogue import Control
from grader.models import ControlAssessment, Finding, RetrievedEvidence


@runtime_checkable
class Judge(Protocol):
    name: str  # "offline", "llm": shown in reports and stored with assessments
    model: str | None  # the chat model behind it, None for a judge without one
    needs_examples: bool  # retrieval adds the closest calibration examples from the guide
    concurrent: bool  # safe and worth running controls in parallel (network-bound)
    setup: dict[str, str]  # the limits it works within (endpoint, timeouts, reply cap), for the report

    def judge(self, control: Control, evidence: RetrievedEvidence, findings: list[Finding]) -> ControlAssessment:
        """Grade one control from retrieved evidence and deterministic findings."""
        ...

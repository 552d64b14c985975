"""Credentials found in the evidence: ingest redacts them, this check says what that means.

Ingestion replaces every secret with a `[REDACTED:kind]` marker before anything is stored or
embedded; here each marker becomes a finding with its location. Which control it defeats,
and how hard, is the `secret` rule of rules.yaml: in that control's evidence a pasted key is
itself proof of long-term, shareable credentials; anywhere else it is a warning to revoke it.
"""

from __future__ import annotations

from grader.catalogue import Control
from grader.checks.rules import concerns
from grader.ingest.secrets import labels, markers
from grader.models import Document, Finding

RULE = "secret"


def _where(doc: Document, start: int, end: int) -> str:
    source = doc.provenance(start, end)
    segment_start = next((s.start for s in doc.segments if s.start <= start < s.end), 0)
    # Line within the page for PDFs (what a reader sees), within the file otherwise.
    origin = segment_start if source.page is not None else 0
    return f"{source.label()}, line {doc.text.count(chr(10), origin, start) + 1}"


def findings(control: Control, documents: list[Document]) -> list[Finding]:
    """One finding per redacted secret in the evidence, addressed to the control graded."""
    concern = concerns()[RULE]
    defeats_this_control = concern.control == control.id
    consequence = (
        "a credential pasted into the evidence is itself a sign of long-term, shareable "
        "credentials; revoke it and use IAM roles / temporary credentials"
        if defeats_this_control else "revoke it and remove it from the evidence"
    )
    names = labels()
    out = []
    for doc in documents:
        for kind, start, end in markers(doc.text):
            out.append(Finding(
                control=control.id,
                criterion=concern.criterion if defeats_this_control else None,
                severity=concern.severity if defeats_this_control else concern.elsewhere,
                rule=f"{RULE}.{kind}",
                message=f"{names.get(kind, kind)} found in {_where(doc, start, end)} (redacted): {consequence}.",
                source=doc.provenance(start, end),
            ))
    return out

"""Evidence ingestion: an answer and its attachments -> Documents, Chunks, errors, findings.

    ingest_control(answer, base_dir) -> ControlEvidence
    readers.read(path, base_dir) -> Document | IngestError
    chunking.chunk_document(doc, control) -> list[Chunk]
    secrets.redact(text) -> (text, hits)
    application.load_application(path) -> Application
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from grader.ingest.chunking import chunk_document
from grader.ingest.readers import read, redact_document
from grader.ingest.secrets import labels, markers
from grader.models import ControlAnswer, ControlEvidence, Document, Finding, IngestError, Segment

# The control whose criterion a leaked credential defeats outright.
_CREDENTIALS_CONTROL = "ACCT-002"
_CREDENTIALS_CRITERION = "temporary-credentials"


def response_document(response: str) -> Document:
    """The partner's answer text as a Document (secrets redacted like any attachment)."""
    text = response.replace("\r\n", "\n").replace("\r", "\n")
    segments = [Segment(start=0, end=len(text))] if text.strip() else []
    return redact_document(Document(path="response", kind="response", text=text, segments=segments))


def secret_findings(doc: Document, control: str) -> list[Finding]:
    """One Finding per redaction marker in the document, with its location."""
    names = labels()
    findings = []
    for kind, start, end in markers(doc.text):
        source = doc.provenance(start, end)
        segment_start = next((s.start for s in doc.segments if s.start <= start < s.end), 0)
        # Line within the page for PDFs (what a reader sees), within the file otherwise.
        origin = segment_start if source.page is not None else 0
        line = doc.text.count("\n", origin, start) + 1
        where = f"{source.label()}, line {line}"
        credential = control == _CREDENTIALS_CONTROL
        consequence = (
            "a credential pasted into the evidence is itself a sign of long-term, shareable "
            "credentials; revoke it and use IAM roles / temporary credentials"
            if credential else "revoke it and remove it from the evidence"
        )
        findings.append(Finding(
            control=control,
            criterion=_CREDENTIALS_CRITERION if credential else None,
            severity="fail" if credential else "warn",
            rule=f"secret.{kind}",
            message=f"{names.get(kind, kind)} found in {where} (redacted): {consequence}.",
            source=source,
        ))
    return findings


Reader = Callable[[Path, Path], "Document | IngestError"]


def ingest_control(answer: ControlAnswer, base_dir: Path, reader: Reader | None = None) -> ControlEvidence:
    """Read the answer and every attachment, chunk them, and collect errors and findings.

    `reader` lets a caller share reads across controls (an SOP cited by four controls is
    parsed once per assessment); by default every attachment is read afresh.
    """
    reader = reader or read
    documents: list[Document] = []
    errors: list[IngestError] = []
    if answer.response.strip():
        documents.append(response_document(answer.response))
    for attachment in dict.fromkeys(answer.attachments):  # the same file once
        result = reader(Path(attachment), Path(base_dir))
        if isinstance(result, IngestError):
            errors.append(result.model_copy(update={"control": answer.control}))
        else:
            documents.append(result)
    return ControlEvidence(
        control=answer.control,
        answered=answer.answered,
        documents=documents,
        chunks=[chunk for doc in documents for chunk in chunk_document(doc, answer.control)],
        errors=errors,
        findings=[f for doc in documents for f in secret_findings(doc, answer.control)],
    )

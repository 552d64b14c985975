"""Evidence ingestion: an answer and its attachments -> Documents, Chunks, errors.

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
from grader.models import ControlAnswer, ControlEvidence, Document, IngestError, Segment


def response_document(response: str) -> Document:
    """The partner's answer text as a Document (secrets redacted like any attachment)."""
    text = response.replace("\r\n", "\n").replace("\r", "\n")
    segments = [Segment(start=0, end=len(text))] if text.strip() else []
    return redact_document(Document(path="response", kind="response", text=text, segments=segments))


Reader = Callable[[Path, Path], "Document | IngestError"]


def ingest_control(answer: ControlAnswer, base_dir: Path, reader: Reader | None = None) -> ControlEvidence:
    """Read the answer and every attachment, chunk them, and collect errors.

    Secrets are redacted here; what a redacted secret means for grading is a check
    (checks/secrets.py).

    `reader` lets a caller share reads across controls (an SOP cited by four controls is
    parsed once per assessment); by default every attachment is read afresh.
    """
    reader = reader or read
    documents: list[Document] = []
    errors: list[IngestError] = []
    if answer.response.strip():
        documents.append(response_document(answer.response))
    listed = answer.attachments
    for twice in dict.fromkeys(a for a in listed if listed.count(a) > 1):
        errors.append(IngestError(file=twice, control=answer.control,
                                  message=f"listed {listed.count(twice)} times; read once"))
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
    )

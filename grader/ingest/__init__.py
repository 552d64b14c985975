"""Evidence ingestion: an answer and its attachments -> Documents, Chunks, errors.

    ingest_control(answer, base_dir) -> ControlEvidence
    readers.read(path, base_dir) -> Document | IngestError
    chunking.chunk_document(doc, control) -> list[Chunk]
    secrets.redact(text) -> (text, hits)
    application.load_application(path) -> Application
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from grader.ingest.chunking import chunk_document
from grader.ingest.readers import read, redact_document
from grader.models import ControlAnswer, ControlEvidence, Document, IngestError, Segment


_LINK = re.compile(r"\[[^\]]*\]\(\s*\S+?\s*\)|<?(?:https?://|www\.)\S+>?", re.IGNORECASE)


def only_links(response: str) -> list[str]:
    """The links of an answer that is nothing but links (else []): the grader follows none."""
    links = [m.group(0) for m in _LINK.finditer(response)]
    rest = _LINK.sub(" ", response)
    return links if links and not any(ch.isalnum() for ch in rest) else []


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
    links = only_links(documents[0].text) if documents else []
    if links:
        errors.append(IngestError(file="response", control=answer.control, message=(
            f"the answer is only a link ({links[0][:100]}{' …' if len(links) > 1 else ''}): the grader does not "
            "follow links, so what it points to was not graded; paste that text or attach the document "
            "(a link counts by itself only where a control accepts one, such as an AWS Pricing Calculator "
            "estimate for COST-001)")))
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
            errors += [IngestError(file=result.path, message=problem, control=answer.control)
                       for problem in result.problems]
    return ControlEvidence(
        control=answer.control,
        answered=answer.answered,
        documents=documents,
        chunks=[chunk for doc in documents for chunk in chunk_document(doc, answer.control)],
        errors=errors,
    )

"""Is the artifact a criterion asks for supplied? One answer for every judge.

`sop`, `diagram`, `template`, `cost-artifact` are met only by a document the partner
attached (of the kinds the criterion accepts) or a link that stands for one (an AWS Pricing
Calculator estimate): a sentence in the answer saying it exists is not the artifact.
"""

from __future__ import annotations

from grader.catalogue import Criterion
from grader.models import Document, Quote
from grader.text import rx


def accepted_attachments(criterion: Criterion, documents: list[Document]) -> list[Document]:
    """Attached documents of a kind the criterion accepts (any kind when it names none)."""
    kinds = set(criterion.attachment_kinds)
    return [d for d in documents if d.attached and (not kinds or d.kind in kinds)]


TITLE_CHARS = 200  # a document's title and first lines: what it says it is


def shows_the_artifact(criterion: Criterion, doc: Document) -> bool:
    """Does the document read as the artifact the criterion asks for (`document_shows`)?
    A diagram or image cannot be read here: a person checks it."""
    if doc.needs_human_review:
        return True
    opening = doc.text[:TITLE_CHARS]
    if any(rx(pattern).search(opening) for pattern in criterion.document_is_not):
        return False
    return not criterion.document_shows or any(rx(pattern).search(doc.text) for pattern in criterion.document_shows)


def accepted_link(criterion: Criterion, documents: list[Document]) -> Quote | None:
    """The first link in the evidence that stands for the artifact, as a quote."""
    for doc in documents:
        for pattern in criterion.accepted_links:
            m = rx(pattern).search(doc.text)
            if m:
                return Quote(text=m.group(0), source=doc.provenance(*m.span()))
    return None


def artifact_supplied(criterion: Criterion, documents: list[Document]) -> bool:
    attached = [d for d in accepted_attachments(criterion, documents) if shows_the_artifact(criterion, d)]
    return bool(attached) or accepted_link(criterion, documents) is not None

"""Quote verification: a quote only survives if it really occurs in the partner's evidence."""

from __future__ import annotations

from grader.models import Chunk, Document, Quote
from grader.text import find_normalised

# Quotes are for a reviewer to read; cap them so a judge cannot paste a whole document.
MAX_QUOTE_CHARS = 600


def locate(text: str, documents: list[Document], chunks: list[Chunk] | None = None) -> Quote | None:
    """Find `text` (whitespace-normalised) in the documents; return a Quote with provenance."""
    text = text.strip().strip('"').strip()
    if len(text) < 3:
        return None
    for doc in documents:
        span = find_normalised(text, doc.text)
        if span is None:
            continue
        start, end = span
        source = doc.provenance(start, end)
        chunk_id = _chunk_at(chunks or [], doc.path, start)
        return Quote(text=doc.text[start:end][:MAX_QUOTE_CHARS], source=source, chunk_id=chunk_id)
    return None


def _chunk_at(chunks: list[Chunk], path: str, offset: int) -> str | None:
    for chunk in chunks:
        if chunk.source.file == path and chunk.source.start <= offset < chunk.source.end:
            return chunk.id
    return None


def verify(quotes: list[Quote], documents: list[Document]) -> tuple[list[Quote], list[str]]:
    """Keep quotes that occur in the evidence (re-anchored to real spans); return dropped texts."""
    kept: list[Quote] = []
    dropped: list[str] = []
    for quote in quotes:
        found = locate(quote.text, documents)
        if found is None:
            dropped.append(quote.text)
        else:
            kept.append(found.model_copy(update={"chunk_id": quote.chunk_id or found.chunk_id}))
    return kept, dropped

"""Split Documents into Chunks, each inside one segment so it carries one provenance.

Chunk.text is an exact substring of Document.text at [source.start, source.end), and
Chunk.id is a content hash, so the same evidence gives the same ids on every run.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

from langchain_text_splitters import RecursiveCharacterTextSplitter

from grader.models import Chunk, Document, Segment

CHUNK_SIZE = 800  # characters: a few paragraphs, enough context for one criterion
CHUNK_OVERLAP = 100  # a sentence cut at a boundary still appears whole in one chunk
_WORDY = re.compile(r"\w")


@cache
def _splitter() -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True,
    )


def chunk_id(control: str, path: str, start: int, text: str) -> str:
    digest = hashlib.sha256("\x1f".join((control, path, str(start), text)).encode("utf-8"))
    return digest.hexdigest()[:16]


def _pieces(doc: Document, segment: Segment) -> list[tuple[int, str]]:
    """(start in doc.text, text) of each split of one segment."""
    body = doc.text[segment.start:segment.end]
    out = []
    for split in _splitter().create_documents([body]):
        start = segment.start + split.metadata["start_index"]
        text = split.page_content
        if doc.text[start:start + len(text)] != text:  # the splitter guessed wrong: find it
            found = doc.text.find(text, segment.start, segment.end)
            if found < 0:
                continue
            start = found
        out.append((start, text))
    return out


def chunk_document(doc: Document, control: str) -> list[Chunk]:
    segments = doc.segments or ([Segment(start=0, end=len(doc.text))] if doc.text.strip() else [])
    chunks = []
    for segment in segments:
        for start, text in _pieces(doc, segment):
            if not _WORDY.search(text):  # lone brackets and separators are not evidence
                continue
            chunks.append(Chunk(
                id=chunk_id(control, doc.path, start, text),
                control=control,
                text=text,
                source=doc.provenance(start, start + len(text)),
            ))
    return chunks

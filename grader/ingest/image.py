"""Images (PNG/JPEG): a supplied diagram or screenshot with no text the grader can read.

The Document records that the file was supplied and flags it for a person (or a vision
model) to look at; there is nothing to chunk.
"""

from __future__ import annotations

from pathlib import Path

from grader.ingest.base import ReadError
from grader.models import Document

_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def read_image(path: Path, rel: str) -> Document:
    with path.open("rb") as handle:
        head = handle.read(8)
    suffix = path.suffix.lower()
    if not head.startswith(_SIGNATURES[suffix]):
        raise ReadError(f"not a {suffix[1:].upper()} image (the file's content does not match its extension)")
    return Document(
        path=rel, kind="image", text="", needs_human_review=True,
        warnings=["image (diagram or screenshot): no extractable text; a person or a vision model must review it"],
    )

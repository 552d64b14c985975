"""PDF evidence (pypdf): text per page, each page its own segment with its page number."""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from grader.ingest.base import ReadError, TextBuilder
from grader.models import Document

# pypdf logs recoverable structure problems ("incorrect startxref") as warnings. They are
# noise to a reviewer and would interleave with CLI output; real failures raise instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)

# A page with fewer visible characters than this is treated as having no text layer.
_MIN_PAGE_CHARS = 20


def _open(path: Path) -> tuple[PdfReader, list[str]]:
    warnings: list[str] = []
    try:
        reader = PdfReader(path, strict=False)
    except (PdfReadError, ValueError, OSError) as exc:
        raise ReadError(f"corrupt or unreadable PDF ({exc})") from None
    if reader.is_encrypted:
        # An owner-password-only PDF opens with an empty user password: readable as is.
        try:
            opened = reader.decrypt("")
        except (DependencyError, FileNotDecryptedError, NotImplementedError) as exc:
            raise ReadError(f"encrypted PDF that cannot be opened ({exc}); upload an unencrypted copy") from None
        if not opened:
            raise ReadError("encrypted PDF (password-protected); upload an unencrypted copy")
        warnings.append("PDF is encrypted with an owner password only; its text was read")
    return reader, warnings


def read_pdf(path: Path, rel: str) -> Document:
    reader, warnings = _open(path)
    try:
        pages = list(reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise ReadError(f"corrupt PDF: its page tree cannot be read ({exc})") from None
    if not pages:
        raise ReadError("PDF has no pages")
    built = TextBuilder()
    textless: list[int] = []
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text() or ""
        except (PdfReadError, ValueError, KeyError, TypeError) as exc:
            warnings.append(f"page {number}: text could not be extracted ({exc})")
            text = ""
        if len(text.strip()) < _MIN_PAGE_CHARS:
            textless.append(number)
        built.add(text, page=number)
    scanned = len(textless) == len(pages)
    if scanned:
        warnings.append(
            "PDF has no text layer (a scan or an image export): OCR is needed, "
            "or a person must read it"
        )
    elif textless:
        warnings.append(f"pages with little or no text layer (scanned?): {_ranges(textless)}")
    return Document(
        path=rel, kind="pdf", text=built.text, segments=built.segments, pages=len(pages),
        warnings=warnings, needs_human_review=scanned,
    )


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> "1-3, 7"."""
    out: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(f"{start}-{prev}" if prev != start else str(start))
        if n is not None:
            start = prev = n
    return ", ".join(out)

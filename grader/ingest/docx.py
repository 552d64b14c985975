"""Word evidence (python-docx): paragraphs and tables in body order, one segment per heading."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from grader.ingest.base import ReadError, TextBuilder
from grader.models import Document

_HEADING = re.compile(r"^(?:heading\s*(\d)|title)$", re.IGNORECASE)


def _heading_level(paragraph: Paragraph) -> int | None:
    """0 for Title, n for "Heading n" (also through a custom style based on one), else None."""
    style = paragraph.style
    while style is not None:
        match = _HEADING.match(style.name or "")
        if match:
            return int(match.group(1) or 0)
        style = style.base_style
    return None


def _table_text(table: Table) -> str:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:  # merged cells repeat: keep each text once per row
            text = cell.text.strip()
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            lines.append(" | ".join(cells))
    return "\n".join(lines)


def read_docx(path: Path, rel: str) -> Document:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(f"corrupt DOCX: not a readable Word document ({exc or type(exc).__name__})") from None
    built = TextBuilder()
    headings: list[tuple[int, str]] = []  # the open heading path, (level, text)
    lines: list[str] = []

    def flush() -> None:
        section = " > ".join(text for _, text in headings) or None
        built.add("\n".join(lines), section=section)
        lines.clear()

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            text = _table_text(block)
            if text:
                lines.append(text)
            continue
        text = block.text.strip()
        if not text:
            continue
        level = _heading_level(block)
        if level is not None:
            flush()
            headings = [h for h in headings if h[0] < level] + [(level, text)]
        lines.append(text)
    flush()
    warnings = [] if built.segments else ["DOCX contains no text"]
    return Document(path=rel, kind="docx", text=built.text, segments=built.segments, warnings=warnings)

"""Markdown and plain-text evidence: the file's own text, Markdown split at its headings."""

from __future__ import annotations

import re
from pathlib import Path

from grader.ingest.base import EMPTY, ReadError, decode_utf8
from grader.models import Document, Segment

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def read_text_file(path: Path) -> str:
    text = decode_utf8(path.read_bytes())
    if "\x00" in text:
        raise ReadError("binary content in a text file (NUL bytes); is the extension right?")
    return text


def markdown_segments(text: str) -> list[Segment]:
    """One segment per heading (section = heading path "Runbook > Scaling"); code fences skipped."""
    segments: list[Segment] = []
    path: list[tuple[int, str]] = []
    start, section, fenced, offset = 0, None, False, 0
    for line in text.splitlines(keepends=True):
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _ATX_HEADING.match(line.rstrip("\n"))
        if heading:
            if text[start:offset].strip():
                segments.append(Segment(start=start, end=offset, section=section))
            level = len(heading.group(1))
            path = [p for p in path if p[0] < level] + [(level, heading.group(2).strip())]
            start, section = offset, " > ".join(t for _, t in path)
        offset += len(line)
    if text[start:].strip():
        segments.append(Segment(start=start, end=len(text), section=section))
    return segments


def read_markdown(path: Path, rel: str) -> Document:
    text = read_text_file(path)
    return Document(path=rel, kind="markdown", text=text, segments=markdown_segments(text),
                    problems=[] if text.strip() else [EMPTY])


def read_plain(path: Path, rel: str) -> Document:
    text = read_text_file(path)
    segments = [Segment(start=0, end=len(text))] if text.strip() else []
    return Document(path=rel, kind="text", text=text, segments=segments,
                    problems=[] if text.strip() else [EMPTY])

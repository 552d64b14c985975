"""Sentences of hard-wrapped prose, with their spans in the original text.

grader.text.sentence_spans ends a sentence at every line break, which suits bullets and
table rows but cuts a hard-wrapped paragraph (a YAML block, a PDF line) into fragments:
"the alternate\\ncontacts were set to d.okafor@..." would never be one sentence. Here a
single line break is a soft wrap unless the line ends a sentence or clause ([.!?:;]) or the
next line starts a list item or table row; a blank line always ends a sentence.
"""

from __future__ import annotations

import re

from grader.text import Span

_BOUNDARY = re.compile(
    r"\n[ \t]*\n\s*"  # a blank line
    r"|(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])"  # . ! ? then a capital or a number
    r"|(?<=[.!?:;])[ \t]*\n\s*"  # a line ending a sentence or clause
    r"|[ \t]*\n[ \t]*(?=(?:[-*•·–]|\d{1,3}[.)])\s|\||#)"  # a list item, table row or heading starts
)
_MIN_CHARS = 3


def sentences(text: str) -> list[Span]:
    """Split prose into sentences; Span.text is the sentence with line breaks kept."""
    spans: list[Span] = []
    pos = 0
    for boundary in _BOUNDARY.finditer(text):
        _add(spans, text, pos, boundary.start())
        pos = boundary.end()
    _add(spans, text, pos, len(text))
    return spans


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if len(stripped) < _MIN_CHARS:
        return
    start += len(piece) - len(piece.lstrip())
    spans.append(Span(start, start + len(stripped), stripped))

"""Sentence spans and whitespace-normalised matching, shared by checks and judges."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# A sentence ends at . ! ? followed by space and an upper-case/number/quote start; at a blank
# line; at a line break before a bullet, numbered item, heading or table row; or at a line
# break after terminal punctuation. A single line break inside wrapped prose is just a space.
_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"')\]]?[ \t]+(?=[\"'(\[]?[A-Z0-9]|[a-z][a-z0-9]*[-_][a-z0-9])"
    r"|[ \t]*\n(?:[ \t]*\n)+"
    r"|[ \t]*\n(?=[ \t]*(?:[-*\u2022>#|]|\d{1,2}[.)]\s|[A-Z][A-Za-z /&-]{0,40}:\s))"
    r"|(?<=[.!?:;|])[ \t]*\n"
)
_WS = re.compile(r"\s+")
_MIN_CHARS = 3


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


# A short line with no closing punctuation, followed by a capitalised line, is a heading
# (PDF and DOCX text loses heading markup): "When the root user may be used\nThe root ...".
_HEADING_BREAK = re.compile(r"(?:^|(?<=\n))[ \t]*(?:\d{1,2}[.)][ \t]+)?([^\n.!?:;|]{3,60})\n(?=[ \t]*[A-Z])")


# A wrapped line ending in one of these continues on the next line; a heading does not.
_CONTINUES = {
    "the", "a", "an", "to", "of", "and", "or", "with", "for", "in", "on", "at", "by", "from",
    "is", "are", "was", "were", "be", "our", "their", "its", "that", "which", "as", "into", "via",
}


def _is_heading(line: str) -> bool:
    words = line.split()
    return bool(words) and line.lstrip()[:1].isupper() and words[-1].lower() not in _CONTINUES


def sentence_spans(text: str) -> list[Span]:
    """Split text into sentences, keeping their character spans in `text`."""
    cuts = [(m.start(), m.end()) for m in _BOUNDARY.finditer(text)]
    cuts += [(m.end(1), m.end()) for m in _HEADING_BREAK.finditer(text) if _is_heading(m.group(1))]
    cuts += _row_breaks(text)
    spans: list[Span] = []
    pos = 0
    for start, end in sorted(cuts):
        if start < pos or _continues(text, start, end):
            continue
        _add(spans, text, pos, start)
        pos = end
    _add(spans, text, pos, len(text))
    return spans


def _continues(text: str, start: int, end: int) -> bool:
    """A single line break after "or", "the", "with" ... is wrapped prose, whatever the next line
    looks like ("Wildcards in Action (e.g. s3:*) or\nResource: "*" are rejected")."""
    if text.count("\n", start, end) != 1:
        return False
    before = text[max(0, start - 30):start].split()
    return bool(before) and before[-1].lower() in _CONTINUES


def _row_breaks(text: str) -> list[tuple[int, int]]:
    """Each row of a table is a sentence of its own, bars at its ends or not (Word and Excel
    tables come as "RT-01 | Review the dashboard | Daily"): a "TBD" in one row says nothing
    of the next."""
    cuts, pos, previous_is_row = [], 0, False
    for line in text.split("\n"):
        is_row = line.count("|") >= 2
        if previous_is_row and (is_row or line.strip()):
            cuts.append((pos - 1, pos))  # between two rows, or after the table's last row
        previous_is_row = is_row
        pos += len(line) + 1
    return cuts


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if len(stripped) < _MIN_CHARS:
        return
    lead = len(piece) - len(piece.lstrip())
    start += lead
    spans.append(Span(start, start + len(stripped), stripped))


def normalise(text: str) -> str:
    return _WS.sub(" ", text).strip()


def find_normalised(needle: str, haystack: str) -> tuple[int, int] | None:
    """Locate `needle` in `haystack` ignoring whitespace differences (and case as a fallback).

    Returns the span in the ORIGINAL haystack, or None when the needle does not occur.
    """
    words = normalise(needle).split(" ")
    if not words or words == [""]:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, haystack) or re.search(pattern, haystack, re.IGNORECASE)
    return (match.start(), match.end()) if match else None


def segmented_sentence_spans(text: str, bounds: list[tuple[int, int]]) -> list[Span]:
    """Sentences that never cross a segment boundary (a spreadsheet row, a PDF page)."""
    if not bounds:
        return sentence_spans(text)
    spans: list[Span] = []
    pos = 0
    for start, end in sorted(bounds):
        if start > pos:  # text between segments (rare) is split on its own
            spans += [Span(s.start + pos, s.end + pos, s.text) for s in sentence_spans(text[pos:start])]
        start = max(start, pos)
        spans += [Span(s.start + start, s.end + start, s.text) for s in sentence_spans(text[start:end])]
        pos = max(pos, end)
    if pos < len(text):
        spans += [Span(s.start + pos, s.end + pos, s.text) for s in sentence_spans(text[pos:])]
    return spans


@lru_cache(maxsize=8192)
def rx(pattern: str) -> re.Pattern[str]:
    """A knowledge pattern compiled once, case-insensitive (re's own cache holds only 512)."""
    return re.compile(pattern, re.IGNORECASE)

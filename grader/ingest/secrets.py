"""Find secrets in evidence text and replace them with markers before anything else sees it.

Patterns live in data/secrets.yaml. The marker "[REDACTED:<kind>]" stays in Document.text,
so later stages (findings, reports) can locate every redaction without seeing the secret.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict

from grader.ingest.base import load_data

MARKER = "[REDACTED:{kind}]"
_MARKER_RE = re.compile(r"\[REDACTED:([a-z0-9-]+)\]")


class SecretHit(BaseModel):
    """One redacted secret: its marker's span in the redacted text and where it was."""

    model_config = ConfigDict(frozen=True)

    kind: str  # e.g. "aws-access-key-id"
    label: str  # e.g. "AWS access key id"
    start: int  # marker span in the redacted text
    end: int
    original_start: int  # secret span in the text before redaction
    original_end: int
    line: int  # 1-based line of the secret in the original text


class _Pattern(BaseModel):
    kind: str
    label: str
    regex: re.Pattern[str]


@cache
def _patterns() -> tuple[list[_Pattern], list[re.Pattern[str]]]:
    data = load_data("secrets.yaml")
    patterns = [_Pattern(**p) for p in data["patterns"]]
    ignore = [re.compile(p) for p in data.get("ignore", [])]
    return patterns, ignore


def labels() -> dict[str, str]:
    """kind -> human label, for messages about redactions found in a text."""
    return {p.kind: p.label for p in _patterns()[0]}


def _matches(text: str) -> list[tuple[int, int, _Pattern]]:
    patterns, ignore = _patterns()
    found: list[tuple[int, int, _Pattern]] = []
    for pattern in patterns:
        for m in pattern.regex.finditer(text):
            group = "secret" if "secret" in pattern.regex.groupindex else 0
            value = m.group(group)
            if any(rule.search(value) for rule in ignore):
                continue
            found.append((m.start(group), m.end(group), pattern))
    # Earliest first, longest first at the same place; overlapping later matches are dropped
    # (a private key block already covers anything found inside it).
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, _Pattern]] = []
    for start, end, pattern in found:
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end, pattern))
    return kept


def redact(text: str) -> tuple[str, list[SecretHit]]:
    """Replace every secret in `text` with a marker; return the new text and the hits."""
    out: list[str] = []
    hits: list[SecretHit] = []
    pos = 0
    length = 0
    for start, end, pattern in _matches(text):
        out.append(text[pos:start])
        length += start - pos
        marker = MARKER.format(kind=pattern.kind)
        hits.append(SecretHit(
            kind=pattern.kind, label=pattern.label, start=length, end=length + len(marker),
            original_start=start, original_end=end, line=text.count("\n", 0, start) + 1,
        ))
        out.append(marker)
        length += len(marker)
        pos = end
    out.append(text[pos:])
    return "".join(out), hits


def remap(offset: int, hits: list[SecretHit]) -> int:
    """Where an offset of the original text lands in the redacted text."""
    shift = 0
    for hit in hits:
        if offset < hit.original_start:
            break
        if offset < hit.original_end:  # inside a secret: the marker's start
            return hit.start
        shift = hit.end - hit.original_end
    return offset + shift


def found_values(text: str, hits: list[SecretHit]) -> dict[str, str]:
    """secret value -> kind, for each secret `redact(text)` found (the text before redaction)."""
    return {text[h.original_start:h.original_end]: h.kind for h in hits}


def _redact_string(value: str, known: dict[str, str]) -> str:
    value = redact(value)[0]
    for secret in sorted(known, key=len, reverse=True):  # longest first: one may contain another
        if secret in value:
            value = value.replace(secret, MARKER.format(kind=known[secret]))
    return value


def redact_data(value: object, known: dict[str, str] | None = None) -> object:
    """Redact every string inside parsed JSON/YAML/HCL/draw.io/workbook data.

    `known` holds secrets found in the document's text (`found_values`): a value recognised
    there only by its context ("aws_secret_access_key | wJalr...", a Terraform variable's
    default) stands alone in the data, where no pattern could tell it is a secret.
    """
    known = known or {}
    if isinstance(value, str):
        return _redact_string(value, known)
    if isinstance(value, dict):
        return {(_redact_string(k, known) if isinstance(k, str) else k): redact_data(v, known)
                for k, v in value.items()}
    if isinstance(value, list):
        return [redact_data(v, known) for v in value]
    return value


def markers(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every redaction marker in an already-redacted text."""
    return [(m.group(1), m.start(), m.end()) for m in _MARKER_RE.finditer(text)]

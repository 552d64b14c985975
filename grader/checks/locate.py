"""Provenance for facts found in parsed data: the data path, and a span in the file's text.

Parsed JSON/YAML/HCL has lost its character positions, so a fact is pinned by searching the
document text for a chain of needles (the resource's name, then the offending value after
it), each searched after the previous one. A needle may be a tuple of alternatives, tried
in order (`WebSG:` for YAML before `"WebSG":` for JSON before the bare name, which could be
a `Ref` elsewhere). A needle that cannot be found leaves the span at the last one found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from grader.models import Document, Provenance

# A literal, a compiled pattern (`FromPort: 22` however it is spaced), alternatives, or an
# int: a known character offset to search on from (a policy pasted at offset 1200).
Needle = int | str | re.Pattern[str] | tuple[str | re.Pattern[str], ...]


def _find(text: str, needle: Needle, pos: int) -> tuple[int, int] | None:
    for alternative in needle if isinstance(needle, tuple) else (needle,):
        if isinstance(alternative, re.Pattern):
            match = alternative.search(text, pos)
            if match:
                return match.start(), match.end()
        elif alternative:
            at = text.find(alternative, pos)
            if at >= 0:
                return at, at + len(alternative)
    return None


def locate(doc: Document, section: str, needles: Iterable[Needle] = ()) -> Provenance:
    """Provenance in `doc` at `section`, spanning the last of `needles` found in order."""
    span: tuple[int, int] | None = None
    pos = 0
    for needle in needles:
        if isinstance(needle, int) and not isinstance(needle, bool):
            span, pos = (needle, needle), needle
            continue
        if not needle:
            continue
        found = _find(doc.text, needle, pos)
        if found is None:
            break
        span, pos = found, found[1]
    if span is None:
        return Provenance(file=doc.path, section=section or None)
    return doc.provenance(*span).model_copy(update={"section": section or None})


def key_needle(key: str) -> tuple[str, ...]:
    """A mapping key as written in YAML, JSON, or (last resort) anywhere."""
    return (f"{key}:", f'"{key}":', f'"{key}" :', key)


def path_needles(path: Sequence[str | int]) -> list[Needle]:
    return [key_needle(p) for p in path if isinstance(p, str)]


def path_join(*parts: str | int) -> str:
    """'Resources.WebSG.Properties.SecurityGroupIngress[0]' from its pieces."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part != "":
            out += f".{part}" if out else str(part)
    return out

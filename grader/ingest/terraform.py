"""Terraform evidence (python-hcl2): the file's text, one segment per top-level block."""

from __future__ import annotations

import re
from pathlib import Path

import hcl2
from hcl2.utils import SerializationOptions
from lark.exceptions import LarkError, UnexpectedInput

from grader.ingest.base import EMPTY, ReadError, decode_utf8
from grader.models import Document, Segment

# Plain values for checks: no surrounding quotes, no block markers or comments in the data.
_OPTIONS = SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)
# A top-level block starts at column 0 (`terraform fmt` style): `resource "type" "name" {`.
_BLOCK = re.compile(r'^([A-Za-z_][\w-]*)((?:[ \t]+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*)[ \t]*\{', re.MULTILINE)


def block_segments(text: str) -> list[Segment]:
    """section = "resource.aws_security_group.web", "variable.region", "locals" ..."""
    heads = list(_BLOCK.finditer(text))
    segments = []
    if heads and text[: heads[0].start()].strip():
        segments.append(Segment(start=0, end=heads[0].start()))
    for i, head in enumerate(heads):
        labels = re.findall(r'"([^"\n]*)"|([A-Za-z_][\w-]*)', head.group(2))
        section = ".".join([head.group(1), *(a or b for a, b in labels)])
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        segments.append(Segment(start=head.start(), end=end, section=section))
    if not heads and text.strip():
        segments.append(Segment(start=0, end=len(text)))
    return segments


def read_terraform(path: Path, rel: str) -> Document:
    text = decode_utf8(path.read_bytes())
    try:
        data = hcl2.loads(text, serialization_options=_OPTIONS)
    except UnexpectedInput as exc:
        detail = str(exc).strip().splitlines()[0]
        raise ReadError(f"invalid Terraform (HCL) at line {exc.line} column {exc.column}: {detail}") from None
    except LarkError as exc:
        raise ReadError(f"invalid Terraform (HCL): {str(exc).strip().splitlines()[0]}") from None
    return Document(path=rel, kind="terraform", text=text, segments=block_segments(text), data=data,
                    problems=[] if text.strip() else [EMPTY])

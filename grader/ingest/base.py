"""What every reader shares: the error a reader raises, UTF-8 decoding, and a builder that
assembles a Document's text piece by piece while recording each piece's provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

import yaml

from grader.models import Segment


EMPTY = "file is empty: nothing in it to grade"  # a Document problem, said for any kind


class ReadError(Exception):
    """A problem with the file's content, worded for the partner (no traceback).

    Readers raise it; `readers.read` turns it into an IngestError naming the file.
    """


@cache
def load_data(name: str) -> dict:
    """A YAML knowledge file shipped beside the readers (patterns, style maps, keywords)."""
    return yaml.safe_load((files("grader.ingest") / "data" / name).read_text(encoding="utf-8"))


def decode_utf8(raw: bytes) -> str:
    """Decode evidence text; anything but UTF-8 is rejected with the place it breaks."""
    try:
        text = raw.decode("utf-8-sig")  # tolerate a BOM, as Windows editors write one
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReadError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); "
            "save the file as UTF-8 and upload it again"
        ) from None
    # Normalise line ends so character spans mean the same on every platform.
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class TextBuilder:
    """Appends pieces of text, each becoming a Segment with its own provenance."""

    separator: str = "\n\n"
    parts: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    _length: int = 0

    def add(self, text: str, **provenance: object) -> None:
        """Append `text` as one segment; empty pieces add nothing."""
        if not text.strip():
            return
        if self.parts:
            self.parts.append(self.separator)
            self._length += len(self.separator)
        start = self._length
        self.parts.append(text)
        self._length += len(text)
        self.segments.append(Segment(start=start, end=self._length, **provenance))  # type: ignore[arg-type]

    @property
    def text(self) -> str:
        return "".join(self.parts)

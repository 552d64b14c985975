"""`read(path, base_dir)`: one file in, a Document or an IngestError out - never an exception.

Dispatches on the extension to one reader module per format, after the guards (inside
the application folder, exists, size cap, zip-bomb cap), and redacts secrets from the
result before anything else can see it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from grader.config import Settings, get_settings
from grader.ingest import guards
from grader.ingest.base import ReadError
from grader.ingest.secrets import found_values, redact, redact_data, remap
from grader.models import Document, IngestError, relpath

# extension -> (module in grader.ingest, function). Imported on first use: the PDF, Word,
# Excel and HCL libraries are slow to import and most runs need only some of them.
READERS: dict[str, tuple[str, str]] = {
    ".pdf": ("pdf", "read_pdf"),
    ".docx": ("docx", "read_docx"),
    ".xlsx": ("xlsx", "read_xlsx"),
    ".md": ("text", "read_markdown"),
    ".markdown": ("text", "read_markdown"),
    ".txt": ("text", "read_plain"),
    ".json": ("structured", "read_json"),
    ".yaml": ("structured", "read_yaml"),
    ".yml": ("structured", "read_yaml"),
    ".tf": ("terraform", "read_terraform"),
    ".tfvars": ("terraform", "read_terraform"),
    ".drawio": ("drawio", "read_drawio"),
    ".xml": ("drawio", "read_drawio"),
    ".png": ("image", "read_image"),
    ".jpg": ("image", "read_image"),
    ".jpeg": ("image", "read_image"),
}
_ZIPPED = frozenset({".docx", ".xlsx"})


def supported_extensions() -> list[str]:
    return sorted(READERS)


def _reader(suffix: str) -> Callable[[Path, str], Document]:
    module, function = READERS[suffix]
    return getattr(importlib.import_module(f"grader.ingest.{module}"), function)


def _precheck(full: Path, base_dir: Path, settings: Settings) -> str | None:
    # Order matters: never say whether a file outside the folder exists.
    problem = guards.outside_folder(full, base_dir) or guards.missing(full)
    if problem:
        return problem
    suffix = full.suffix.lower()
    if suffix not in READERS:
        return (f"unsupported file type {suffix or '(no extension)'!r}; supported: "
                + " ".join(supported_extensions()))
    problem = guards.too_large(full, settings.max_file_mb)
    if problem is None and suffix in _ZIPPED:
        problem = guards.zip_bomb(full, settings.max_unzipped_mb)
    return problem


def read(path: Path, base_dir: Path, settings: Settings | None = None) -> Document | IngestError:
    """Read one evidence file. `path` may be relative to `base_dir`; Document.path is."""
    settings = settings or get_settings()
    base_dir = Path(base_dir)
    full = Path(path) if Path(path).is_absolute() else base_dir / path
    inside = guards.outside_folder(full, base_dir) is None
    rel = relpath(full, base_dir) if inside else Path(path).as_posix()
    try:
        problem = _precheck(full, base_dir, settings)
        if problem is None:
            return redact_document(_reader(full.suffix.lower())(full, rel))
    except ReadError as exc:
        problem = str(exc)
    except OSError as exc:
        problem = f"cannot read the file: {exc.strerror or exc}"
    except (MemoryError, RecursionError) as exc:
        problem = f"file is too large or too deeply nested to read ({type(exc).__name__})"
    except Exception as exc:  # noqa: BLE001 - a reader never raises: any failure is reported
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        problem = (f"could not read this {full.suffix.lower()[1:].upper()} file "
                   f"({type(exc).__name__}{': ' + detail if detail else ''})")
    # A parser's message may quote the offending text: it must not carry a secret either.
    return IngestError(file=rel, message=redact(problem)[0])


def redact_document(document: Document) -> Document:
    """Replace secrets in text and data; segments are moved to the redacted text's offsets."""
    text, hits = redact(document.text)
    data = redact_data(document.data, found_values(document.text, hits)) if document.data is not None else None
    if not hits and data == document.data:
        return document
    segments = [
        s.model_copy(update={"start": remap(s.start, hits), "end": remap(s.end, hits)})
        for s in document.segments
    ]
    notes = [f"secret redacted: {h.label} on line {h.line}" for h in hits]
    return document.model_copy(update={
        "text": text, "segments": segments, "data": data, "warnings": [*document.warnings, *notes],
    })

"""A copy of an attachment with its secrets replaced by markers, in the file's own format.

What the app keeps with an assessment (to re-open it and to export reviewed cases) must not
hold a credential the grader found, any more than a report or a prompt may. The secrets are
the ones ingestion finds (the file is read as the grader reads it), and each is removed from
every text of the copy, with its lines one by one (a key block may be split over paragraphs):

  text, JSON, YAML, Terraform                   redacted as text (bytes that are not UTF-8 kept)
  DOCX, XLSX                                    every XML part: a paragraph's runs (or a shared
                                                string's) are redacted together, since Word
                                                splits a word over runs
  draw.io                                       compressed pages unpacked, then redacted as text
  PDF                                           when a secret was found: rebuilt from its
                                                redacted text, page by page (layout and images
                                                are not kept); otherwise the file as it came
  PNG, JPEG                                     as they came: the grader reads no text in them
  a kind the grader does not read, or a PDF, DOCX, XLSX or image it could not read: not kept
"""

from __future__ import annotations

import html
import io
import re
import tempfile
import zipfile
from pathlib import Path

from grader.ingest.secrets import MARKER, found_values, redact
from grader.models import Document

_PIECE_MIN = 8  # a line of a multi-line secret this long is a secret on its own
_IMAGES = (".png", ".jpg", ".jpeg")
_BINARY = (".pdf", ".docx", ".xlsx", *_IMAGES)  # unreadable means unsearchable
_DIAGRAM = re.compile(r"(<diagram\b[^>]*>)([^<]+)(</diagram>)")


def _read(name: str, content: bytes) -> tuple[Document | None, bool]:
    """The file as the grader reads it, before redaction (None when it cannot be read), and
    whether the file is one the grader refuses to open at all (too large, a zip bomb)."""
    from grader.config import get_settings
    from grader.ingest import guards
    from grader.ingest.readers import READERS, _reader  # the unredacted reader, on purpose

    suffix = Path(name).suffix.lower()
    settings = get_settings()
    with tempfile.TemporaryDirectory(prefix="grader-redact-") as tmp:
        path = Path(tmp) / f"file{suffix}"
        path.write_bytes(content)
        refused = guards.too_large(path, settings.max_file_mb) or (
            suffix in (".docx", ".xlsx") and guards.zip_bomb(path, settings.max_unzipped_mb))
        if refused or suffix not in READERS:
            return None, bool(refused)
        try:
            return _reader(suffix)(path, name), False
        except Exception:  # noqa: BLE001 - unreadable: the text pass still applies
            return None, False


def _found(document: Document | None) -> dict[str, str]:
    """secret value -> kind, for every secret in the document's text."""
    if document is None:
        return {}
    return found_values(document.text, redact(document.text)[1])


def _with_pieces(known: dict[str, str]) -> dict[str, str]:
    out = dict(known)
    for value, kind in known.items():
        for line in value.splitlines():
            if len(line.strip()) >= _PIECE_MIN:
                out.setdefault(line.strip(), kind)
    return out


def _scrub(text: str, known: dict[str, str]) -> str:
    text = redact(text)[0]
    for value in sorted(known, key=len, reverse=True):
        for form in {value, html.escape(value, quote=True), value.replace("\n", "\\n")}:
            if form in text:
                text = text.replace(form, MARKER.format(kind=known[value]))
    return text


def _text(content: bytes, known: dict[str, str]) -> bytes:
    raw = content.decode("utf-8", errors="surrogateescape")
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    scrubbed = _scrub(text, known)
    return content if scrubbed == text else scrubbed.encode("utf-8", errors="surrogateescape")


def _drawio(content: bytes, known: dict[str, str]) -> bytes:
    from grader.ingest.drawio import _inflate

    text = content.decode("utf-8", errors="surrogateescape")

    def unpacked(m: re.Match[str]) -> str:
        try:
            return m.group(1) + _inflate(m.group(2).strip(), "page") + m.group(3)
        except Exception:  # noqa: BLE001 - not a compressed page: left as text
            return m.group(0)

    plain = _DIAGRAM.sub(unpacked, text)
    scrubbed = _scrub(plain, known)
    return content if scrubbed == text else scrubbed.encode("utf-8", errors="surrogateescape")


# --------------------------------------------------------------------------- DOCX, XLSX

_CONTAINERS = {"p", "si", "is"}  # a Word/DrawingML paragraph, a shared or inline string


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xml(data: bytes, known: dict[str, str]) -> bytes:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return _text(data, known)
    changed = False
    groups: dict[object, list] = {}
    for element in root.iter():
        if _local(element.tag) != "t":
            continue
        holder = next((a for a in element.iterancestors() if _local(a.tag) in _CONTAINERS), None)
        groups.setdefault(holder if holder is not None else element, []).append(element)
    for texts in groups.values():
        joined = "".join(t.text or "" for t in texts)
        scrubbed = _scrub(joined, known)
        if scrubbed != joined:  # the paragraph's text goes into its first run, the others empty
            texts[0].text = scrubbed
            texts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            for t in texts[1:]:
                t.text = ""
            changed = True
    for element in root.iter():
        if _local(element.tag) != "t" and element.text and element.text.strip():
            scrubbed = _scrub(element.text, known)
            changed |= scrubbed != element.text
            element.text = scrubbed
        for key, value in element.attrib.items():
            scrubbed = _scrub(value, known)
            if scrubbed != value:
                element.set(key, scrubbed)
                changed = True
    if not changed:
        return data
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _office(content: bytes, known: dict[str, str]) -> bytes:
    try:
        source = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        return _text(content, known)
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.endswith((".xml", ".rels")):
                data = _xml(data, known)
            target.writestr(member, data)
    return out.getvalue()


# --------------------------------------------------------------------------- PDF

_PAGE = (595, 842)  # A4 points
_MARGIN = 40
_WRAP = 110  # characters per line at the largest size below


def _pdf_line(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T*"


def _pdf_page(text: str) -> bytes:
    lines = [piece[i:i + _WRAP] for piece in text.splitlines() for i in range(0, max(len(piece), 1), _WRAP)]
    size = max(2.0, min(9.0, (_PAGE[1] - 2 * _MARGIN) / (1.2 * max(len(lines), 1))))
    head = f"BT /F1 {size:.2f} Tf {size * 1.2:.2f} TL {_MARGIN} {_PAGE[1] - _MARGIN} Td ".encode()
    return head + b" ".join(_pdf_line(line) for line in lines) + b" ET"


def _pdf(document: Document, known: dict[str, str]) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    writer = PdfWriter()
    pages = {s.page: document.text[s.start:s.end] for s in document.segments}
    for number in range(1, (document.pages or 1) + 1):
        page = writer.add_blank_page(*_PAGE)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        stream = DecodedStreamObject()
        stream.set_data(_pdf_page(_scrub(pages.get(number, ""), known)))
        page.replace_contents(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --------------------------------------------------------------------------- entry point


def redacted_copy(name: str, content: bytes) -> bytes | None:
    """`content` with every secret the grader finds in it replaced by its marker.

    None when the copy cannot be made safely (then nothing is kept): a file the grader refuses
    to open (too large, a zip bomb), of a kind it does not read, a PDF, DOCX or XLSX it could
    not read, or a PDF holding a secret that cannot be rebuilt.
    """
    from grader.ingest.readers import READERS

    suffix = Path(name).suffix.lower()
    document, refused = _read(name, content)
    if refused or suffix not in READERS or (document is None and suffix in _BINARY):
        return None  # the grader could not read it, so it cannot tell what secrets it holds
    if suffix in _IMAGES:
        return content  # a real image (its signature checked): the grader reads no text in it
    known = _with_pieces(_found(document))
    if suffix == ".pdf":
        if not known or document is None:
            return content
        try:
            return _pdf(document, known)
        except Exception:  # noqa: BLE001 - never keep the original instead
            return None
    if suffix in (".docx", ".xlsx"):
        return _office(content, known)
    if suffix in (".drawio", ".xml"):
        return _drawio(content, known)
    return _text(content, known)

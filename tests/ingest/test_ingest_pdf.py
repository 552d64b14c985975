"""PDF evidence: text per page with page numbers; encrypted, corrupt and scanned PDFs."""

from __future__ import annotations

from pypdf import PdfReader

from grader.ingest.chunking import chunk_document
from grader.ingest.readers import read
from grader.models import Document, IngestError
from tests.ingest import evidence

PAGES = [
    "Security Engagement SOP\nThe root user is used only for tasks that require it.",
    "Root MFA\nA hardware MFA device is registered on the root user of every account.",
    "CloudTrail\nAn organization trail records all regions into a dedicated log bucket.",
]


def test_each_page_is_a_segment_with_its_page_number(tmp_path):
    evidence.pdf(tmp_path / "sop.pdf", PAGES)

    doc = read(tmp_path / "sop.pdf", tmp_path)

    assert isinstance(doc, Document)
    assert (doc.kind, doc.path, doc.pages) == ("pdf", "sop.pdf", 3)
    assert [s.page for s in doc.segments] == [1, 2, 3]
    second = doc.segments[1]
    assert "hardware MFA device" in doc.text[second.start:second.end]
    assert doc.provenance(second.start, second.end).label() == "sop.pdf, p. 2"


def test_a_quote_from_any_chunk_is_on_the_recorded_page_of_the_original_pdf(tmp_path):
    long_pages = [f"Section {n}. " + " ".join(f"Control statement {n}.{i} is enforced." for i in range(60))
                  for n in range(1, 4)]
    path = evidence.pdf(tmp_path / "long.pdf", long_pages)

    doc = read(path, tmp_path)
    chunks = chunk_document(doc, "ACCT-001")

    original_pages = [page.extract_text() for page in PdfReader(path).pages]
    assert len(chunks) > 3
    for chunk in chunks:
        assert doc.text[chunk.source.start:chunk.source.end] == chunk.text
        assert chunk.text in original_pages[chunk.source.page - 1]


def test_password_protected_pdf_is_rejected_with_a_clear_message(tmp_path):
    evidence.encrypted_pdf(tmp_path / "locked.pdf", PAGES, user_password="s3cret")

    result = read(tmp_path / "locked.pdf", tmp_path)

    assert isinstance(result, IngestError)
    assert result.file == "locked.pdf"
    assert "encrypted PDF (password-protected)" in result.message


def test_owner_password_only_pdf_is_read_with_a_warning(tmp_path):
    evidence.encrypted_pdf(tmp_path / "owner.pdf", PAGES, user_password="")

    doc = read(tmp_path / "owner.pdf", tmp_path)

    assert isinstance(doc, Document)
    assert "hardware MFA device" in doc.text
    assert any("owner password only" in w for w in doc.warnings)


def test_corrupt_pdf_is_rejected(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\nthis is not really a pdf\n%%EOF")

    result = read(tmp_path / "broken.pdf", tmp_path)

    assert isinstance(result, IngestError)
    assert "PDF" in result.message and ("corrupt" in result.message or "no pages" in result.message)


def test_truncated_pdf_is_rejected(tmp_path):
    whole = evidence.pdf(tmp_path / "whole.pdf", PAGES).read_bytes()
    (tmp_path / "cut.pdf").write_bytes(whole[: len(whole) // 3])

    result = read(tmp_path / "cut.pdf", tmp_path)

    assert isinstance(result, IngestError)
    assert result.file == "cut.pdf"


def test_pdf_without_text_layer_asks_for_ocr_and_a_human(tmp_path):
    evidence.scanned_pdf(tmp_path / "scan.pdf", pages=2)

    doc = read(tmp_path / "scan.pdf", tmp_path)

    assert isinstance(doc, Document)
    assert doc.needs_human_review is True
    assert doc.pages == 2
    assert any("no text layer" in w and "OCR is needed" in w for w in doc.warnings)
    assert chunk_document(doc, "DOC-001") == []

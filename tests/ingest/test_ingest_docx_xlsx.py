"""Word and Excel evidence: headings and rows as provenance; zip bombs and corrupt archives."""

from __future__ import annotations

import re
import zipfile

from docx import Document as Docx
from openpyxl import load_workbook

from grader.ingest.chunking import chunk_document
from grader.ingest.readers import read
from grader.models import Document, IngestError
from tests.ingest import evidence

SECTIONS = [
    ("Root user", ["The root user is used only to change the support plan or close the account."]),
    ("CloudTrail", ["An organization trail logs all regions.", "Logs go to a dedicated bucket with MFA delete."]),
]


def test_docx_sections_follow_headings(tmp_path):
    evidence.docx(tmp_path / "sop.docx", "Security SOP", SECTIONS)

    doc = read(tmp_path / "sop.docx", tmp_path)

    assert isinstance(doc, Document) and doc.kind == "docx"
    sections = [s.section for s in doc.segments]
    assert sections == ["Security SOP", "Security SOP > Root user", "Security SOP > CloudTrail"]
    trail = doc.segments[2]
    assert "MFA delete" in doc.text[trail.start:trail.end]


def test_docx_nested_headings_build_a_path(tmp_path):
    evidence.docx(tmp_path / "nested.docx", "Runbook",
                  [("Operations", ["Daily checks."]), ("scaling", ["Scale out at 70% CPU."])],
                  subsections=True)

    doc = read(tmp_path / "nested.docx", tmp_path)

    assert doc.segments[-1].section == "Runbook > Operations > scaling"


def test_docx_chunk_quotes_are_paragraphs_under_their_heading_in_the_file(tmp_path):
    path = evidence.docx(tmp_path / "sop.docx", "Security SOP", SECTIONS)

    doc = read(path, tmp_path)

    paragraphs = [p.text for p in Docx(str(path)).paragraphs]
    for chunk in chunk_document(doc, "ACCT-001"):
        heading = chunk.source.section.split(" > ")[-1]
        lines = chunk.text.split("\n")
        assert lines[0] == heading
        for line in lines:
            assert line in paragraphs
        # The lines sit after their heading in the original document.
        assert paragraphs.index(lines[-1]) >= paragraphs.index(heading)


def test_docx_zip_bomb_is_refused_before_opening(tmp_path, limits):
    limits(max_unzipped_mb=2)
    path = evidence.docx(tmp_path / "bomb.docx", "Harmless title", SECTIONS)
    evidence.inflate_member(path, megabytes=8)
    assert path.stat().st_size < 200_000  # small on disk, large unpacked

    result = read(path, tmp_path)

    assert isinstance(result, IngestError)
    assert re.search(r"would unpack to \d+ MB, above the 2 MB limit", result.message)
    assert "zip bomb" in result.message


def test_docx_that_is_not_a_zip_is_reported_as_corrupt(tmp_path):
    (tmp_path / "fake.docx").write_text("I am plain text pretending to be Word")

    result = read(tmp_path / "fake.docx", tmp_path)

    assert isinstance(result, IngestError)
    assert "corrupt DOCX" in result.message


def test_docx_zip_without_a_document_part_is_reported_as_corrupt(tmp_path):
    with zipfile.ZipFile(tmp_path / "empty.docx", "w") as archive:
        archive.writestr("hello.txt", "not word")

    result = read(tmp_path / "empty.docx", tmp_path)

    assert isinstance(result, IngestError)
    assert "corrupt DOCX" in result.message


def test_xlsx_rows_carry_sheet_and_row(tmp_path):
    path = evidence.xlsx(tmp_path / "cost.xlsx", {
        "Estimate": [["Service", "Monthly USD"], ["EC2 (2x m6i.large)", 140.16], ["RDS Multi-AZ", 365.0]],
        "Inputs": [["Peak users", 1200]],
    })

    doc = read(path, tmp_path)

    assert isinstance(doc, Document) and doc.kind == "xlsx"
    book = load_workbook(path)
    for chunk in chunk_document(doc, "COST-001"):
        cells = [c for c in next(book[chunk.source.sheet].iter_rows(
            min_row=chunk.source.row, max_row=chunk.source.row, values_only=True)) if c is not None]
        assert chunk.text == " | ".join(str(c) for c in cells)
    assert doc.provenance(*_span(doc, "RDS Multi-AZ")).label() == "cost.xlsx, sheet Estimate row 3"
    assert doc.data["sheets"]["Inputs"] == [["Peak users", 1200]]


def test_xlsx_zip_bomb_is_refused(tmp_path, limits):
    limits(max_unzipped_mb=1)
    path = evidence.xlsx(tmp_path / "bomb.xlsx", {"S": [["a"]]})
    evidence.inflate_member(path, megabytes=3, name="xl/media/padding.bin")

    result = read(path, tmp_path)

    assert isinstance(result, IngestError)
    assert "above the 1 MB limit (GRADER_MAX_UNZIPPED_MB)" in result.message


def _span(doc: Document, needle: str) -> tuple[int, int]:
    start = doc.text.index(needle)
    return start, start + len(needle)

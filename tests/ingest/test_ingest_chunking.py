"""Chunks: one provenance each, exact substrings of the document, stable content-hash ids."""

from __future__ import annotations

from grader.ingest.chunking import CHUNK_SIZE, chunk_document
from grader.ingest.readers import read
from grader.models import Document, Segment
from tests.ingest import evidence


def _long_markdown() -> str:
    body = " ".join(f"Alarm {i} fires when latency exceeds {i * 10} ms for five minutes." for i in range(40))
    return f"# Runbook\n\n## Alarms\n{body}\n\n## Restore\nRestore the database from the latest snapshot.\n"


def test_chunks_are_exact_substrings_within_one_segment(tmp_path):
    (tmp_path / "runbook.md").write_text(_long_markdown())
    doc = read(tmp_path / "runbook.md", tmp_path)

    chunks = chunk_document(doc, "OPE-002")

    assert len(chunks) > 3
    for chunk in chunks:
        assert len(chunk.text) <= CHUNK_SIZE
        assert doc.text[chunk.source.start:chunk.source.end] == chunk.text
        [segment] = [s for s in doc.segments if s.start <= chunk.source.start and chunk.source.end <= s.end]
        assert chunk.source.section == segment.section
    assert chunks[-1].source.section == "Runbook > Restore"


def test_long_sections_overlap_so_no_sentence_is_lost(tmp_path):
    (tmp_path / "runbook.md").write_text(_long_markdown())
    doc = read(tmp_path / "runbook.md", tmp_path)

    alarms = [c for c in chunk_document(doc, "OPE-002")
              if c.source.section == "Runbook > Alarms" and "fires" in c.text]

    for before, after in zip(alarms, alarms[1:]):
        assert after.source.start < before.source.end  # overlapping spans
    covered = "".join(doc.text[c.source.start:c.source.end] for c in alarms)
    assert "Alarm 39 fires" in covered and "Alarm 0 fires" in covered


def test_chunk_ids_are_stable_across_runs_and_depend_on_control_and_content(tmp_path):
    (tmp_path / "runbook.md").write_text(_long_markdown())

    first = chunk_document(read(tmp_path / "runbook.md", tmp_path), "OPE-002")
    second = chunk_document(read(tmp_path / "runbook.md", tmp_path), "OPE-002")
    other_control = chunk_document(read(tmp_path / "runbook.md", tmp_path), "OPE-001")

    assert [c.id for c in first] == [c.id for c in second]
    assert len({c.id for c in first}) == len(first)
    assert not {c.id for c in first} & {c.id for c in other_control}
    assert all(len(c.id) == 16 for c in first)


def test_document_without_segments_is_chunked_whole():
    doc = Document(path="response", kind="response", text="We enforce MFA on the root user.")

    [chunk] = chunk_document(doc, "ACCT-001")

    assert (chunk.text, chunk.source.file, chunk.source.start) == (doc.text, "response", 0)


def test_punctuation_only_segments_make_no_chunks():
    doc = Document(path="p.json", kind="json", text="{\n  \n}",
                   segments=[Segment(start=0, end=5)])

    assert chunk_document(doc, "ACCT-002") == []


def test_quotes_locate_in_the_original_file_for_every_text_format(tmp_path):
    files = {
        "notes.txt": "Plain notes.\nThe DR plan targets RTO 4 h and RPO 15 min.\n",
        "stack.yml": "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MultiAZ: true\n",
        "main.tf": 'resource "aws_db_instance" "db" {\n  multi_az = true\n}\n',
        "runbook.md": _long_markdown(),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        doc = read(tmp_path / name, tmp_path)
        for chunk in chunk_document(doc, "REL-002"):
            assert text[chunk.source.start:chunk.source.end] == chunk.text, name


def test_pdf_chunks_locate_on_their_page(tmp_path):
    from pypdf import PdfReader

    path = evidence.pdf(tmp_path / "dr.pdf", ["Page one: backups.", "Page two: RTO 4 hours, RPO 15 minutes."])
    doc = read(path, tmp_path)

    pages = [p.extract_text() for p in PdfReader(path).pages]
    [second] = [c for c in chunk_document(doc, "REL-002") if "RTO" in c.text]
    assert second.source.page == 2
    assert second.text in pages[1]

"""Every bad input gives a clear message naming the file, and the other files of the same
answer are still ingested."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.ingest import ingest_control
from grader.models import ControlAnswer
from tests.ingest import evidence

GOOD = "evidence/runbook.md"
GOOD_TEXT = "# Runbook\nRestart the web tier when the p99 latency alarm fires.\n"


def _encrypted(folder: Path) -> str:
    evidence.encrypted_pdf(folder / "evidence/locked.pdf", ["Confidential SOP text on this page."])
    return "evidence/locked.pdf"


def _corrupt_pdf(folder: Path) -> str:
    (folder / "evidence/broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage\n%%EOF\n")
    return "evidence/broken.pdf"


def _docx_bomb(folder: Path) -> str:
    path = evidence.docx(folder / "evidence/bomb.docx", "SOP", [("Root", ["Use MFA."])])
    evidence.inflate_member(path, megabytes=4)
    return "evidence/bomb.docx"


def _xlsx_bomb(folder: Path) -> str:
    path = evidence.xlsx(folder / "evidence/bomb.xlsx", {"Cost": [["EC2", 100]]})
    evidence.inflate_member(path, megabytes=4, name="xl/media/padding.bin")
    return "evidence/bomb.xlsx"


def _oversized(folder: Path) -> str:
    (folder / "evidence/huge.txt").write_text("x" * 300_000)
    return "evidence/huge.txt"


def _unknown_extension(folder: Path) -> str:
    (folder / "evidence/setup.exe").write_bytes(b"MZ\x90\x00")
    return "evidence/setup.exe"


def _latin1(folder: Path) -> str:
    (folder / "evidence/notes.txt").write_bytes("Café policy\nRésumé of controls\n".encode("latin-1"))
    return "evidence/notes.txt"


def _bad_yaml(folder: Path) -> str:
    (folder / "evidence/stack.yaml").write_text("Resources:\n  Web: {Type: AWS::EC2::Instance\n")
    return "evidence/stack.yaml"


def _bad_json(folder: Path) -> str:
    (folder / "evidence/policy.json").write_text('{"Version": "2012-10-17", "Statement": [}')
    return "evidence/policy.json"


def _escaping(folder: Path) -> str:
    return "../../etc/passwd"


def _missing(folder: Path) -> str:
    return "evidence/not-uploaded.pdf"


BAD_INPUTS = {
    "encrypted PDF": (_encrypted, "encrypted PDF (password-protected); upload an unencrypted copy"),
    "corrupt PDF": (_corrupt_pdf, "PDF"),
    "zip-bomb DOCX": (_docx_bomb, "above the 1 MB limit (GRADER_MAX_UNZIPPED_MB); refused as a possible zip bomb"),
    "zip-bomb XLSX": (_xlsx_bomb, "above the 1 MB limit (GRADER_MAX_UNZIPPED_MB); refused as a possible zip bomb"),
    "oversized file": (_oversized, "file is 0.3 MB, above the 0.1 MB limit (GRADER_MAX_FILE_MB)"),
    "unknown extension": (_unknown_extension, "unsupported file type '.exe'"),
    "non-UTF-8 text": (_latin1, "not UTF-8 text (byte 0xe9 on line 1)"),
    "invalid YAML": (_bad_yaml, "invalid YAML"),
    "invalid JSON": (_bad_json, "invalid JSON at line 1"),
    "path escaping the folder": (_escaping, "path escapes the application folder"),
    "missing file": (_missing, "file not found"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_attachment_is_reported_and_the_rest_is_still_ingested(case, tmp_path, limits):
    limits(max_file_mb=0.1, max_unzipped_mb=1)
    make, message = BAD_INPUTS[case]
    folder = tmp_path / "application"
    (folder / "evidence").mkdir(parents=True)
    (folder / GOOD).write_text(GOOD_TEXT)
    bad = make(folder)
    answer = ControlAnswer(control="OPE-002", response="See the runbook.", attachments=[bad, GOOD])

    evidence_ = ingest_control(answer, folder)

    assert len(evidence_.errors) == 1
    error = evidence_.errors[0]
    assert error.file == bad
    assert error.control == "OPE-002"
    assert message in error.message
    assert [d.path for d in evidence_.documents] == ["response", GOOD]
    assert any("p99 latency alarm" in c.text for c in evidence_.chunks)


def test_scanned_pdf_is_kept_for_human_review_and_the_rest_is_ingested(tmp_path):
    (tmp_path / "evidence").mkdir()
    evidence.scanned_pdf(tmp_path / "evidence/scan.pdf")
    (tmp_path / GOOD).write_text(GOOD_TEXT)

    result = ingest_control(
        ControlAnswer(control="OPE-002", attachments=["evidence/scan.pdf", GOOD]), tmp_path)

    assert result.errors == []
    scan = result.documents[0]
    assert scan.path == "evidence/scan.pdf" and scan.needs_human_review
    assert any("OCR is needed" in w for w in scan.warnings)
    assert result.documents[1].path == GOOD


def test_symlink_pointing_outside_the_folder_is_refused(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("outside the application")
    folder = tmp_path / "application"
    folder.mkdir()
    (folder / "link.txt").symlink_to(outside)

    result = ingest_control(ControlAnswer(control="DOC-001", attachments=["link.txt"]), folder)

    assert result.documents == []
    assert "path escapes the application folder" in result.errors[0].message

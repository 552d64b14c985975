"""`grader ingest PATH... [--json]`: per-file report; exit 0 when all read, 2 when any rejected."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from grader.cli import app
from tests.ingest import evidence

runner = CliRunner()


def test_all_files_read_exits_zero_with_a_line_per_file(tmp_path):
    evidence.pdf(tmp_path / "sop.pdf", ["Page one text here.", "Page two text here."])
    (tmp_path / "notes.md").write_text("# Notes\nAll good.\n")

    result = runner.invoke(app, ["ingest", str(tmp_path / "sop.pdf"), str(tmp_path / "notes.md")])

    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'sop.pdf'}: pdf, 2 page(s), 2 chunk(s)" in result.output
    assert f"{tmp_path / 'notes.md'}: markdown, 1 chunk(s)" in result.output
    assert "2 read, 0 rejected" in result.output


def test_a_rejected_file_exits_two_and_names_the_problem(tmp_path):
    (tmp_path / "notes.md").write_text("fine")
    (tmp_path / "tool.exe").write_bytes(b"MZ")

    result = runner.invoke(app, ["ingest", str(tmp_path)])

    assert result.exit_code == 2
    assert f"{tmp_path / 'tool.exe'}: REJECTED" in result.output
    assert "error: unsupported file type '.exe'" in result.output
    assert "1 read, 1 rejected" in result.output


def test_json_output_lists_type_pages_chunks_warnings_and_errors(tmp_path):
    evidence.scanned_pdf(tmp_path / "scan.pdf")
    (tmp_path / "keys.txt").write_text("aws_access_key_id = AKIAZ7Q3WJ5NPL2XK4HD\n")

    result = runner.invoke(app, ["ingest", "--json", str(tmp_path / "scan.pdf"), str(tmp_path / "keys.txt"),
                                 str(tmp_path / "absent.pdf")])

    assert result.exit_code == 2
    report = json.loads(result.output)
    assert (report["read"], report["rejected"]) == (2, 1)
    scan, keys, absent = report["files"]
    assert (scan["type"], scan["pages"], scan["chunks"], scan["needs_human_review"]) == ("pdf", 2, 0, True)
    assert any("OCR is needed" in w for w in scan["warnings"])
    assert (keys["type"], keys["secrets"]) == ("text", 1)
    assert (absent["read"], absent["errors"]) == (False, ["file not found"])

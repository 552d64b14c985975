"""Building an Application from what the browser sends: untrusted names, several files, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader.errors import ApplicationError
from grader.webapp.intake import (
    PASTED_SOURCE,
    Upload,
    application_from_answers,
    application_from_upload,
    attachment_bytes,
    safe_name,
    write_uploads,
)


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("sop.pdf", "sop.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\fakepath\\runbook.docx", "runbook.docx"),
        ("/abs/path/diagram.drawio", "diagram.drawio"),
        ("..", "upload"),
        ("", "upload"),
        ("bad\x00name.md", "bad_name.md"),
    ],
)
def test_upload_names_keep_only_their_last_component(sent: str, kept: str) -> None:
    assert safe_name(sent) == kept


def test_uploads_never_overwrite_each_other_and_duplicates_are_written_once(tmp_path: Path) -> None:
    names = write_uploads(
        [Upload(name="sop.pdf", content=b"one"), Upload(name="x/sop.pdf", content=b"two"),
         Upload(name="sop.pdf", content=b"one")],
        tmp_path,
    )
    assert names == ["sop.pdf", "sop (2).pdf"]
    assert (tmp_path / "sop.pdf").read_bytes() == b"one"
    assert (tmp_path / "sop (2).pdf").read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sop (2).pdf", "sop.pdf"]


def test_pasted_answers_and_files_become_one_application(tmp_path: Path) -> None:
    shared = Upload(name="security-sop.md", content=b"# SOP\nRoot MFA is enabled.")
    application = application_from_answers(
        answers={"ACCT-001": "  Root MFA is on.  ", "ACCT-002": "", "OPE-001": "   "},
        uploads={"ACCT-001": [shared], "ACCT-002": [shared, Upload(name="../policy.json", content=b"{}")]},
        folder=tmp_path,
        partner=" Contoso ",
    )
    assert application.partner == "Contoso"
    assert application.source == PASTED_SOURCE
    assert Path(application.base_dir) == tmp_path
    assert list(application.controls) == ["ACCT-001", "ACCT-002"]  # blank answers are not answers
    assert application.controls["ACCT-001"].response == "Root MFA is on."
    assert application.controls["ACCT-001"].attachments == ["security-sop.md"]
    assert application.controls["ACCT-002"].attachments == ["security-sop.md", "policy.json"]
    assert attachment_bytes(application) == {"security-sop.md": shared.content, "policy.json": b"{}"}
    assert not (tmp_path.parent / "policy.json").exists()


def test_unknown_control_ids_are_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="XYZ-999"):
        application_from_answers({"XYZ-999": "text"}, {}, tmp_path)


def _application_yaml(attachments: list[str]) -> Upload:
    data = {"partner": "P", "controls": {"ACCT-001": {"response": "Root MFA.", "attachments": attachments}}}
    return Upload(name="application.yaml", content=yaml.safe_dump(data).encode())


def test_uploaded_application_finds_flat_uploads_at_the_paths_it_names(tmp_path: Path) -> None:
    application = application_from_upload(
        _application_yaml(["evidence/sop.md", "evidence/missing.pdf"]),
        [Upload(name="sop.md", content=b"# SOP"), Upload(name="extra.txt", content=b"x")],
        tmp_path,
    )
    assert application.source == "application.yaml"
    assert application.controls["ACCT-001"].attachments == ["evidence/sop.md"]
    assert (tmp_path / "evidence" / "sop.md").read_bytes() == b"# SOP"
    problems = {(e.file, e.message) for e in application.errors}
    assert ("evidence/missing.pdf", "file not found") in problems
    assert ("extra.txt", "uploaded but not referenced by the application; not graded") in problems


def test_uploaded_application_cannot_place_files_outside_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "app"
    application = application_from_upload(
        _application_yaml(["../outside.md"]), [Upload(name="outside.md", content=b"x")], folder
    )
    assert not (tmp_path / "outside.md").exists()
    assert application.controls["ACCT-001"].attachments == []
    assert any(e.file == "../outside.md" for e in application.errors)


def test_unreadable_application_file_names_the_upload_not_the_temporary_folder(tmp_path: Path) -> None:
    with pytest.raises(ApplicationError) as raised:
        application_from_upload(Upload(name="mine.yaml", content=b"controls: [oops"), [], tmp_path)
    assert str(raised.value).startswith("mine.yaml: invalid YAML")
    assert str(tmp_path) not in str(raised.value)


def test_unsupported_application_format_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ApplicationError, match=r"^answers\.docx: unsupported application format"):
        application_from_upload(Upload(name="answers.docx", content=b"PK"), [], tmp_path)

"""Loading applications: YAML/JSON per application.md and the self-assessment spreadsheet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.errors import ApplicationError
from grader.ingest.application import load_application
from tests.ingest import evidence

APPLICATION = """\
partner: Example Cloud Partners Ltd
program: Migration Consulting Competency
controls:
  ACCT-001:
    response: |
      Our root user has MFA and is used only to change the support plan.
    attachments:
      - evidence/security-sop.pdf
  DOC-001:
    response: See the diagram.
    attachments: [evidence/architecture.drawio, evidence/missing.png, ../../etc/passwd]
  SEC-999:
    response: Not one of the eleven.
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "evidence").mkdir()
    evidence.pdf(tmp_path / "evidence/security-sop.pdf", ["Security SOP"])
    evidence.drawio(tmp_path / "evidence/architecture.drawio",
                    [("Prod", evidence.graph_model(evidence.TWO_AZ_CELLS))])
    return tmp_path


def test_yaml_application_loads_with_base_dir_and_answers(folder):
    (folder / "application.yaml").write_text(APPLICATION)

    app = load_application(folder / "application.yaml")

    assert (app.partner, app.program) == ("Example Cloud Partners Ltd", "Migration Consulting Competency")
    assert Path(app.base_dir) == folder.resolve()
    assert app.source == str(folder / "application.yaml")
    assert app.controls["ACCT-001"].attachments == ["evidence/security-sop.pdf"]
    assert "support plan" in app.controls["ACCT-001"].response
    assert "OPE-001" not in app.controls  # not answered: absent, the engine reports it


def test_problems_are_recorded_and_the_rest_still_loads(folder):
    (folder / "application.yaml").write_text(APPLICATION)

    app = load_application(folder / "application.yaml")

    messages = {(e.file, e.control): e.message for e in app.errors}
    assert messages[("application.yaml", "SEC-999")].startswith("unknown control id 'SEC-999'")
    assert messages[("evidence/missing.png", "DOC-001")] == "file not found"
    assert messages[("../../etc/passwd", "DOC-001")].startswith("path escapes the application folder")
    assert app.controls["DOC-001"].attachments == ["evidence/architecture.drawio"]
    assert set(app.controls) == {"ACCT-001", "DOC-001"}


def test_json_application_is_the_same_shape(folder):
    data = {"partner": "P", "controls": {"acct-001": {"response": "MFA on root.",
                                                      "attachments": "evidence/security-sop.pdf"}}}
    (folder / "application.json").write_text(json.dumps(data))

    app = load_application(folder / "application.json")

    assert app.controls["ACCT-001"].attachments == ["evidence/security-sop.pdf"]
    assert app.errors == []


def test_entry_mistakes_are_named(folder):
    (folder / "application.yaml").write_text(
        "controls:\n  OPE-001:\n    response: ok\n    attachemnts: [x.md]\n"
        "  OPE-002:\n    response: one\n  OPE-002:\n    response: two\nowner: me\n")

    app = load_application(folder / "application.yaml")

    messages = [e.message for e in app.errors]
    assert "OPE-001: unknown key 'attachemnts' ignored" in messages
    assert ("OPE-002 is given twice (lines 5 and 7): both answers are graded together, as one; "
            "write them as one entry") in messages
    assert "unknown top-level key 'owner' ignored" in messages
    assert app.controls["OPE-002"].response == "one\n\ntwo"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("application.yaml", "controls: [unclosed\n", "invalid YAML at line 2"),
    ("application.json", '{"controls": ', "invalid JSON at line 1"),
    ("application.yaml", "- just\n- a list\n", "expected a mapping with a 'controls' mapping"),
    ("application.yaml", "partner: P\n", "no 'controls' mapping"),
    ("application.txt", "controls: {}\n", "unsupported application format '.txt'"),
])
def test_unreadable_application_raises_one_line_naming_the_file(tmp_path, name, content, message):
    (tmp_path / name).write_text(content)

    with pytest.raises(ApplicationError) as raised:
        load_application(tmp_path / name)

    assert str(raised.value).startswith(f"{tmp_path / name}: ")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_missing_application_file_raises(tmp_path):
    with pytest.raises(ApplicationError, match="no-such.yaml: file not found"):
        load_application(tmp_path / "no-such.yaml")


def test_self_assessment_spreadsheet_imports_rows_naming_controls(folder):
    evidence.xlsx(folder / "self-assessment.xlsx", {
        "Cover": [["Partner name:", "Northwind Cloud Consulting"], ["Program:", "Migration Consulting Competency"]],
        "Common requirements": [
            ["Control ID", "Requirement", "Partner response", "Attachments"],
            ["ACCT-001", "Secure account governance", "Root MFA is enforced.", "evidence/security-sop.pdf"],
            ["DOC-001 Architecture", "Diagram", "See the diagram.",
             "evidence/architecture.drawio, evidence/gone.pdf"],
            ["MIG-001", "Migration tooling", "We use MGN.", "N/A"],
            ["ACCT-001", "again", "A second row.", ""],
            ["Notes", "", "", ""],
        ],
    })

    app = load_application(folder / "self-assessment.xlsx")

    assert (app.partner, app.program) == ("Northwind Cloud Consulting", "Migration Consulting Competency")
    assert set(app.controls) == {"ACCT-001", "DOC-001"}
    assert app.controls["ACCT-001"].response == "Root MFA is enforced.\n\nA second row."  # both rows kept
    assert app.controls["DOC-001"].attachments == ["evidence/architecture.drawio"]
    messages = [e.message for e in app.errors]
    assert "file not found" in messages
    assert any("outside the eleven common ones were not imported: MIG-001" in m for m in messages)
    assert any(m.startswith("ACCT-001 appears twice (sheet 'Common requirements' row 2 and")
               and "both rows are graded together" in m for m in messages)


def test_spreadsheet_without_a_response_column_is_not_an_application(tmp_path):
    evidence.xlsx(tmp_path / "cost.xlsx", {"Estimate": [["Service", "USD"], ["EC2", 100]]})

    with pytest.raises(ApplicationError, match="no sheet has a response column"):
        load_application(tmp_path / "cost.xlsx")


def test_zip_bomb_spreadsheet_application_is_refused(tmp_path, limits):
    limits(max_unzipped_mb=1)
    path = evidence.xlsx(tmp_path / "sa.xlsx", {"S": [["Control ID", "Partner response"]]})
    evidence.inflate_member(path, megabytes=3, name="xl/media/padding.bin")

    with pytest.raises(ApplicationError, match="refused as a possible zip bomb"):
        load_application(path)


def test_sample_application_answers_all_controls_and_every_attachment_reads():
    from grader.catalogue import CONTROL_IDS
    from grader.ingest import ingest_control
    from grader.ingest.secrets import markers

    sample = Path(__file__).resolve().parents[2] / "examples/sample-application/application.yaml"

    app = load_application(sample)

    assert app.errors == []
    assert list(app.controls) == list(CONTROL_IDS)
    for answer in app.controls.values():
        result = ingest_control(answer, Path(app.base_dir))
        assert result.errors == [], answer.control
        assert not [m for d in result.documents for m in markers(d.text)], answer.control  # no secret in it
        assert len(result.documents) == 1 + len(answer.attachments)


def test_a_spaced_or_run_together_control_id_is_read_and_the_fix_named(folder):
    (folder / "application.yaml").write_text(
        "controls:\n  ACCT 001:\n    response: MFA on root.\n  ope_002:\n    response: Runbook.\n"
        "  REL001:\n    response: CloudFormation.\n")

    app = load_application(folder / "application.yaml")

    assert set(app.controls) == {"ACCT-001", "OPE-002", "REL-001"}
    assert [e.message for e in app.errors] == [
        "control id 'ACCT 001' read as ACCT-001; write it as ACCT-001",
        "control id 'ope_002' read as OPE-002; write it as OPE-002",
        "control id 'REL001' read as REL-001; write it as REL-001",
    ]


def test_an_attachment_listed_twice_is_read_once_and_said(folder):
    from grader.ingest import ingest_control

    (folder / "application.yaml").write_text(
        "controls:\n  ACCT-001:\n    response: See SOP.\n"
        "    attachments: [evidence/security-sop.pdf, evidence/security-sop.pdf]\n")
    app = load_application(folder / "application.yaml")

    evidence = ingest_control(app.controls["ACCT-001"], folder)

    assert [d.path for d in evidence.documents] == ["response", "evidence/security-sop.pdf"]
    assert [(e.file, e.message) for e in evidence.errors] == [("evidence/security-sop.pdf", "listed 2 times; read once")]

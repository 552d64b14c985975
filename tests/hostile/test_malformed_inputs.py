"""Every malformed input gets a message naming the file and the problem; the rest of the
application is still graded; `grader assess` writes the report and exits 2
(docs/application-format.md, "Problems in the input").

One careless application carries every mistake at once and is graded once, through the CLI;
each test below reads the message one mistake got.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from grader.catalogue import CONTROL_IDS
from grader.ingest import ingest_control
from grader.ingest.application import load_application
from grader.models import ControlAnswer
from tests.app.answers import ACCT_001_ANSWER, SOP_PAGES
from tests.hostile.conftest import Run, assess
from tests.ingest import evidence

DEPTH = 70


def deeply_nested(depth: int) -> str:
    """A JSON policy wrapped in `depth` levels of objects."""
    data: object = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::orders/*"}
    for level in range(depth - 1):
        data = {f"level{level}": data}
    return json.dumps(data)


def indented(text: str, spaces: int = 6) -> str:
    return "\n".join(" " * spaces + line for line in text.splitlines())


CARELESS = f"""\
partner: Careless Cloud Ltd
controls:
  ACCT 001:
    response: |
{indented(ACCT_001_ANSWER)}
    attachments:
      - evidence/sop.pdf
      - ./evidence/sop.pdf
      - evidence/old-versions
      - evidence/locked.md
      - evidence/deep.json
  ope_002:
    response: Our operations runbook covers daily checks, patching and restarting the web tier.
  REL001:
    response: Every environment is deployed by CloudFormation from a pipeline; console changes are denied.
  ACCT-009:
    response: An answer for a control that does not exist.
  OPE-001:
    response: CloudWatch dashboards show CPU, memory and p99 latency for every service.
  OPE-001:
    response: Alarms fire at 80 percent CPU for five minutes and page the on-call engineer.
  NETSEC-001:
    response: "   \\n   "
  COST-001:
    response: https://contoso.example/cost-estimate
  DOC-001:
"""


def careless_application(folder: Path) -> Path:
    evidence.pdf(folder / "evidence/sop.pdf", SOP_PAGES)
    (folder / "evidence/old-versions").mkdir(parents=True)
    (folder / "evidence/locked.md").write_text("# Runbook\nRestart the web tier.\n", encoding="utf-8")
    (folder / "evidence/deep.json").write_text(deeply_nested(DEPTH), encoding="utf-8")
    (folder / "application.yaml").write_text(CARELESS, encoding="utf-8")
    return folder / "application.yaml"


def unreadable(name: str, patch: pytest.MonkeyPatch) -> None:
    """Make files called `name` unreadable the way chmod 000 does for a normal user (tests
    may run as root, who reads any file)."""
    real = os.access

    def access(path, mode, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).name == name and mode & os.R_OK:
            return False
        return real(path, mode, *args, **kwargs)

    patch.setattr(os, "access", access)


@pytest.fixture(scope="module")
def graded(module_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = tmp_path_factory.mktemp("careless")
    application = careless_application(folder)
    with pytest.MonkeyPatch.context() as patch:
        unreadable("locked.md", patch)
        return assess(application, folder / "report.json", "--format", "json")


def problems(run: Run) -> list[tuple[str | None, str, str]]:
    """(control, file, message) of every input problem in the report."""
    data = run.data
    found = [(e["control"], e["file"], e["message"]) for e in data["errors"]]
    return found + [(c["control"], e["file"], e["message"]) for c in data["controls"] for e in c["errors"]]


def message_for(run: Run, control: str, file: str) -> str:
    messages = [m for c, f, m in problems(run) if (c, f) == (control, file)]
    assert len(messages) == 1, problems(run)
    return messages[0]


# ----------------------------------------------------------------------- the run as a whole


def test_the_report_is_written_every_control_graded_and_the_exit_code_is_2(graded: Run) -> None:
    assert graded.exit_code == 2
    assert "Traceback" not in graded.stdout + graded.stderr
    assert [c["control"] for c in graded.data["controls"]] == list(CONTROL_IDS)
    assert f"{len(problems(graded))} input problem(s) listed in the report" in " ".join(graded.stderr.split())


def test_the_answers_around_the_mistakes_are_graded_as_usual(graded: Run) -> None:
    by_id = {c["control"]: c for c in graded.data["controls"]}
    for control in ("ACCT-001", "OPE-001", "OPE-002", "REL-001"):
        assert by_id[control]["answered"] and by_id[control]["judge"] == "offline", control
    acct = by_id["ACCT-001"]
    assert any(q["source"]["file"] == "evidence/sop.pdf" for c in acct["criteria"] for q in c["quotes"])
    assert "met" in {c["status"] for c in acct["criteria"]}


# ----------------------------------------------------------------------- one message per mistake


def test_json_nested_too_deep_is_read_as_text_and_said_so(graded: Run) -> None:
    assert message_for(graded, "ACCT-001", "evidence/deep.json") == (
        f"JSON nested {DEPTH} levels deep, more than the 40 the grader reads as data: read as plain text "
        "only; its structure was not checked (IAM, CloudFormation and export checks skipped)")


@pytest.mark.parametrize(("written", "read_as"), [("ACCT 001", "ACCT-001"), ("ope_002", "OPE-002"),
                                                  ("REL001", "REL-001")])
def test_a_spaced_or_run_together_control_id_is_read_and_the_fix_named(graded: Run, written: str, read_as: str) -> None:
    assert message_for(graded, read_as, "application.yaml") == (
        f"control id {written!r} read as {read_as}; write it as {read_as}")


def test_an_unknown_control_id_is_rejected_with_the_fix(graded: Run) -> None:
    message = message_for(graded, "ACCT-009", "application.yaml")
    assert message.startswith("unknown control id 'ACCT-009': not one of the eleven common controls, "
                              "so this answer was not graded; did you mean ACCT-001 or ACCT-002?")
    assert "ACCT-009" not in {c["control"] for c in graded.data["controls"]}


def test_a_control_given_twice_is_graded_as_one_answer_and_said(graded: Run) -> None:
    first, later = (n for n, line in enumerate(CARELESS.splitlines(), start=1) if line == "  OPE-001:")
    assert message_for(graded, "OPE-001", "application.yaml") == (
        f"OPE-001 is given twice (lines {first} and {later}): both answers are graded together, as one; "
        "write them as one entry")


def test_both_answers_of_a_control_given_twice_are_kept(tmp_path: Path) -> None:
    application = careless_application(tmp_path)

    answer = load_application(application).controls["OPE-001"]

    assert answer.response == (
        "CloudWatch dashboards show CPU, memory and p99 latency for every service.\n\n"
        "Alarms fire at 80 percent CPU for five minutes and page the on-call engineer.")


def test_an_attachment_listed_twice_is_read_once_and_said(graded: Run) -> None:
    assert message_for(graded, "ACCT-001", "evidence/sop.pdf") == "listed 2 times; read once"


def test_an_attachment_that_is_a_folder_is_said(graded: Run) -> None:
    assert message_for(graded, "ACCT-001", "evidence/old-versions") == "not a file (a folder or a device)"


def test_an_unreadable_attachment_is_said(graded: Run) -> None:
    assert message_for(graded, "ACCT-001", "evidence/locked.md") == "cannot be read (permission denied)"


def test_a_response_of_only_whitespace_is_said_and_graded_not_answered(graded: Run) -> None:
    assert message_for(graded, "NETSEC-001", "application.yaml") == (
        "NETSEC-001: the response is only whitespace and nothing is attached: graded as not answered")
    netsec = next(c for c in graded.data["controls"] if c["control"] == "NETSEC-001")
    assert not netsec["answered"] and netsec["verdict"] == "fail"


def test_an_empty_entry_is_said(graded: Run) -> None:
    assert message_for(graded, "DOC-001", "application.yaml") == (
        "DOC-001: the entry is empty: graded as not answered")


def test_a_response_that_is_only_a_link_is_said(graded: Run) -> None:
    assert message_for(graded, "COST-001", "response").startswith(
        "the answer is only a link (https://contoso.example/cost-estimate): the grader does not follow "
        "links, so what it points to was not graded; paste that text or attach the document")


# ----------------------------------------------------------------------- the same mistakes elsewhere


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway; the simulated tests stand in")
def test_a_chmod_000_attachment_is_said(tmp_path: Path) -> None:
    (tmp_path / "locked.md").write_text("# Runbook\n", encoding="utf-8")
    (tmp_path / "locked.md").chmod(0)
    (tmp_path / "application.yaml").write_text(
        "controls:\n  OPE-002:\n    response: See the runbook.\n    attachments: [locked.md]\n", encoding="utf-8")

    errors = load_application(tmp_path / "application.yaml").errors

    assert [(e.file, e.message) for e in errors] == [("locked.md", "cannot be read (permission denied)")]


def test_a_file_that_cannot_be_opened_while_read_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The app writes uploads itself and reads them with no pre-check: the reader must say it.
    (tmp_path / "locked.md").write_text("# Runbook\n", encoding="utf-8")
    real = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "locked.md":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)

    result = ingest_control(ControlAnswer(control="OPE-002", response="See the runbook.",
                                          attachments=["locked.md"]), tmp_path)

    assert [(e.file, e.message) for e in result.errors] == [("locked.md", "cannot read the file: Permission denied")]
    assert [d.path for d in result.documents] == ["response"]


def test_a_control_given_twice_in_a_json_application_keeps_both_answers(tmp_path: Path) -> None:
    (tmp_path / "application.json").write_text(
        '{"controls": {"OPE-001": {"response": "Dashboards."}, "ope 001": {"response": "Alarms."}}}',
        encoding="utf-8")

    application = load_application(tmp_path / "application.json")

    assert application.controls["OPE-001"].response == "Dashboards.\n\nAlarms."
    assert "OPE-001 is given twice (as 'OPE-001' and 'ope 001'): both answers are graded together, as one; " \
           "write them as one entry" in [e.message for e in application.errors]


def test_a_controls_mapping_given_twice_keeps_the_controls_of_both(tmp_path: Path) -> None:
    (tmp_path / "application.yaml").write_text(
        "controls:\n  OPE-001: Dashboards.\ncontrols:\n  OPE-002: A runbook.\n", encoding="utf-8")

    application = load_application(tmp_path / "application.yaml")

    assert sorted(application.controls) == ["OPE-001", "OPE-002"]
    assert [e.message for e in application.errors] == [
        "'controls' appears twice (line 3): the controls of both are graded"]


def test_an_application_file_nested_without_end_is_one_line_and_exit_2(module_home: Path, tmp_path: Path) -> None:
    (tmp_path / "application.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")

    run = assess(tmp_path / "application.json", tmp_path / "report.md")

    assert run.exit_code == 2
    assert "application.json: nested too deeply to read as an application" in run.stderr
    assert "Traceback" not in run.stdout + run.stderr

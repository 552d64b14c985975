"""`grader assess`: exit 0 all pass, 1 any fail, 2 bad input; reports to stdout or a file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from grader.cli import app

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sample-application" / "application.yaml"
runner = CliRunner()


def test_sample_application_fails_with_exit_1_and_writes_html(grader_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["assess", str(SAMPLE), "--format", "html", "--out", str(out), "-q"])
    assert result.exit_code == 1, result.output
    html = out.read_text(encoding="utf-8")
    assert "controls pass" in html and "NETSEC-001" in html


def test_exit_code_is_0_only_when_every_control_passes(grader_home: Path, monkeypatch) -> None:
    # The exit-code mapping is what is pinned here, so a judge that passes every criterion
    # stands in for a perfect application (the verdict rules still apply).
    from grader.catalogue import get_catalogue
    from grader.judges.verdict import control_verdict
    from grader.models import ControlAssessment, CriterionVerdict

    class PassingJudge:
        name = "always-met"
        model = None
        needs_examples = False
        concurrent = False
        setup: dict[str, str] = {}

        def judge(self, control, evidence, findings):
            verdicts = [CriterionVerdict(slug=c.slug, status="met") for c in control.criteria]
            return ControlAssessment(control=control.id, verdict=control_verdict(verdicts, []),
                                     criteria=verdicts, judge=self.name)

    monkeypatch.setattr("grader.engine.make_judge", lambda *a, **k: PassingJudge())
    full = {c.id for c in get_catalogue()}
    result = runner.invoke(app, ["assess", str(SAMPLE), "--format", "json", "-q"])
    assert len(full) == 11
    assert result.exit_code == 0, result.output
    assert '"verdict": "fail"' not in result.stdout


def test_missing_application_file_is_one_clear_line_and_exit_2(grader_home: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["assess", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "nope.yaml" in result.output and "Traceback" not in result.output


def test_unknown_format_is_exit_2(grader_home: Path) -> None:
    result = runner.invoke(app, ["assess", str(SAMPLE), "--format", "pdf"])
    assert result.exit_code == 2
    assert "unknown format" in result.output


def test_llm_judge_without_model_is_exit_2_not_a_traceback(grader_home: Path, monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_MODEL", raising=False)
    monkeypatch.delenv("GRADER_MODEL", raising=False)
    result = runner.invoke(app, ["assess", str(SAMPLE), "--judge", "llm"])
    assert result.exit_code == 2
    assert "needs a model" in result.output


def test_an_unknown_control_id_is_listed_counted_and_exit_2_with_the_rest_graded(grader_home: Path, tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(
        "partner: X\ncontrols:\n  XYZ-999:\n    response: hello\n"
        "  OPE-003:\n    response: We test in staging with automated tests.\n", encoding="utf-8")
    out = tmp_path / "report.md"

    result = runner.invoke(app, ["assess", str(tmp_path / "app.yaml"), "-q", "--out", str(out)])

    assert result.exit_code == 2
    report = out.read_text(encoding="utf-8")
    assert "unknown control id 'XYZ-999'" in report and "## OPE-003" in report
    assert "1 input problem(s) listed in the report" in " ".join(result.output.split())


def test_evidence_above_the_close_reading_budget_is_named_in_a_note_and_flagged(
    grader_home: Path, tmp_path: Path, monkeypatch
) -> None:
    from grader.config import reset_settings

    monkeypatch.setenv("GRADER_CLOSE_READING_CHARS", "10000")
    reset_settings()
    runbook = "\n\n".join(f"Step {i}. The on-call engineer checks dashboard {i} and writes the outcome in the log."
                          for i in range(600))
    (tmp_path / "runbook.md").write_text(runbook, encoding="utf-8")
    (tmp_path / "app.yaml").write_text(
        "controls:\n  OPE-002:\n    response: Our runbook is attached.\n    attachments: [runbook.md]\n",
        encoding="utf-8")
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["assess", str(tmp_path / "app.yaml"), "-o", str(out), "-q"])
    assert result.exit_code == 1, result.output
    assert "note: OPE-002: runbook.md: the evidence for OPE-002 is above the close-reading budget" in result.stderr
    report = out.read_text(encoding="utf-8")
    assert "Flagged for the reviewer" in report and "evidence.sampled: runbook.md" in report

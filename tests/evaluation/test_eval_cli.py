"""`grader eval` end to end with a fake engine: table, --json, --markdown + PNGs, the gate."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from evalkit import write
from grader.cli import app

SPEC_KEYS = {
    "control_accuracy", "control_kappa", "fail_precision", "fail_recall", "criterion_accuracy",
    "n_cases", "per_control", "per_tag", "disagreements", "seconds_per_case",
}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def grader_eval(fake_engine):
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["eval", "--quiet", *map(str, args)])


def test_prints_the_table(grader_eval, foreign_set):
    result = grader_eval("--cases", foreign_set)

    assert result.exit_code == 0, result.output
    for text in ("control accuracy", "0.750", "Cohen's kappa", "0.500", "fail recall", "Per control",
                 "Per tag", "net-hedged", "looked for 'sg-internet'"):
        assert text in result.stdout
    # The one bad answer passed comes first, before the confusion matrices.
    out = result.stdout
    assert out.index("Bad answers passed") < out.index("net-hedged") < out.index("Control verdicts")


def test_json_has_the_spec_keys_and_the_extras(grader_eval, foreign_set, tmp_path):
    out = tmp_path / "reports/offline.json"

    assert grader_eval("--cases", foreign_set, "--json", out).exit_code == 0

    report = json.loads(out.read_text())
    assert SPEC_KEYS <= set(report)
    assert {"fail_f1", "control_confusion", "criterion_confusion", "llm_calls", "prompt_tokens",
            "completion_tokens", "cases"} <= set(report)
    assert report["n_cases"] == 4 and report["control_accuracy"] == 0.75
    assert report["disagreements"][0]["id"] == "net-hedged"
    assert [d["id"] for d in report["bad_passed"]] == ["net-hedged"]
    assert report["fail_recall_ci"]["low"] < 0.5 < report["fail_recall_ci"]["high"]
    assert report["per_control"]["ACCT-001"]["n_cases"] == 2


def test_markdown_comes_with_two_pictures(grader_eval, foreign_set, tmp_path):
    md = tmp_path / "reports/offline.md"

    assert grader_eval("--cases", foreign_set, "--markdown", md).exit_code == 0

    pictures = [tmp_path / "reports/offline-confusion.png", tmp_path / "reports/offline-per-control.png"]
    for png in pictures:
        assert png.read_bytes().startswith(PNG_MAGIC) and png.stat().st_size > 1000
    text = md.read_text()
    assert "![offline-confusion](offline-confusion.png)" in text
    assert "| control accuracy [95% CI] | 0.750 [0.30–0.95] |" in text
    assert text.index("## Bad answers passed (1)") < text.index("`net-hedged`") < text.index("## Confusion")


def test_filters_by_tag_and_control(grader_eval, foreign_set, tmp_path):
    out = tmp_path / "o.json"
    assert grader_eval("--cases", foreign_set, "--tag", "good", "--tag", "planned", "--json", out).exit_code == 0
    assert json.loads(out.read_text())["n_cases"] == 3
    assert grader_eval("--cases", foreign_set, "--control", "ACCT-001", "--json", out).exit_code == 0
    assert json.loads(out.read_text())["n_cases"] == 2


def test_no_matching_case_or_unknown_control_is_a_usage_error(grader_eval, foreign_set):
    assert grader_eval("--cases", foreign_set, "--tag", "nothing-has-this").exit_code == 2
    result = grader_eval("--cases", foreign_set, "--control", "XYZ-001")
    assert result.exit_code == 2
    assert "unknown control(s) XYZ-001" in result.stderr


def test_load_errors_are_listed_one_per_line_with_exit_2(grader_eval, tmp_path):
    write(tmp_path / "a/one.yaml", "id: one\ncontrol: ACCT-001\nexpected: {verdict: pass, criteria: {nope: met}}\n")
    write(tmp_path / "b/two.yml", "id: two\ncontrol: ACCT-001\n")

    result = grader_eval("--cases", tmp_path)

    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'a/one.yaml'}: unknown criterion 'nope' for ACCT-001")
    assert lines[1] == f"{tmp_path / 'b/two.yml'}: has 'control' but no 'expected': a case needs both"
    assert "2 problem(s) loading cases" in lines[2]
    assert "Traceback" not in result.output


def test_gate_passes_against_its_own_baseline(grader_eval, foreign_set, tmp_path):
    baseline = tmp_path / "baseline-offline.json"

    assert grader_eval("--cases", foreign_set, "--write-baseline", baseline).exit_code == 0
    saved = json.loads(baseline.read_text())
    assert (saved["control_accuracy"], saved["fail_recall"], saved["criterion_accuracy"]) == (0.75, 0.5, 0.8)

    result = grader_eval("--cases", foreign_set, "--baseline", baseline)
    assert result.exit_code == 0
    assert "regression gate passed" in result.stderr


def test_gate_fails_with_exit_1_naming_what_got_worse(grader_eval, foreign_set, tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"control_accuracy": 0.9, "fail_recall": 0.51, "criterion_accuracy": 0.8}))

    result = grader_eval("--cases", foreign_set, "--baseline", baseline, "--tolerance", "0.02")

    assert result.exit_code == 1
    assert "control_accuracy 0.9 -> 0.75 (-0.15 > 0.02)" in result.stderr
    assert "fail_recall" not in result.stderr  # 0.51 -> 0.5 is within the tolerance
    assert grader_eval("--cases", foreign_set, "--baseline", baseline, "--tolerance", "0.2").exit_code == 0


def test_a_missing_baseline_is_a_usage_error_before_grading(grader_eval, foreign_set, tmp_path):
    result = grader_eval("--cases", foreign_set, "--baseline", tmp_path / "absent.json")
    assert result.exit_code == 2
    assert "baseline file not found" in result.stderr
    assert "control accuracy" not in result.stdout

"""`grader --version`, `controls`, `show` and `index` through the real CLI app."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from grader import __version__
from grader.cli import app

runner = CliRunner()


def test_version_prints_the_package_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"grader {__version__}"


def test_controls_json_lists_the_eleven_controls_with_the_contract_slugs(grader_home, contract):
    result = runner.invoke(app, ["controls", "--json"])
    assert result.exit_code == 0, result.output
    listing = json.loads(result.stdout)
    assert [c["id"] for c in listing] == list(contract)
    for control in listing:
        assert [k["slug"] for k in control["criteria"]] == contract[control["id"]]
        assert control["title"] and all(k["title"] for k in control["criteria"])


def test_controls_table_shows_every_control_id(grader_home, contract):
    result = runner.invoke(app, ["controls"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for control_id in contract:
        assert control_id in result.stdout


def test_show_prints_requirement_criteria_and_fixes(grader_home, contract):
    result = runner.invoke(app, ["show", "acct-001"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ACCT-001 ")
    for slug in contract["ACCT-001"]:
        assert slug in result.stdout
    assert "Requirement" in result.stdout and "fix:" in result.stdout


def test_show_an_unknown_control_is_one_error_line_and_exit_2(grader_home):
    result = runner.invoke(app, ["show", "XYZ-999"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: unknown control 'XYZ-999'; known: DOC-001, ACCT-001")


def test_index_twice_embeds_everything_then_nothing(grader_home):
    first = runner.invoke(app, ["index", "--quiet"])
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("indexed 11 controls (")
    second = runner.invoke(app, ["index", "--quiet"])
    assert second.exit_code == 0, second.output
    assert second.stdout.startswith(
        "knowledge index up to date: 11 controls unchanged, nothing embedded"
    )
    rebuilt = runner.invoke(app, ["index", "--quiet", "--rebuild"])
    assert rebuilt.stdout.startswith("indexed 11 controls (")


def test_index_against_an_unreachable_server_is_one_error_line_and_exit_2(grader_home):
    result = runner.invoke(app, ["index", "--chroma-url", "http://127.0.0.1:9"])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: cannot reach Chroma at URL: http://127.0.0.1:9")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.server
def test_index_with_chroma_url_uses_the_server(grader_home, chroma_server):
    result = runner.invoke(app, ["index", "--quiet", "--rebuild", "--chroma-url", chroma_server])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("indexed 11 controls (")
    assert chroma_server in result.stdout
    assert not (grader_home / "chroma").exists()


@pytest.mark.parametrize("command", ["assess", "eval", "ingest", "app"])
def test_help_shows_no_type_beside_a_plain_flag(command):
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--help" in result.output and "<bool>" not in result.output


def test_an_option_that_takes_a_value_still_shows_its_type():
    result = runner.invoke(app, ["assess", "--help"], env={"COLUMNS": "200"})
    assert re.search(r"--out\s+-o\s+<path>", result.output)

"""`grader app`: starts `streamlit run app.py` headless, passing the port through."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from grader.cli import app as cli
from grader.cli import webapp


def test_grader_app_runs_streamlit_headless_on_the_given_port(monkeypatch) -> None:
    seen: list[list[str]] = []

    def fake_call(command: list[str]) -> int:
        seen.append(command)
        return 0

    monkeypatch.setattr(subprocess, "call", fake_call)
    result = CliRunner().invoke(cli, ["app", "--port", "8765", "--address", "127.0.0.1"])
    assert result.exit_code == 0, result.output
    (command,) = seen
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", str(webapp.APP_SCRIPT)]
    assert webapp.APP_SCRIPT.name == "app.py" and webapp.APP_SCRIPT.is_file()
    pairs = dict(zip(command[5::2], command[6::2]))
    assert pairs == {
        "--server.headless": "true",
        "--browser.gatherUsageStats": "false",
        "--client.toolbarMode": "minimal",
        "--server.port": "8765",
        "--server.address": "127.0.0.1",
    }


def test_streamlit_exit_code_is_passed_on(monkeypatch) -> None:
    monkeypatch.setattr(subprocess, "call", lambda command: 3)
    assert CliRunner().invoke(cli, ["app"]).exit_code == 3


def test_an_impossible_port_is_refused_before_starting(monkeypatch) -> None:
    monkeypatch.setattr(subprocess, "call", lambda command: (_ for _ in ()).throw(AssertionError("started")))
    result = CliRunner().invoke(cli, ["app", "--port", "70000"])
    assert result.exit_code == 2
    assert "--port 70000" in result.output

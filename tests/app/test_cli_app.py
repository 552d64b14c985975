"""`grader app`: starts `streamlit run app.py` headless, passing the port through."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from grader.cli import app as cli
from grader.cli import webapp


class FakeServer:
    """Stands in for the Streamlit process: records the command, exits with `code`."""

    commands: list[list[str]] = []
    code = 0

    def __init__(self, command: list[str]) -> None:
        FakeServer.commands.append(command)
        self.returncode = FakeServer.code

    def wait(self) -> int:
        return self.returncode

    def send_signal(self, signum: int) -> None:  # pragma: no cover - not signalled here
        pass


@pytest.fixture
def fake_server(monkeypatch) -> type[FakeServer]:
    FakeServer.commands = []
    FakeServer.code = 0
    monkeypatch.setattr(subprocess, "Popen", FakeServer)
    return FakeServer


def test_grader_app_runs_streamlit_headless_on_the_given_port(fake_server) -> None:
    result = CliRunner().invoke(cli, ["app", "--port", "8765", "--address", "127.0.0.1"])
    assert result.exit_code == 0, result.output
    (command,) = fake_server.commands
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", str(webapp.APP_SCRIPT)]
    assert webapp.APP_SCRIPT.name == "app.py" and webapp.APP_SCRIPT.is_file()
    pairs = dict(zip(command[5::2], command[6::2]))
    assert pairs == {
        "--server.headless": "true",
        "--browser.gatherUsageStats": "false",
        "--client.toolbarMode": "minimal",
        "--server.maxUploadSize": "25",  # the grader's GRADER_MAX_FILE_MB, stated by the upload widget
        "--server.port": "8765",
        "--server.address": "127.0.0.1",
    }


def test_the_app_listens_on_this_machine_only_unless_told_otherwise(fake_server) -> None:
    assert CliRunner().invoke(cli, ["app"]).exit_code == 0
    assert CliRunner().invoke(cli, ["app", "--address", "0.0.0.0"]).exit_code == 0
    first, second = (dict(zip(c[5::2], c[6::2])) for c in fake_server.commands)
    assert first["--server.address"] == "127.0.0.1"
    assert second["--server.address"] == "0.0.0.0"


def test_streamlit_exit_code_is_passed_on(fake_server) -> None:
    fake_server.code = 3
    assert CliRunner().invoke(cli, ["app"]).exit_code == 3


def test_an_impossible_port_is_refused_before_starting(fake_server) -> None:
    result = CliRunner().invoke(cli, ["app", "--port", "70000"])
    assert result.exit_code == 2
    assert "--port 70000" in result.output
    assert fake_server.commands == []


@pytest.mark.server
def test_stopping_grader_app_stops_the_server_it_started(tmp_path) -> None:
    """SIGTERM to `grader app` reaches the server process: nothing is left running."""
    child_pid = tmp_path / "child.pid"
    # A stand-in server: records its pid, then sleeps until signalled.
    script = f"import os,time; open({str(child_pid)!r},'w').write(str(os.getpid())); time.sleep(120)"
    runner = (
        "import sys; from grader.cli.webapp import run_server; "
        f"sys.exit(run_server([sys.executable, '-c', {script!r}]))"
    )
    parent = subprocess.Popen([sys.executable, "-c", runner])
    try:
        deadline = time.monotonic() + 30
        while not child_pid.exists() or not child_pid.read_text():
            assert time.monotonic() < deadline, "stand-in server did not start"
            time.sleep(0.05)
        pid = int(child_pid.read_text())
        parent.send_signal(signal.SIGTERM)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _alive(pid):
            assert time.monotonic() < deadline, f"server {pid} survived grader app"
            time.sleep(0.05)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent has not collected it yet.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False

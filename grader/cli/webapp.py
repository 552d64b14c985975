"""grader app: serve the Streamlit app (app.py at the repository root) with `streamlit run`."""

from __future__ import annotations

import math
import signal
import subprocess
import sys
from pathlib import Path
from typing import Optional

import typer

from grader.cli.base import app, fail
from grader.config import REPO_ROOT

APP_SCRIPT = REPO_ROOT / "app.py"


# Partners' evidence is in the app: it answers only on this machine unless told otherwise.
DEFAULT_ADDRESS = "127.0.0.1"


def streamlit_command(script: Path, port: int | None = None, address: str = DEFAULT_ADDRESS) -> list[str]:
    """The `streamlit run` command line: headless, no usage statistics sent anywhere."""
    from grader.config import get_settings

    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "minimal",  # no "Deploy" button: this app runs where it is
        # The upload widget states this limit: the grader's own (GRADER_MAX_FILE_MB), not
        # Streamlit's default of 200 MB that the grader would then reject.
        "--server.maxUploadSize", str(max(1, math.ceil(get_settings().max_file_mb))),
    ]
    if port is not None:
        command += ["--server.port", str(port)]
    return command + ["--server.address", address]


@app.command("app")
def serve_app(
    port: Optional[int] = typer.Option(None, "--port", "-p", help="Port to serve on (Streamlit's default: 8501)."),
    address: str = typer.Option(
        DEFAULT_ADDRESS, "--address",
        help="Interface to listen on. 127.0.0.1 (default) serves this machine only; 0.0.0.0 serves every "
             "interface: put an authenticating proxy in front (README, 'Serving the app to a team').",
    ),
) -> None:
    """Start the web app: paste or upload answers, get a draft assessment, review and export."""
    if not APP_SCRIPT.is_file():
        raise fail(f"{APP_SCRIPT}: the app script is missing; run `grader app` from a source checkout")
    if port is not None and not 1 <= port <= 65535:
        raise fail(f"--port {port}: expected a port number between 1 and 65535")
    raise typer.Exit(code=run_server(streamlit_command(APP_SCRIPT, port, address)))


def run_server(command: list[str]) -> int:
    """Run the server until it exits; SIGTERM/Ctrl-C to `grader app` stop it too (no orphan)."""
    server = subprocess.Popen(command)

    def stop(signum: int, _frame: object) -> None:
        server.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return server.wait()
    except KeyboardInterrupt:  # Ctrl-C reached both processes: wait for Streamlit's clean exit
        return 0 if server.wait() in (0, -signal.SIGINT) else server.returncode
    finally:
        signal.signal(signal.SIGTERM, previous)

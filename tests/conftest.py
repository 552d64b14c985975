"""Shared fixtures: an isolated GRADER_HOME and a real local Chroma server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.config import reset_settings
from tests.servers import stop, wait_until_healthy

# Transcribed from shared/spec/controls.md (the contract table); never derived from the code.
CONTRACT: dict[str, list[str]] = {
    "DOC-001": ["diagram", "services", "network-layout", "auto-scaling", "high-availability"],
    "ACCT-001": ["root-usage", "root-mfa", "contacts", "cloudtrail", "sop", "customer-example"],
    "ACCT-002": [
        "access-approach", "temporary-credentials", "federation", "least-privilege",
        "dedicated-credentials", "sop", "customer-example",
    ],
    "OPE-001": ["health-metrics", "logs", "alert-thresholds", "sop", "customer-example"],
    "OPE-002": ["routine-tasks", "troubleshooting", "kpi-coverage", "sop"],
    "OPE-003": ["testing-process", "automated-tests", "checklist"],
    "NETSEC-001": ["sg-internet", "sg-internal", "nacl", "sop", "customer-example"],
    "NETSEC-002": [
        "public-endpoints", "outbound-encryption", "encryption-at-rest", "key-management",
        "sop", "customer-example",
    ],
    "REL-001": ["automation-tooling", "no-console-changes", "template"],
    "REL-002": ["rto-rpo", "recovery-process", "customer-communication", "customer-example"],
    "COST-001": ["cost-inputs", "estimate-summary", "business-value", "cost-artifact"],
}


@pytest.fixture
def contract() -> dict[str, list[str]]:
    """control id -> criterion slugs, in the contract's order."""
    return {cid: list(slugs) for cid, slugs in CONTRACT.items()}


@pytest.fixture
def grader_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """GRADER_HOME in a fresh temporary directory, no Chroma server configured."""
    home = tmp_path / "grader-home"
    monkeypatch.setenv("GRADER_HOME", str(home))
    monkeypatch.delenv("GRADER_CHROMA_URL", raising=False)
    reset_settings()
    yield home
    reset_settings()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chroma_binary() -> str:
    beside_python = Path(sys.executable).with_name("chroma")
    found = str(beside_python) if beside_python.exists() else shutil.which("chroma")
    if not found:
        pytest.fail("the `chroma` command (installed with chromadb) is not on this machine")
    return found


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a `chroma run` server on 127.0.0.1, started for this test session."""
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data / "server.log").open("wb")
    proc = subprocess.Popen(
        [_chroma_binary(), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(data / "db")],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(proc, f"{url}/api/v2/heartbeat", lambda r: r.status_code == 200, 60,
                           lambda: f"see {data / 'server.log'}")
        yield url
    finally:
        stop(proc)
        log.close()
        log.close()

"""What the hostile-input tests share: a GRADER_HOME for a whole module (one slow grading run
serves many small tests), and `grader assess` run in process, its report read back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.cli import app as cli
from grader.config import reset_settings
from tests.app.conftest import app, local_store, store  # noqa: F401 - the app tests' fixtures, shared


@pytest.fixture(scope="module")
def module_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An isolated GRADER_HOME (no Chroma server, the SQLite store) for every test of a module."""
    home = tmp_path_factory.mktemp("grader-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADER_HOME", str(home))
        for name in ("GRADER_CHROMA_URL", "GRADER_DB_URL", "GRADER_JUDGE"):
            patch.delenv(name, raising=False)
        reset_settings()
        yield home
    reset_settings()


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    report: str  # the report file's text ("" when none was written)

    @property
    def data(self) -> dict:
        return json.loads(self.report)


def assess(application: Path, out: Path, *options: str) -> Run:
    """`grader assess APPLICATION --out OUT -q OPTIONS...`, in process."""
    result = CliRunner().invoke(cli, ["assess", str(application), "--out", str(out), "-q", *options])
    report = out.read_text(encoding="utf-8") if out.exists() else ""
    return Run(result.exit_code, result.stdout, result.stderr, report)

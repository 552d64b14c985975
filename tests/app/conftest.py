"""Fixtures for the app tests: an isolated GRADER_HOME (so an isolated store) and AppTest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from grader.config import REPO_ROOT
from grader.webapp.store import AssessmentStore, open_store

APP = REPO_ROOT / "app.py"
# The first assessment in a process loads the embedding model and embeds the calibration
# examples; later ones reuse both. Generous, because CI machines vary.
RUN_TIMEOUT_S = 600


@pytest.fixture(autouse=True)
def local_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every app test uses the SQLite store under its own GRADER_HOME, never a shared one."""
    monkeypatch.delenv("GRADER_DB_URL", raising=False)


@pytest.fixture
def app(grader_home: Path) -> Callable[[], AppTest]:
    """Start the app in process, against a fresh store under a temporary GRADER_HOME."""

    def start() -> AppTest:
        return AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT_S).run()

    return start


@pytest.fixture
def store(grader_home: Path) -> AssessmentStore:
    return open_store()

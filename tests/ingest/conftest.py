"""Fixtures for the ingest tests: small ingestion limits that the tests can exceed cheaply."""

from __future__ import annotations

import pytest

from grader.config import reset_settings


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch):
    """Set GRADER_MAX_FILE_MB / GRADER_MAX_UNZIPPED_MB for one test."""

    def apply(max_file_mb: float | None = None, max_unzipped_mb: float | None = None) -> None:
        if max_file_mb is not None:
            monkeypatch.setenv("GRADER_MAX_FILE_MB", str(max_file_mb))
        if max_unzipped_mb is not None:
            monkeypatch.setenv("GRADER_MAX_UNZIPPED_MB", str(max_unzipped_mb))
        reset_settings()

    yield apply
    reset_settings()

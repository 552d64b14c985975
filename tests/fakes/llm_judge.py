"""Pointing the real LLM judge at a FakeOpenAI server: settings and one-control grading."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from grader.config import Settings
from grader.engine import assess_control, make_judge
from grader.models import ControlAnswer, ControlAssessment
from tests.fakes.openai_server import FakeOpenAI


def llm_settings(server: FakeOpenAI, home: Path, model: str = "gpt-4o-mini", **overrides: object) -> Settings:
    """LLM-judge settings aimed at the fake: fast retries, no cache unless asked for.

    model/base_url/api_key are set the way the CLI sets them (model_copy): Settings reads
    them from GRADER_*/OPENAI_* aliases only, so Settings(model=...) would be ignored.
    """
    fields = {"judge": "llm", "home": home, "retry_wait": 0.01, "max_retries": 3, "llm_cache": False,
              **overrides}
    return Settings(**fields).model_copy(
        update={"model": model, "base_url": server.base_url, "api_key": SecretStr("test")}
    )


def write_files(folder: Path, files: dict[str, str | bytes]) -> list[str]:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return list(files)


def grade_with_llm(settings: Settings, folder: Path, control: str, response: str,
                   attachments: list[str] | None = None) -> ControlAssessment:
    """One control through the real pipeline (ingest, checks, retrieval) and the LLM judge."""
    answer = ControlAnswer(control=control, response=response, attachments=attachments or [])
    return assess_control(answer, folder, make_judge("llm", settings), settings=settings)

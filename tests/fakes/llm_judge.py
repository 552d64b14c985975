"""Running the real LLM judge in tests: over HTTP at a FakeOpenAI server, or in process on a
FakeChatModel (tests/fakes/chat_model.py); settings and one-control grading for both."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from grader.config import Settings
from grader.engine import assess_control, make_judge
from grader.judges.base import Judge
from grader.models import ControlAnswer, ControlAssessment
from tests.fakes.openai_server import FakeOpenAI

if TYPE_CHECKING:
    from grader.judges.llm import LLMJudge
    from tests.fakes.chat_model import FakeChatModel


def judge_settings(home: Path, model: str = "gpt-4o-mini", **overrides: object) -> Settings:
    """LLM-judge settings for tests: fast retries, no cache unless asked for.

    model/base_url/api_key are set the way the CLI sets them (model_copy): Settings reads them
    from GRADER_*/OPENAI_* aliases only, so Settings(model=...) would be ignored. No endpoint
    and no key, whatever the environment says: for the in-process fake chat model. The offline
    cross-check is off: these tests pin the LLM judge alone (test_crosscheck.py pins the pair).
    """
    fields = {"judge": "llm", "home": home, "retry_wait": 0.01, "max_retries": 3, "llm_cache": False,
              "cross_check": False, **overrides}
    return Settings(**fields).model_copy(update={"model": model, "base_url": None, "api_key": None})


def llm_settings(server: FakeOpenAI, home: Path, model: str = "gpt-4o-mini", **overrides: object) -> Settings:
    """judge_settings aimed at the fake server (base_url and a dummy key, as the CLI sets them)."""
    return judge_settings(home, model, **overrides).model_copy(
        update={"base_url": server.base_url, "api_key": SecretStr("test")}
    )


def fake_judge(fake: FakeChatModel, settings: Settings) -> LLMJudge:
    """The real LLMJudge on an in-process chat model."""
    from grader.judges.llm import LLMJudge  # deferred, as in make_judge: langchain takes ~0.7 s to import

    return LLMJudge(fake, settings.model or "", settings)


def write_files(folder: Path, files: dict[str, str | bytes]) -> list[str]:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return list(files)


def grade(judge: Judge, settings: Settings, folder: Path, control: str, response: str,
          attachments: list[str] | None = None) -> ControlAssessment:
    """One control through the real pipeline (ingest, checks, retrieval) and the given judge."""
    answer = ControlAnswer(control=control, response=response, attachments=attachments or [])
    return assess_control(answer, folder, judge, settings=settings)


def grade_with_llm(settings: Settings, folder: Path, control: str, response: str,
                   attachments: list[str] | None = None) -> ControlAssessment:
    """One control graded by the LLM judge the settings describe (over HTTP for llm_settings)."""
    return grade(make_judge("llm", settings), settings, folder, control, response, attachments)


def grade_with_fake(fake: FakeChatModel, settings: Settings, folder: Path, control: str, response: str,
                    attachments: list[str] | None = None) -> ControlAssessment:
    """One control graded by the LLM judge on an in-process fake chat model: no server."""
    return grade(fake_judge(fake, settings), settings, folder, control, response, attachments)


# ---------------------------------------------------------------------- an ACCT-001 application
# Shared by the in-process tests (test_llm_judge.py) and the wire tests (test_llm_requests.py).

ACCT_001_RESPONSE = """\
All contact information is set to company-owned phone numbers and the contact email addresses
are an internal distribution list (aws-root@northwind.example) instead of a single person's
address. CloudTrail is enabled in all AWS regions, not only the ones we use, and the logs go to a
dedicated S3 bucket (nw-cloudtrail-archive) with MFA delete, readable only by the CISO.
For Fabrikam Retail we created account fabrikam-prod (444455556666) this way in April.
"""
ACCT_001_SOP_PAGES = [
    "Security Engagement SOP - account governance\n"
    "1. The root user is used only for tasks that require it, such as changing the support plan.",
    "2. MFA is enabled on the root user with a hardware token before any other work.\n"
    "3. Account contacts are set to corporate distribution lists.",
]
# What a careful model would quote for each ACCT-001 criterion (all of it really in the evidence).
ACCT_001_GOOD_QUOTES = {
    "root-usage": ["The root user is used only for tasks that require it, such as changing the support plan."],
    "root-mfa": ["MFA is enabled on the root user with a hardware token before any other work."],
    "contacts": ["the contact email addresses are an internal distribution list (aws-root@northwind.example)"],
    "cloudtrail": ["CloudTrail is enabled in all AWS regions, not only the ones we use"],
    "sop": ["Security Engagement SOP - account governance"],
    "customer-example": ["For Fabrikam Retail we created account fabrikam-prod (444455556666) this way in April."],
}


def acct_001_folder(tmp_path: Path) -> Path:
    """An ACCT-001 evidence folder: the answer is passed in code, the SOP is a 2-page PDF (sop.pdf)."""
    from tests.ingest.evidence import pdf  # deferred: fpdf, docx and openpyxl are not needed otherwise

    folder = tmp_path / "application"
    pdf(folder / "sop.pdf", ACCT_001_SOP_PAGES)
    return folder

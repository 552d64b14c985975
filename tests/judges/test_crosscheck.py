"""Two judges that check each other: the LLM's reading against the offline judge's."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.judges.crosscheck import CrossCheckedJudge, reconcile
from grader.judges.offline import OfflineJudge
from grader.models import CriterionVerdict
from tests.fakes.chat_model import FakeChatModel, answering
from tests.fakes.llm_judge import (
    ACCT_001_GOOD_QUOTES,
    ACCT_001_RESPONSE,
    acct_001_folder,
    fake_judge,
    grade,
    judge_settings,
)
from tests.fakes.openai_server import quoting_judgement


def verdict(status: str, why: str) -> CriterionVerdict:
    return CriterionVerdict(slug="root-mfa", status=status, rationale=why)


def test_agreeing_judges_keep_the_models_verdict_unflagged():
    model = verdict("met", "quoted the SOP")
    assert reconcile(model, verdict("met", "offline"), "offline") is model


@pytest.mark.parametrize(("model", "offline", "stands"), [
    ("met", "not_met", "not_met"), ("not_met", "met", "not_met"), ("met", "partial", "partial")])
def test_disagreeing_judges_leave_the_stricter_reading_flagged_with_both_rationales(model, offline, stands):
    result = reconcile(verdict(model, "the model's reason"), verdict(offline, "the offline reason"), "offline")
    assert result.status == stands
    assert "the model's reason" in result.needs_review and "the offline reason" in result.needs_review


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    return acct_001_folder(tmp_path)


def cross_checked(fake: FakeChatModel, home: Path) -> tuple[CrossCheckedJudge, object]:
    settings = judge_settings(home)
    return CrossCheckedJudge(fake_judge(fake, settings), OfflineJudge()), settings


def test_a_bad_answer_the_model_passes_is_not_a_clean_pass(grader_home: Path, evidence: Path) -> None:
    # The answer leaves root MFA to the customer; a careless model calls every criterion met,
    # quoting real sentences. The offline judge reads the hand-off and the stricter reading stands.
    response = ACCT_001_RESPONSE + "MFA on the root user is recommended and can be enabled by the customer after handover.\n"
    quotes = {**ACCT_001_GOOD_QUOTES, "root-mfa": ["MFA on the root user is recommended"]}
    judge, settings = cross_checked(FakeChatModel(answering(lambda body: quoting_judgement(body, quotes))), grader_home)

    result = grade(judge, settings, evidence, "ACCT-001", response, ["sop.pdf"])

    assert result.verdict == "fail" and result.flagged
    mfa = result.criterion("root-mfa")
    assert mfa.status == "not_met" and "the model read met" in mfa.needs_review
    assert result.second_opinion.judge == "offline" and result.second_opinion.criteria["root-mfa"] == "not_met"


def test_where_both_judges_agree_nothing_is_flagged(grader_home: Path, evidence: Path) -> None:
    judge, settings = cross_checked(
        FakeChatModel(answering(lambda body: quoting_judgement(body, ACCT_001_GOOD_QUOTES))), grader_home)

    result = grade(judge, settings, evidence, "ACCT-001", ACCT_001_RESPONSE, ["sop.pdf"])

    disagreements = [c.slug for c in result.criteria if c.needs_review.startswith("the judges disagree")]
    assert disagreements == [s for s, v in result.second_opinion.criteria.items() if v != "met"]
    assert result.second_opinion.verdict in ("pass", "fail")

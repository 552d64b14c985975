"""Run fingerprints, the re-run cache, and how flags are grouped for a reviewer."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.models import Application, ControlAnswer, Finding
from grader.webapp.flags import group_flags
from grader.webapp.markdown import md_escape
from grader.webapp.runs import JudgeChoice, RunCache, fingerprint

HASHES = {"ACCT-001": "abc"}


def application(folder: Path, response: str = "Root MFA.") -> Application:
    return Application(base_dir=str(folder), controls={
        "ACCT-001": ControlAnswer(control="ACCT-001", response=response, attachments=["sop.md"]),
    })


def test_the_same_content_in_another_folder_has_the_same_fingerprint(tmp_path: Path) -> None:
    files = {"sop.md": b"# SOP"}
    first = fingerprint(application(tmp_path / "a"), files, JudgeChoice(), HASHES)
    assert first == fingerprint(application(tmp_path / "b"), files, JudgeChoice(), HASHES)


def test_anything_the_verdicts_depend_on_changes_the_fingerprint(tmp_path: Path) -> None:
    base = fingerprint(application(tmp_path), {"sop.md": b"# SOP"}, JudgeChoice(), HASHES)
    assert base != fingerprint(application(tmp_path, "Root MFA!"), {"sop.md": b"# SOP"}, JudgeChoice(), HASHES)
    assert base != fingerprint(application(tmp_path), {"sop.md": b"# SOP v2"}, JudgeChoice(), HASHES)
    assert base != fingerprint(application(tmp_path), {"sop.md": b"# SOP"}, JudgeChoice(judge="llm", model="m"), HASHES)
    assert base != fingerprint(application(tmp_path), {"sop.md": b"# SOP"}, JudgeChoice(), {"ACCT-001": "new"})


def test_a_judge_choice_has_no_place_for_a_key() -> None:
    assert set(JudgeChoice.model_fields) == {"judge", "provider", "model", "base_url"}
    assert JudgeChoice(judge="llm", model="gpt-x").label() == "llm (openai: gpt-x)"


def test_the_run_cache_is_per_store_and_bounded() -> None:
    cache = RunCache(capacity=2)
    cache.put("sqlite:///a", "k1", "id-a")
    assert cache.get("sqlite:///a", "k1") == "id-a"
    assert cache.get("sqlite:///b", "k1") is None
    cache.put("sqlite:///a", "k2", "id-2")
    cache.get("sqlite:///a", "k1")  # recently used: survives the next insert
    cache.put("sqlite:///a", "k3", "id-3")
    assert cache.get("sqlite:///a", "k2") is None
    assert cache.get("sqlite:///a", "k1") == "id-a" and len(cache) == 2


def finding(rule: str, severity: str = "warn") -> Finding:
    return Finding(control="ACCT-002", severity=severity, rule=rule, message=rule)  # type: ignore[arg-type]


def test_flags_are_grouped_under_what_a_reviewer_scans_for() -> None:
    groups = group_flags([
        finding("iam.wildcard-action", "fail"),
        finding("secret.aws-access-key", "fail"),
        finding("injection.instruction-to-grader"),
        finding("checks.unreadable"),
        finding("cfn.sg-public-web", "info"),
        finding("tf.subnets-single-az", "warn"),
    ])
    assert [(g.title, [f.rule for f in members]) for g, members in groups] == [
        ("Secrets found", ["secret.aws-access-key"]),
        ("Injection attempts", ["injection.instruction-to-grader"]),
        ("Unreadable files", ["checks.unreadable"]),
        ("Unacceptable patterns", ["iam.wildcard-action"]),
        ("Warnings", ["tf.subnets-single-az"]),
        ("Facts the checks established", ["cfn.sg-public-web"]),
    ]


@pytest.mark.parametrize(
    ("partner_text", "shown"),
    [
        ("See [our wiki](http://evil.example)", r"See \[our wiki\](http://evil.example)"),
        ("Cost is $5 to $10 per month", r"Cost is \$5 to \$10 per month"),
        ("# Heading\n- item", r"\# Heading - item"),
        ("- a list marker first", r"\- a list marker first"),
        ("1. numbered", r"1\. numbered"),
        ("<script>alert(1)</script> **bold** `code`", r"\<script\>alert(1)\</script\> \*\*bold\*\* \`code\`"),
        ("security-sop.pdf, p. 2", "security-sop.pdf, p. 2"),
    ],
)
def test_partner_text_is_inert_when_shown_as_markdown(partner_text: str, shown: str) -> None:
    assert md_escape(partner_text) == shown

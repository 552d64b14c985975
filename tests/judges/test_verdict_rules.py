"""The verdict rules of shared/spec/controls.md, shared by every judge."""

from grader.judges.verdict import apply_findings, control_verdict
from grader.models import CriterionVerdict, Finding


def verdicts(**statuses: str) -> list[CriterionVerdict]:
    return [CriterionVerdict(slug=s.replace("_", "-"), status=v) for s, v in statuses.items()]


def fail(criterion: str | None) -> Finding:
    return Finding(control="ACCT-002", criterion=criterion, severity="fail",
                   rule="iam.wildcard-action", message='policy.json allows "Action": "*"')


def test_pass_only_when_every_criterion_met() -> None:
    assert control_verdict(verdicts(a="met", b="met"), []) == "pass"
    assert control_verdict(verdicts(a="met", b="partial"), []) == "fail"
    assert control_verdict(verdicts(a="met", b="not_met"), []) == "fail"


def test_unanswered_control_fails() -> None:
    assert control_verdict(verdicts(a="met"), [], answered=False) == "fail"


def test_failing_finding_overrides_a_met_criterion() -> None:
    result = apply_findings(verdicts(least_privilege="met", sop="met"), [fail("least-privilege")])
    by_slug = {v.slug: v for v in result}
    assert by_slug["least-privilege"].status == "not_met"
    assert "iam.wildcard-action" in by_slug["least-privilege"].rationale
    assert "judge had said met" in by_slug["least-privilege"].rationale
    assert by_slug["sop"].status == "met"


def test_control_level_failing_finding_fails_the_control_even_if_all_met() -> None:
    assert control_verdict(verdicts(a="met", b="met"), [fail(None)]) == "fail"


def test_warnings_do_not_fail_a_control() -> None:
    warn = Finding(control="NETSEC-002", severity="warn", rule="cfn.s3-versioning", message="x")
    assert control_verdict(verdicts(a="met"), [warn]) == "pass"

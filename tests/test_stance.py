"""How a sentence speaks about a practice: asserted, negated, planned or hedged."""

import re

import pytest

from grader.stance import classify, forbids


def cue(sentence: str, pattern: str) -> tuple[int, int]:
    m = re.search(pattern, sentence, re.I)
    assert m, f"{pattern!r} not in {sentence!r}"
    return m.span()


@pytest.mark.parametrize(
    "sentence, pattern, expected",
    [
        ("MFA is enabled on the root user with a hardware token.", r"\bmfa\b", "asserted"),
        ("We have not enabled MFA on the root user.", r"\bmfa\b", "negated"),
        ("Root MFA isn't configured for most customers.", r"\bmfa\b", "negated"),
        ("There is no MFA on the root account.", r"\bmfa\b", "negated"),
        ("We plan to enable CloudTrail in all regions next quarter.", r"cloudtrail", "planned"),
        ("CloudTrail will be enabled in every region by Q3.", r"cloudtrail", "planned"),
        ("MFA may be enabled on root where possible.", r"\bmfa\b", "hedged"),
        ("Keys are mostly managed in KMS.", r"\bkms\b", "qualified"),
        ("We try to use IAM roles instead of keys.", r"iam roles", "hedged"),
        # How fast something is done is not a hedge on whether it is.
        ("The engineer fixes it in the console so the portal is back as fast as possible.", r"console", "asserted"),
        ("CloudTrail is enabled where possible.", r"cloudtrail", "hedged"),
        # A negation in another clause does not reach the cue.
        ("Root is not used for daily work, and MFA is enabled on it.", r"\bmfa\b", "asserted"),
        # A negation that is part of the cue itself is not counted against it.
        ("Policies contain no wildcards in Action.", r"no wildcards?", "asserted"),
        ("We not only enable MFA but also rotate tokens.", r"\bmfa\b", "asserted"),
        # A rule refusing what comes without the practice enforces it.
        ("Their bucket policies deny PutObject without aws:kms encryption.", r"aws:kms encryption", "asserted"),
        # No need is no plan; a purchase plan, a metric's backlog and a review date are no plans.
        ("The DynamoDB global table is active in both regions, so nothing needs to be done.", r"global table",
         "asserted"),
        ("USD 21,880/month with a 3-year Compute Savings\n    Plan on the EC2 baseline.", r"usd", "asserted"),
        ("Fargate target tracking on SQS backlog per task, min 2 / max 40.", r"target tracking", "asserted"),
        ("Agreed with the Operations Director on 9 February | Next review: February next year", r"agreed",
         "asserted"),
        # Left to the customer's team, said as ownership; a device the customer owns is not that.
        ("Alert thresholds are owned by the customer's operations team.", r"alert thresholds", "delegated"),
        ("Hardware MFA on root; MFA device owned by the customer's IT security.", r"\bmfa\b", "asserted"),
        ("After that, Monarch will be asked to confirm the targets.", r"targets", "planned"),
        ("Outbound calls should use HTTPS where the third party supports it.", r"https", "hedged"),
        ("An Aurora Replica in eu-west-1b is planned for the phase-2 change window.", r"replica", "planned"),
        # "since" opens a clause of its own: the root user, not its MFA, is what is not used.
        ("The root user has not been used since the MFA registration at account creation.", r"\bmfa\b",
         "asserted"),
    ],
)
def test_classify(sentence: str, pattern: str, expected: str) -> None:
    assert classify(sentence, cue(sentence, pattern)) == expected


@pytest.mark.parametrize("sentence", [
    "The Workloads-Prod OU is excluded from the SCP during the migration window.",
    "Encryption is enforced in every account except the legacy accounts.",
    "Automated tests run in staging only.",
])
def test_an_exception_that_narrows_the_scope_is_read_as_excepted(sentence):
    assert classify(sentence) == "excepted"


def test_an_exception_for_the_one_role_a_control_lets_through_is_enforcement_not_scope():
    assert classify("An SCP denies writes to every principal except the production Terraform role.") == "asserted"


def test_a_relative_clause_commenting_on_the_whole_does_not_forbid_what_precedes_it() -> None:
    sentence = ("We created the organization trail in eu-north-1 and a second trail in eu-west-1, which gives "
                "complete coverage without paying for trails that would only record denied calls.")
    assert not forbids(sentence, sentence.index("trail"))


def test_a_consequence_is_a_clause_of_its_own_for_what_forbids_a_practice() -> None:
    kept = "No blocking has been required so far, so the subnets use the VPC default network ACL."
    assert not forbids(kept, kept.index("default"))
    assert forbids("Shared logins, shared passwords and shared keys are forbidden.", 0)
    denied = "The subnets never use the default network ACL, so each tier has its own."
    assert forbids(denied, denied.index("default"))

"""IAM policy checks: ACCT-002 least privilege, with the guide's good example as the bar."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from grader.checks import iam
from tests.checks.builders import cfn_doc, check, json_doc, make_control, only, response, rules

ACCT_002 = make_control("ACCT-002", "least-privilege", "temporary-credentials", "sop", "customer-example")

# The calibration guide's "policy that demonstrates principle of least privilege".
GUIDE_GOOD_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{
        "Sid": "AllowDevTestCreate",
        "Effect": "Allow",
        "Action": ["rds:ModifyDBInstance", "rds:CreateDBSnapshot"],
        "Resource": "*",
        "Condition": {"StringEquals": {"rds:db-tag/stage": ["development", "test"]}},
    }],
}


def policy(**statement: object) -> dict:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **statement}]}


def test_the_guides_good_example_policy_raises_nothing() -> None:
    assert check(ACCT_002, json_doc(GUIDE_GOOD_POLICY)) == []


def test_the_guides_good_example_pasted_into_the_answer_raises_nothing() -> None:
    text = "Attaching a policy that demonstrates least privilege:\n" + json.dumps(GUIDE_GOOD_POLICY, indent=2)
    assert check(ACCT_002, response(text)) == []


@pytest.mark.parametrize("action", ["*", "s3:*", ["ec2:DescribeInstances", "iam:*"], "S3:*"])
def test_wildcard_action_fails_least_privilege(action: object) -> None:
    found = only(check(ACCT_002, json_doc(policy(Action=action, Resource="arn:aws:s3:::b"))),
                 "iam.wildcard-action")
    assert (found.control, found.criterion, found.severity) == ("ACCT-002", "least-privilege", "fail")


def test_wildcard_action_finding_points_at_the_statement_and_the_action() -> None:
    doc = json_doc({"Version": "2012-10-17", "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
        {"Sid": "Everything", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"},
    ]})
    found = only(check(ACCT_002, doc), "iam.wildcard-action")
    assert found.source.file == "policy.json"
    assert found.source.section == "Statement[1]"
    assert doc.text[found.source.start:found.source.end] == "s3:*"
    assert "Everything" in found.message and "s3:*" in found.message


def test_partial_wildcard_only_warns() -> None:
    found = check(ACCT_002, json_doc(policy(Action="s3:Get*", Resource="arn:aws:s3:::b/*")))
    assert rules(found) == ["iam.partial-wildcard-action"]
    assert found[0].severity == "warn"


def test_not_action_in_an_allow_fails() -> None:
    found = check(ACCT_002, json_doc(policy(NotAction="iam:*", Resource="*")))
    assert "iam.not-action" in rules(found, "fail")


def test_deny_statements_with_wildcards_are_good_practice() -> None:
    deny = {"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                           "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
                          {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}]}
    assert check(ACCT_002, json_doc(deny)) == []


def test_write_action_on_every_resource_without_condition_warns() -> None:
    found = check(ACCT_002, json_doc(policy(Action=["ec2:TerminateInstances"], Resource="*")))
    assert rules(found) == ["iam.wildcard-resource-write"]
    assert found[0].severity == "warn"


def test_read_actions_on_every_resource_are_fine() -> None:
    doc = json_doc(policy(Action=["ec2:DescribeInstances", "cloudwatch:GetMetricData"], Resource="*"))
    assert check(ACCT_002, doc) == []


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["arn:aws:iam::111122223333:root", "*"]}])
def test_anyone_may_write_without_a_condition_fails(principal: object) -> None:
    doc = json_doc(policy(Principal=principal, Action="s3:PutObject", Resource="arn:aws:s3:::b/*"))
    assert "iam.public-principal" in rules(check(ACCT_002, doc), "fail")


def test_anyone_may_read_is_a_warning_for_a_public_website_bucket() -> None:
    doc = json_doc(policy(Principal="*", Action="s3:GetObject", Resource="arn:aws:s3:::site/*"))
    assert rules(check(ACCT_002, doc)) == ["iam.public-principal-read"]


def test_public_principal_with_a_condition_is_fine() -> None:
    doc = json_doc(policy(Principal="*", Action="s3:PutObject", Resource="arn:aws:s3:::b/*",
                          Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}))
    assert check(ACCT_002, doc) == []


def test_the_default_kms_key_policy_is_not_a_wildcard_failure() -> None:
    template = """
Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Enable IAM User Permissions
            Effect: Allow
            Principal:
              AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'
            Action: 'kms:*'
            Resource: '*'
"""
    assert rules(check(ACCT_002, cfn_doc(template)), "fail") == []


def test_inline_role_policy_in_a_template_is_found_with_its_path() -> None:
    template = """
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: ec2.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: app
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: 'dynamodb:*'
                Resource: !GetAtt Table.Arn
"""
    doc = cfn_doc(template)
    found = only(check(ACCT_002, doc), "iam.wildcard-action")
    assert found.source.section == "Resources.AppRole.Properties.Policies[0].PolicyDocument.Statement[0]"
    assert doc.text[found.source.start:found.source.end] == "dynamodb:*"


def test_attaching_administrator_access_fails_least_privilege() -> None:
    template = """
Resources:
  AdminRole:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
"""
    found = only(check(ACCT_002, cfn_doc(template)), "iam.admin-managed-policy")
    assert found.severity == "fail" and "AdministratorAccess" in found.message


def test_url_encoded_policy_in_a_cli_export_is_checked() -> None:
    encoded = urllib.parse.quote(json.dumps(policy(Action="*", Resource="*")))
    export = {"RoleDetailList": [{"RoleName": "ops", "RolePolicyList": [
        {"PolicyName": "all", "PolicyDocument": encoded}]}]}
    assert "iam.wildcard-action" in rules(check(ACCT_002, json_doc(export)), "fail")


def test_policy_pasted_into_an_sop_is_located_in_the_text() -> None:
    text = ("Our SOP forbids broad grants. The following was found in an audit:\n"
            + json.dumps(policy(Action="ec2:*", Resource="*")))
    doc = response(text)
    found = only(check(ACCT_002, doc), "iam.wildcard-action")
    assert text[found.source.start:found.source.end] == "ec2:*"


@pytest.mark.parametrize(("action", "read_only"), [
    ("s3:GetObject", True), ("s3:Get*", True), ("ec2:DescribeInstances", True), ("logs:FilterLogEvents", True),
    ("s3:PutObject", False), ("rds:ModifyDBInstance", False), ("*", False), ("s3:*", False),
])
def test_read_only_is_judged_by_the_verb(action: str, read_only: bool) -> None:
    assert iam.is_read_only(action) is read_only

"""AWS CLI exports: describe-security-groups, describe-network-acls, describe-trails."""

from __future__ import annotations

from tests.checks.builders import check, json_doc, make_control, only, rules, text_doc

NETSEC_001 = make_control("NETSEC-001", "sg-internet", "sg-internal", "nacl", "sop", "customer-example")
ACCT_001 = make_control("ACCT-001", "root-usage", "root-mfa", "contacts", "cloudtrail", "sop")


def group(gid: str, name: str, *permissions: dict) -> dict:
    return {"GroupId": gid, "GroupName": name, "VpcId": "vpc-0a3f9c21", "IpPermissions": list(permissions)}


def from_cidr(port: int, cidr: str = "0.0.0.0/0") -> dict:
    return {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": cidr}]}


def test_a_public_alb_and_private_tiers_raise_no_failure() -> None:
    export = {"SecurityGroups": [
        group("sg-0b7e41c2", "alb-public", from_cidr(443), from_cidr(80)),
        group("sg-04c1d6e8", "app", {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
                                     "UserIdGroupPairs": [{"GroupId": "sg-0b7e41c2"}]}),
    ]}
    found = check(NETSEC_001, json_doc(export, "sg-export.json"))
    assert rules(found) == ["awscli.sg-public-web", "awscli.sg-public-web"]


def test_ssh_from_anywhere_in_an_export_fails_and_names_the_group() -> None:
    doc = json_doc({"SecurityGroups": [group("sg-0aa1", "bastion", from_cidr(22))]}, "sg-export.json")
    found = only(check(NETSEC_001, doc), "awscli.sg-open-ingress")
    assert "sg-0aa1 (bastion)" in found.message
    assert found.source.section == "SecurityGroups[0].IpPermissions[0]"
    assert doc.text[found.source.start:found.source.end].startswith('FromPort": 22')


def test_a_bare_list_of_groups_is_recognised() -> None:
    doc = json_doc([group("sg-0aa1", "db", from_cidr(5432))], "groups.json")
    assert rules(check(NETSEC_001, doc), "fail") == ["awscli.sg-open-ingress"]


def test_default_network_acl_allowing_everything_warns() -> None:
    export = {"NetworkAcls": [{"NetworkAclId": "acl-0c1d", "IsDefault": True, "Entries": [
        {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": False, "CidrBlock": "0.0.0.0/0"},
        {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": False, "CidrBlock": "0.0.0.0/0"},
    ]}]}
    found = check(NETSEC_001, json_doc(export, "nacls.json"))
    assert only(found, "awscli.nacl-open-inbound").criterion == "nacl"


def test_describe_trails_output_is_graded_like_a_template() -> None:
    export = {"trailList": [{"Name": "management", "IsMultiRegionTrail": False, "HomeRegion": "eu-west-1"}]}
    assert rules(check(ACCT_001, json_doc(export, "trails.json")), "fail") == ["awscli.cloudtrail-single-region"]


OPE_001 = make_control("OPE-001", "health-metrics", "logs", "alert-thresholds")
DOC_001 = make_control("DOC-001", "services", "network-layout", "auto-scaling", "high-availability")


def alarm(name: str, enabled: bool, actions: list[str] | None = None) -> dict:
    return {"AlarmName": name, "ActionsEnabled": enabled,
            "AlarmActions": ["arn:aws:sns:eu-west-1:111122223333:ops"] if actions is None else actions}


def test_alarms_that_notify_no_one_fail_the_thresholds_and_some_silent_warn() -> None:
    silent = {"MetricAlarms": [alarm("api-5xx", False), alarm("db-cpu", False)]}
    assert rules(check(OPE_001, json_doc(silent, "alarms.json")), "fail") == ["awscli.alarms-all-silent"]
    some = {"MetricAlarms": [alarm("api-5xx", True), alarm("db-cpu", True, actions=[])]}
    assert only(check(OPE_001, json_doc(some, "alarms.json")), "awscli.alarm-silent").severity == "warn"
    heard = {"MetricAlarms": [alarm("api-5xx", True)]}
    assert rules(check(OPE_001, json_doc(heard, "alarms.json")), "fail") == []


def test_a_scaling_group_fixed_at_one_size_warns_auto_scaling() -> None:
    export = {"AutoScalingGroups": [{"AutoScalingGroupName": "web-asg", "MinSize": 4, "MaxSize": 4}]}
    assert only(check(DOC_001, json_doc(export, "asg.json")), "awscli.asg-fixed-size").criterion == "auto-scaling"
    scaling = {"AutoScalingGroups": [{"AutoScalingGroupName": "web-asg", "MinSize": 2, "MaxSize": 12}]}
    assert "awscli.asg-fixed-size" not in rules(check(DOC_001, json_doc(scaling, "asg.json")))


def test_an_export_pasted_into_a_runbook_is_read_as_the_export() -> None:
    pasted = text_doc(
        "## CloudTrail\n\n$ aws cloudtrail describe-trails\n```json\n"
        '{"trailList": [{"Name": "mgmt-trail", "IsMultiRegionTrail": false, "HomeRegion": "us-east-1"}]}\n'
        "```\nThe trail delivers to the log-archive bucket.\n",
        path="baseline-checks.md", kind="markdown")
    failing = [f for f in check(ACCT_001, pasted) if f.severity == "fail"]
    assert [f.rule for f in failing] == ["awscli.cloudtrail-single-region"]
    assert failing[0].source.file == "baseline-checks.md"


def test_an_active_access_key_in_a_pasted_credential_report_fails_temporary_credentials() -> None:
    acct_002 = make_control("ACCT-002", "temporary-credentials")
    report = text_doc(
        "## IAM credential report (raw)\n```\n"
        "user,arn,password_enabled,mfa_active,access_key_1_active,access_key_2_active\n"
        "<root_account>,arn:aws:iam::111122223333:root,not_supported,true,false,false\n"
        "alice,arn:aws:iam::111122223333:user/alice,true,true,false,false\n"
        "svc-jenkins-deploy,arn:aws:iam::111122223333:user/svc-jenkins-deploy,false,false,true,false\n```\n",
        path="access-export.md", kind="markdown")
    found = only(check(acct_002, report), "awscli.iam-user-active-access-key")
    assert found.severity == "fail" and "svc-jenkins-deploy" in found.message

"""CloudFormation facts: security groups, NACLs, CloudTrail, S3, RDS, subnets, scaling, KMS."""

from __future__ import annotations

import pytest

from grader.checks.cloudformation import is_template
from tests.checks.builders import cfn_doc, check, make_control, only, rules

NETSEC_001 = make_control("NETSEC-001", "sg-internet", "sg-internal", "nacl", "sop", "customer-example")
NETSEC_002 = make_control("NETSEC-002", "public-endpoints", "encryption-at-rest", "key-management", "sop")
ACCT_001 = make_control("ACCT-001", "root-usage", "root-mfa", "contacts", "cloudtrail", "sop")
DOC_001 = make_control("DOC-001", "diagram", "services", "network-layout", "auto-scaling", "high-availability")

WEB_TIER = """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  WebSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: public web tier
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
"""


def sg(*rules_yaml: str) -> str:
    body = "".join(f"        - {r}\n" for r in rules_yaml)
    return ("Resources:\n  AppSG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n"
            "      GroupDescription: app\n      SecurityGroupIngress:\n" + body)


def test_ssh_open_to_the_internet_fails_netsec_001_sg_internet() -> None:
    doc = cfn_doc(WEB_TIER)
    found = only(check(NETSEC_001, doc), "cfn.sg-open-ingress")
    assert (found.control, found.criterion, found.severity) == ("NETSEC-001", "sg-internet", "fail")
    assert "WebSG" in found.message and "port 22" in found.message
    assert found.source.section == "Resources.WebSG.Properties.SecurityGroupIngress[1]"
    assert doc.text[found.source.start:found.source.end] == "FromPort: 22"


def test_https_open_to_the_internet_is_the_public_front_end() -> None:
    found = check(NETSEC_001, cfn_doc(WEB_TIER))
    web = only(found, "cfn.sg-public-web")
    assert web.severity == "info" and web.criterion == "sg-internet"


def test_the_same_template_in_a_doc_001_answer_yields_only_info_facts() -> None:
    found = check(DOC_001, cfn_doc(WEB_TIER))
    assert found and {f.severity for f in found} == {"info"}
    open_ssh = only(found, "cfn.sg-open-ingress")
    assert open_ssh.control == "DOC-001" and open_ssh.criterion is None
    assert "NETSEC-001" in open_ssh.message


@pytest.mark.parametrize("rule", [
    "{IpProtocol: '-1', CidrIp: 0.0.0.0/0}",
    "{IpProtocol: tcp, FromPort: 80, ToPort: 443, CidrIp: 0.0.0.0/0}",
    "{IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIpv6: '::/0'}",
    "{IpProtocol: udp, FromPort: 53, ToPort: 53, CidrIp: 0.0.0.0/0}",
])
def test_anything_but_web_ports_from_the_internet_fails(rule: str) -> None:
    assert rules(check(NETSEC_001, cfn_doc(sg(rule))), "fail") == ["cfn.sg-open-ingress"]


@pytest.mark.parametrize("rule", [
    "{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}",
    "{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref AppSG}",
    "{IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}",
])
def test_restricted_or_web_ingress_never_fails(rule: str) -> None:
    assert rules(check(NETSEC_001, cfn_doc(sg(rule))), "fail") == []


def test_a_parameter_default_of_0_0_0_0_only_warns() -> None:
    template = ("Parameters:\n  SSHLocation:\n    Type: String\n    Default: 0.0.0.0/0\n"
                + sg("{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref SSHLocation}"))
    found = check(NETSEC_001, cfn_doc(template))
    assert rules(found) == ["cfn.sg-open-ingress-default"] and found[0].severity == "warn"


def test_icmp_from_the_internet_warns() -> None:
    found = check(NETSEC_001, cfn_doc(sg("{IpProtocol: icmp, FromPort: -1, ToPort: -1, CidrIp: 0.0.0.0/0}")))
    assert rules(found) == ["cfn.sg-open-icmp"]


def test_standalone_ingress_resource_names_its_group() -> None:
    template = """
Resources:
  DbSG:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: db}
  DbFromAnywhere:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt DbSG.GroupId
      IpProtocol: tcp
      FromPort: 5432
      ToPort: 5432
      CidrIp: 0.0.0.0/0
"""
    found = only(check(NETSEC_001, cfn_doc(template)), "cfn.sg-open-ingress")
    assert "DbSG" in found.message


def test_network_acl_allowing_all_inbound_fails_nacl() -> None:
    template = """
Resources:
  PublicAcl:
    Type: AWS::EC2::NetworkAcl
    Properties: {VpcId: !Ref Vpc}
  InboundAll:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref PublicAcl
      RuleNumber: 100
      Protocol: -1
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
  InboundHttps:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref PublicAcl
      RuleNumber: 110
      Protocol: 6
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
      PortRange: {From: 443, To: 443}
"""
    found = check(NETSEC_001, cfn_doc(template))
    nacl = only(found, "cfn.nacl-open-inbound")
    assert (nacl.criterion, nacl.severity) == ("nacl", "fail")
    assert "2 inbound" in only(found, "cfn.nacl-defined").message


TRAIL = """
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref TrailBucket
{extra}"""


def test_cloudtrail_without_multi_region_fails_acct_001() -> None:
    found = only(check(ACCT_001, cfn_doc(TRAIL.format(extra=""))), "cfn.cloudtrail-single-region")
    assert (found.criterion, found.severity) == ("cloudtrail", "fail")


def test_multi_region_cloudtrail_is_a_met_fact() -> None:
    found = check(ACCT_001, cfn_doc(TRAIL.format(extra="      IsMultiRegionTrail: true\n")))
    assert rules(found) == ["cfn.cloudtrail-multi-region"] and found[0].severity == "info"


def test_a_single_region_trail_beside_a_multi_region_one_is_fine() -> None:
    extra = """  OrgTrail:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true, IsMultiRegionTrail: true, S3BucketName: logs}
"""
    assert rules(check(ACCT_001, cfn_doc(TRAIL.format(extra=extra))), "fail") == []


def test_a_data_events_only_trail_is_not_the_governance_trail() -> None:
    extra = "      EventSelectors:\n        - {IncludeManagementEvents: false, ReadWriteType: All}\n"
    found = check(ACCT_001, cfn_doc(TRAIL.format(extra=extra)))
    assert rules(found) == ["cfn.cloudtrail-data-events-only"]


def test_unencrypted_bucket_warns_on_encryption_at_rest() -> None:
    found = check(NETSEC_002, cfn_doc("Resources:\n  Uploads:\n    Type: AWS::S3::Bucket\n"))
    enc = only(found, "cfn.s3-no-encryption")
    assert (enc.criterion, enc.severity) == ("encryption-at-rest", "warn")
    assert {"cfn.s3-no-versioning", "cfn.s3-no-public-access-block"} <= set(rules(found, "warn"))


def test_a_fully_configured_bucket_only_states_its_encryption() -> None:
    template = """
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: 'aws:kms'}
      VersioningConfiguration: {Status: Enabled}
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
"""
    assert rules(check(NETSEC_002, cfn_doc(template))) == ["cfn.s3-encrypted"]


RDS = """
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
{props}"""


def test_rds_without_storage_encryption_fails_encryption_at_rest() -> None:
    found = only(check(NETSEC_002, cfn_doc(RDS.format(props="      MultiAZ: true\n"))), "cfn.rds-unencrypted")
    assert (found.criterion, found.severity) == ("encryption-at-rest", "fail")


def test_multi_az_rds_is_a_high_availability_fact_for_doc_001() -> None:
    found = only(check(DOC_001, cfn_doc(RDS.format(props="      MultiAZ: true\n"))), "cfn.rds-multi-az")
    assert (found.criterion, found.severity) == ("high-availability", "info")


def test_aurora_member_instances_take_encryption_from_their_cluster() -> None:
    template = """
Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-postgresql, StorageEncrypted: true}
  Writer:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: aurora-postgresql, DBClusterIdentifier: !Ref Cluster}
"""
    assert rules(check(NETSEC_002, cfn_doc(template))) == ["cfn.rds-encrypted"]


SUBNETS = "Resources:\n" + "".join(
    f"  Subnet{n}:\n    Type: AWS::EC2::Subnet\n    Properties:\n      AvailabilityZone: {{az{n}}}\n" for n in (1, 2))


def test_subnets_in_two_azs_are_a_high_availability_fact() -> None:
    doc = cfn_doc(SUBNETS.format(az1="!Select [0, !GetAZs '']", az2="!Select [1, !GetAZs '']"))
    found = only(check(DOC_001, doc), "cfn.subnets-multi-az")
    assert found.criterion == "high-availability" and "AZ #0" in found.message


def test_every_subnet_in_one_az_warns() -> None:
    found = check(DOC_001, cfn_doc(SUBNETS.format(az1="eu-west-1a", az2="eu-west-1a")))
    assert rules(found) == ["cfn.subnets-single-az"] and found[0].severity == "warn"


def test_auto_scaling_group_is_an_auto_scaling_fact() -> None:
    template = "Resources:\n  WebAsg:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties: {MinSize: '2'}\n"
    found = only(check(DOC_001, cfn_doc(template)), "cfn.auto-scaling")
    assert found.criterion == "auto-scaling" and "WebAsg" in found.message


def test_kms_key_without_rotation_warns_on_key_management() -> None:
    found = only(check(NETSEC_002, cfn_doc("Resources:\n  Key:\n    Type: AWS::KMS::Key\n")),
                 "cfn.kms-rotation-disabled")
    assert (found.criterion, found.severity) == ("key-management", "warn")


def test_parameter_driven_multi_region_flag_warns_instead_of_failing() -> None:
    template = TRAIL.format(extra="      IsMultiRegionTrail: !Ref MultiRegion\n")
    assert rules(check(ACCT_001, cfn_doc(template))) == ["cfn.cloudtrail-region-unknown"]


@pytest.mark.parametrize("data", [None, [], {"Resources": []}, {"Resources": {"X": {"Properties": {}}}},
                                  {"Statement": []}])
def test_only_templates_with_typed_resources_count(data: object) -> None:
    assert not is_template(data)

"""JSON / YAML / Terraform evidence: the file's own text, structured sections, parsed data."""

from __future__ import annotations

from pathlib import Path

from grader.ingest.chunking import chunk_document
from grader.ingest.readers import read
from grader.models import Document, IngestError

TEMPLATE = """\
AWSTemplateFormatVersion: 2010-09-09
Description: Web tier
Resources:
  WebSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub "${AWS::StackName} web servers"
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          SourceSecurityGroupId: !GetAtt LoadBalancerSG.GroupId
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Select [0, !Cidr [10.0.0.0/16, 4, 8]]
Outputs:
  VpcId:
    Value: !Ref Vpc
"""

POLICY = """{
\t"Version": "2012-10-17",
\t"Statement": [
\t\t{"Sid": "ReadReports", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::reports/*"},
\t\t{"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::reports"}
\t]
}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cloudformation_short_form_tags_become_long_form_data(tmp_path):
    doc = read(_write(tmp_path, "web.yaml", TEMPLATE), tmp_path)

    assert isinstance(doc, Document) and doc.kind == "yaml"
    web = doc.data["Resources"]["WebSG"]["Properties"]
    assert web["GroupDescription"] == {"Fn::Sub": "${AWS::StackName} web servers"}
    assert web["VpcId"] == {"Ref": "Vpc"}
    assert web["SecurityGroupIngress"][0]["SourceSecurityGroupId"] == {"Fn::GetAtt": ["LoadBalancerSG", "GroupId"]}
    assert doc.data["Resources"]["Vpc"]["Properties"]["CidrBlock"] == {
        "Fn::Select": [0, {"Fn::Cidr": ["10.0.0.0/16", 4, 8]}]}
    assert doc.data["AWSTemplateFormatVersion"] == "2010-09-09"  # a version string, not a date


def test_yaml_text_is_the_file_and_sections_name_resources(tmp_path):
    doc = read(_write(tmp_path, "web.yaml", TEMPLATE), tmp_path)

    assert doc.text == TEMPLATE
    sections = {s.section: TEMPLATE[s.start:s.end] for s in doc.segments}
    assert sections["Resources.WebSG"].startswith("WebSG:\n    Type: AWS::EC2::SecurityGroup")
    assert "SourceSecurityGroupId" in sections["Resources.WebSG"]
    assert sections["Resources.Vpc"].startswith("Vpc:")
    assert sections["Outputs.VpcId"].startswith("VpcId:")
    for chunk in chunk_document(doc, "REL-001"):
        assert TEMPLATE[chunk.source.start:chunk.source.end] == chunk.text


def test_iam_policy_statements_are_sections_and_quotes_locate_in_the_file(tmp_path):
    doc = read(_write(tmp_path, "policy.json", POLICY), tmp_path)

    assert isinstance(doc, Document) and doc.kind == "json"
    assert doc.data["Statement"][1]["Sid"] == "NoDelete"
    by_section = {s.section: POLICY[s.start:s.end] for s in doc.segments}
    assert by_section["Statement[0]"].startswith('{"Sid": "ReadReports"')
    assert by_section["Statement[1]"].startswith('{"Sid": "NoDelete"')
    for chunk in chunk_document(doc, "ACCT-002"):
        assert POLICY[chunk.source.start:chunk.source.end] == chunk.text


def test_invalid_yaml_names_the_line(tmp_path):
    result = read(_write(tmp_path, "bad.yaml", "Resources:\n  A: [unclosed\n  B: 1\n"), tmp_path)

    assert isinstance(result, IngestError)
    assert result.file == "bad.yaml"
    assert result.message.startswith("invalid YAML")
    assert "line " in result.message


def test_invalid_json_names_line_and_column(tmp_path):
    result = read(_write(tmp_path, "bad.json", '{\n  "Version": "2012-10-17",\n  "Statement": [,]\n}'), tmp_path)

    assert isinstance(result, IngestError)
    assert result.message.startswith("invalid JSON at line 3 column")


def test_yaml_alias_bomb_is_refused(tmp_path):
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    result = read(_write(tmp_path, "laughs.yaml", "\n".join(lines) + "\n"), tmp_path)

    assert isinstance(result, IngestError)
    assert "through aliases; refused" in result.message


def test_terraform_blocks_are_sections_and_data_is_plain(tmp_path):
    text = (
        'variable "region" {\n  default = "eu-west-1"\n}\n\n'
        'resource "aws_security_group" "web" {\n  name = "web"\n  ingress {\n'
        '    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n'
        '    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n'
    )
    doc = read(_write(tmp_path, "main.tf", text), tmp_path)

    assert isinstance(doc, Document) and doc.kind == "terraform"
    assert [s.section for s in doc.segments] == ["variable.region", "resource.aws_security_group.web"]
    web = doc.data["resource"][0]["aws_security_group"]["web"]
    assert web["ingress"][0]["cidr_blocks"] == ["0.0.0.0/0"]
    assert doc.text == text


def test_invalid_terraform_is_rejected_with_the_line(tmp_path):
    result = read(_write(tmp_path, "broken.tf", 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n'), tmp_path)

    assert isinstance(result, IngestError)
    assert result.message.startswith("invalid Terraform (HCL) at line 2")


def test_markdown_sections_follow_headings_outside_code_fences(tmp_path):
    text = "# Runbook\nIntro.\n\n## Scaling\nScale out at 70% CPU.\n```\n# not a heading\n```\n## Restore\nRestore from snapshot.\n"
    doc = read(_write(tmp_path, "runbook.md", text), tmp_path)

    assert [s.section for s in doc.segments] == ["Runbook", "Runbook > Scaling", "Runbook > Restore"]
    scaling = doc.segments[1]
    assert "# not a heading" in text[scaling.start:scaling.end]

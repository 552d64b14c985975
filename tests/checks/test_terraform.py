"""Terraform facts and policies, from python-hcl2 output as the reader produces it."""

from __future__ import annotations

import pytest

from grader.checks.terraform import UnreadablePolicy, plain, policy_from_string
from tests.checks.builders import check, make_control, only, rules, tf_doc

NETSEC_001 = make_control("NETSEC-001", "sg-internet", "sg-internal", "nacl", "sop", "customer-example")
NETSEC_002 = make_control("NETSEC-002", "public-endpoints", "encryption-at-rest", "key-management", "sop")
ACCT_001 = make_control("ACCT-001", "root-usage", "root-mfa", "contacts", "cloudtrail", "sop")
ACCT_002 = make_control("ACCT-002", "least-privilege", "temporary-credentials", "sop", "customer-example")
DOC_001 = make_control("DOC-001", "diagram", "services", "network-layout", "auto-scaling", "high-availability")

WEB_SG = '''
variable "admin_cidr" {
  default = "0.0.0.0/0"
}

resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}
'''


def test_ssh_open_to_the_internet_fails_with_its_block_located() -> None:
    doc = tf_doc(WEB_SG)
    found = check(NETSEC_001, doc)
    ssh = only(found, "tf.sg-open-ingress")
    assert (ssh.criterion, ssh.severity) == ("sg-internet", "fail")
    assert ssh.source.section == "resource.aws_security_group.web"
    assert doc.text[ssh.source.start:ssh.source.end] == "from_port   = 22"
    assert only(found, "tf.sg-public-web").severity == "info"


def test_a_variable_default_of_0_0_0_0_only_warns() -> None:
    found = only(check(NETSEC_001, tf_doc(WEB_SG)), "tf.sg-open-ingress-default")
    assert "3389" in found.message and found.severity == "warn"


def test_hcl2_default_output_with_quotes_and_block_markers_reads_the_same() -> None:
    reader = check(NETSEC_001, tf_doc(WEB_SG))
    default = check(NETSEC_001, tf_doc(WEB_SG, options=None))
    assert rules(default) == rules(reader)


def test_plain_strips_quotes_and_markers() -> None:
    assert plain({'"aws_s3_bucket"': {'"logs"': {"bucket": '"acme"', "__is_block__": True}}}) == \
        {"aws_s3_bucket": {"logs": {"bucket": "acme"}}}


@pytest.mark.parametrize("resource", [
    '''resource "aws_security_group_rule" "ssh" {
  type = "ingress"
  from_port = 22
  to_port = 22
  protocol = "tcp"
  cidr_blocks = ["0.0.0.0/0"]
  security_group_id = aws_security_group.bastion.id
}''',
    '''resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.bastion.id
  cidr_ipv4 = "0.0.0.0/0"
  from_port = 22
  to_port = 22
  ip_protocol = "tcp"
}''',
])
def test_separate_ingress_rule_resources_fail_for_their_group(resource: str) -> None:
    found = only(check(NETSEC_001, tf_doc(resource)), "tf.sg-open-ingress")
    assert "aws_security_group.bastion" in found.message


def test_network_acl_allowing_everything_inbound_fails_nacl() -> None:
    doc = tf_doc('''resource "aws_network_acl" "public" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol   = "-1"
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}''')
    assert "tf.nacl-open-inbound" in rules(check(NETSEC_001, doc), "fail")


def test_cloudtrail_defaults_to_single_region_and_fails() -> None:
    doc = tf_doc('resource "aws_cloudtrail" "main" {\n  name = "main"\n  s3_bucket_name = "logs"\n}\n')
    found = only(check(ACCT_001, doc), "tf.cloudtrail-single-region")
    assert (found.criterion, found.severity) == ("cloudtrail", "fail")


def test_multi_region_cloudtrail_is_a_met_fact() -> None:
    doc = tf_doc('resource "aws_cloudtrail" "main" {\n  name = "main"\n  is_multi_region_trail = true\n}\n')
    assert rules(check(ACCT_001, doc)) == ["tf.cloudtrail-multi-region"]


def test_bucket_configured_by_separate_resources_has_no_warnings() -> None:
    doc = tf_doc('''
resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
resource "aws_s3_bucket_versioning" "logs" {
  bucket = "acme-logs"
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
''')
    assert rules(check(NETSEC_002, doc)) == ["tf.s3-encrypted"]


def test_unencrypted_database_fails_and_multi_az_is_a_doc_001_fact() -> None:
    doc = tf_doc('resource "aws_db_instance" "db" {\n  engine = "mysql"\n  multi_az = true\n}\n')
    assert only(check(NETSEC_002, doc), "tf.rds-unencrypted").severity == "fail"
    assert only(check(DOC_001, doc), "tf.rds-multi-az").criterion == "high-availability"


def test_vpc_module_azs_and_subnets_count_availability_zones() -> None:
    doc = tf_doc('''module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
  azs    = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}''')
    assert "3 Availability Zones" in only(check(DOC_001, doc), "tf.subnets-multi-az").message


def test_subnets_created_per_az_with_count_are_not_called_single_az() -> None:
    doc = tf_doc('''resource "aws_subnet" "private" {
  count             = 3
  availability_zone = data.aws_availability_zones.available.names[count.index]
}''')
    assert "tf.subnets-single-az" not in rules(check(DOC_001, doc))


def test_autoscaling_group_and_kms_rotation() -> None:
    doc = tf_doc('resource "aws_autoscaling_group" "web" {\n  min_size = 2\n}\n'
                 'resource "aws_kms_key" "data" {\n  description = "d"\n}\n')
    assert only(check(DOC_001, doc), "tf.auto-scaling").criterion == "auto-scaling"
    assert only(check(NETSEC_002, doc), "tf.kms-rotation-disabled").criterion == "key-management"


def test_jsonencode_policy_with_service_wildcard_fails() -> None:
    doc = tf_doc('''resource "aws_iam_policy" "deploy" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:*"], Resource = "*" }]
  })
}''')
    found = only(check(ACCT_002, doc), "iam.wildcard-action")
    assert found.source.section == "resource.aws_iam_policy.deploy.policy.Statement[0]"
    assert doc.text[found.source.start:found.source.end] == "s3:*"


def test_heredoc_policy_with_star_action_fails() -> None:
    doc = tf_doc('''resource "aws_iam_role_policy" "admin" {
  role   = "ops"
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
EOF
}''')
    assert "iam.wildcard-action" in rules(check(ACCT_002, doc), "fail")


def test_policy_document_data_source_like_the_guides_example_is_clean() -> None:
    doc = tf_doc('''data "aws_iam_policy_document" "dev_test" {
  statement {
    sid       = "AllowDevTestCreate"
    actions   = ["rds:ModifyDBInstance", "rds:CreateDBSnapshot"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "rds:db-tag/stage"
      values   = ["development", "test"]
    }
  }
}''')
    assert check(ACCT_002, doc) == []


def test_policy_document_with_anyone_as_principal_fails() -> None:
    doc = tf_doc('''data "aws_iam_policy_document" "bucket" {
  statement {
    actions = ["s3:PutObject"]
    resources = ["arn:aws:s3:::drop/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}''')
    assert rules(check(ACCT_002, doc), "fail") == ["iam.public-principal"]


def test_attaching_administrator_access_is_located_in_terraform() -> None:
    doc = tf_doc('''resource "aws_iam_role_policy_attachment" "admin" {
  role       = "ops"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}''')
    found = only(check(ACCT_002, doc), "iam.admin-managed-policy")
    assert found.source.section == "resource.aws_iam_role_policy_attachment.admin.policy_arn"


def test_strings_that_are_not_policies_are_ignored_and_broken_ones_reported() -> None:
    assert policy_from_string("acme-logs") is None
    with pytest.raises(UnreadablePolicy):
        policy_from_string('{"Statement": [')


def test_a_broken_inline_policy_is_reported_for_review() -> None:
    doc = tf_doc('resource "aws_iam_policy" "p" {\n  policy = "{\\"Statement\\": ["\n}\n')
    found = only(check(ACCT_002, doc), "iam.unparsed-policy")
    assert found.severity == "info" and "aws_iam_policy.p" in found.message

"""Text checks: unacceptable patterns per sentence (with rejection), contacts, generic answers."""

from __future__ import annotations

import pytest

from grader.checks import phrases
from tests.checks.builders import check, json_doc, make_control, only, response, rules, text_doc

SHARED = {"id": "shared-credentials", "description": "Shared credentials",
          "pattern": r"\bshar(?:e|es|ed|ing)\b.{0,30}\b(?:credentials?|logins?|passwords?)\b",
          "criterion": "dedicated-credentials", "scope": "evidence"}
NOT_APPLICABLE = {"id": "not-applicable", "description": "Answered N/A", "pattern": r"^\s*N/?A\b",
                  "scope": "response"}
ACCT_002 = make_control("ACCT-002", "least-privilege", "dedicated-credentials", "sop", "customer-example",
                        patterns=[SHARED, NOT_APPLICABLE])
ACCT_001 = make_control("ACCT-001", "root-usage", "root-mfa", "contacts", "cloudtrail", "sop", "customer-example")
OPE_001 = make_control("OPE-001", "health-metrics", "logs", "sop", "customer-example")

CONCRETE = "For Acme Retail we run 12 EC2 instances. "


def pattern_rules(*docs) -> list[str]:
    return [r for r in rules(check(ACCT_002, *docs)) if r.startswith("phrase.")]


def test_an_asserted_unacceptable_sentence_fails_with_the_sentence_and_its_place() -> None:
    sentence = "The support team shares one admin login for the customer account."
    text = CONCRETE + sentence + " MFA is on."
    doc = text_doc(text, path="sop.pdf", page=3)
    found = only(check(ACCT_002, doc), "phrase.shared-credentials")
    assert (found.control, found.criterion, found.severity) == ("ACCT-002", "dedicated-credentials", "fail")
    assert f'"{sentence}"' in found.message
    assert (found.source.file, found.source.page) == ("sop.pdf", 3)
    assert text[found.source.start:found.source.end] == sentence


@pytest.mark.parametrize("sentence", [
    "We never share credentials between engineers.",
    "Engineers do not share logins under any circumstances.",
    "Engineers don't share credentials.",
    "There are no shared credentials anywhere.",
    "Access is granted without shared passwords.",
    "We avoid sharing credentials by issuing named SSO users.",
    "Our policy prohibits sharing credentials.",
    "It is forbidden to share credentials.",
    "We disallow shared logins.",
    "We never, under any circumstances, share credentials.",
    "Shared credentials are not used.",
    "Shared logins: never permitted.",
])
def test_a_sentence_rejecting_the_practice_does_not_fire(sentence: str) -> None:
    assert pattern_rules(response(CONCRETE + sentence)) == []


@pytest.mark.parametrize("sentence", [
    "We do not use SSO; the team shares one admin login.",
    "We have no SSO yet, but engineers share credentials for the root account.",
    "No MFA is configured for developers. The team shares credentials via a vault entry.",
])
def test_a_negation_in_another_clause_does_not_hide_the_practice(sentence: str) -> None:
    assert pattern_rules(response(CONCRETE + sentence)) == ["phrase.shared-credentials"]


def test_response_scope_patterns_ignore_attachments() -> None:
    assert pattern_rules(response("N/A"), text_doc("N/A")) == ["phrase.not-applicable"]
    assert pattern_rules(response(CONCRETE), text_doc("N/A - see other section")) == []


def test_structured_files_are_not_read_as_prose() -> None:
    doc = json_doc({"note": "the team shares one admin login"}, "notes.json")
    assert pattern_rules(doc) == []


def test_a_pattern_without_a_criterion_fails_the_whole_control() -> None:
    control = make_control("ACCT-002", "sop", patterns=[{**SHARED, "criterion": None}])
    found = only(check(control, response(CONCRETE + "Engineers share credentials.")), "phrase.shared-credentials")
    assert found.criterion is None and found.severity == "fail"


@pytest.mark.parametrize("sentence", [
    "The AWS account contact email is john.smith@acme-partner.com.",
    "Alternate contacts: security contact j.doe@acme-partner.com, billing via finance.",
    "Our root account contact is john@acme-partner.com.",
])
def test_one_persons_address_as_account_contact_fails_acct_001(sentence: str) -> None:
    found = only(check(ACCT_001, response(CONCRETE + sentence)), "contact.personal-email")
    assert (found.criterion, found.severity) == ("contacts", "fail")


@pytest.mark.parametrize("sentence", [
    "Account contacts are set to aws-root@acme-partner.com and cloud-admins@acme-partner.com.",
    "The security contact is security@acme-partner.com, the billing contact finops@acme-partner.com.",
    "For questions about this submission contact jane.doe@acme-partner.com.",
    "Contacts are never set to a personal address such as john.smith@acme-partner.com.",
])
def test_distribution_lists_and_non_account_contacts_are_fine(sentence: str) -> None:
    assert "contact.personal-email" not in rules(check(ACCT_001, response(CONCRETE + sentence)))


def test_contact_emails_are_only_checked_for_acct_001() -> None:
    text = CONCRETE + "The on-call contact is john.smith@acme-partner.com."
    assert "contact.personal-email" not in rules(check(OPE_001, response(text)))


@pytest.mark.parametrize(("local", "role"), [
    ("aws-root", True), ("cloud-admins", True), ("security", True), ("cloudops", True), ("finops", True),
    ("john.smith", False), ("jsmith", False),
])
def test_role_mailboxes_are_told_from_people(local: str, role: bool) -> None:
    assert phrases.is_role_mailbox(local) is role


def test_an_answer_with_nothing_concrete_warns_generic_statements() -> None:
    found = only(check(OPE_001, response("We follow best practices and monitor everything closely.")),
                 "text.generic-statements")
    assert (found.severity, found.criterion) == ("warn", "customer-example")


@pytest.mark.parametrize("text", [
    "We alarm on p99 latency above 800 ms.",
    "Logs go to Amazon CloudWatch Logs.",
    "The orders-api-prod service emits metrics.",
    "Alerts page the OnCall rotation through PagerDuty.",
])
def test_a_concrete_detail_is_enough_to_not_be_generic(text: str) -> None:
    assert "text.generic-statements" not in rules(check(OPE_001, response(text)))


def test_an_attached_template_or_image_is_concrete_evidence() -> None:
    image = text_doc("", path="screenshot.png", kind="image").model_copy(update={"needs_human_review": True})
    assert check(OPE_001, response("See the attached screenshot."), image) == []


# --------------------------------------------------------------------------- facts in prose

from grader.checks import prose  # noqa: E402


def prose_rules(text: str) -> list[str]:
    return [f.rule for f in prose.findings([response(text)])]


@pytest.mark.parametrize("text", [
    "For the support team, RDP 3389 is open from 0.0.0.0/0 on the jump host.",
    "| sg-admin | inbound: tcp 22 from 0.0.0.0/0 |",
    # A rule table: the port in one cell and the source in the next.
    "| 22 | 0.0.0.0/0 | Bastion `kelpie-bastion` | support engineers connect from home |",
    "mf-bastion-sg | EC2 mf-bastion | Inbound | TCP 22 | 0.0.0.0/0 | Temporary - vendor support",
])
def test_an_admin_port_open_to_the_internet_in_prose_is_the_same_fact_as_in_a_template(text):
    assert prose_rules(text) == ["prose.prose-open-admin-port"]


@pytest.mark.parametrize("text", [
    "No security group allows SSH or RDP (22, 3389) from 0.0.0.0/0.",
    "We never open port 22 to 0.0.0.0/0.",
    # A port and a source in different cells are not read as one rule (the cells may be
    # inbound and outbound columns of one row).
    "| app-nacl | 1024-65535 from 0.0.0.0/0 | 5432/6379 to data subnets |",
    # A rule table row that denies it.
    "| public-nacl | 90 | Inbound | 22 | 0.0.0.0/0 | DENY |",
])
def test_a_denied_or_unrelated_port_is_not_the_fact(text):
    assert "prose.prose-open-admin-port" not in prose_rules(text)


def test_plain_http_to_a_partner_and_a_key_in_config_are_stated_facts():
    found = prose_rules("The shipping service posts to http://rates.partner.example/v2/quote every minute. "
                        "The data key for this is stored in appsettings.json on the instance.")
    assert found == ["prose.prose-plain-http", "prose.prose-credential-in-code"]


def test_a_database_in_a_public_subnet_is_found_and_an_internal_url_is_not():
    assert prose_rules("The SQL Server instance sits in a public subnet with an Elastic IP.") == [
        "prose.prose-public-data-store"]
    assert prose_rules("The health check calls http://10.0.1.5/health inside the VPC.") == []


@pytest.mark.parametrize("text", [
    "The runner authenticates as the hv-deployer IAM user, whose access key is kept in deploy/config.yml in the repository.",
    "The IAM user keys for the nightly export are stored in the .env file on the build server.",
])
def test_a_long_term_access_key_kept_in_code_or_config_is_a_stated_fact(text):
    assert "prose.prose-access-key-in-code" in prose_rules(text)


@pytest.mark.parametrize("text", [
    "No access key is kept in the repository; the pipeline assumes a role through OIDC.",
    "Access keys are never stored in config files.",
])
def test_an_access_key_denied_in_code_is_not_the_fact(text):
    assert "prose.prose-access-key-in-code" not in prose_rules(text)


def test_an_answer_placing_everything_in_one_zone_warns_high_availability():
    one_zone = ("The web tier runs in the Auto Scaling group lms-asg in the private app subnet of eu-west-1a; "
                "RDS for MySQL sits in the private data subnet of eu-west-1a.")
    assert prose_rules(one_zone) == ["prose.single-az"]
    # A hedge is no second zone; a fact is.
    assert prose_rules(one_zone + " Workloads should span multiple Availability Zones where feasible.") == [
        "prose.single-az"]
    assert prose_rules(one_zone + " A standby replica runs in a second Availability Zone.") == []
    assert prose_rules("The NAT gateway sits in eu-west-1a and eu-west-1b.") == []


def test_a_cidr_prefix_is_not_a_port():
    assert "prose.prose-open-admin-port" not in prose_rules(
        "acl-0d1f, public subnets 10.40.0.0/22: inbound 443 from 0.0.0.0/0 and ephemeral return traffic.")
    # ... and a rule for another port in the same list is not the admin port's.
    assert "prose.prose-open-admin-port" not in prose_rules(
        "Outbound: 6379 to sg-tw-cache, 443 to sg-tw-vpce, 443 to 0.0.0.0/0.")


@pytest.mark.parametrize("text", [
    "Deploys authenticate as the IAM user tf-deployer-prod, whose access key is stored as an encrypted\n"
    "GitHub environment secret and rotated every 90 days.",
    "For this we have the IAM user gitlab-ci-deployer with an access key saved as masked variable in GitLab.",
])
def test_a_pipelines_access_key_in_a_ci_secret_store_is_a_long_term_key(text):
    assert "prose.prose-access-key-in-code" in prose_rules(text)


def test_plain_ftp_to_a_named_server_is_unencrypted_and_sftp_is_not():
    assert prose_rules("The Lambda pushes the nightly CSV to Hollins' FTP server (ftp.hollinsdist.example).") == [
        "prose.prose-plain-http"]
    assert prose_rules("The scanning bureau uploads over SFTP to AWS Transfer Family.") == []


@pytest.mark.parametrize("text, found", [
    ("It is provided to the document-service container as the FIELD_ENC_KEY environment variable in the "
     "ECS task definition quillon-document-service:42.", True),
    ("The data key is supplied to the claims-api container through its ECS task definition.", True),
    ("The DB_PASSWORD environment variable is injected from Secrets Manager (valueFrom).", False),
])
def test_a_key_handed_to_a_container_in_its_task_definition_is_a_key_in_configuration(text, found):
    assert ("prose.prose-credential-in-code" in prose_rules(text)) is found


@pytest.mark.parametrize("text, found", [
    ("Scalability: the ASG is min 2 / max 2, so a failed instance is replaced.", True),
    ("The web tier ASG runs min 2 / max 12 on target tracking at 55 % CPU.", False),
])
def test_a_group_fixed_at_one_size_is_stated_as_a_fact(text, found):
    assert ("prose.prose-fixed-capacity" in prose_rules(text)) is found


def test_a_root_email_set_to_one_persons_address_fails_contacts():
    control = make_control("ACCT-001", "contacts")
    found = check(control, response(
        "Root email of the account is set to the email of our delivery lead (tuan.le@saigoncloudops.example)."))
    assert "contact.personal-email" in rules(found, "fail")


def test_a_plain_http_endpoint_in_an_integration_config_is_the_same_fact_and_a_schema_id_is_not():
    config = json_doc({"$schema": "http://json-schema.org/draft-07/schema#",
                       "carriers": {"rates": {"url": "http://rates.carrier.example/v1/quote", "auth": "basic"}}},
                      "integrations.json")
    assert [f.rule for f in prose.findings([config])] == ["prose.prose-plain-http"]


def test_a_reviewer_rejecting_wildcard_policies_is_not_a_wildcard_policy():
    from grader.catalogue import get_catalogue

    acct_002 = get_catalogue()["ACCT-002"]  # the catalogue's own pattern
    sop = text_doc('No wildcards\nReviewer rejects any custom policy with\n"Action": "*", service-wide "svc:*" actions')
    assert "phrase.acct-002-wildcard-action" not in rules(check(acct_002, sop))
    policy = text_doc('{"Effect": "Allow",\n "Action": "s3:*",\n "Resource": "*"}', path="policy.md", kind="markdown")
    assert "phrase.acct-002-wildcard-action" in rules(check(acct_002, policy))


@pytest.mark.parametrize("text, found", [
    ("The Aurora cluster currently runs as a single db.r6g.xlarge writer in eu-west-1a.", True),
    ("orders-db is an Amazon RDS for PostgreSQL instance, Single-AZ, in the data subnet.", True),
    ("The Aurora cluster has a writer in eu-west-1a and a reader in eu-west-1b.", False),
])
def test_a_database_on_one_instance_in_one_zone_is_a_stated_fact(text, found):
    assert ("prose.prose-single-az-database" in prose_rules(text)) is found


@pytest.mark.parametrize("text, rule, found", [
    ("During Black Friday week the on-call engineer raised it to four instances for the weekend.",
     "prose.prose-manual-scaling", True),
    ("The Auto Scaling group scaled out to twelve instances on target tracking.", "prose.prose-manual-scaling", False),
    ("| ops portal | ALB orla-ops-alb, listener HTTP:80 | source-restricted by SG |", "prose.prose-http-listener", True),
    ("The HTTP:80 listener does nothing but return HTTP 301 to HTTPS.", "prose.prose-http-listener", False),
    ("The loader runs as IAM user svc-pos-loader; its access key is kept in the vault and rotated every 90 days.",
     "prose.prose-access-key-in-code", True),
    ("The PostgreSQL instance runs in ca-central-1a, with daily snapshots.", "prose.prose-single-az-database", True),
    ("The Aurora writer runs in eu-west-1a and a reader in eu-west-1b takes over on failure.",
     "prose.prose-single-az-database", False),
])
def test_scope_facts_stated_in_one_clause(text, rule, found):
    assert (rule in prose_rules(text)) is found


@pytest.mark.parametrize("text, found", [
    ("The data-feed jobs go from dev to production once a data engineer has reviewed the diff.", True),
    ("Terraform changes are applied directly to the prod workspace from a workstation.", True),
    ("Nothing goes from dev straight to production; every change passes test and staging.", False),
])
def test_a_change_that_skips_the_test_environments_is_a_stated_fact(text, found):
    assert ("prose.prose-skips-testing" in prose_rules(text)) is found


def test_a_fact_after_but_stands_whatever_the_hedge_before_it_says():
    text = "Service auto scaling can be enabled if traffic grows, but in most cases we run a fixed desired count."
    assert "prose.prose-fixed-capacity" in prose_rules(text)


def test_an_sops_exception_rule_for_rotated_keys_is_not_a_key_in_use():
    rule = ("If a customer insists on IAM users, access keys are rotated every 90 days, MFA is required through a "
            "policy condition, and the exception is recorded in the risk log.")
    assert "prose.prose-access-key-in-code" not in prose_rules(rule)


def test_recovery_objectives_that_disagree_between_answer_and_plan_warn_rto_rpo():
    answer = response("For a regional failure the reservations platform has an RTO of 1 hour and an RPO of 15 minutes.")
    plan = text_doc("3. Objectives\nRegional failure: RTO 4 hours, RPO 1 hour (backup and restore).", path="dr-plan.pdf")
    found = [f for f in prose.findings([answer, plan]) if f.rule == "prose.objectives-disagree"]
    assert len(found) == 2 and "dr-plan.pdf" in found[0].message
    agreeing = text_doc("Regional failure: RTO 1 h, RPO 15 min.", path="dr-plan.pdf")
    assert not [f for f in prose.findings([answer, agreeing]) if f.rule == "prose.objectives-disagree"]

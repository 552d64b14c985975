"""Secrets are redacted before anything else sees the text, and the secrets check reports
each one as a finding where it was found (checks/secrets.py, the `secret` rule of rules.yaml)."""

from __future__ import annotations

import pytest

from grader.catalogue import get_catalogue
from grader.checks import run_checks
from grader.ingest import ingest_control
from grader.ingest.readers import read
from grader.ingest.secrets import redact, remap
from grader.models import ControlAnswer, Document
from tests.ingest import evidence

ACCESS_KEY = "AKIAZ7Q3WJ5NPL2XK4HD"
SECRET_KEY = "kT9vQ2mWx7/Lr4bN8cYp+3HjZ6sF1dG5aE0uI9oR"


@pytest.mark.parametrize(("text", "kind"), [
    (f"aws_access_key_id = {ACCESS_KEY}", "aws-access-key-id"),
    (f"aws_secret_access_key = {SECRET_KEY}", "aws-secret-access-key"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx\n-----END RSA PRIVATE KEY-----", "private-key"),
    ("DB_PASSWORD=Tr0ub4dor&3", "password"),
    ('"MasterUserPassword": "Sup3rS3cret!",', "password"),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig", "bearer-token"),
    ("postgres://app:hunter2@db.internal:5432/orders", "url-password"),
    ("token ghp_" + "a1B2" * 9, "github-token"),
])
def test_secret_is_replaced_by_a_marker(text, kind):
    redacted, hits = redact(text)

    assert [h.kind for h in hits] == [kind]
    assert f"[REDACTED:{kind}]" in redacted
    assert text[hits[0].original_start:hits[0].original_end] not in redacted


@pytest.mark.parametrize("text", [
    "Example from the AWS docs: AKIAIOSFODNN7EXAMPLE",
    "Password: rotated every 90 days by the vault",
    "MasterUserPassword: '{{resolve:secretsmanager:orders-db:SecretString:password}}'",
    "DBPassword: !Ref DatabasePassword",
    "We never store a secret access key anywhere.",
])
def test_placeholders_and_prose_are_not_secrets(text):
    assert redact(text) == (text, [])


def test_offsets_after_a_secret_move_with_the_marker():
    text = f"key {ACCESS_KEY} then the rest"
    redacted, hits = redact(text)

    assert redacted[remap(text.index("then"), hits):].startswith("then the rest")
    assert remap(text.index(ACCESS_KEY) + 3, hits) == hits[0].start


def test_pdf_pages_stay_aligned_after_redaction(tmp_path):
    path = evidence.pdf(tmp_path / "sop.pdf", [f"Page one uses key {ACCESS_KEY} for CI.", "Page two: roles only."])

    doc = read(path, tmp_path)

    assert ACCESS_KEY not in doc.text
    pages = {s.page: doc.text[s.start:s.end] for s in doc.segments}
    assert "[REDACTED:aws-access-key-id] for CI." in pages[1]
    assert pages[2].startswith("Page two")
    assert any("secret redacted: AWS access key id on line 1" == w for w in doc.warnings)


def test_secrets_in_parsed_data_are_redacted_too(tmp_path):
    (tmp_path / "creds.json").write_text(f'{{"AccessKeyId": "{ACCESS_KEY}", "Note": "ok"}}')

    doc = read(tmp_path / "creds.json", tmp_path)

    assert isinstance(doc, Document)
    assert doc.data == {"AccessKeyId": "[REDACTED:aws-access-key-id]", "Note": "ok"}


def secret_findings(evidence):
    control = get_catalogue()[evidence.control]
    return [f for f in run_checks(control, evidence) if f.rule.startswith("secret.")]


def test_key_in_acct002_evidence_fails_temporary_credentials_with_its_location(tmp_path):
    (tmp_path / "ci.md").write_text(f"# CI setup\nThe pipeline user has\naws_access_key_id = {ACCESS_KEY}\n")
    answer = ControlAnswer(control="ACCT-002", response="We use roles.", attachments=["ci.md"])

    result = ingest_control(answer, tmp_path)

    assert all(ACCESS_KEY not in c.text for c in result.chunks)
    assert all(ACCESS_KEY not in d.text for d in result.documents)
    [finding] = secret_findings(result)
    assert (finding.control, finding.criterion, finding.severity, finding.rule) == (
        "ACCT-002", "temporary-credentials", "fail", "secret.aws-access-key-id")
    assert "ci.md" in finding.message and "line 3" in finding.message
    assert finding.source.file == "ci.md" and finding.source.section == "CI setup"


def test_secret_elsewhere_is_a_warning_naming_the_response(tmp_path):
    answer = ControlAnswer(control="OPE-001", response=f"Grafana token: Bearer {'x1' * 20}")

    result = ingest_control(answer, tmp_path)

    [finding] = secret_findings(result)
    assert (finding.criterion, finding.severity, finding.rule) == (None, "warn", "secret.bearer-token")
    assert finding.message.startswith("bearer token found in response, line 1")


def test_secret_on_a_pdf_page_is_located_by_page(tmp_path):
    evidence.pdf(tmp_path / "sop.pdf", ["Intro page with nothing to hide.", f"Deploy key\nuses {ACCESS_KEY}"])

    result = ingest_control(ControlAnswer(control="ACCT-002", attachments=["sop.pdf"]), tmp_path)

    [finding] = secret_findings(result)
    assert finding.source.page == 2
    assert "sop.pdf, p. 2, line 2" in finding.message


def test_a_reader_failure_quoting_a_secret_is_redacted_in_the_error(tmp_path, monkeypatch):
    from grader.ingest import readers

    def quoting_parser(path, rel):
        raise ValueError(f"unexpected token {ACCESS_KEY!r}")

    monkeypatch.setattr(readers, "_reader", lambda suffix: quoting_parser)
    (tmp_path / "main.tf").write_text("irrelevant")

    error = read(tmp_path / "main.tf", tmp_path)

    assert ACCESS_KEY not in error.message
    assert error.message == "could not read this TF file (ValueError: unexpected token '[REDACTED:aws-access-key-id]')"

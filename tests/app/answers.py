"""Answers and evidence files the app tests submit, built in code."""

from __future__ import annotations

from pathlib import Path

from tests.ingest.evidence import pdf

ACCT_001_ANSWER = """\
Our Security Engagement SOP (attached) defines how we govern every customer account.
The root user is used only for the few tasks that require it, such as changing the support
plan or closing the account; day-to-day work never uses it. MFA is enabled on the root user
with a hardware token kept in the customer's safe.
Account contacts (primary, billing, operations, security) are set to corporate distribution
lists such as aws-security@contoso.example and the company switchboard number.
CloudTrail is enabled in all regions through an organization trail that delivers logs to a
dedicated S3 bucket in the log-archive account, with object lock and a deny-delete policy.
Customer example: for Contoso Retail (account 111122223333) we applied this SOP in March 2024.
"""

# Page 2 carries the statements the grader should quote from the attachment.
SOP_PAGES = [
    "Security Engagement SOP\nVersion 3.2 - owner: Cloud Security Practice.\n"
    "This standard operating procedure applies to every customer AWS account we manage.",
    "Section 2 - Root user and trail\n"
    "MFA is enabled on the root user of every customer account with a hardware MFA token.\n"
    "CloudTrail is enabled in all regions with an organization trail; logs are delivered to a "
    "dedicated, protected S3 bucket in the log archive account.",
]


def sop_pdf(folder: Path) -> bytes:
    """A two-page SOP PDF, as bytes to upload."""
    return pdf(folder / "security-sop.pdf", SOP_PAGES).read_bytes()


NOT_APPLICABLE = "N/A - this was the customer's responsibility."

"""Write the ACCT-002 eval attachments that are binary: access SOPs as .pdf and .docx.

Run from anywhere: `.venv/bin/python eval/tools/make_acct_002_files.py`.
Outputs go to eval/cases/acct-002/files/ and are committed with the cases.
"""

from __future__ import annotations

from pathlib import Path

from evidence_writers import write_docx, write_pdf

OUT = Path(__file__).resolve().parents[1] / "cases" / "acct-002" / "files"

ACCESS_APPROACH = [
    "Console access: consultants sign in through the customer's identity provider (federation to IAM Identity Center "
    "or to an IAM SAML provider) and choose a role for the task. There is no console password for any partner person "
    "in a customer account.",
    "Programmatic and CLI access: consultants run `aws sso login --profile <customer>-<role>` or `aws sts "
    "assume-role-with-saml` through our saml2aws wrapper; the CLI receives credentials that expire after at most "
    "one hour. Custom tools (migration scripts, our assessment scanner) assume a cross-account role that requires an "
    "ExternalId agreed with the customer.",
]
TEMPORARY_CREDENTIALS = [
    "We never create IAM users with long-term access keys for partner staff or for tools. Machine identities use "
    "roles: EC2 instance profiles, Lambda execution roles, ECS task roles, and IAM Roles Anywhere for on-premises "
    "agents.",
    "If a customer can only give us IAM users, the exception must be approved by our Security Lead; the users get "
    "console access with MFA only and no access keys, and are removed at the end of the engagement.",
]
FEDERATION = [
    "Preferred: the customer's own identity provider (Microsoft Entra ID, Okta, ADFS, Google Workspace) federated "
    "with IAM Identity Center via SAML 2.0 and SCIM, with our consultants as guest users in the customer's directory. "
    "Where the customer runs Active Directory on premises, AD Connector or AWS Managed Microsoft AD with a trust is used.",
]
LEAST_PRIVILEGE = [
    "Permission sets and roles are defined per job function (read-only support, developer, deployment, break-glass). "
    "Policies name the actions needed and scope Resource to ARNs or to tag conditions. Wildcards in Action are not "
    "allowed; wildcards in Resource are only allowed when the action does not support resource-level permissions or "
    "when a Condition narrows the scope.",
    "Every customer-managed policy is validated with IAM Access Analyzer policy validation before deployment, and "
    "Access Analyzer policy generation is used after the first month to trim unused permissions. Permissions are "
    "reviewed with the customer every quarter.",
]
DEDICATED_CREDENTIALS = [
    "Every partner individual who accesses a customer account uses his or her own identity. Shared users, shared "
    "passwords and shared access keys are forbidden. Break-glass access is a named emergency role, not a shared login, "
    "and every use is reviewed.",
    "Leavers and people rolling off an engagement are removed from the customer's directory group on their last day.",
]

SECURITY_ENGAGEMENT_SOP = [
    ("Purpose", [
        "This Security Engagement SOP defines how our consultants access customer-owned AWS accounts and the IAM "
        "practices we apply and recommend. It is mandatory for every engagement. Owner: Head of Cloud Security.",
    ]),
    ("1. Standard approach to access customer accounts", ACCESS_APPROACH),
    ("2. Temporary credentials and IAM roles", TEMPORARY_CREDENTIALS),
    ("3. Using the customer's identities (federation)", FEDERATION),
    ("4. Least privilege", LEAST_PRIVILEGE),
    ("5. Dedicated credentials for every individual", DEDICATED_CREDENTIALS),
    ("6. Onboarding checklist", [
        "- [ ] Customer IdP federated or Managed AD trust in place.",
        "- [ ] Permission sets per job function approved by the customer.",
        "- [ ] Access Analyzer validation report attached to the engagement record.",
        "- [ ] No IAM users or access keys created for partner staff (credential report checked).",
    ]),
]

ACCESS_SOP_DOCX = [
    ("Document control", [
        "Customer Account Access Standard, version 4.1, owned by the Cloud Security Guild. Approved by the CTO.",
    ]),
    ("Access paths", ACCESS_APPROACH),
    ("Credentials", TEMPORARY_CREDENTIALS),
    ("Identity federation", FEDERATION + [
        "For customers using Okta, the AWS IAM Identity Center app in Okta is configured with SCIM provisioning and "
        "groups named aws-<account>-<permission-set>.",
    ]),
    ("Permissions", LEAST_PRIVILEGE),
    ("Individual accountability", DEDICATED_CREDENTIALS),
]

HANDBOOK_BEFORE = [
    ("1. About Corvid Consulting", [
        "Corvid Consulting is an AWS partner of 140 people in Dublin, Cork and Lisbon, focused on data platforms and "
        "application modernisation for financial services and the public sector.",
        "This handbook explains how we deliver engagements. New joiners read it during their first week; it is "
        "reviewed every year by the Delivery Council.",
    ]),
    ("2. Engagement lifecycle", [
        "Every engagement moves through Discover, Design, Build, Handover and Hypercare. Each phase has an exit gate "
        "signed by the engagement lead and the customer sponsor. Gate templates live in the Delivery SharePoint.",
        "Statements of work are drafted by the account manager and reviewed by a principal before signature. Change "
        "requests above ten person-days need a formal change note.",
    ]),
    ("3. Roles on an engagement", [
        "Engagement lead: commercial and delivery accountability. Principal architect: design authority. Consultants: "
        "build and documentation. Quality reviewer: an independent principal who reviews deliverables at each gate.",
    ]),
    ("4. Documentation standards", [
        "Deliverables use the Corvid templates. Architecture decisions are recorded as ADRs in the customer's "
        "repository. Diagrams are produced in draw.io with the AWS 2024 icon set.",
    ]),
    ("4a. Quality gates in detail", [
        "Discover exit: current-state assessment, business case and high-level scope agreed. Design exit: solution "
        "design reviewed by the quality reviewer and accepted by the customer's design authority. Build exit: all "
        "acceptance criteria met in staging and the operations handover pack drafted. Handover exit: runbooks "
        "accepted, knowledge transfer sessions delivered, and access of the delivery team reduced to hypercare needs.",
        "A gate can be passed with conditions; each condition has an owner and a due date in the RAID log.",
    ]),
    ("4b. Working with customer teams", [
        "We pair with customer engineers wherever possible so that knowledge stays with the customer. Each consultant "
        "names a counterpart in the customer team at kick-off. Code reviews are done jointly, and customer engineers "
        "approve merges to their repositories.",
        "Meetings are held in the customer's collaboration tool; recordings are kept in the customer's tenant only.",
    ]),
    ("4c. Risk and issue management", [
        "Risks are scored on likelihood and impact from 1 to 5 and reviewed weekly. Any risk scoring 15 or more is "
        "raised to the steering committee. Issues have an owner and a target resolution date; overdue issues are "
        "escalated by the engagement lead.",
    ]),
    ("5. Time recording and expenses", [
        "Time is recorded daily in Harvest against the engagement code. Expenses are submitted within 30 days with "
        "receipts; customer-rechargeable expenses are flagged when they are submitted.",
    ]),
]
HANDBOOK_ACCESS = [
    ("6. Accessing customer AWS accounts (Security Engagement SOP)", [
        "6.0 This chapter is our standard for accessing customer-owned AWS accounts. Deviations need the Head of "
        "Security's written approval.",
        "6.1 Standard approach.", *ACCESS_APPROACH,
        "6.2 Temporary credentials.", *TEMPORARY_CREDENTIALS,
        "6.3 Federation.", *FEDERATION,
        "6.4 Least privilege.", *LEAST_PRIVILEGE,
        "6.5 Dedicated credentials.", *DEDICATED_CREDENTIALS,
    ]),
]
HANDBOOK_AFTER = [
    ("7. Knowledge sharing", [
        "Each engagement presents a 20-minute lessons-learned session at the monthly guild meeting. Reusable code goes "
        "to the internal accelerators repository after the customer has agreed in writing.",
    ]),
    ("8. Customer satisfaction", [
        "We send a short survey at each phase gate and a full survey at handover. Scores below 7 trigger a call from "
        "the practice director within a week.",
    ]),
    ("9. Certifications and training budget", [
        "Every consultant has ten training days and an exam budget per year. Associate-level AWS certification is "
        "expected within six months of joining, Professional within two years for senior roles.",
    ]),
    ("9a. Bid and proposal support", [
        "Consultants may be asked to support proposals for up to three days a quarter: estimating, writing the "
        "solution approach and presenting at orals. Estimates use the practice estimation workbook and are reviewed by "
        "a principal before they are shared with the customer.",
    ]),
    ("9b. Internal tooling and accelerators", [
        "The accelerators repository contains landing zone modules, pipeline templates, the migration assessment "
        "scanner and document templates. Each accelerator has a maintainer and a changelog; use the latest tagged "
        "release, never the main branch, on customer engagements.",
    ]),
    ("10. Wellbeing and working hours", [
        "Out-of-hours work on cutovers is planned in advance and compensated with time off in lieu. Nobody is on call "
        "for more than one week in four.",
    ]),
]


def main() -> None:
    write_pdf(OUT / "acct-002-security-engagement-sop.pdf", "Security Engagement SOP - Access to Customer AWS Accounts",
              SECURITY_ENGAGEMENT_SOP)
    write_docx(OUT / "acct-002-access-sop.docx", "Customer Account Access Standard", ACCESS_SOP_DOCX)
    write_docx(OUT / "acct-002-consulting-handbook.docx", "Corvid Consulting - Delivery Handbook",
               HANDBOOK_BEFORE + HANDBOOK_ACCESS + HANDBOOK_AFTER)


if __name__ == "__main__":
    main()

"""Write the ACCT-001 eval attachments that are binary: SOPs as .pdf and .docx.

Run from anywhere: `.venv/bin/python eval/tools/make_acct_001_files.py`.
Outputs go to eval/cases/acct-001/files/ and are committed with the cases.
"""

from __future__ import annotations

from pathlib import Path

from evidence_writers import write_docx, write_pdf, write_xlsx

OUT = Path(__file__).resolve().parents[1] / "cases" / "acct-001" / "files"

# The four ACCT-001 practices, written the way our practice's SOP states them.
ROOT_USAGE = [
    "The root user is never used for day-to-day or workload activities. Engineers use federated roles for all work.",
    "The root user may only be used for tasks that AWS requires it for, and each use needs a change ticket approved "
    "by the Practice Security Lead. Approved uses include:",
    "- changing the AWS Support plan or account settings, or closing the account;",
    "- restoring IAM permissions when the only administrator has been locked out, and activating IAM access to the "
    "Billing console;",
    "- configuring an Amazon S3 bucket to enable MFA delete.",
    "After each use the custodians record the date, the task and the ticket number in the root access log.",
]
ROOT_MFA = [
    "A hardware MFA device (YubiKey 5 NFC or Gemalto token) is registered on the root user before any workload is "
    "deployed. The device is kept in the customer's safe or, while we operate the account, in the partner's office "
    "safe. Two named custodians are recorded; the root password is stored in the corporate vault, never with the token.",
]
CONTACTS = [
    "The root email address is a corporate distribution list owned by the customer, e.g. aws-root-<account>@customer "
    "domain, never an individual's mailbox and never a personal address.",
    "Alternate contacts (billing, operations, security) are set to distribution lists, and the phone number to a "
    "company-owned switchboard or on-call number, so that the account does not depend on one person's employment.",
]
CLOUDTRAIL = [
    "A multi-region trail (IsMultiRegionTrail = true, include global service events) is enabled in every account, "
    "covering all AWS Regions including the ones the customer does not use. In AWS Organizations we use an "
    "organization trail created in the management account.",
    "Logs are delivered to a dedicated S3 bucket in the Log Archive account that holds nothing but CloudTrail logs. "
    "The bucket has Block Public Access, versioning and MFA delete (or S3 Object Lock in compliance mode), SSE-KMS "
    "encryption and a bucket policy that only allows delivery from cloudtrail.amazonaws.com and read access for the "
    "security team role. Log file validation is enabled.",
]

SECURITY_ENGAGEMENT_SOP = [
    ("Purpose and scope", [
        "This SOP defines how our consultants create and hand over AWS accounts on behalf of customers and how the "
        "basic account security baseline is applied. It is mandatory for every engagement in which we create or "
        "take over an AWS account. Owner: Practice Security Lead. Review cycle: every six months.",
    ]),
    ("1. When the root user may be used", ROOT_USAGE),
    ("2. MFA on the root user", ROOT_MFA),
    ("3. Account contact information", CONTACTS),
    ("4. CloudTrail in all regions and a protected log bucket", CLOUDTRAIL),
    ("5. Verification checklist (attach to the engagement record)", [
        "- [ ] Root MFA device registered, custodians recorded.",
        "- [ ] Root email and alternate contacts are distribution lists / company phone numbers.",
        "- [ ] Trail is multi-region, log file validation on, delivering to the dedicated bucket.",
        "- [ ] Log bucket: versioning, MFA delete or Object Lock, restrictive bucket policy.",
        "- [ ] Root access log created and shared with the customer.",
    ]),
    ("6. Handover to the customer", [
        "At handover the customer registers its own MFA device on root and rotates the root password; we remove our "
        "custodians from the record and confirm in writing.",
    ]),
    ("Revision history", [
        "v3.2 - added Object Lock as an alternative to MFA delete. v3.1 - alternate contacts made mandatory. "
        "v3.0 - first version aligned with the AWS Prescriptive Guidance ACCT controls.",
    ]),
]

ACCOUNT_BASELINE_SOP = [
    ("Document information", [
        "Account Baseline Standard Operating Procedure, version 5, owned by the Cloud Foundations team. Applies to every "
        "landing zone we build with AWS Control Tower or AWS Organizations.",
    ]),
    ("Root user policy", ROOT_USAGE[:2] + [
        "- support plan changes, account closure, and the other tasks listed in the AWS documentation as requiring root;",
        "- re-enabling IAM access to billing.",
        "Member accounts created by Control Tower get an SCP that denies all actions by the root user except the ones above.",
    ]),
    ("Root MFA", [
        "Management account: hardware MFA, two custodians. Member accounts: the root password is never set; if root "
        "access is ever needed, the password is reset through the distribution list and MFA is registered first.",
    ]),
    ("Contacts", CONTACTS),
    ("Logging baseline", CLOUDTRAIL + [
        "Terraform module terraform-aws-org-trail (see attached example acct-001-org-trail.tf) implements this.",
    ]),
    ("Exceptions", [
        "Any deviation requires a risk acceptance signed by the customer's CISO and our Practice Security Lead.",
    ]),
]

# Unrelated handbook chapters that bury the account governance chapter in the long attachment.
HANDBOOK_FILLER_BEFORE = [
    ("Chapter 1. Welcome and how to use this handbook", [
        "This handbook collects the information security policies that apply to every employee and contractor of "
        "Bluefin Consulting. Each chapter names its owner. Where a chapter conflicts with a customer's policy on a "
        "customer engagement, the stricter rule applies.",
        "Policies are reviewed yearly by the Information Security Committee and approved by the Managing Director.",
    ]),
    ("Chapter 2. Acceptable use of company equipment", [
        "Company laptops are encrypted with BitLocker or FileVault and enrolled in Intune. Personal software may only "
        "be installed from the company portal. USB mass storage is blocked by policy. Lost or stolen devices must be "
        "reported to the service desk within one hour.",
        "Printing of customer data is not allowed outside company offices.",
    ]),
    ("Chapter 3. Passwords and authentication for staff", [
        "Staff accounts use Microsoft Entra ID with phishing-resistant MFA. Passwords are at least 14 characters and "
        "are never reused across systems. The corporate password manager is 1Password Business.",
    ]),
    ("Chapter 4. Travel and remote working", [
        "When working from public places, use the company VPN and a privacy screen. Do not discuss customer names on "
        "calls in public spaces. Travel to high-risk countries requires a loaner laptop.",
    ]),
    ("Chapter 5. Data classification", [
        "Four levels: Public, Internal, Confidential, Restricted. Customer data is Confidential by default and "
        "Restricted when it contains personal or payment data. Restricted data may not leave the customer's environment.",
    ]),
]
HANDBOOK_FILLER_MORE = [
    ("Chapter 5a. Physical security of offices", [
        "Offices in Leeds and Manchester use badge access with anti-tailgating turnstiles. Visitors sign in at "
        "reception, wear a visible badge and are escorted at all times. Server and network cupboards are locked and "
        "the key register is checked monthly by the office manager.",
        "CCTV recordings are kept for 30 days and may only be viewed by the facilities manager and the DPO.",
        "Staff must not let anyone follow them through a badge-controlled door, even a colleague they recognise.",
    ]),
    ("Chapter 5b. Privacy and data protection", [
        "Bluefin is a processor for most customer data and a controller for employee and marketing data. The Data "
        "Protection Officer maintains the record of processing activities and answers subject access requests within "
        "one month. Personal data from customer systems may only be copied to test environments after masking with "
        "the approved tool.",
        "Any transfer of personal data outside the UK/EEA needs a transfer risk assessment and standard contractual "
        "clauses, approved by the DPO before the transfer.",
    ]),
    ("Chapter 5c. Email, chat and file sharing", [
        "Customer documents are shared only through the customer's own tools or through our SharePoint with external "
        "sharing limited to named guests. Personal email and consumer file-sharing services are blocked. Slack Connect "
        "channels with customers are named ext-<customer>-<topic> and archived 90 days after the engagement closes.",
        "Email auto-forwarding to external domains is disabled tenant-wide.",
    ]),
    ("Chapter 5d. Access reviews for internal systems", [
        "Managers review their team's access to internal systems every quarter in the identity governance tool. "
        "Leavers are disabled on their last working day by HR-triggered automation; accounts of movers are "
        "re-certified within two weeks of the move.",
        "Privileged access to internal systems is granted just in time through Entra Privileged Identity Management "
        "for at most eight hours.",
    ]),
    ("Chapter 5e. Business continuity for the company", [
        "The company's own business continuity plan covers loss of an office, loss of the identity provider and loss "
        "of a key supplier. It is tested once a year with a tabletop exercise. Customer-facing continuity commitments "
        "are defined per contract and are out of scope of this chapter.",
    ]),
]
HANDBOOK_FILLER_AFTER = [
    ("Chapter 7. Incident reporting", [
        "Report any suspected security incident to security@bluefin.example within 30 minutes. The on-call security "
        "engineer opens an incident record and decides on escalation to the customer according to the contract.",
    ]),
    ("Chapter 8. Supplier management", [
        "New SaaS tools require a supplier security questionnaire and approval by Information Security before any "
        "customer data is processed in them.",
    ]),
    ("Chapter 9. Secure development", [
        "All code is peer reviewed; secrets are scanned with gitleaks in CI; dependencies are scanned weekly with "
        "Dependabot. Infrastructure code follows the same review rules as application code.",
    ]),
    ("Chapter 10. Training and awareness", [
        "Annual security awareness training and quarterly phishing simulations are mandatory. Cloud engineers also "
        "complete the AWS Security Fundamentals course in their first month.",
    ]),
    ("Chapter 10a. Customer site visits", [
        "When working on customer premises, follow the customer's site rules and badge policy. Do not connect company "
        "laptops to customer networks unless the customer's IT team has approved it; use the company 4G hotspot "
        "otherwise. Leave no printed material behind at the end of the day.",
    ]),
    ("Chapter 10b. Use of generative AI tools", [
        "Only the company-approved assistant may be used for work. Customer data, source code and credentials must "
        "never be pasted into public AI tools. Outputs must be reviewed by the engineer before use.",
    ]),
    ("Chapter 10c. Records retention", [
        "Engagement records, including the root access logs and account handover confirmations, are kept for six "
        "years after the engagement ends, then deleted. Timesheets and invoices follow the finance retention schedule.",
    ]),
    ("Chapter 11. Disciplinary process", [
        "Breaches of this handbook are handled under the HR disciplinary policy. Deliberate circumvention of controls "
        "is gross misconduct.",
    ]),
]
HANDBOOK_ACCOUNT_CHAPTER = [("Chapter 6. Creating and governing AWS accounts for customers", [
    "6.0 This chapter is the Security Engagement SOP for AWS account creation. It applies whenever we create an AWS "
    "account on behalf of a customer or operate one before handover.",
    "6.1 Root user usage.", *ROOT_USAGE,
    "6.2 Root MFA.", *ROOT_MFA,
    "6.3 Contact information.", *CONTACTS,
    "6.4 CloudTrail.", *CLOUDTRAIL,
])]


# A security training workbook: the procedure as numbered steps, and the quiz consultants pass.
TRAINING_WORKBOOK = {
    "Read me": [
        ["Security onboarding module SEC-104: Creating AWS accounts for customers"],
        ["Audience", "All consultants before their first engagement; refreshed yearly"],
        ["Owner", "Security Practice Lead"],
        ["How to use", "Work through the 'Procedure' sheet, then pass the 'Quiz' sheet (80%)."],
    ],
    "Procedure": [
        ["Step", "Area", "What to do", "Why"],
        [1, "Contacts", "Create the account with a customer distribution list as root email (never a person's mailbox).",
         "Account recovery must not depend on one employee."],
        [2, "Root MFA", "Before anything else, register a hardware MFA device on root; record two custodians.",
         "Root can do anything in the account."],
        [3, "Root usage", "Use root only for root-only tasks: support plan changes, account closure, restoring IAM "
         "access, activating IAM billing access, enabling MFA delete. Log each use with a ticket.",
         "Everyday work uses federated roles, never root."],
        [4, "Contacts", "Set billing, operations and security alternate contacts to distribution lists and the company "
         "switchboard number.", "AWS notices must reach a team."],
        [5, "CloudTrail", "Enable a multi-region trail (all regions, including unused ones) with log file validation.",
         "Attackers use regions nobody watches."],
        [6, "CloudTrail", "Deliver to a dedicated S3 bucket used only for CloudTrail, with MFA delete or Object Lock, "
         "Block Public Access and a bucket policy limiting reads to the security role.",
         "Logs must survive accidental or malicious deletion."],
        [7, "Evidence", "Attach the baseline check output to the engagement record.", "Auditability."],
    ],
    "Quiz": [
        ["#", "Question", "Answer"],
        [1, "May you deploy a workload while signed in as root?", "No"],
        [2, "Which regions must the trail cover?", "All regions"],
        [3, "Can the root email be the project manager's address?", "No - a distribution list"],
        [4, "Where do CloudTrail logs go?", "A dedicated, protected S3 bucket"],
    ],
}


def main() -> None:
    write_pdf(OUT / "acct-001-security-engagement-sop.pdf", "Security Engagement SOP - AWS Account Creation and Governance",
              SECURITY_ENGAGEMENT_SOP)
    write_docx(OUT / "acct-001-account-baseline-sop.docx", "Account Baseline SOP", ACCOUNT_BASELINE_SOP)
    write_pdf(OUT / "acct-001-infosec-handbook.pdf", "Bluefin Consulting - Information Security Handbook (2024 edition)",
              HANDBOOK_FILLER_BEFORE + HANDBOOK_FILLER_MORE + HANDBOOK_ACCOUNT_CHAPTER + HANDBOOK_FILLER_AFTER)
    write_xlsx(OUT / "acct-001-security-training-sec104.xlsx", TRAINING_WORKBOOK)


if __name__ == "__main__":
    main()

"""Write the binary attachments of the NETSEC-002 eval cases.

Run once from the repository root:  .venv/bin/python eval/tools/make_netsec_002_files.py
Outputs go to eval/cases/netsec-002/files/ and are kept in the repository, so the
eval never has to build them. Text attachments (.md/.txt/.json) are written by hand.
"""

from __future__ import annotations

from pathlib import Path

from evidence_writers import Section, write_docx, write_pdf

OUT = Path(__file__).resolve().parents[1] / "cases" / "netsec-002" / "files"


# ---------------------------------------------------------------- contents
NIMBUS_POLICY: list[Section] = [
    ("1. Purpose and scope", [
        "This policy defines how Nimbusway Solutions protects customer data in transit and at rest on every "
        "customer project, and how the cryptographic keys are stored and managed. It is mandatory for all "
        "delivery and managed-service teams.",
    ]),
    ("2. Endpoints exposed to the Internet", [
        "2.1 Every Internet-facing endpoint is listed in the solution design with its protocol and TLS policy.",
        "2.2 Only HTTPS is served. CloudFront uses security policy TLSv1.2_2021; ALB and NLB TLS listeners use "
        "ELBSecurityPolicy-TLS13-1-2-2021-06; API Gateway custom domains use TLS 1.2. HTTP listeners only "
        "redirect to HTTPS.",
        "2.3 Service-to-service APIs exposed to partners use API Gateway mutual TLS with a truststore in S3.",
        "2.4 Certificates are issued by AWS Certificate Manager and renewed automatically.",
    ]),
    ("3. Requests to external endpoints", [
        "3.1 Processes that call endpoints over the Internet use HTTPS (TLS 1.2+) with certificate "
        "validation; SDK and HTTP client defaults must not be weakened.",
        "3.2 Outbound traffic leaves through NAT gateways; where a customer requires it, AWS Network Firewall "
        "restricts egress to an allow-list of domains.",
        "3.3 Credentials for external endpoints are kept in AWS Secrets Manager.",
    ]),
    ("4. Encryption at rest", [
        "4.1 The native encryption of every AWS service that stores data is enabled by default: S3 default "
        "encryption, EBS encryption by default, RDS and Aurora storage encryption, DynamoDB, SQS, SNS, "
        "Kinesis, EFS and all backups and snapshots.",
        "4.2 A service left unencrypted needs a documented reason approved by the security lead.",
        "4.3 AWS Config conformance packs detect unencrypted resources; findings are fixed within 5 days.",
    ]),
    ("5. Key management", [
        "5.1 All cryptographic keys are created, stored and managed in AWS KMS. Customer managed keys are "
        "used per workload and per data classification; AWS CloudHSM is used where FIPS 140-2 Level 3 is "
        "required.",
        "5.2 Automatic rotation is enabled on symmetric customer managed keys. Key administrators and key "
        "users are separate IAM roles. Key usage is logged in CloudTrail.",
        "5.3 Keys and private keys are never stored in source code, AMIs, containers or parameter files.",
    ]),
]

HARBOR_POLICY: list[Section] = [
    ("Document control", [
        "Owner: Head of Cloud Security, Lindqvist & Hale Technology. Version 4.1. Approved 2023-12-14. "
        "Applies to all customer engagements.",
    ]),
    ("1. Data in transit - public endpoints", [
        "Public endpoints are fronted by an Application Load Balancer or CloudFront. Listeners use TLS 1.2 or "
        "higher with certificates from AWS Certificate Manager; port 80 redirects to 443. The list of public "
        "endpoints and their TLS policy is part of the design approval.",
    ]),
    ("2. Data in transit - outbound", [
        "Integrations that call external endpoints over the Internet use HTTPS with certificate validation "
        "or SFTP. Egress is routed through NAT gateways; no workload instance has a public IP address.",
    ]),
    ("3. Data at rest", [
        "Encryption at rest is enabled on every data store: EBS encryption by default in each account and "
        "region, RDS storage encryption, S3 default encryption with SSE-KMS, and bucket policies that deny "
        "unencrypted uploads and non-TLS requests.",
    ]),
    ("4. Key management", [
        "Keys are AWS KMS customer managed keys, one per workload and environment, rotated yearly. Key "
        "policies allow use only to the workload roles; administration is restricted to the security team.",
    ]),
]

_ISMS_INTRO = (
    "This chapter is part of the Orchard Lane Consulting Information Security Management System (ISMS) "
    "handbook, aligned with ISO/IEC 27001:2022 Annex A."
)
ISMS_HANDBOOK: list[Section] = [
    ("1. Introduction", [
        _ISMS_INTRO,
        "The handbook applies to all employees, contractors and subcontractors. Each chapter has an owner "
        "who reviews it at least once a year and after any significant incident.",
    ]),
    ("2. Information security roles", [
        "The CISO chairs the security committee, which meets monthly. Each delivery practice appoints a "
        "security champion who attends the committee and cascades decisions.",
        "Line managers ensure that joiners complete security awareness training within their first month.",
    ]),
    ("3. Asset management", [
        "Laptops are enrolled in the device management platform before first use. Lost devices are reported "
        "to the service desk within one hour and wiped remotely.",
        "Software licences are tracked in the asset register; unlicensed software is removed.",
    ]),
    ("4. Human resources security", [
        "Background checks are performed before employment in line with local law. Leavers return equipment "
        "on their last day and their accounts are disabled by the end of that day.",
    ]),
    ("5. Physical security", [
        "Office access uses badges; visitors are signed in and escorted. Clean desk rules apply at the end "
        "of every working day.",
    ]),
    ("6. Access control", [
        "Access to internal systems uses single sign-on with MFA. Access rights are reviewed quarterly by "
        "system owners and removed when no longer needed.",
    ]),
    ("7. Supplier management", [
        "Suppliers handling personal data sign a data processing agreement. High-risk suppliers complete "
        "the security questionnaire every year.",
    ]),
    ("8. Incident management", [
        "Security incidents are reported to the security mailbox or hotline. The incident manager triages "
        "within four hours and informs affected customers in line with contract terms.",
    ]),
    ("9. Acceptable use", [
        "Company systems are provided for business use; reasonable personal use is allowed if it does not "
        "affect work or security. Installing browser extensions needs approval from the service desk.",
        "Customer data may only be processed on company-managed devices and in customer-approved locations. "
        "Copying customer data to personal storage is a disciplinary matter.",
    ]),
    ("10. Passwords and authentication", [
        "Passwords are generated and stored in the company password manager. Minimum length is 14 characters; "
        "reuse across systems is not allowed.",
        "Hardware security keys are issued to administrators and to anyone with production access.",
    ]),
    ("11. Remote working", [
        "Staff working remotely use the company VPN for internal systems and must not work from public "
        "locations where screens can be overlooked when handling customer data.",
        "Home routers must have their default passwords changed; guidance is on the intranet.",
    ]),
    ("12. Security awareness and training", [
        "All staff complete the annual awareness module and the phishing simulation programme. Results are "
        "reported to the security committee by department.",
        "Engineers complete secure development training every two years.",
    ]),
    ("13. Records retention", [
        "Project records are retained for seven years after the end of the engagement unless the contract says "
        "otherwise. Email is archived for five years.",
        "Personal data is deleted when no longer needed, following the retention schedule.",
    ]),
    ("14. Internal IT change management", [
        "Changes to internal IT systems go through the weekly change advisory board. Emergency changes are "
        "approved by the IT manager and reviewed at the next board.",
    ]),
    ("15. Cryptography and data encryption policy (customer workloads on AWS)", [
        "15.1 Internet-facing endpoints. Every endpoint exposed to the Internet is listed in the design. Only "
        "HTTPS with TLS 1.2 or later is allowed: CloudFront viewer policy TLSv1.2_2021, ALB policy "
        "ELBSecurityPolicy-TLS13-1-2-2021-06, HTTP redirected to HTTPS. Certificates are managed in AWS "
        "Certificate Manager.",
        "15.2 Outbound requests. Processes that call external endpoints over the Internet use HTTPS with "
        "certificate verification, or SFTP for file transfers. Outbound traffic leaves through NAT gateways.",
        "15.3 Encryption at rest. Native encryption is switched on for every AWS service that stores data "
        "(S3, EBS, RDS/Aurora, DynamoDB, EFS, SQS, backups). Exceptions need CISO approval.",
        "15.4 Key management. All cryptographic keys are held in AWS KMS as customer managed keys with annual "
        "automatic rotation and separated admin/use permissions. No key material in code or configuration.",
    ]),
    ("16. Business continuity", [
        "Each practice keeps a continuity plan covering loss of office, loss of key staff and loss of "
        "critical suppliers. Plans are exercised yearly.",
    ]),
    ("17. Compliance", [
        "The ISMS is audited yearly by an accredited certification body. Non-conformities are tracked to "
        "closure by the CISO office.",
    ]),
    ("Appendix C. Implementation record - Wrenfield Housing Association tenant portal", [
        "Account 2276-5518-9043, eu-west-2. Public endpoints: CloudFront distribution E2WFH7QK3PZ1 for "
        "portal.wrenfield-ha.org.uk (ACM certificate in us-east-1, TLSv1.2_2021) and ALB wfh-portal-alb "
        "(HTTPS listener with ACM certificate, HTTP redirect). No other endpoint is public.",
        "Outbound: the repairs service calls the contractor scheduling API at api.fixright.example over "
        "HTTPS with certificate verification; the rent export is sent by SFTP to the bank via AWS Transfer "
        "Family connector c-4f1a9e2b7d63.",
        "At rest: Aurora PostgreSQL wfh-tenants encrypted with KMS key alias/wfh-data; S3 buckets "
        "wfh-documents and wfh-exports use SSE-KMS with the same key; EBS default encryption is on; AWS "
        "Backup vault wfh-vault encrypted with alias/wfh-backup.",
        "Keys: alias/wfh-data and alias/wfh-backup are customer managed KMS keys with rotation enabled; "
        "screenshots of the key configuration and of each service's encryption setting are in the "
        "handover pack, section 5.",
    ]),
]


def main() -> None:
    write_pdf(OUT / "nimbusway-data-encryption-policy.pdf",
              "Nimbusway Solutions - Data Encryption and Key Management Policy (v3.0)", NIMBUS_POLICY)
    write_docx(OUT / "lindqvist-hale-encryption-policy.docx",
               "Data Encryption and Key Management Policy", HARBOR_POLICY)
    write_pdf(OUT / "orchard-lane-isms-handbook.pdf",
              "Orchard Lane Consulting - ISMS Handbook (2024 edition)", ISMS_HANDBOOK)


if __name__ == "__main__":
    main()

"""Write the binary attachments of the REL-002 eval cases.

Run once from the repository root:  .venv/bin/python eval/tools/make_rel_002_files.py
Outputs go to eval/cases/rel-002/files/ and are kept in the repository, so the
eval never has to build them. Text attachments (.md/.txt) are written by hand.
"""

from __future__ import annotations

from pathlib import Path

from evidence_writers import Section, Table, write_docx, write_xlsx

OUT = Path(__file__).resolve().parents[1] / "cases" / "rel-002" / "files"


# ---------------------------------------------------------------- contents
FAIRHAVEN_PLAN: list[Section] = [
    ("1. Purpose", [
        "This disaster recovery plan was prepared by Seabright Cloud Partners for Fairhaven Building Society "
        "and approved by Fairhaven's Chief Operating Officer on 2023-11-20. It covers the mortgage "
        "application platform running in AWS eu-west-2 (London) with eu-west-1 (Ireland) as recovery Region.",
    ]),
    ("2. Business requirements and targets", [
        "The business impact analysis with Fairhaven's operations and risk teams set the tolerance for the "
        "mortgage platform at four hours of unavailability and fifteen minutes of lost data. Seabright "
        "therefore recommended, and Fairhaven accepted, an RTO of 4 hours and an RPO of 15 minutes for a "
        "Regional disaster, and an RTO of 10 minutes with an RPO of near zero for the loss of an "
        "Availability Zone.",
        "Strategy: pilot light. Core data is continuously replicated to eu-west-1; compute is defined in "
        "CloudFormation and scaled up only during a disaster.",
    ]),
    ("3. Recovery procedure", [
        "Step 1 - Declare: the incident manager and Fairhaven's duty manager declare a disaster after the "
        "Route 53 health checks of fhb-mortgage-alb fail for 15 minutes and AWS Health confirms a Regional "
        "event.",
        "Step 2 - Data: promote the Aurora PostgreSQL secondary cluster fhb-mortgage-dr in eu-west-1 "
        "(Aurora Global Database managed failover; replication lag normally under 1 second). Documents in "
        "S3 are already in fhb-documents-dr through Cross-Region Replication with Replication Time Control "
        "(15 minutes).",
        "Step 3 - Compute: run the pipeline job dr-scale-up, which deploys the fhb-mortgage CloudFormation "
        "stacks in eu-west-1 with production capacity (ECS service mortgage-api to 6 tasks, the "
        "underwriting workers to 4 tasks).",
        "Step 4 - Traffic: switch the Route 53 failover record apply.fairhaven.co.uk to the eu-west-1 ALB.",
        "Step 5 - Verify: run the synthetic application journey and the reconciliation report; the duty "
        "manager confirms service restoration.",
    ]),
    ("4. Testing", [
        "The plan was tested on 2024-01-27 in a game day. Measured RTO was 2 hours 40 minutes and RPO "
        "was 3 seconds. Findings and actions are in the test report sent to Fairhaven on 2024-01-30.",
    ]),
    ("5. Communication with Fairhaven", [
        "The targets, the cost of the pilot light (about GBP 2,100 per month) and the residual risks were "
        "presented to Fairhaven's operational resilience committee. Seabright reports the measured RTO/RPO "
        "after every test and raises any design change that affects the targets in the monthly service "
        "review. During a disaster, Seabright's incident manager updates Fairhaven's duty manager every 30 "
        "minutes.",
    ]),
]
FAIRHAVEN_TARGETS: list[list[str]] = [
    ["Component", "Failure", "RTO", "RPO", "Recovery mechanism"],
    ["Aurora PostgreSQL fhb-mortgage", "AZ", "< 2 min", "0", "Multi-AZ automatic failover"],
    ["Aurora PostgreSQL fhb-mortgage", "Region", "30 min", "15 min (target), ~1 s measured", "Global Database failover"],
    ["ECS mortgage-api", "AZ", "5 min", "n/a (stateless)", "Tasks spread over 3 AZs"],
    ["ECS mortgage-api", "Region", "2 h", "n/a (stateless)", "CloudFormation scale-up in eu-west-1"],
    ["S3 fhb-documents", "Region", "15 min", "15 min", "CRR with Replication Time Control"],
]

_CONTACTS = [
    ["Name", "Organisation", "Role", "Contact"],
    ["Dana Whitfield", "Brightwater Leisure", "Product owner", "digital-ops@brightwaterleisure.example"],
    ["Tomasz Nowak", "Brightwater Leisure", "IT operations manager", "it-ops@brightwaterleisure.example"],
    ["Leah Moreno", "Cirrus Fold", "Delivery lead", "bw-delivery@cirrusfold.example"],
    ["Arjun Mehta", "Cirrus Fold", "Lead architect", "bw-architecture@cirrusfold.example"],
    ["Service desk", "Cirrus Fold", "24x7 support", "+44 20 7946 0011"],
]
_CHANGES = [
    ["Week", "Change", "Owner", "Freeze?"],
    ["2024-W10", "Membership API v2.3", "Cirrus Fold", "No"],
    ["2024-W12", "Payment provider TLS certificate rotation", "Brightwater", "No"],
    ["2024-W14", "Easter trading freeze", "Both", "Yes"],
    ["2024-W16", "Class booking UI redesign", "Cirrus Fold", "No"],
    ["2024-W22", "Summer camp booking launch", "Brightwater", "Yes"],
]
_RISKS = [
    ["ID", "Risk", "Likelihood", "Impact", "Mitigation", "Owner"],
    ["R-01", "Key staff unavailable during go-live", "Medium", "Medium", "Cross-training, runbooks", "Cirrus Fold"],
    ["R-02", "Payment provider outage", "Low", "High", "Fallback to pay-at-desk", "Brightwater"],
    ["R-03", "Legacy CRM export delayed", "Medium", "Low", "Manual CSV import", "Brightwater"],
    ["R-04", "Cost overrun on data transfer", "Low", "Medium", "Budgets and anomaly alerts", "Cirrus Fold"],
]
_LICENCES = [
    ["Product", "Licence", "Quantity", "Renewal"],
    ["Datadog APM", "Pro", "20 hosts", "2024-09-30"],
    ["Atlassian Jira", "Standard", "35 users", "2024-06-01"],
    ["Sentry", "Business", "1 org", "2024-11-15"],
]
_ACCESS = [
    ["Role", "Production access", "Granted via", "Review"],
    ["Cirrus Fold engineers", "Read-only", "IAM Identity Center permission set BW-ReadOnly", "Quarterly"],
    ["Pipeline deploy role", "Deploy", "CodePipeline service role", "On change"],
    ["Break-glass", "Administrator", "Sealed credentials, two-person rule", "After each use"],
]
_DR = [
    ["Item", "Detail"],
    ["Workload", "Brightwater Leisure membership and class booking platform, eu-west-2, DR Region eu-west-1"],
    ["RTO (AZ failure)", "15 minutes - ECS services across 3 AZs, Aurora Multi-AZ automatic failover"],
    ["RPO (AZ failure)", "0 - synchronous Multi-AZ storage"],
    ["RTO (Region failure)", "6 hours - redeploy CDK stacks bw-core and bw-web to eu-west-1, restore data"],
    ["RPO (Region failure)", "1 hour - AWS Backup hourly Aurora snapshots copied to eu-west-1 vault bw-dr-vault"],
    ["Core component: Aurora MySQL bw-members", "Restore latest cross-Region snapshot in eu-west-1 (runbook DR-02)"],
    ["Core component: ECS bw-booking-api / bw-web", "cdk deploy bw-core bw-web --context region=eu-west-1 from pipeline job dr-deploy (runbook DR-03)"],
    ["Core component: S3 bw-member-photos", "Cross-Region Replication to bw-member-photos-dr; switch bucket parameter (runbook DR-04)"],
    ["Core component: DNS", "Route 53 failover record book.brightwaterleisure.example to the eu-west-1 ALB (runbook DR-05)"],
    ["Last DR test", "2024-02-10: full Region restore in 4 h 50 min, data loss 38 min; report sent to Brightwater 2024-02-13"],
    ["Customer communication", "Targets and cost trade-off presented to Brightwater's board on 2023-10-05 and accepted in writing; measured results shared after every test; Cirrus Fold incident manager calls Brightwater's IT operations manager within 15 minutes of declaring a disaster and every 30 minutes after"],
]
_ACTIONS = [
    ["#", "Action", "Owner", "Due", "Status"],
    ["A-11", "Add synthetic canary for class booking", "Cirrus Fold", "2024-03-15", "Open"],
    ["A-12", "Agree Easter freeze communications", "Brightwater", "2024-03-20", "Open"],
    ["A-13", "Rotate Datadog API key", "Cirrus Fold", "2024-03-08", "Done"],
    ["A-14", "Update on-call rota for April", "Cirrus Fold", "2024-03-28", "Open"],
]
READINESS_WORKBOOK = {
    "Contacts": _CONTACTS,
    "Change calendar": _CHANGES,
    "Risk register": _RISKS,
    "Licences": _LICENCES,
    "Access matrix": _ACCESS,
    "DR plan": _DR,
    "Open actions": _ACTIONS,
}


def main() -> None:
    write_docx(OUT / "fairhaven-disaster-recovery-plan.docx",
               "Fairhaven Building Society - Mortgage Platform Disaster Recovery Plan",
               FAIRHAVEN_PLAN + [("Recovery targets per component", [Table(FAIRHAVEN_TARGETS)])])
    write_xlsx(OUT / "brightwater-operational-readiness.xlsx", READINESS_WORKBOOK, styled=True)


if __name__ == "__main__":
    main()

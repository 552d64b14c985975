"""Write the OPE-002 eval attachments that are binary: runbooks as .pdf and .docx.

Run from anywhere: `.venv/bin/python eval/tools/make_ope_002_files.py`.
Outputs go to eval/cases/ope-002/files/ and are committed with the cases.
"""

from __future__ import annotations

from pathlib import Path

from evidence_writers import write_docx, write_pdf

OUT = Path(__file__).resolve().parents[1] / "cases" / "ope-002" / "files"

# Halden Legal document ingestion: the runbook follows the KPIs and alarms defined for OPE-001.
HALDEN_ROUTINE = [
    "R1 Daily health check (09:00): open the docs-ingest CloudWatch dashboard; confirm no alarm in ALARM state, error "
    "rate below 1%, iterator age below 60 s, DLQ empty. Record the check in the ops log.",
    "R2 Weekly: review the docs-ingest-dlq queue and the Logs Insights query 'Errors by function'; raise a ticket for any "
    "recurring error type.",
    "R3 Monthly: review Lambda runtime deprecation notices and dependency updates; apply through the pipeline.",
    "R4 Monthly: rotate the scanner API key in Secrets Manager (secret halden/scanner-api-key) with the rotation Lambda "
    "and verify ingestion afterwards.",
    "R5 Quarterly: restore test - recover a deleted object version from the halden-docs-raw bucket and verify its checksum.",
    "R6 Quarterly: review reserved concurrency, memory size and timeout against the dashboard's max memory used and p99 "
    "duration; adjust through the pipeline.",
]
HALDEN_TROUBLESHOOTING = [
    "T1 Alarm docs-ingest-error-rate-gt-1pct (KPI: Errors / Invocations > 1% for 5 min). Diagnose: run the saved Logs "
    "Insights query 'Errors by function' for the last 30 minutes and group by error.type; open X-Ray traces with fault "
    "status. Typical causes and fixes: (a) malformed PDF from a scanner - move the object to the quarantine prefix and "
    "inform the sender; (b) AccessDenied on S3 after a policy change - roll back the last deployment with the pipeline; "
    "(c) timeouts calling the OCR service - check the OCR service health page, switch the feature flag ocr_async=true. "
    "Escalate to the partner on-call if the error rate stays above 1% for 30 minutes.",
    "T2 Alarm docs-ingest-throttles-gt-0 (KPI: Throttles > 0 for 5 min). Diagnose: compare ConcurrentExecutions with "
    "the reserved concurrency (200) and UnreservedConcurrentExecutions in the account. Fix: if a bulk upload is running, "
    "let the SQS buffer absorb it; if throttling lasts over 15 minutes, raise reserved concurrency to 300 via the "
    "pipeline parameter and request a quota increase if the account limit is near.",
    "T3 Alarm docs-stream-iterator-age-gt-60s (KPI: IteratorAge > 60 s). Diagnose: check docs-stream-processor Errors; "
    "a single poison record blocks the shard. Fix: confirm BisectBatchOnFunctionError is on, find the record in the "
    "on-failure destination, fix or skip it; if there are no errors, raise ParallelizationFactor from 2 to 5.",
    "T4 DeadLetterErrors > 0 or messages in docs-ingest-dlq. Diagnose: inspect message attributes for the error. Fix: "
    "after the cause is fixed, redrive with 'Start DLQ redrive' in the SQS console or the runbook-as-code document "
    "Halden-RedriveDLQ; confirm the DLQ is empty.",
    "T5 Duration p99 above 80% of the timeout. Diagnose: X-Ray segment timeline for slow calls. Fix: increase memory "
    "size (CPU scales with it) or move OCR calls to the async path.",
]

HALDEN_RUNBOOK = [
    ("About this runbook", [
        "Customer: Halden Legal. Workload: document ingestion (Lambda docs-ingest, docs-stream-processor, S3 "
        "halden-docs-raw, SQS docs-ingest-dlq). Owner: partner managed services. Reviewed after every major incident "
        "and every six months. The KPIs and alarms referenced here are those defined in the workload health KPI "
        "register (OPE-001).",
        "Escalation: L1 Halden service desk -> L2 partner on-call (Opsgenie schedule halden-l2) -> L3 partner "
        "solutions architect. SEV1 bridges are opened by L2.",
    ]),
    ("Routine operational tasks", HALDEN_ROUTINE),
    ("Troubleshooting scenarios by alarm", HALDEN_TROUBLESHOOTING),
    ("After an incident", [
        "Write the root cause analysis within five working days using the RCA template (timeline, impact, root cause, "
        "five whys, actions). Update this runbook and, if needed, the alarm thresholds in the KPI register.",
    ]),
]

KITTIWAKE_INDEX = [
    ("Runbook index - Kittiwake repairs platform", [
        "This document is the entry point of the Kittiwake runbook. Routine tasks are described here; troubleshooting "
        "steps that can be automated are implemented as AWS Systems Manager Automation documents (runbooks as code) "
        "and referenced by name. Each alarm in the KPI register (managed service workbook) links to its scenario below.",
    ]),
    ("Routine tasks", [
        "- Daily: check the repairs-api and repairs-db dashboards, confirm overnight DB2 extract loaded (row count in the "
        "extract log), confirm AWS Backup jobs succeeded.",
        "- Weekly: review Container Insights rightsizing, review Aurora slow query digest, review open Security Hub findings.",
        "- Monthly: Aurora minor version and ECS platform version review; patch through the pipeline in the Sunday window.",
        "- Quarterly: restore Aurora snapshot to a scratch cluster and run the data checks; rotate the contractor-portal "
        "client secret.",
    ]),
    ("Troubleshooting scenarios", [
        "S1 ALB 5XX > 2% for 5 min: check target health and recent deployments; if a deployment in the last hour, run "
        "ECS circuit breaker rollback; otherwise run Kittiwake-RestartRepairsApi (SSM Automation) and watch the 5XX ratio.",
        "S2 p99 TargetResponseTime > 1.2 s: check Aurora DB load in Performance Insights; if a top SQL dominates, kill the "
        "session per the DBA guide and open a ticket; if CPU-bound on ECS, scale the service with the automation document.",
        "S3 RunningTaskCount < 2 (SEV1): check stopped task reasons in ECS; image pull errors -> check ECR and NAT; "
        "OOM -> raise memory in the task definition through the pipeline.",
        "S4 AuroraReplicaLag > 1000 ms: check write spike from the nightly job; if sustained, pause the job via its "
        "Step Functions execution and notify Kittiwake IT.",
        "S5 SQS job-events oldest message > 300 s: check consumer errors in Logs Insights; redrive the DLQ after fixing.",
        "S6 repairs-api ERROR lines > 20 per 5 min: run the saved query 'errors by type', match the error to the known "
        "issues list, apply the listed fix or escalate to the development team.",
    ]),
]

GENERIC_RUNBOOK = [
    ("Operations Runbook - Standard Template v1", [
        "This runbook template is used for all managed customers. Customer-specific details are added in the appendix.",
    ]),
    ("Routine operations", [
        "- Apply OS patches monthly with Systems Manager Patch Manager in the maintenance window.",
        "- Verify backups daily in AWS Backup; test a restore every quarter.",
        "- Review IAM Access Analyzer and Security Hub findings weekly.",
        "- Review cost anomalies weekly in Cost Anomaly Detection.",
        "- Renew certificates not managed by ACM 30 days before expiry.",
    ]),
    ("Troubleshooting", [
        "- Instance unreachable: check the instance status checks, security groups and route tables; reboot if status "
        "checks fail; recover from AMI if the reboot fails.",
        "- Disk full: extend the EBS volume and grow the file system; clean old logs.",
        "- Database connection errors: check security groups, credentials in Secrets Manager and the DB status.",
        "- Website down: check DNS, load balancer target health and the web server service.",
        "- Suspected security incident: isolate the instance with the quarantine security group and call the security team.",
    ]),
    ("Appendix - customer details", [
        "Customer: Penrose Estate Agents. Accounts: penrose-prod, penrose-test. Contacts: ops@penrose.example.",
    ]),
]

MANUAL_BEFORE = [
    ("1. Introduction", [
        "This Managed Service Operations Manual describes how Saltmarsh Cloud Services runs the customer platforms it "
        "manages. It covers the service model, the support process, change management, the runbooks per customer "
        "workload, and continuous improvement. It is maintained by the Service Delivery Manager.",
    ]),
    ("2. Service model and hours", [
        "Standard support hours are 08:00-18:00 UK time on working days, with 24x7 on-call for SEV1 and SEV2. Response "
        "targets: SEV1 15 minutes, SEV2 30 minutes, SEV3 4 business hours, SEV4 next business day.",
        "Customers raise tickets through the portal, by email to their service address, or by phone for SEV1.",
    ]),
    ("3. Change management", [
        "Standard changes are pre-approved and listed in the change catalogue. Normal changes go to the weekly CAB on "
        "Wednesdays. Emergency changes are approved by the on-call lead and reviewed at the next CAB.",
        "Every change has a rollback plan and is executed through the customer's pipeline, never by console.",
    ]),
    ("4. Access and security operations", [
        "Engineers access customer accounts through the customer's IAM Identity Center. Security Hub findings of high "
        "severity are triaged within one business day.",
    ]),
    ("4a. Onboarding a new customer", [
        "Onboarding starts when the contract is signed and ends when the first monthly service report is issued. The "
        "service delivery manager runs a kick-off with the customer's IT lead to agree contacts, escalation paths, "
        "maintenance windows and the scope of monitored resources.",
        "The platform team deploys the monitoring baseline (CloudWatch agent configuration, alarm stack, Security Hub "
        "standards) through the customer's pipeline, and the service desk creates the customer in the ticketing tool "
        "with its SLA profile and on-call rota.",
        "Before the service goes live, the customer's first-line team shadows two of our on-call shifts and the "
        "customer signs the service acceptance form.",
    ]),
    ("4b. Tooling", [
        "Ticketing: Jira Service Management with one project per customer. On-call: Opsgenie with follow-the-sun "
        "schedules for SEV1. Knowledge base: Confluence space per customer, exported to PDF for customers who do not "
        "use Confluence. Chat: a shared Slack Connect channel per customer for operational updates.",
        "Access to customer environments is always through the customer's identity provider; shared tool accounts "
        "are not allowed.",
    ]),
    ("4c. Capacity and cost management", [
        "Every month the team reviews Compute Optimizer recommendations, Savings Plans coverage and utilisation, and "
        "storage growth. Recommendations are raised as normal changes with the expected saving and risk.",
        "Cost anomalies above 20% of the daily average raise a ticket to the service delivery manager, who informs the "
        "customer's budget owner within one business day.",
    ]),
    ("4d. Patch management policy", [
        "Operating system patches are applied monthly in the agreed maintenance window with Systems Manager Patch "
        "Manager; critical security patches within seven days of release. Container base images are rebuilt weekly. "
        "Managed database minor versions are applied in the window after two weeks in the non-production environment.",
    ]),
    ("5. Reporting", [
        "Monthly service report: availability against SLA, incidents, changes, capacity, cost trend and open risks. "
        "Quarterly business review with the customer's sponsor.",
    ]),
]
MANUAL_RUNBOOK = [
    ("6. Runbook - Marlow Opticians appointment booking (ECS, Aurora, SQS)", [
        "6.1 KPIs and alarms covered (from the Marlow workload health KPI register): ALB 5XX ratio > 2% / 5 min; p99 "
        "latency > 1 s / 10 min; ECS running tasks < 2; Aurora CPU > 80% / 15 min; SQS reminders queue oldest message "
        "> 600 s; ERROR log lines in booking-api > 30 / 5 min.",
        "6.2 Routine tasks. Daily: check dashboard and overnight reminder batch (count of SMS sent vs appointments). "
        "Weekly: review slow queries and DLQ; check certificate and domain expiry report. Monthly: patch ECS platform "
        "version and Aurora minor version in the Sunday window; review Savings Plan coverage. Quarterly: restore test "
        "of the Aurora snapshot; failover test of the Aurora cluster in staging.",
        "6.3 Scenario - 5XX ratio alarm: check ALB target health; if unhealthy targets after a deployment, roll back "
        "with the pipeline; if healthy but 5XX from the app, run Logs Insights 'errors by endpoint', restart the service "
        "with the SSM document Marlow-RestartBooking if a memory leak pattern is seen, and escalate to developers.",
        "6.4 Scenario - p99 latency alarm: open Performance Insights; if DB load exceeds vCPU count, identify the top SQL "
        "and apply the index listed in the known-issues page or fail over to the reader for reporting queries.",
        "6.5 Scenario - running tasks < 2: read stopped reasons; resolve image pull (ECR/NAT), health check failures or "
        "OOM as described in the ECS troubleshooting table; service auto-recovers once the cause is removed.",
        "6.6 Scenario - reminders queue age: check the sms-sender Lambda errors and the SMS provider status; if the "
        "provider is down, pause the queue consumer and inform Marlow's practice managers; redrive when restored.",
        "6.7 Scenario - booking-api ERROR lines: compare with the known errors list; new errors are raised to the "
        "development backlog with the trace id.",
    ]),
]
MANUAL_AFTER = [
    ("6a. Service level reporting method", [
        "Availability is measured from CloudWatch Synthetics canaries every minute from two regions; a minute counts as "
        "unavailable when both canaries fail. Planned maintenance inside agreed windows is excluded. Response and "
        "resolution times are measured from ticket timestamps.",
        "Service credits, where the contract includes them, are calculated by the service delivery manager and shown "
        "in the monthly report.",
    ]),
    ("6b. Business continuity of the managed service", [
        "Our own service continuity plan covers loss of the ticketing tool (fallback to email and phone), loss of the "
        "on-call tool (fallback to the phone tree), and unavailability of key staff (each customer has at least three "
        "trained engineers). The plan is tested twice a year.",
    ]),
    ("7. Problem management", [
        "Repeated incidents with the same cause are opened as problems and reviewed monthly. A problem is closed when "
        "the permanent fix is deployed and no recurrence is seen for 30 days.",
    ]),
    ("8. Continuous improvement", [
        "Each quarter the team picks three improvements from incident reviews and customer feedback. Progress is "
        "reported in the quarterly business review.",
    ]),
    ("9. Offboarding a customer", [
        "At contract end we hand over all runbooks, dashboards and credentials, remove our access and confirm in writing.",
    ]),
    ("Appendix A. Severity definitions", [
        "SEV1 - service unavailable for all users. SEV2 - major function degraded. SEV3 - minor function degraded. "
        "SEV4 - question or request.",
    ]),
]


def main() -> None:
    write_pdf(OUT / "ope-002-runbook.pdf", "Operations Runbook - Halden Legal Document Ingestion", HALDEN_RUNBOOK)
    write_docx(OUT / "ope-002-runbook-index.docx", "Kittiwake Repairs Platform - Runbook", KITTIWAKE_INDEX)
    write_docx(OUT / "ope-002-generic-runbook.docx", "Operations Runbook", GENERIC_RUNBOOK)
    write_pdf(OUT / "ope-002-operations-manual.pdf", "Saltmarsh Cloud Services - Managed Service Operations Manual",
              MANUAL_BEFORE + MANUAL_RUNBOOK + MANUAL_AFTER)


if __name__ == "__main__":
    main()

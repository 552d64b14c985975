"""Write the OPE-001 eval attachments that are binary: KPI guidance .pdf/.docx and a workbook .xlsx.

Run from anywhere: `.venv/bin/python eval/tools/make_ope_001_files.py`.
Outputs go to eval/cases/ope-001/files/ and are committed with the cases.
"""

from __future__ import annotations

from pathlib import Path

from evidence_writers import write_docx, write_pdf, write_xlsx

OUT = Path(__file__).resolve().parents[1] / "cases" / "ope-001" / "files"

METRICS_GUIDANCE = [
    "Start from the customer's business goals for the workload (orders per minute, report ready by 07:00) and list every "
    "component of the workload. For each component define health metrics in four groups: traffic, errors, latency and "
    "saturation, plus a business KPI for the workload as a whole.",
    "Reference metrics per component type:",
    "- AWS Lambda: Invocations, Errors, Throttles, Duration (p99), ConcurrentExecutions, IteratorAge, DeadLetterErrors.",
    "- API Gateway / ALB: request count, 4XX and 5XX rate, latency p95/p99, healthy host count.",
    "- Amazon RDS / Aurora: CPUUtilization, FreeableMemory, DatabaseConnections, ReadLatency/WriteLatency, ReplicaLag, "
    "FreeStorageSpace.",
    "- Amazon SQS: ApproximateAgeOfOldestMessage, ApproximateNumberOfMessagesVisible.",
    "- EC2 / containers: CPU, memory (CloudWatch agent or Container Insights), disk, restart count.",
]
COLLECTION_GUIDANCE = [
    "Metrics are collected with Amazon CloudWatch (native metrics, CloudWatch agent, Container Insights, Lambda Insights) "
    "or the customer's third-party tool. Request flow is traced with AWS X-Ray (SDK or OpenTelemetry). Every workload gets "
    "a CloudWatch dashboard per component plus one business dashboard; CloudWatch Anomaly Detection baselines are enabled "
    "for traffic and latency metrics.",
    "Analysis: the operations lead reviews the dashboards with the customer weekly during hypercare and monthly afterwards, "
    "and trends are discussed in the service review.",
]
LOGS_GUIDANCE = [
    "Applications write structured JSON logs with timestamp, level, request/trace id, component and error details. "
    "Errors and exceptions are always logged at ERROR level with the stack trace. Logs are exported to CloudWatch Logs "
    "(or the customer's SIEM) with a retention agreed with the customer (default 90 days), and saved Logs Insights queries "
    "for 'errors by component' and 'slowest requests' are handed over. Metric filters turn ERROR lines into metrics.",
]
THRESHOLD_GUIDANCE = [
    "Every health metric that reflects customer impact gets an alarm. Thresholds are derived from the SLO and from two "
    "weeks of baseline data, and are written down in the KPI register with severity and owner. Examples of defaults:",
    "- Lambda Errors / Invocations > 1% for 5 minutes: SEV2. Throttles > 0 for 5 minutes: SEV3.",
    "- API 5XX rate > 2% for 5 minutes or p99 latency > 1.5 s for 10 minutes: SEV2.",
    "- SQS age of oldest message > 300 s: SEV2. IteratorAge > 60 s: SEV3.",
    "- RDS CPU > 80% for 15 minutes or FreeStorageSpace < 10%: SEV3.",
    "Alarms notify Amazon SNS topics that page the on-call engineer (PagerDuty / Opsgenie) and post to the customer's "
    "operations channel. Composite alarms are used to avoid alert storms.",
]

KPI_GUIDANCE_PDF = [
    ("Purpose", [
        "This guidance is our standard for developing workload health KPIs with customers. It is used on every "
        "engagement that includes operations handover. Owner: Head of Managed Services.",
    ]),
    ("1. Define health metrics for every component", METRICS_GUIDANCE),
    ("2. Collect and analyse", COLLECTION_GUIDANCE),
    ("3. Export application logs that capture errors", LOGS_GUIDANCE),
    ("4. Alert thresholds", THRESHOLD_GUIDANCE),
    ("5. Educate the customer", [
        "At handover the customer's operations team walks through the dashboards and the KPI register, and confirms the "
        "alarm routing. The KPI register is reviewed after every major incident.",
    ]),
]

MONITORING_STANDARD_DOCX = [
    ("Scope", [
        "Monitoring Standard MS-02 applies to every database and application workload we build or operate. It tells "
        "engineers how to define, collect and analyse workload health KPIs and how to alert on them.",
    ]),
    ("Health metrics", METRICS_GUIDANCE + [
        "For database engagements add: Performance Insights DB load (AAS) by wait event, top SQL, deadlocks, "
        "buffer cache hit ratio, and replication lag for every replica.",
    ]),
    ("Collection and analysis", COLLECTION_GUIDANCE),
    ("Logs", LOGS_GUIDANCE + [
        "For RDS and Aurora export the error log, slow query log (long_query_time = 2 s) and audit log to CloudWatch Logs.",
    ]),
    ("Thresholds and alerting", THRESHOLD_GUIDANCE),
]

WORKBOOK = {
    "Cover": [
        ["Kittiwake Housing Association - Managed Service Workbook"],
        ["Version", "3.4"],
        ["Owner", "Service Delivery Manager"],
        ["Purpose", "Single workbook used to run the managed service: plan, contacts, RACI, risks, KPI standard and register."],
    ],
    "Project plan": [
        ["Phase", "Task", "Owner", "Start", "End", "Status"],
        ["Discover", "Stakeholder interviews", "Delivery lead", "2024-01-08", "2024-01-19", "Done"],
        ["Discover", "Current state assessment of repairs system", "Architect", "2024-01-15", "2024-01-26", "Done"],
        ["Design", "Target architecture and ADRs", "Architect", "2024-01-29", "2024-02-16", "Done"],
        ["Build", "Landing zone and pipelines", "Platform engineer", "2024-02-19", "2024-03-08", "Done"],
        ["Build", "Repairs API on ECS Fargate", "Developers", "2024-03-04", "2024-04-12", "Done"],
        ["Migrate", "Data migration of 1.2M repair jobs", "Data engineer", "2024-04-15", "2024-04-26", "Done"],
        ["Operate", "Hypercare", "Service manager", "2024-04-29", "2024-06-28", "In progress"],
    ],
    "Contacts": [
        ["Name", "Role", "Organisation", "Email"],
        ["Service desk", "First line", "Kittiwake", "servicedesk@kittiwake.example"],
        ["Ops on-call", "Second line", "Partner", "oncall-kittiwake@partner.example"],
        ["Head of IT", "Escalation", "Kittiwake", "it-leadership@kittiwake.example"],
    ],
    "RACI": [
        ["Activity", "Kittiwake IT", "Partner ops", "Partner delivery"],
        ["Patching", "I", "R/A", "C"],
        ["Release approval", "A", "C", "R"],
        ["Incident response", "I", "R/A", "C"],
        ["Capacity review", "A", "R", "C"],
    ],
    "Risks": [
        ["ID", "Risk", "Likelihood", "Impact", "Mitigation"],
        ["R1", "Contractor app adoption slow", "Medium", "Medium", "Training sessions per depot"],
        ["R2", "Legacy DB2 extract delays", "Low", "High", "Weekly extract rehearsal"],
        ["R3", "Key person dependency on integration", "Medium", "Medium", "Pair programming and runbook"],
    ],
    "KPI standard": [
        ["Step", "Guidance (applies to every workload we operate)"],
        ["1. Metrics", "List every component; for each define traffic, errors, latency and saturation metrics plus one business KPI; collect in CloudWatch (Container Insights, RDS Enhanced Monitoring) and trace with AWS X-Ray."],
        ["2. Analysis", "Per-component dashboards and a business dashboard; anomaly detection on traffic and latency; weekly review in hypercare, monthly service review after."],
        ["3. Logs", "Structured JSON application logs with level, trace id and error detail; ERROR lines with stack traces; exported to CloudWatch Logs, 90-day retention; metric filters on ERROR; saved Logs Insights queries."],
        ["4. Thresholds", "Each customer-impacting metric has an alarm with threshold from SLO and two weeks of baseline, severity and owner in the KPI register; alarms go to SNS -> Opsgenie and the customer's Teams channel."],
    ],
    "KPI register": [
        ["Component", "Metric", "Source", "Alarm threshold", "Severity", "Owner"],
        ["ALB repairs-api", "HTTPCode_Target_5XX / RequestCount", "CloudWatch", "> 2% for 5 min", "SEV2", "Partner ops"],
        ["ALB repairs-api", "TargetResponseTime p99", "CloudWatch", "> 1.2 s for 10 min", "SEV2", "Partner ops"],
        ["ECS repairs-api", "CPUUtilization / MemoryUtilization", "Container Insights", "> 85% for 15 min", "SEV3", "Partner ops"],
        ["ECS repairs-api", "RunningTaskCount", "Container Insights", "< 2 for 5 min", "SEV1", "Partner ops"],
        ["Aurora repairs-db", "DatabaseConnections", "CloudWatch", "> 400 for 10 min", "SEV3", "Partner ops"],
        ["Aurora repairs-db", "AuroraReplicaLag", "CloudWatch", "> 1000 ms for 5 min", "SEV2", "Partner ops"],
        ["SQS job-events", "ApproximateAgeOfOldestMessage", "CloudWatch", "> 300 s", "SEV2", "Partner ops"],
        ["Logs repairs-api", "ERROR lines (metric filter repairs-api-errors)", "CloudWatch Logs", "> 20 per 5 min", "SEV3", "Partner ops"],
        ["Business", "Repair jobs booked per hour (custom metric)", "EMF", "< 30% of anomaly band lower bound", "SEV2", "Kittiwake IT"],
    ],
    "Budget": [
        ["Month", "Forecast (GBP)", "Actual (GBP)", "Variance", "Comment"],
        ["2024-01", 18500, 17920, -580, "Discovery under plan"],
        ["2024-02", 22400, 23110, 710, "Extra landing zone workshop"],
        ["2024-03", 26100, 25870, -230, ""],
        ["2024-04", 28900, 30240, 1340, "Data migration rehearsal repeated"],
        ["2024-05", 14200, 13980, -220, "Hypercare"],
        ["2024-06", 14200, None, None, "Forecast"],
    ],
    "Meeting log": [
        ["Date", "Meeting", "Decisions / actions"],
        ["2024-01-11", "Kick-off", "Agreed weekly steering on Thursdays; Kittiwake IT to nominate product owner"],
        ["2024-02-01", "Design review", "ECS Fargate chosen over EKS for team familiarity; Aurora PostgreSQL approved"],
        ["2024-03-07", "Steering", "Contractor app pilot moved to depot 3; DB2 extract format frozen"],
        ["2024-04-18", "Go/no-go", "Go for cutover on 27 April; rollback window 48 hours"],
        ["2024-05-09", "Hypercare review", "Three SEV3 incidents, no SEV1/2; alarm thresholds to be reviewed"],
    ],
    "Training plan": [
        ["Audience", "Session", "Duration", "Date", "Status"],
        ["Kittiwake IT", "AWS console and Identity Center access", "2h", "2024-04-22", "Done"],
        ["Kittiwake IT", "Reading the dashboards and KPI register", "2h", "2024-04-24", "Done"],
        ["Kittiwake IT", "Runbook walkthrough and game day", "4h", "2024-05-15", "Done"],
        ["Repairs schedulers", "New repairs booking screens", "1h x 6", "2024-04-29", "Done"],
        ["Contractors", "Mobile app onboarding", "30 min", "rolling", "In progress"],
    ],
    "Decisions": [
        ["ID", "Decision", "Rationale", "Date"],
        ["D-01", "Single region eu-west-2", "Data residency; no multi-region requirement", "2024-01-25"],
        ["D-02", "Container Insights enabled on all clusters", "Per-task CPU/memory needed for KPIs", "2024-02-08"],
        ["D-03", "Opsgenie for paging", "Kittiwake already licensed", "2024-02-15"],
        ["D-04", "90-day log retention", "Agreed with Kittiwake information governance", "2024-03-01"],
    ],
    "Change log": [
        ["Date", "Change", "By"],
        ["2024-05-02", "Added business KPI alarm", "Service manager"],
        ["2024-05-20", "Raised 5XX threshold from 1% to 2% after baseline review", "Partner ops"],
    ],
    "Glossary": [
        ["Term", "Meaning"],
        ["SLO", "Service level objective agreed with Kittiwake"],
        ["EMF", "CloudWatch embedded metric format"],
        ["SEV1-3", "Incident severities from the support contract"],
    ],
}


def main() -> None:
    write_pdf(OUT / "ope-001-kpi-guidance.pdf", "Workload Health KPI Guidance", KPI_GUIDANCE_PDF)
    write_docx(OUT / "ope-001-monitoring-standard.docx", "Monitoring Standard MS-02", MONITORING_STANDARD_DOCX)
    write_xlsx(OUT / "ope-001-managed-service-workbook.xlsx", WORKBOOK)


if __name__ == "__main__":
    main()

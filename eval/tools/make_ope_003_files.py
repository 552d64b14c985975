"""Write the OPE-003 eval attachments that are binary: deployment checklists as .docx/.xlsx/.pdf.

Run from anywhere: `.venv/bin/python eval/tools/make_ope_003_files.py`.
Outputs go to eval/cases/ope-003/files/ and are committed with the cases.
"""

from __future__ import annotations

from pathlib import Path

from evidence_writers import write_docx, write_pdf, write_xlsx

OUT = Path(__file__).resolve().parents[1] / "cases" / "ope-003" / "files"

DEPLOYMENT_CHECKLIST = [
    ("How to use this checklist", [
        "Complete one copy per production release (application or infrastructure). The release manager attaches the "
        "completed checklist to the change record. A release may not go to production with an unchecked mandatory item.",
    ]),
    ("1. Version control and change definition", [
        "- [ ] All application code and CloudFormation templates are merged to main through a reviewed pull request.",
        "- [ ] Templates pass cfn-lint and cfn-nag in the pipeline; no new high findings.",
        "- [ ] Change record created with scope, risk rating and rollback plan.",
    ]),
    ("2. Non-production testing", [
        "- [ ] Infrastructure change applied to dev first; applications still healthy in dev.",
        "- [ ] Jenkins CI deployed the build to QA (EnvA/EnvB) and the automated functional suite (Ruby, Selenium "
        "WebDriver, Cucumber/Watir with Capybara) passed - link to the Jenkins run.",
        "- [ ] Unit tests passed with coverage not lower than the previous release.",
        "- [ ] Templates applied to staging and the functional suite re-run there.",
        "- [ ] JMeter load test in staging at 120% of last month's peak: p95 latency and error rate within the "
        "thresholds of the performance baseline.",
        "- [ ] Staging configuration parity with production confirmed (instance types, scaling limits, parameters).",
    ]),
    ("3. Approvals", [
        "- [ ] Product owner sign-off on the release notes.",
        "- [ ] CAB approval recorded (normal change) or pre-approved standard change reference.",
    ]),
    ("4. Production deployment", [
        "- [ ] Database snapshot taken and verified.",
        "- [ ] Deployment window agreed and communicated to the customer's service desk.",
        "- [ ] Templates deployed to production from the same artefacts that passed staging.",
        "- [ ] Rollback tested in staging for this release.",
    ]),
    ("5. Post-deployment verification", [
        "- [ ] Automated smoke tests green in production.",
        "- [ ] No new alarms within 60 minutes; error rate and latency compared with the previous week.",
        "- [ ] Change record closed with evidence links.",
    ]),
]

READINESS_WORKBOOK = {
    "Release readiness": [
        ["#", "Gate", "Check", "Evidence", "Owner", "Mandatory"],
        [1, "Source", "Change merged to main via pull request with 2 approvals", "CodeCommit PR link", "Tech lead", "Yes"],
        [2, "Build", "CodeBuild unit tests (JUnit) pass, coverage >= 80%", "CodeBuild report group", "Pipeline", "Yes"],
        [3, "Build", "SAST (CodeGuru Reviewer) no critical findings", "CodeGuru report", "Pipeline", "Yes"],
        [4, "Test env", "CloudFormation change set applied to test account, reviewed", "Change set ARN", "Platform eng", "Yes"],
        [5, "Test env", "Automated API tests (Postman/Newman) pass in test", "CodeBuild report group", "Pipeline", "Yes"],
        [6, "Pre-prod", "Deployed to pre-prod; automated end-to-end tests (Playwright) pass", "CodeBuild report group", "Pipeline", "Yes"],
        [7, "Pre-prod", "Performance test (Gatling) p95 < 400 ms at 2x peak", "Gatling report in S3", "QA lead", "Yes"],
        [8, "Approval", "Manual approval action in CodePipeline by customer release manager", "Approval history", "Customer", "Yes"],
        [9, "Prod", "CodeDeploy canary 10% for 10 min with alarm-based automatic rollback", "Deployment ID", "Pipeline", "Yes"],
        [10, "Prod", "Post-deploy synthetic canaries (CloudWatch Synthetics) green for 30 min", "Canary run", "Ops", "Yes"],
    ],
    "Environments": [
        ["Environment", "Account", "Purpose", "Data"],
        ["dev", "orbit-dev", "developer integration", "synthetic"],
        ["test", "orbit-test", "automated API tests", "synthetic"],
        ["pre-prod", "orbit-preprod", "end-to-end and performance tests; same sizing as prod", "masked copy of prod"],
        ["prod", "orbit-prod", "production", "live"],
    ],
    "Sign-off": [
        ["Release", "Date", "Release manager", "Result"],
        ["2024.06.2", "2024-06-18", "Orbit release manager", "Go"],
    ],
}

GO_LIVE_GATES = [
    ("Go-live gates - what must be true before a change reaches real users", [
        "Practice standard for every customer delivery. The delivery lead keeps the filled-in form with the change record.",
    ]),
    ("Gate 1 - the change is written down and reviewed", [
        "- Every change (code or infrastructure definition) lives in the shared code history and was read and accepted "
        "by a second engineer before merging.",
    ]),
    ("Gate 2 - rehearsal areas", [
        "- The change has run in the sandbox copy of the system, then in the rehearsal copy that mirrors the live one in "
        "size and settings. Nobody rehearses in the live system.",
    ]),
    ("Gate 3 - the robot checks", [
        "- On every merge, the build server runs the unit checks, then the scripted browser journeys (sign in, search, "
        "book, pay) against the rehearsal copy, then a traffic simulation at twice the busiest hour. Any red result "
        "stops the line automatically.",
    ]),
    ("Gate 4 - people say yes", [
        "- The customer's product owner approves the release notes; the change board approves the slot.",
    ]),
    ("Gate 5 - going live and watching", [
        "- Release to a small slice of traffic first, watch error and speed readings for fifteen minutes, then the rest.",
        "- If the readings worsen, the previous version is put back automatically.",
        "- Short scripted journey checks run against the live system right after release.",
    ]),
]

METHODOLOGY_BEFORE = [
    ("1. Our delivery methodology at a glance", [
        "Foxglove Digital delivers cloud projects in four stages: Mobilise, Foundation, Build and Transition. This "
        "document describes each stage, its deliverables and the quality gates between them. It is given to every "
        "customer at kick-off.",
    ]),
    ("2. Mobilise", [
        "Kick-off workshop, stakeholder map, ways of working (sprint length, ceremonies, tooling), communication plan "
        "and RAID log. The engagement charter is signed at the end of Mobilise.",
        "Typical duration: one to two weeks. Deliverables: charter, RAID log, backlog of epics.",
    ]),
    ("3. Foundation", [
        "Landing zone with AWS Control Tower, identity federation, network baseline, logging and security baseline, "
        "CI/CD tooling and the environment strategy (dev, test, staging, production accounts).",
        "Deliverables: landing zone design, environment strategy, pipeline templates.",
    ]),
    ("4. Build", [
        "Two-week sprints with a demo to the customer's product owner at the end of each. Definition of done includes "
        "automated tests, updated documentation and a security review of infrastructure changes.",
    ]),
    ("4a. Ways of working", [
        "Teams work in two-week sprints with planning on Monday, a daily stand-up at 09:30, a sprint review with the "
        "customer's product owner and a retrospective. The backlog lives in the customer's Jira where possible. "
        "Architecture decisions are recorded as ADRs in the repository and reviewed weekly by the design authority.",
        "Every sprint review includes a live demo from the staging environment, never from a developer laptop.",
    ]),
    ("4b. Security by design", [
        "Threat modelling is done for every new service with the STRIDE method in a 90-minute workshop. Findings become "
        "backlog items with a security label and are tracked to closure. Secrets are stored in AWS Secrets Manager and "
        "never in repositories; a gitleaks scan runs on every push.",
        "Infrastructure follows the customer's landing zone guardrails: SCPs, AWS Config conformance packs and Security "
        "Hub standards are enabled from day one.",
    ]),
    ("4c. Documentation deliverables", [
        "Each engagement delivers: solution design, environment strategy, operations runbook, architecture decision "
        "log, and a handover pack. Documents are written in the customer's wiki or in Word using the customer's "
        "template when requested. Diagrams use the current AWS icon set.",
    ]),
    ("4d. Stakeholder communication", [
        "A weekly status report goes to the customer sponsor: progress against milestones, RAID changes, decisions "
        "needed and budget burn. A steering committee meets monthly. Escalations follow the path agreed in the "
        "engagement charter.",
    ]),
    ("5. Quality management", [
        "A quality reviewer independent of the team reviews designs and deliverables. Customer satisfaction is "
        "measured at each stage gate.",
    ]),
]
METHODOLOGY_CHECKLIST = [
    ("6. Deployment readiness and release checklist", [
        "6.1 Testing process. Every change moves dev -> test -> staging -> production. Dev is for integration; test runs "
        "the automated suites on every merge; staging mirrors production sizing and configuration and receives release "
        "candidates. Production is never the first environment to receive a change.",
        "6.2 Automated testing in the pipeline. GitLab CI runs on every merge request: unit tests (Jest, pytest), "
        "static analysis (SonarQube quality gate), infrastructure checks (terraform validate, tflint, checkov), contract "
        "tests (Pact). After deployment to test: API tests (Karate) and UI tests (Cypress). In staging: k6 load test at "
        "1.5x the observed peak and OWASP ZAP baseline scan. A failed stage blocks promotion.",
        "6.3 Release checklist (completed for each production release and attached to the change):",
        "- [ ] Merge request approved by two reviewers; pipeline green on main.",
        "- [ ] Terraform plan for production reviewed; no unexpected destroys.",
        "- [ ] All automated suites passed in test and staging (links).",
        "- [ ] k6 results within thresholds (p95 < 500 ms, errors < 0.5%).",
        "- [ ] Product owner and change board approval.",
        "- [ ] Backup/snapshot taken; rollback plan written and rehearsed in staging.",
        "- [ ] Deployment executed by pipeline; smoke tests green; alarms quiet for 60 minutes.",
    ]),
]
METHODOLOGY_AFTER = [
    ("7. Transition", [
        "Knowledge transfer sessions, runbook handover, hypercare of four weeks and a lessons-learned workshop.",
    ]),
    ("7a. Hypercare", [
        "During the four weeks of hypercare our engineers join the customer's on-call rota as second line, review every "
        "alarm and incident with the customer's team, and tune thresholds and runbooks. Hypercare exit criteria: no "
        "open SEV1/SEV2, runbook reviewed, and the customer's team has handled at least two incidents with us observing.",
    ]),
    ("7b. Lessons learned", [
        "A lessons-learned workshop closes every engagement. Outcomes are recorded in our internal knowledge base and "
        "fed into the methodology review twice a year.",
    ]),
    ("8. Commercial governance", [
        "Monthly burn report against the statement of work; change requests for scope changes above five days.",
    ]),
    ("9. Tooling we bring", [
        "GitLab or the customer's CI, Terraform, Jira/Confluence or the customer's equivalent, draw.io.",
    ]),
    ("Appendix. Glossary", [
        "RAID - risks, assumptions, issues, dependencies. CAB - change advisory board. SAST - static application "
        "security testing.",
    ]),
]


def main() -> None:
    write_docx(OUT / "ope-003-deployment-checklist.docx", "Deployment Readiness Checklist", DEPLOYMENT_CHECKLIST)
    write_xlsx(OUT / "ope-003-release-readiness.xlsx", READINESS_WORKBOOK)
    write_pdf(OUT / "ope-003-go-live-gates.pdf", "Go-live Gates", GO_LIVE_GATES)
    write_pdf(OUT / "ope-003-delivery-methodology.pdf", "Foxglove Digital - Delivery Methodology",
              METHODOLOGY_BEFORE + METHODOLOGY_CHECKLIST + METHODOLOGY_AFTER)


if __name__ == "__main__":
    main()

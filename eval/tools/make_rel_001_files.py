"""Write the binary attachments of the REL-001 eval cases.

Run once from the repository root:  .venv/bin/python eval/tools/make_rel_001_files.py
Output: the CI/CD pipeline diagram (compressed draw.io) in eval/cases/rel-001/files/.
Templates (.yaml/.tf) and the handbook (.md) are text and written by hand.
"""

from __future__ import annotations

from pathlib import Path

from evidence_writers import (DESKTOP_EDGE, DESKTOP_GROUPS, DESKTOP_LAYOUT, Diagram, Edge, Vertex,
                              desktop_icon as icon, write_drawio)

OUT = Path(__file__).resolve().parents[1] / "cases" / "rel-001" / "files"

CLOUD, ACCOUNT = DESKTOP_GROUPS["aws_cloud"], DESKTOP_GROUPS["account"]
STEP_NOTE = "rounded=1;whiteSpace=wrap;html=1;fillColor=#F5F5F5;strokeColor=#666666;fontSize=11;align=left;"
DEVTOOLS = "#C925D1"
MGMT = "#E7157B"

PIPELINE_VERTICES: list[Vertex] = [
    ("dev", "Developers (pull request)", icon("users", "#232F3D"), "1", 20, 170, 60, 60),
    ("cloud", "AWS Cloud", CLOUD, "1", 120, 20, 1460, 560),
    ("tools", "Tooling account afl-cicd (eu-west-1)", ACCOUNT, "cloud", 20, 40, 560, 480),
    ("repo", "CodeCommit afl-dispatch-infra (CDK app + CloudFormation templates)", icon("codecommit", DEVTOOLS), "tools", 30, 110, 78, 78),
    ("pipe", "CodePipeline afl-dispatch-pipeline", icon("codepipeline", DEVTOOLS), "tools", 230, 110, 78, 78),
    ("build", "CodeBuild afl-synth-test: cdk synth, cfn-lint, cfn-guard, unit tests", icon("codebuild", DEVTOOLS), "tools", 430, 110, 78, 78),
    ("approve", "Manual approval (customer release manager) after staging tests", STEP_NOTE, "tools", 200, 330, 220, 70),
    ("stg", "Staging account afl-staging", ACCOUNT, "cloud", 620, 40, 380, 480),
    ("stg_cfn", "CloudFormation change set: afl-dispatch-stg", icon("cloudformation", MGMT), "stg", 60, 110, 78, 78),
    ("stg_test", "CodeBuild afl-integration-tests (API + load tests)", icon("codebuild", DEVTOOLS), "stg", 240, 110, 78, 78),
    ("prd", "Production account afl-prod (console: read-only, SCP denies writes except pipeline role)", ACCOUNT, "cloud", 1040, 40, 400, 480),
    ("prd_cfn", "CloudFormation change set: afl-dispatch-prod", icon("cloudformation", MGMT), "prd", 60, 110, 78, 78),
    ("prd_alarm", "CloudWatch alarms -> automatic rollback", icon("cloudwatch_2", MGMT), "prd", 260, 110, 78, 78),
    ("prd_note", "Deploy waves: eu-west-1 first, eu-central-1 after 30 min bake time", STEP_NOTE, "prd", 60, 320, 300, 60),
]
PIPELINE_EDGES: list[Edge] = [
    ("e1", "git push / merge to main", "dev", "repo"),
    ("e2", "source", "repo", "pipe"),
    ("e3", "build", "pipe", "build"),
    ("e4", "deploy staging", "build", "stg_cfn"),
    ("e5", "test", "stg_cfn", "stg_test"),
    ("e6", "results", "stg_test", "approve"),
    ("e7", "deploy production", "approve", "prd_cfn"),
    ("e8", "monitor", "prd_cfn", "prd_alarm"),
]


def main() -> None:
    pipeline = Diagram.from_cells("afl-dispatch CI/CD", PIPELINE_VERTICES, PIPELINE_EDGES, edge_style=DESKTOP_EDGE,
                                  page_id="pipeline", canvas={"dx": 1600, "dy": 700, "pageWidth": 1700, "pageHeight": 700})
    write_drawio(OUT / "ashby-freight-cicd-pipeline.drawio", [pipeline], compressed=True, layout=DESKTOP_LAYOUT)


if __name__ == "__main__":
    main()

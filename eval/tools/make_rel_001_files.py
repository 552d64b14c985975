"""Write the binary attachments of the REL-001 eval cases.

Run once from the repository root:  .venv/bin/python eval/tools/make_rel_001_files.py
Output: the CI/CD pipeline diagram (compressed draw.io) in eval/cases/rel-001/files/.
Templates (.yaml/.tf) and the handbook (.md) are text and written by hand.
"""

from __future__ import annotations

import base64
import urllib.parse
import zlib
from pathlib import Path
from xml.sax.saxutils import quoteattr

OUT = Path(__file__).resolve().parents[1] / "cases" / "rel-001" / "files"

# ---------------------------------------------------------------- AWS 4 styles
_GROUP = (
    "points=[[0,0],[0.25,0],[0.5,0],[0.75,0],[1,0],[1,0.25],[1,0.5],[1,0.75],[1,1],"
    "[0.75,1],[0.5,1],[0.25,1],[0,1],[0,0.75],[0,0.5],[0,0.25]];outlineConnect=0;"
    "gradientColor=none;html=1;whiteSpace=wrap;fontSize=12;fontStyle=0;container=1;"
    "pointerEvents=0;collapsible=0;recursiveResize=0;shape=mxgraph.aws4.group;"
    "verticalAlign=top;align=left;spacingLeft=30;dashed=0;"
)
CLOUD = _GROUP + "grIcon=mxgraph.aws4.group_aws_cloud;strokeColor=#232F3E;fillColor=none;fontColor=#232F3E;"
ACCOUNT = _GROUP + "grIcon=mxgraph.aws4.group_account;strokeColor=#CD2264;fillColor=none;fontColor=#CD2264;"
REGION = _GROUP + "grIcon=mxgraph.aws4.group_region;strokeColor=#00A4A6;fillColor=none;fontColor=#147EBA;dashed=1;"
_ICON = (
    "sketch=0;outlineConnect=0;fontColor=#232F3E;gradientColor=none;strokeColor=#ffffff;"
    "dashed=0;verticalLabelPosition=bottom;verticalAlign=top;align=center;html=1;"
    "fontSize=12;fontStyle=0;aspect=fixed;shape=mxgraph.aws4.resourceIcon;"
)
STEP_NOTE = "rounded=1;whiteSpace=wrap;html=1;fillColor=#F5F5F5;strokeColor=#666666;fontSize=11;align=left;"
EDGE = "edgeStyle=orthogonalEdgeStyle;html=1;endArrow=block;strokeColor=#545B64;"


def icon(res_icon: str, fill: str) -> str:
    return f"{_ICON}fillColor={fill};resIcon=mxgraph.aws4.{res_icon};"


DEVTOOLS = "#C925D1"
MGMT = "#E7157B"

# (id, label, style, parent, x, y, w, h) and (id, label, source, target)
Vertex = tuple[str, str, str, str, int, int, int, int]
Edge = tuple[str, str, str, str]

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


def mx_graph_model(vertices: list[Vertex], edges: list[Edge]) -> str:
    cells = ['<mxCell id="0" />', '<mxCell id="1" parent="0" />']
    for cid, label, style, parent, x, y, w, h in vertices:
        cells.append(
            f'<mxCell id="{cid}" value={quoteattr(label)} style={quoteattr(style)} vertex="1" parent="{parent}">'
            f'<mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry" /></mxCell>'
        )
    for cid, label, source, target in edges:
        cells.append(
            f'<mxCell id="{cid}" value={quoteattr(label)} style={quoteattr(EDGE)} edge="1" parent="1" '
            f'source="{source}" target="{target}"><mxGeometry relative="1" as="geometry" /></mxCell>'
        )
    return (
        '<mxGraphModel dx="1600" dy="700" grid="1" gridSize="10" guides="1" tooltips="1" '
        'connect="1" arrows="1" fold="1" page="1" pageScale="1" pageWidth="1700" '
        'pageHeight="700" math="0" shadow="0"><root>' + "".join(cells) + "</root></mxGraphModel>"
    )


def compress_drawio(model_xml: str) -> str:
    """draw.io's compressed form: encodeURIComponent, raw deflate, base64."""
    encoded = urllib.parse.quote(model_xml, safe="-_.!~*'()")
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = deflater.compress(encoded.encode("ascii")) + deflater.flush()
    return base64.b64encode(raw).decode("ascii")


def write_drawio(path: Path, name: str, vertices: list[Vertex], edges: list[Edge]) -> None:
    body = compress_drawio(mx_graph_model(vertices, edges))
    path.write_text(
        '<mxfile host="app.diagrams.net" modified="2024-03-01T09:00:00.000Z" agent="eval-fixture" '
        f'version="24.0.4" type="device"><diagram id="pipeline" name={quoteattr(name)}>{body}</diagram></mxfile>\n',
        encoding="utf-8",
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write_drawio(OUT / "ashby-freight-cicd-pipeline.drawio", "afl-dispatch CI/CD", PIPELINE_VERTICES, PIPELINE_EDGES)


if __name__ == "__main__":
    main()

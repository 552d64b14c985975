"""Write the binary attachments of the NETSEC-001 eval cases.

Run once from the repository root:  .venv/bin/python eval/tools/make_netsec_001_files.py
Outputs go to eval/cases/netsec-001/files/ and are kept in the repository, so the
eval never has to build them. Text attachments (.md/.txt/.json) are written by hand.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import urllib.parse
import zlib
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import docx
from fpdf import FPDF

OUT = Path(__file__).resolve().parents[1] / "cases" / "netsec-001" / "files"
# Fixed document dates so a re-run does not change the metadata.
FIXED_DATE = dt.datetime(2024, 3, 1, 9, 0, 0, tzinfo=dt.timezone.utc)

Section = tuple[str, list[str]]  # (heading, paragraphs)

# ---------------------------------------------------------------- AWS 4 styles
_GROUP = (
    "points=[[0,0],[0.25,0],[0.5,0],[0.75,0],[1,0],[1,0.25],[1,0.5],[1,0.75],[1,1],"
    "[0.75,1],[0.5,1],[0.25,1],[0,1],[0,0.75],[0,0.5],[0,0.25]];outlineConnect=0;"
    "gradientColor=none;html=1;whiteSpace=wrap;fontSize=12;fontStyle=0;container=1;"
    "pointerEvents=0;collapsible=0;recursiveResize=0;shape=mxgraph.aws4.group;"
    "verticalAlign=top;align=left;spacingLeft=30;dashed=0;"
)
CLOUD = _GROUP + "grIcon=mxgraph.aws4.group_aws_cloud;strokeColor=#232F3E;fillColor=none;fontColor=#232F3E;"
REGION = _GROUP + "grIcon=mxgraph.aws4.group_region;strokeColor=#00A4A6;fillColor=none;fontColor=#147EBA;dashed=1;"
VPC = _GROUP + "grIcon=mxgraph.aws4.group_vpc;strokeColor=#248814;fillColor=none;fontColor=#AAB7B8;"
AZ = (
    "fillColor=none;strokeColor=#147EBA;dashed=1;verticalAlign=top;fontStyle=0;"
    "fontColor=#147EBA;whiteSpace=wrap;html=1;container=1;"
    "shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_availability_zone;"
)
PUBLIC_SUBNET = _GROUP + "grIcon=mxgraph.aws4.group_security_group;grStroke=0;strokeColor=#248814;fillColor=#E9F3E6;fontColor=#248814;"
PRIVATE_SUBNET = _GROUP + "grIcon=mxgraph.aws4.group_security_group;grStroke=0;strokeColor=#147EBA;fillColor=#E6F2F8;fontColor=#147EBA;"
_ICON = (
    "sketch=0;outlineConnect=0;fontColor=#232F3E;gradientColor=none;strokeColor=#ffffff;"
    "dashed=0;verticalLabelPosition=bottom;verticalAlign=top;align=center;html=1;"
    "fontSize=12;fontStyle=0;aspect=fixed;shape=mxgraph.aws4.resourceIcon;"
)


def freeze_zip(path: Path) -> None:
    """Pin zip member times and the 'modified' property so a re-run writes identical bytes."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-03-01T09:00:00Z", data)
            member = zipfile.ZipInfo(name, date_time=(2024, 3, 1, 9, 0, 0))
            target.writestr(member, data, compress_type=zipfile.ZIP_DEFLATED)


def icon(res_icon: str, fill: str) -> str:
    return f"{_ICON}fillColor={fill};resIcon=mxgraph.aws4.{res_icon};"


EDGE = "edgeStyle=orthogonalEdgeStyle;html=1;endArrow=block;strokeColor=#545B64;"

# A diagram is a list of vertices (id, label, style, parent, x, y, w, h) and
# edges (id, label, source, target).
Vertex = tuple[str, str, str, str, int, int, int, int]
Edge = tuple[str, str, str, str]


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
        '<mxGraphModel dx="1400" dy="900" grid="1" gridSize="10" guides="1" tooltips="1" '
        'connect="1" arrows="1" fold="1" page="1" pageScale="1" pageWidth="1600" '
        'pageHeight="1100" math="0" shadow="0"><root>' + "".join(cells) + "</root></mxGraphModel>"
    )


def compress_drawio(model_xml: str) -> str:
    """draw.io's compressed form: encodeURIComponent, raw deflate, base64."""
    encoded = urllib.parse.quote(model_xml, safe="-_.!~*'()")
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = deflater.compress(encoded.encode("ascii")) + deflater.flush()
    return base64.b64encode(raw).decode("ascii")


def write_drawio(path: Path, name: str, vertices: list[Vertex], edges: list[Edge], compressed: bool) -> None:
    model = mx_graph_model(vertices, edges)
    body = compress_drawio(model) if compressed else model
    path.write_text(
        '<mxfile host="app.diagrams.net" modified="2024-03-01T09:00:00.000Z" agent="eval-fixture" '
        f'version="24.0.4" type="device"><diagram id="d1" name={quoteattr(name)}>{body}</diagram></mxfile>\n',
        encoding="utf-8",
    )


def write_pdf(path: Path, title: str, sections: list[Section]) -> None:
    pdf = FPDF()
    # fpdf2 leaves the cursor right of a cell by default; every block starts on a new line.
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for heading, paragraphs in sections:
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        pdf.ln(2)
    pdf.output(str(path))


def write_docx(path: Path, title: str, sections: list[Section]) -> None:
    document = docx.Document()
    document.core_properties.created = FIXED_DATE.replace(tzinfo=None)
    document.core_properties.modified = FIXED_DATE.replace(tzinfo=None)
    document.core_properties.title = title
    document.add_heading(title, level=0)
    for heading, paragraphs in sections:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    document.save(str(path))
    freeze_zip(path)


# ---------------------------------------------------------------- contents
SOP_PDF: list[Section] = [
    ("1. Scope", [
        "This standard applies to every Amazon VPC that Corvid Cloud Services designs, builds or operates "
        "for a customer. It is mandatory for all delivery teams and is checked in the design review and "
        "again at handover.",
    ]),
    ("2. Security groups between the Internet and the VPC", [
        "2.1 Only the public front end (Application Load Balancer, Network Load Balancer or API Gateway VPC "
        "link) may allow inbound traffic from 0.0.0.0/0, and only on TCP 443 and TCP 80 (redirect to 443).",
        "2.2 No other security group may contain an inbound rule from 0.0.0.0/0 or ::/0. Known partner "
        "sources are allowed as specific CIDR ranges with a rule description naming the partner and ticket.",
        "2.3 SSH (22) and RDP (3389) are never opened from the Internet. Administrative access uses AWS "
        "Systems Manager Session Manager with IAM authentication and session logging.",
    ]),
    ("3. Security groups within the VPC", [
        "3.1 One security group per component. Tier-to-tier rules use security group references as the "
        "source; the VPC CIDR is never used as a source.",
        "3.2 Rules open only the listening port of the component. Egress of the data tier is removed; egress "
        "of the application tier is limited to its dependencies and to VPC endpoints.",
    ]),
    ("4. Network ACLs", [
        "4.1 Each subnet tier has its own network ACL: public, private-app and private-data.",
        "4.2 Public NACL: inbound 443/80 from 0.0.0.0/0 and ephemeral ports 1024-65535 for return traffic; "
        "outbound to private-app subnet CIDRs on the application port and ephemeral ports.",
        "4.3 Private-app NACL: inbound only from public subnet CIDRs on the application port; outbound to "
        "private-data subnet CIDRs on the database port and 443 to the NAT gateway and endpoints.",
        "4.4 Private-data NACL: inbound only from private-app subnet CIDRs on the database port; outbound "
        "only ephemeral ports to private-app subnet CIDRs. All other traffic is denied.",
    ]),
    ("5. Data stores", [
        "Databases, caches and search clusters are placed in private-data subnets with no route to an "
        "Internet gateway. A data store outside a private subnet (Amazon S3, Amazon DynamoDB) is recorded in "
        "the design with its protection: VPC endpoint policy, bucket policy with aws:SourceVpce, Block "
        "Public Access.",
    ]),
    ("6. Audit and evidence", [
        "AWS Firewall Manager applies a baseline security group policy and an audit policy across the "
        "customer organization. AWS Config rules restricted-ssh and vpc-sg-open-only-to-authorized-ports "
        "report non-compliant groups, which are remediated within five working days. The handover pack "
        "contains the security group and NACL inventory and a screenshot of the main component's group.",
    ]),
]

HANDBOOK: list[Section] = [
    ("1. About this handbook", [
        "The Delivery Handbook describes how Stratus North delivers AWS projects, from pre-sales to handover. "
        "It is the reference for project managers, architects and engineers, and it is reviewed every year "
        "by the practice leads.",
        "Where a customer contract says something different, the contract wins; deviations are recorded in "
        "the project's decision log and reported to the practice lead.",
    ]),
    ("2. Engagement lifecycle", [
        "Every engagement runs through discovery, mobilisation, build, hypercare and handover. Discovery "
        "produces a statement of work and a RACI agreed with the customer.",
        "Mobilisation includes access requests, the kick-off workshop and the project plan. The plan is "
        "baselined in week two and changes go through the change-request form.",
        "Build is run in two-week sprints with a demo to the customer product owner at the end of each sprint. "
        "Acceptance criteria are agreed before a story enters a sprint.",
    ]),
    ("3. Commercial and invoicing", [
        "Time and materials engagements are invoiced monthly in arrears. Fixed-price milestones are invoiced "
        "upon written acceptance. Expenses follow the customer travel policy.",
        "Purchase order numbers must be on every invoice; finance will not release an invoice without one. "
        "Disputed invoices are escalated to the engagement manager within three working days.",
    ]),
    ("4. Team roles", [
        "The engagement manager owns the plan, the budget and the weekly status report. The lead architect "
        "owns the design and the architecture decision records.",
        "Engineers own their pull requests, their runbooks and the tests for the components they build. "
        "The delivery lead chairs the weekly risk review.",
    ]),
    ("5. Coding and review standards", [
        "All code lives in the customer's Git repositories. Pull requests need one approving review and a "
        "green pipeline. Commit messages reference the work item.",
        "Python code follows the house linter configuration; TypeScript uses the shared ESLint preset. Secrets "
        "are never committed; the pre-commit hook runs a secret scanner.",
    ]),
    ("6. Documentation standards", [
        "Architecture decisions are recorded as ADRs. Diagrams are kept in draw.io next to the code. "
        "Runbooks are written in Markdown in the operations repository.",
        "Every document states its owner, its version and the date of the last review. Documents older than "
        "twelve months are flagged in the quarterly documentation sweep.",
    ]),
    ("7. Network security standard for Amazon VPC", [
        "7.1 Internet to VPC. Security groups of internet-facing load balancers admit TCP 443 (and 80 for "
        "redirect only) from 0.0.0.0/0. No other security group may admit 0.0.0.0/0. SSH and RDP are never "
        "open; engineers use Session Manager.",
        "7.2 Inside the VPC. Each component has its own security group. The source of every internal rule "
        "is the security group of the calling component, never a CIDR of the VPC. Data tier security groups "
        "have no egress rules.",
        "7.3 Network ACLs. Each subnet tier has a dedicated network ACL. Public subnets allow 443/80 in and "
        "ephemeral ports out; application subnets allow the service port only from public subnet CIDRs; "
        "data subnets allow the engine port only from application subnet CIDRs and return traffic only to "
        "them. Everything else is denied.",
        "7.4 Data stores. Databases and caches are only placed in private subnets without an Internet "
        "gateway route. Any exception is written into the design with its compensating controls.",
        "7.5 Audit. Firewall Manager security group audit policies run in every managed organization; "
        "Config rule findings are fixed within five working days.",
        "7.6 Worked example - Lakeshore Credit Union, online loan application (account 4417-2290-8831, "
        "vpc-07d1e5a9c3b24f610, eu-central-1). Security group lcu-loans-alb (sg-0e5c7a1d93b2f4801) admits "
        "443 from 0.0.0.0/0 and forwards to lcu-loans-api (sg-03a9f6b2c7d1e5904), which admits 8443 only "
        "from sg-0e5c7a1d93b2f4801. The Aurora MySQL cluster lcu-loans-db sits in the two data subnets and "
        "its group sg-0d2b8e4f6a1c7e335 admits 3306 only from sg-03a9f6b2c7d1e5904. The ElastiCache Redis "
        "group admits 6379 only from the API group.",
        "7.7 The Lakeshore network ACLs: acl-0a1f-public (443/80 in, ephemeral out), acl-0a1f-app (8443 in "
        "from 10.40.0.0/24 and 10.40.1.0/24 only; 3306/6379 out to 10.40.20.0/23), acl-0a1f-data (3306 "
        "and 6379 in from 10.40.10.0/23 only; ephemeral out to 10.40.10.0/23). The document store for "
        "uploaded payslips is S3 bucket lcu-loans-uploads, reached only through the gateway endpoint "
        "vpce-0c7e2d; its bucket policy denies any request without aws:SourceVpce and Block Public Access "
        "is on. Figure 7-1 of the handover pack shows the lcu-loans-api security group in the console.",
    ]),
    ("8. Hypercare and handover", [
        "Hypercare lasts four weeks after go-live. Incidents are handled by the delivery team with the "
        "customer's operations staff shadowing.",
        "Handover is complete when the customer signs the acceptance form, the runbooks have been walked "
        "through, and the access of the delivery team has been reduced to read-only.",
    ]),
    ("9. Training and certification", [
        "Engineers hold at least one AWS Associate certification before joining a delivery team. The "
        "training budget is agreed in the yearly review.",
        "Each engineer has ten learning days per year. Conference attendance is approved by the practice "
        "lead and shared back in a lunch-and-learn session.",
    ]),
    ("10. Travel and expenses", [
        "Travel is booked through the company travel tool. Rail is preferred for journeys under four "
        "hours. Hotel rates follow the city caps published by finance.",
        "Receipts are uploaded within thirty days. Client entertainment needs prior approval of the "
        "engagement manager.",
    ]),
    ("11. Holidays and absence", [
        "Holidays are requested in the HR portal at least two weeks ahead and agreed with the engagement "
        "manager so that customer commitments are covered.",
        "Sickness is reported to the line manager before 10:00 on the first day. The engagement manager "
        "informs the customer if a delivery date is affected.",
    ]),
    ("12. Glossary", [
        "ADR - architecture decision record. RACI - responsible, accountable, consulted, informed. "
        "SOW - statement of work. PO - purchase order. SPOC - single point of contact.",
    ]),
]

# Halvorsen Dental Group: a correct three-tier layout, data stores in private subnets.
HALVORSEN_VERTICES: list[Vertex] = [
    ("users", "Patients (browser)", icon("users", "#232F3D"), "1", 20, 380, 60, 60),
    ("cloud", "AWS Cloud", CLOUD, "1", 140, 20, 1180, 860),
    ("region", "eu-north-1", REGION, "cloud", 20, 40, 1140, 800),
    ("vpc", "VPC hdg-booking (10.60.0.0/16)", VPC, "region", 20, 40, 1100, 740),
    ("aza", "eu-north-1a", AZ, "vpc", 20, 40, 520, 680),
    ("azb", "eu-north-1b", AZ, "vpc", 560, 40, 520, 680),
    ("pub_a", "Public subnet 10.60.0.0/24 (NACL hdg-public)", PUBLIC_SUBNET, "aza", 20, 40, 480, 160),
    ("app_a", "Private subnet 10.60.10.0/24 (NACL hdg-app)", PRIVATE_SUBNET, "aza", 20, 230, 480, 190),
    ("data_a", "Private subnet 10.60.20.0/24 (NACL hdg-data)", PRIVATE_SUBNET, "aza", 20, 450, 480, 200),
    ("pub_b", "Public subnet 10.60.1.0/24 (NACL hdg-public)", PUBLIC_SUBNET, "azb", 20, 40, 480, 160),
    ("app_b", "Private subnet 10.60.11.0/24 (NACL hdg-app)", PRIVATE_SUBNET, "azb", 20, 230, 480, 190),
    ("data_b", "Private subnet 10.60.21.0/24 (NACL hdg-data)", PRIVATE_SUBNET, "azb", 20, 450, 480, 200),
    ("alb", "ALB hdg-booking-alb (sg-hdg-alb: 443 from 0.0.0.0/0)", icon("application_load_balancer", "#8C4FFF"), "pub_a", 200, 50, 78, 78),
    ("nat_a", "NAT gateway", icon("nat_gateway", "#8C4FFF"), "pub_a", 380, 50, 78, 78),
    ("ecs_a", "ECS Fargate booking-api (sg-hdg-api: 8080 from sg-hdg-alb)", icon("fargate", "#ED7100"), "app_a", 200, 50, 78, 78),
    ("ecs_b", "ECS Fargate booking-api", icon("fargate", "#ED7100"), "app_b", 200, 50, 78, 78),
    ("rds_a", "RDS PostgreSQL hdg-booking-db primary (sg-hdg-db: 5432 from sg-hdg-api)", icon("rds", "#C925D1"), "data_a", 100, 60, 78, 78),
    ("cache_a", "ElastiCache Redis hdg-slots (sg-hdg-cache: 6379 from sg-hdg-api)", icon("elasticache", "#C925D1"), "data_a", 320, 60, 78, 78),
    ("rds_b", "RDS PostgreSQL standby", icon("rds", "#C925D1"), "data_b", 100, 60, 78, 78),
    ("cache_b", "ElastiCache Redis replica", icon("elasticache", "#C925D1"), "data_b", 320, 60, 78, 78),
    ("s3", "S3 hdg-xrays (gateway endpoint only)", icon("s3", "#7AA116"), "region", 1000, 700, 78, 78),
]
HALVORSEN_EDGES: list[Edge] = [
    ("e1", "HTTPS 443", "users", "alb"),
    ("e2", "8080", "alb", "ecs_a"),
    ("e3", "8080", "alb", "ecs_b"),
    ("e4", "5432", "ecs_a", "rds_a"),
    ("e5", "6379", "ecs_a", "cache_a"),
    ("e6", "replication", "rds_a", "rds_b"),
    ("e7", "VPC endpoint", "ecs_b", "s3"),
]

# Northwind Outfitters: the RDS instance sits in the public subnets.
NORTHWIND_VERTICES: list[Vertex] = [
    ("users", "Shoppers", icon("users", "#232F3D"), "1", 20, 300, 60, 60),
    ("cloud", "AWS Cloud", CLOUD, "1", 140, 20, 1000, 700),
    ("region", "us-east-2", REGION, "cloud", 20, 40, 960, 640),
    ("vpc", "VPC nwo-shop (172.20.0.0/16)", VPC, "region", 20, 40, 920, 580),
    ("aza", "us-east-2a", AZ, "vpc", 20, 40, 430, 520),
    ("azb", "us-east-2b", AZ, "vpc", 470, 40, 430, 520),
    ("pub_a", "Public subnet 172.20.0.0/24", PUBLIC_SUBNET, "aza", 20, 40, 390, 230),
    ("app_a", "Private subnet 172.20.10.0/24", PRIVATE_SUBNET, "aza", 20, 300, 390, 190),
    ("pub_b", "Public subnet 172.20.1.0/24", PUBLIC_SUBNET, "azb", 20, 40, 390, 230),
    ("app_b", "Private subnet 172.20.11.0/24", PRIVATE_SUBNET, "azb", 20, 300, 390, 190),
    ("alb", "ALB nwo-shop-alb", icon("application_load_balancer", "#8C4FFF"), "pub_a", 60, 50, 78, 78),
    ("rds", "RDS MySQL nwo-orders-db", icon("rds", "#C925D1"), "pub_a", 250, 50, 78, 78),
    ("rds_b", "RDS MySQL nwo-orders-db standby", icon("rds", "#C925D1"), "pub_b", 250, 50, 78, 78),
    ("ec2_a", "EC2 Auto Scaling nwo-web", icon("ec2", "#ED7100"), "app_a", 150, 50, 78, 78),
    ("ec2_b", "EC2 Auto Scaling nwo-web", icon("ec2", "#ED7100"), "app_b", 150, 50, 78, 78),
]
NORTHWIND_EDGES: list[Edge] = [
    ("e1", "HTTPS", "users", "alb"),
    ("e2", "80", "alb", "ec2_a"),
    ("e3", "80", "alb", "ec2_b"),
    ("e4", "3306", "ec2_a", "rds"),
    ("e5", "3306", "ec2_b", "rds"),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write_pdf(OUT / "corvid-network-security-standard.pdf",
              "Corvid Cloud Services - VPC Network Security Standard NSS-02 (v2.1)", SOP_PDF)
    write_docx(OUT / "stratus-north-delivery-handbook.docx",
               "Stratus North - Delivery Handbook (edition 7)", HANDBOOK)
    write_drawio(OUT / "halvorsen-booking-architecture.drawio", "hdg-booking",
                 HALVORSEN_VERTICES, HALVORSEN_EDGES, compressed=True)
    write_drawio(OUT / "northwind-shop-architecture.drawio", "nwo-shop",
                 NORTHWIND_VERTICES, NORTHWIND_EDGES, compressed=False)


if __name__ == "__main__":
    main()

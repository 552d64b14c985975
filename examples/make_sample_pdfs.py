"""Rebuild the sample application's generated evidence files from the text in this script.

    .venv/bin/python examples/make_sample_pdfs.py

Writes, under examples/sample-application/evidence/:
  security-engagement-sop.pdf   the partner's security SOP (fpdf2, several pages)
  architecture.drawio           the customer architecture, in draw.io's compressed form
  cost-model.xlsx               the customer TCO / cost model (openpyxl)

The produced files are kept in the repository; run this only to change them. The text
is plain ASCII because fpdf2's core fonts are Latin-1 only.
"""

from __future__ import annotations

import base64
import urllib.parse
import zlib
from pathlib import Path
from xml.sax.saxutils import quoteattr

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Font

EVIDENCE = Path(__file__).resolve().parent / "sample-application" / "evidence"

# --------------------------------------------------------------------------- security SOP (PDF)

SOP_TITLE = "Northwind Cloud Consulting - Security Engagement SOP"
SOP_META = "Document NCC-SEC-004, version 3.2, owner: Head of Cloud Security. Reviewed every six months."
SOP_SECTIONS: list[tuple[str, list[str]]] = [
    ("1. Purpose and scope", [
        "This standard operating procedure (SOP) defines how Northwind Cloud Consulting engineers create, "
        "secure and access AWS accounts on behalf of customers. It applies to every engagement, every "
        "consultant and every subcontractor. Deviations need written approval from the Head of Cloud "
        "Security and are recorded in the engagement risk log.",
        "New consultants complete the SOP training module (LMS course SEC-101) before they receive "
        "access to any customer environment; the training is repeated every year.",
    ]),
    ("2. Creating AWS accounts for a customer", [
        "2.1 Account ownership and contacts. Accounts are always created with an email distribution list "
        "owned by the customer (for example aws-root-prod@customer.example), never with an individual's "
        "mailbox and never with a Northwind address. The primary, billing, operations and security "
        "alternate contacts are set to customer distribution lists and to the customer's switchboard or "
        "service-desk phone number, not to a personal mobile number.",
        "2.2 Root user usage. The root user is not used for day-to-day or workload activity. It may only "
        "be used for the tasks that require it: changing the AWS Support plan, changing account settings "
        "such as the account name or root email, restoring IAM permissions when administrators are "
        "locked out, activating IAM access to the billing console, and closing the account. Every root "
        "sign-in is announced in the engagement channel beforehand and reviewed afterwards from the "
        "CloudTrail ConsoleLogin event.",
        "2.3 Root MFA. MFA is enabled on the root user before any other work is done in a new account. "
        "We register a hardware security key (FIDO2) held in the customer's safe; a second key is held "
        "by the customer's security officer. Root access keys are never created; an existing root access "
        "key is deleted on day one.",
        "2.4 CloudTrail. A CloudTrail trail is enabled in each AWS region where the customer runs "
        "workloads, plus us-east-1 for global service events. Trails deliver to a dedicated S3 log "
        "bucket in the customer's log-archive account with versioning, S3 Object Lock and a bucket "
        "policy that allows only the CloudTrail service to write and only the security team to read.",
        "- Checklist evidence for each new account is stored in the engagement folder: screenshot of "
        "root MFA, alternate contacts page, and the trail configuration.",
    ]),
    ("3. Accessing customer AWS accounts", [
        "3.1 Standard approach. Consultants access customer accounts through AWS IAM Identity Center "
        "federated with the customer's identity provider (Microsoft Entra ID or Okta via SAML 2.0). "
        "When a customer has no identity provider we federate with AWS Managed Microsoft AD. "
        "Console access uses the Identity Center access portal; programmatic and CLI access uses "
        "'aws sso login' with a named profile, which issues temporary credentials that expire after "
        "at most 8 hours.",
        "3.2 Temporary credentials only. We do not create IAM users with long-term access keys for "
        "people. Workloads use IAM roles: EC2 instance profiles, Lambda execution roles, and OIDC "
        "federation for CI/CD (for example the GitHub Actions or CodeBuild role). If a customer insists "
        "on IAM users, access keys are rotated every 90 days, MFA is required through a policy "
        "condition, and the exception is recorded in the risk log.",
        "3.3 Least privilege. Permission sets and roles grant only the actions a task needs. Policies "
        "must not use wildcards in Action or Resource; a wildcard is allowed only where the service "
        "offers no resource-level permission and then only with a Condition that narrows it. IAM Access "
        "Analyzer policy validation runs in the pipeline on every policy change, and unused access is "
        "reviewed monthly with Access Analyzer unused-access findings.",
        "3.4 Dedicated credentials. Every Northwind individual signs in with their own identity; "
        "shared logins, shared break-glass passwords and shared access keys are forbidden. "
        "Break-glass roles require two-person approval and raise an alert when assumed.",
        "3.5 Offboarding. A consultant's Identity Center assignment is removed on the last day of the "
        "engagement; access reviews are run with the customer every quarter.",
    ]),
    ("4. Network security baseline", [
        "Workloads run in a VPC with public subnets for load balancers and NAT gateways only, and "
        "private subnets for application servers and databases. Security groups are the primary "
        "control: application tiers accept traffic only from the security group of the tier in front "
        "of them. Administrative access uses a bastion host in a public subnet.",
    ]),
    ("5. Data encryption and key management", [
        "5.1 Internet-facing endpoints. Every public endpoint terminates TLS 1.2 or later on Amazon "
        "CloudFront or an Application Load Balancer with certificates issued and renewed by AWS "
        "Certificate Manager. HTTP listeners only redirect to HTTPS. Security policies: CloudFront "
        "TLSv1.2_2021 and ALB ELBSecurityPolicy-TLS13-1-2-2021-06.",
        "5.2 Outbound calls. Processes that call external endpoints over the Internet (payment "
        "providers, SaaS APIs) use HTTPS with TLS 1.2+ and certificate validation; traffic leaves "
        "through NAT gateways. Connections to the customer's data centre use an AWS Site-to-Site VPN "
        "(IPsec, AES-256) or Direct Connect with MACsec.",
        "5.3 Encryption at rest. Native encryption is enabled on every service that stores data: "
        "EBS default encryption is turned on per region, RDS and Aurora use StorageEncrypted, S3 "
        "buckets use SSE-KMS with a bucket policy denying requests without aws:SecureTransport, "
        "DynamoDB and ElastiCache use at-rest encryption. An AWS Config conformance pack reports "
        "unencrypted resources daily.",
        "5.4 Key management. All keys are AWS KMS customer managed keys per workload and data "
        "classification, with automatic yearly rotation, key policies that separate key "
        "administrators from key users, and deletion windows of 30 days. Secrets (database "
        "passwords, API tokens) are stored in AWS Secrets Manager with rotation; they never appear "
        "in code, templates or tickets.",
    ]),
    ("6. Records and review", [
        "Engagement leads confirm each control of this SOP in the engagement readiness checklist. "
        "The security team samples two engagements per quarter and reports findings to the "
        "management review.",
    ]),
]


def write_sop(path: Path) -> None:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(SOP_TITLE)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, SOP_TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(0, 5, SOP_META, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for number, (heading, paragraphs) in enumerate(SOP_SECTIONS):
        if number in (2, 4):  # start the access and encryption chapters on a new page
            pdf.add_page()
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for text in paragraphs:
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        pdf.ln(2)
    pdf.output(str(path))


# --------------------------------------------------------------------------- architecture (draw.io)

_GROUP = ("shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.{icon};container=1;html=1;whiteSpace=wrap;"
          "verticalAlign=top;align=left;spacingLeft=30;fontSize=12;fillColor=none;strokeColor={color};")
_SUBNET = ("shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_security_group;grStroke=0;container=1;"
           "html=1;whiteSpace=wrap;verticalAlign=top;align=left;spacingLeft=30;strokeColor={stroke};"
           "fillColor={fill};")
_AZ = "fillColor=none;strokeColor=#147EBA;dashed=1;verticalAlign=top;fontColor=#147EBA;container=1;html=1;"
_ICON = ("sketch=0;outlineConnect=0;html=1;verticalLabelPosition=bottom;verticalAlign=top;align=center;"
         "aspect=fixed;shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.{icon};")
_NOTE = "text;html=1;whiteSpace=wrap;align=left;verticalAlign=top;strokeColor=#999999;fillColor=#FFFFCC;"

PUBLIC, PRIVATE = ("#7AA116", "#F2F6E8"), ("#00A4A6", "#E6F6F7")

# (id, label, style, parent, x, y, w, h)
CELLS: list[tuple[str, str, str, str, int, int, int, int]] = [
    ("users", "Fabrikam shoppers (web and mobile)", _ICON.format(icon="users"), "1", 20, 380, 48, 48),
    ("dc", "Fabrikam head office data centre (Leeds)", _GROUP.format(icon="group_corporate_data_center", color="#7D8998"), "1", 20, 700, 260, 200),
    ("erp", "ERP system (order fulfilment)", _ICON.format(icon="traditional_server"), "dc", 40, 60, 48, 48),
    ("cgw", "Customer gateway (on-premises firewall)", _ICON.format(icon="customer_gateway"), "dc", 160, 60, 48, 48),
    ("cloud", "AWS Cloud", _GROUP.format(icon="group_aws_cloud_alt", color="#232F3E"), "1", 320, 20, 1500, 1000),
    ("r53", "Amazon Route 53 (shop.fabrikam.example)", _ICON.format(icon="route_53"), "cloud", 30, 80, 48, 48),
    ("cf", "Amazon CloudFront (TLSv1.2_2021)", _ICON.format(icon="cloudfront"), "cloud", 30, 220, 48, 48),
    ("waf", "AWS WAF (managed rule groups)", _ICON.format(icon="waf"), "cloud", 30, 360, 48, 48),
    ("acm", "AWS Certificate Manager", _ICON.format(icon="certificate_manager_3"), "cloud", 30, 500, 48, 48),
    ("s3", "Amazon S3 (static assets, SSE-KMS)", _ICON.format(icon="s3"), "cloud", 30, 640, 48, 48),
    ("region", "Region eu-west-1 (Ireland)", _GROUP.format(icon="group_region", color="#00A4A6"), "cloud", 160, 40, 1320, 940),
    ("kms", "AWS KMS (customer managed keys)", _ICON.format(icon="key_management_service"), "region", 1200, 60, 48, 48),
    ("sm", "AWS Secrets Manager", _ICON.format(icon="secrets_manager"), "region", 1200, 180, 48, 48),
    ("cw", "Amazon CloudWatch (dashboards, alarms, logs)", _ICON.format(icon="cloudwatch_2"), "region", 1200, 300, 48, 48),
    ("backup", "AWS Backup (daily, 35-day retention)", _ICON.format(icon="backup"), "region", 1200, 420, 48, 48),
    ("ssm", "AWS Systems Manager (Patch Manager, Session Manager)", _ICON.format(icon="systems_manager"), "region", 1200, 540, 48, 48),
    ("pipe", "AWS CodePipeline / CodeBuild (CloudFormation deploys)", _ICON.format(icon="codepipeline"), "region", 1200, 660, 48, 48),
    ("vpc", "VPC fabrikam-orders-prod 10.40.0.0/16", _GROUP.format(icon="group_vpc", color="#248814"), "region", 40, 60, 1120, 860),
    ("igw", "Internet gateway", _ICON.format(icon="internet_gateway"), "vpc", 20, 60, 48, 48),
    ("vgw", "Site-to-Site VPN gateway (IPsec)", _ICON.format(icon="vpn_gateway"), "vpc", 20, 700, 48, 48),
    ("alb", "Application Load Balancer (HTTPS 443, both AZs)", _ICON.format(icon="application_load_balancer"), "vpc", 20, 380, 48, 48),
    ("asg", "Auto Scaling group orders-web (min 2, max 8, target tracking CPU 60%)", _GROUP.format(icon="group_auto_scaling_group", color="#D86613"), "vpc", 140, 400, 960, 60),
    ("az1", "Availability Zone eu-west-1a", _AZ, "vpc", 140, 40, 460, 800),
    ("az2", "Availability Zone eu-west-1b", _AZ, "vpc", 640, 40, 460, 800),
    ("pub1", "Public subnet 10.40.0.0/24", _SUBNET.format(stroke=PUBLIC[0], fill=PUBLIC[1]), "az1", 20, 40, 420, 160),
    ("app1", "Private app subnet 10.40.10.0/24", _SUBNET.format(stroke=PRIVATE[0], fill=PRIVATE[1]), "az1", 20, 260, 420, 200),
    ("data1", "Private data subnet 10.40.20.0/24", _SUBNET.format(stroke=PRIVATE[0], fill=PRIVATE[1]), "az1", 20, 520, 420, 220),
    ("pub2", "Public subnet 10.40.1.0/24", _SUBNET.format(stroke=PUBLIC[0], fill=PUBLIC[1]), "az2", 20, 40, 420, 160),
    ("app2", "Private app subnet 10.40.11.0/24", _SUBNET.format(stroke=PRIVATE[0], fill=PRIVATE[1]), "az2", 20, 260, 420, 200),
    ("data2", "Private data subnet 10.40.21.0/24", _SUBNET.format(stroke=PRIVATE[0], fill=PRIVATE[1]), "az2", 20, 520, 420, 220),
    ("nat1", "NAT gateway", _ICON.format(icon="nat_gateway"), "pub1", 40, 60, 48, 48),
    ("bastion", "Bastion host (SSH)", _ICON.format(icon="ec2"), "pub1", 240, 60, 48, 48),
    ("nat2", "NAT gateway", _ICON.format(icon="nat_gateway"), "pub2", 40, 60, 48, 48),
    ("web1", "EC2 orders-web (m6i.large)", _ICON.format(icon="ec2"), "app1", 40, 60, 48, 48),
    ("web2", "EC2 orders-web (m6i.large)", _ICON.format(icon="ec2"), "app2", 40, 60, 48, 48),
    ("rds1", "Amazon RDS for PostgreSQL (Multi-AZ primary)", _ICON.format(icon="rds"), "data1", 40, 60, 48, 48),
    ("redis1", "Amazon ElastiCache for Redis (primary)", _ICON.format(icon="elasticache"), "data1", 240, 60, 48, 48),
    ("rds2", "Amazon RDS for PostgreSQL (Multi-AZ standby)", _ICON.format(icon="rds"), "data2", 40, 60, 48, 48),
    ("redis2", "Amazon ElastiCache for Redis (replica)", _ICON.format(icon="elasticache"), "data2", 240, 60, 48, 48),
    ("note", "Scaling: the Auto Scaling group adds or removes EC2 instances on a CPU 60% target across "
             "both AZs; CloudFront and S3 absorb static traffic and scale automatically. High "
             "availability: ALB health checks replace failed instances, RDS Multi-AZ fails over to the "
             "standby in eu-west-1b within minutes, ElastiCache promotes its replica, one NAT gateway per AZ.",
     _NOTE, "cloud", 160, 990, 900, 60),
]

EDGES: list[tuple[str, str, str]] = [
    ("users", "r53", "DNS"),
    ("users", "cf", "HTTPS"),
    ("cf", "alb", "HTTPS (TLS 1.2, WAF)"),
    ("cf", "s3", "static assets (OAC)"),
    ("alb", "web1", "HTTP 8080"),
    ("alb", "web2", "HTTP 8080"),
    ("web1", "rds1", "PostgreSQL 5432 (TLS)"),
    ("web1", "redis1", "Redis 6379 (TLS)"),
    ("rds1", "rds2", "synchronous replication"),
    ("web1", "nat1", "outbound HTTPS to payment provider"),
    ("vgw", "cgw", "IPsec Site-to-Site VPN"),
    ("web2", "vgw", "order export to ERP"),
]


def _graph_model() -> str:
    parts = ['<mxGraphModel dx="1600" dy="1000" grid="1" gridSize="10"><root>'
             '<mxCell id="0"/><mxCell id="1" parent="0"/>']
    for cell_id, label, style, parent, x, y, w, h in CELLS:
        parts.append(f'<mxCell id="{cell_id}" value={quoteattr(label)} style={quoteattr(style)} vertex="1" '
                     f'parent="{parent}"><mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry"/>'
                     "</mxCell>")
    for number, (source, target, label) in enumerate(EDGES, start=1):
        parts.append(f'<mxCell id="edge{number}" value={quoteattr(label)} style="edgeStyle=orthogonalEdgeStyle;'
                     f'html=1;endArrow=open;" edge="1" parent="1" source="{source}" target="{target}">'
                     '<mxGeometry relative="1" as="geometry"/></mxCell>')
    parts.append("</root></mxGraphModel>")
    return "".join(parts)


def write_drawio(path: Path) -> None:
    # draw.io's compressed form: encodeURIComponent -> raw deflate -> base64.
    quoted = urllib.parse.quote(_graph_model(), safe="~()*!.'").encode("ascii")
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    payload = base64.b64encode(deflater.compress(quoted) + deflater.flush()).decode("ascii")
    path.write_text(
        '<mxfile host="app.diagrams.net" agent="Northwind Cloud Consulting" version="24.7.17">'
        f'<diagram id="orders-prod" name="Fabrikam orders platform - production">{payload}</diagram>'
        "</mxfile>\n",
        encoding="utf-8",
    )


# --------------------------------------------------------------------------- cost model (XLSX)

CALCULATOR = "https://calculator.aws/#/estimate?id=8f3c2a71d94e0b56c1a7e2f4d8b9c0a3e5f61728"

COST_SHEETS: dict[str, list[list[object]]] = {
    "Summary": [
        ["Fabrikam Outdoor Retail - orders platform migration: TCO and cost model"],
        ["Prepared by", "Northwind Cloud Consulting, presented to the Fabrikam CFO and CTO before implementation"],
        ["AWS Pricing Calculator estimate", CALCULATOR],
        ["Monthly AWS run cost (USD, steady state)", 3645],
        ["3-year AWS TCO (USD)", 187320],
        ["3-year on-premises TCO (USD)", 612400],
        ["3-year saving (USD)", 425080],
        ["Saving", "69%"],
    ],
    "Inputs": [
        ["Input", "Value", "Source"],
        ["Peak concurrent shoppers", 4500, "12 months of web analytics, Black Friday peak"],
        ["Average / peak requests per second", "120 / 650", "Load balancer logs of the current data centre"],
        ["Data transfer out to the Internet per month", "2.1 TB", "Current ISP bills, last 6 months"],
        ["Database size and growth", "380 GB, +4% per month", "PostgreSQL statistics"],
        ["Current servers", "14 physical hosts, average CPU 11%", "VMware vROps export"],
        ["Right-sizing", "m6i.large web tier, db.r6g.xlarge database", "2 weeks of CloudWatch data from the pilot"],
        ["Pricing model", "Compute Savings Plan (1 year, no upfront) for the 2-instance baseline; On-Demand for bursts; RDS reserved 1 year", "Agreed with the Fabrikam finance team"],
        ["On-premises hardware refresh quote", 410000, "Supplier quote Q3, 3-year support included"],
        ["Data centre space, power and cooling per month", 3900, "Facilities invoice"],
        ["Infrastructure staff time per month (hours)", 60, "Fabrikam IT time sheets"],
    ],
    "Monthly estimate": [
        ["Service", "Configuration", "Pricing model", "Monthly USD"],
        ["Amazon EC2", "2 x m6i.large baseline, average 1.5 burst instances", "Savings Plan + On-Demand", 298],
        ["Elastic Load Balancing", "1 ALB, 25 LCU average", "On-Demand", 210],
        ["Amazon RDS for PostgreSQL", "db.r6g.xlarge Multi-AZ, 500 GB gp3", "Reserved 1 year", 1480],
        ["Amazon ElastiCache", "2 x cache.r6g.large", "On-Demand", 460],
        ["Amazon CloudFront", "2.1 TB out, 180 M requests", "On-Demand", 290],
        ["Amazon S3", "1.5 TB Standard + Intelligent-Tiering", "On-Demand", 42],
        ["NAT gateways", "2 gateways, 300 GB processed", "On-Demand", 85],
        ["AWS Site-to-Site VPN", "1 connection", "On-Demand", 37],
        ["AWS WAF", "1 web ACL, 3 managed rule groups", "On-Demand", 38],
        ["Amazon CloudWatch", "Logs 120 GB, 60 alarms, 3 dashboards", "On-Demand", 160],
        ["AWS Backup", "35-day retention, cross-region copy", "On-Demand", 190],
        ["AWS KMS, Secrets Manager, Route 53", "6 keys, 12 secrets, 2 hosted zones", "On-Demand", 25],
        ["AWS Business Support", "greater of USD 100 or 10% of usage", "", 330],
        ["Total", "", "", 3645],
    ],
    "3-year TCO": [
        ["Cost line", "On-premises (USD)", "AWS (USD)"],
        ["Hardware and refresh", 410000, 0],
        ["Data centre space, power, cooling", 140400, 0],
        ["AWS services incl. support (36 x 3,645)", 0, 131220],
        ["Infrastructure operations staff", 62000, 15500],
        ["Migration project (one-off)", 0, 40600],
        ["Total", 612400, 187320],
    ],
    "Business value": [
        ["Value stream step", "Today (on-premises)", "On AWS", "Business value"],
        ["Release lead time", "6 weeks (quarterly change window)", "2 days (pipeline with automated tests)", "Promotions launched in days, not quarters"],
        ["Peak season capacity planning", "3 months of hardware procurement", "None: Auto Scaling", "No lost sales at peak; 2023 peak lost an estimated USD 180,000"],
        ["Checkout downtime per year", "14 hours", "< 1 hour (Multi-AZ)", "USD 9,000 revenue per hour of downtime protected"],
        ["Infrastructure staff time", "60 hours per month", "15 hours per month", "45 hours a month moved to product work"],
        ["Disaster recovery site", "None", "Backups copied to eu-central-1", "Removes a single point of failure"],
    ],
}


def write_cost_model(path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    for name, rows in COST_SHEETS.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    book.save(str(path))


def main() -> None:
    EVIDENCE.mkdir(parents=True, exist_ok=True)
    write_sop(EVIDENCE / "security-engagement-sop.pdf")
    write_drawio(EVIDENCE / "architecture.drawio")
    write_cost_model(EVIDENCE / "cost-model.xlsx")
    for name in ("security-engagement-sop.pdf", "architecture.drawio", "cost-model.xlsx"):
        print(f"wrote {EVIDENCE / name}")


if __name__ == "__main__":
    main()

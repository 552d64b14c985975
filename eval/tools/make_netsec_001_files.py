"""Write the binary attachments of the NETSEC-001 eval cases.

Run once from the repository root:  .venv/bin/python eval/tools/make_netsec_001_files.py
Outputs go to eval/cases/netsec-001/files/ and are kept in the repository, so the
eval never has to build them. Text attachments (.md/.txt/.json) are written by hand.
"""

from __future__ import annotations

from pathlib import Path

from evidence_writers import (DESKTOP_EDGE, DESKTOP_GROUPS, DESKTOP_LAYOUT, Diagram, Edge, Section, Vertex,
                              desktop_icon as icon, write_docx, write_drawio, write_pdf)

OUT = Path(__file__).resolve().parents[1] / "cases" / "netsec-001" / "files"

CLOUD, REGION, VPC, AZ, PUBLIC_SUBNET, PRIVATE_SUBNET = (
    DESKTOP_GROUPS[kind] for kind in ("aws_cloud", "region", "vpc", "az", "public_subnet", "private_subnet"))


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


def desktop_page(name: str, vertices: list[Vertex], edges: list[Edge]) -> list[Diagram]:
    return [Diagram.from_cells(name, vertices, edges, edge_style=DESKTOP_EDGE, page_id="d1")]


def main() -> None:
    write_pdf(OUT / "corvid-network-security-standard.pdf",
              "Corvid Cloud Services - VPC Network Security Standard NSS-02 (v2.1)", SOP_PDF)
    write_docx(OUT / "stratus-north-delivery-handbook.docx",
               "Stratus North - Delivery Handbook (edition 7)", HANDBOOK)
    write_drawio(OUT / "halvorsen-booking-architecture.drawio",
                 desktop_page("hdg-booking", HALVORSEN_VERTICES, HALVORSEN_EDGES), compressed=True,
                 layout=DESKTOP_LAYOUT)
    write_drawio(OUT / "northwind-shop-architecture.drawio",
                 desktop_page("nwo-shop", NORTHWIND_VERTICES, NORTHWIND_EDGES), layout=DESKTOP_LAYOUT)


if __name__ == "__main__":
    main()

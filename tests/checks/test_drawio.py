"""draw.io facts for DOC-001: services, Availability Zones, layout, auto scaling."""

from __future__ import annotations

from grader.models import Document
from tests.checks.builders import check, make_control, only, rules

DOC_001 = make_control("DOC-001", "diagram", "services", "network-layout", "auto-scaling", "high-availability")
NETSEC_001 = make_control("NETSEC-001", "sg-internet", "sg-internal", "nacl", "sop", "customer-example")


def cell(cid: str, label: str, parent: str = "1", service: str | None = None, group: str | None = None) -> dict:
    return {"id": cid, "label": label, "style": "", "service": service, "group": group, "parent": parent}


def diagram(*cells: dict, pages: int = 1) -> Document:
    text = "\n".join(c["label"] for c in cells)
    return Document(path="architecture.drawio", kind="drawio", text=text,
                    data={"cells": list(cells), "diagrams": pages})


def two_az_web_app() -> Document:
    return diagram(
        cell("vpc", "VPC 10.20.0.0/16", group="vpc"),
        cell("az0", "Availability Zone a", "vpc", group="availability_zone"),
        cell("az1", "Availability Zone b", "vpc", group="availability_zone"),
        cell("pub0", "Public subnet 10.20.0.0/24", "az0", group="public_subnet"),
        cell("app0", "Private subnet 10.20.10.0/24", "az0", group="private_subnet"),
        cell("app1", "Private subnet 10.20.11.0/24", "az1", group="private_subnet"),
        cell("alb", "Application Load Balancer", "vpc", service="application_load_balancer"),
        cell("asg", "Auto Scaling group (target tracking)", "vpc", group="auto_scaling_group"),
        cell("ec2", "Web servers", "app0", service="ec2"),
        cell("db", "Amazon RDS (primary)", "app1", service="rds"),
    )


def test_a_two_az_diagram_yields_only_info_facts_for_doc_001() -> None:
    found = check(DOC_001, two_az_web_app())
    assert {f.severity for f in found} == {"info"}
    assert "application_load_balancer, ec2, rds" in only(found, "drawio.services").message
    multi = only(found, "drawio.multi-az")
    assert multi.criterion == "high-availability" and "2 Availability Zones" in multi.message
    layout = only(found, "drawio.network-layout").message
    assert "1 VPC" in layout and "1 public subnet" in layout and "2 private subnets" in layout
    assert only(found, "drawio.auto-scaling-group").criterion == "auto-scaling"


def test_a_single_az_diagram_fails_high_availability() -> None:
    doc = diagram(cell("az0", "AZ eu-west-1a", group="availability_zone"), cell("ec2", "App", "az0", service="ec2"))
    found = only(check(DOC_001, doc), "drawio.single-az")
    assert (found.severity, found.criterion) == ("fail", "high-availability")
    assert doc.text[found.source.start:found.source.end] == "AZ eu-west-1a"


def test_azs_repeated_on_several_pages_count_once() -> None:
    doc = diagram(cell("a", "AZ a", group="availability_zone"), cell("b", "AZ a", group="availability_zone"),
                  pages=2)
    assert rules(check(DOC_001, doc), "fail") == ["drawio.single-az"]


def test_a_flat_sketch_states_what_is_missing() -> None:
    found = check(DOC_001, diagram(cell("u", "Users"), cell("w", "Web server")))
    assert {"drawio.no-services", "drawio.no-az", "drawio.network-layout"} <= set(rules(found))
    assert "drawio.auto-scaling-group" not in rules(found)


def test_diagram_warnings_are_only_info_for_another_control() -> None:
    doc = diagram(cell("az0", "AZ a", group="availability_zone"))
    found = check(NETSEC_001, doc)
    assert [(f.rule, f.severity, f.criterion) for f in found] == [("drawio.single-az", "info", None)]


def test_a_database_drawn_in_a_public_subnet_warns_netsec_001() -> None:
    doc = diagram(
        cell("az", "us-east-2a", group="availability_zone"),
        cell("pub", "Public subnet 172.20.0.0/24", "az", group="public_subnet"),
        cell("rds", "RDS MySQL nwo-orders-db", "pub", service="rds"),
        cell("priv", "Private subnet 172.20.10.0/24", "az", group="private_subnet"),
        cell("cache", "ElastiCache sessions", "priv", service="elasticache"),
    )
    found = only(check(NETSEC_001, doc), "drawio.datastore-in-public-subnet")
    assert found.severity == "warn" and "nwo-orders-db" in found.message
    assert doc.text[found.source.start:found.source.end] == "RDS MySQL nwo-orders-db"
    assert only(check(DOC_001, doc), "drawio.datastore-in-public-subnet").severity == "info"


def test_a_parent_cycle_in_a_hand_edited_file_does_not_hang() -> None:
    doc = diagram(cell("a", "A", "b", service="rds"), cell("b", "B", "a", group="vpc"))
    assert "drawio.datastore-in-public-subnet" not in rules(check(NETSEC_001, doc))


def test_a_service_the_answer_names_must_be_drawn() -> None:
    answer = Document(path="response", kind="response",
                      text="Orders land in SQS; workers on EC2 read them and cache sessions in ElastiCache.")
    findings = check(make_control("DOC-001", "services"), answer, two_az_web_app())
    warning = only(findings, "drawio.services-not-drawn")
    assert (warning.criterion, warning.severity) == ("services", "warn")
    assert "ElastiCache, SQS" in warning.message and "EC2" not in warning.message  # EC2 is drawn


def test_a_service_drawn_as_a_labelled_box_counts_as_drawn() -> None:
    answer = Document(path="response", kind="response", text="A Redis cache (ElastiCache) holds sessions.")
    labelled = diagram(cell("c", "ElastiCache for Redis"))
    assert "drawio.services-not-drawn" not in rules(check(make_control("DOC-001", "services"), answer, labelled))


def test_a_service_the_answer_says_it_does_not_use_need_not_be_drawn() -> None:
    answer = Document(path="response", kind="response",
                      text="The solution has no SQS queue and no ElastiCache; everything else is drawn.")
    assert "drawio.services-not-drawn" not in rules(check(make_control("DOC-001", "services"), answer, two_az_web_app()))


def test_a_service_drawn_only_as_a_connection_label_is_drawn() -> None:
    # The reader writes a connection's label into the diagram's text, not into its shapes.
    shapes = diagram(cell("dc", "On-premises data centre"), cell("vgw", "Virtual private gateway"))
    drawn = shapes.model_copy(update={"text": shapes.text + "\nConnection: On-premises data centre -> "
                                              "Virtual private gateway: Site-to-Site VPN, 2 tunnels (BGP)"})
    answer = Document(path="response", kind="response",
                      text="Claims data reaches the on-premises mainframe over an AWS Site-to-Site VPN.")
    services = make_control("DOC-001", "services")
    assert "drawio.services-not-drawn" in rules(check(services, answer, shapes))
    assert "drawio.services-not-drawn" not in rules(check(services, answer, drawn))

"""draw.io diagram facts for DOC-001: services shown, Availability Zones, network layout, scaling.

Document.data (grader/ingest draw.io reader) is {"cells": [{"id", "label", "style",
"service", "group", "parent"}], "diagrams": n}; `group` names the AWS container a cell draws
(availability_zone, vpc, public_subnet ...) and `service` the AWS icon ("ec2", "rds" ...).
A diagram only shows what was drawn, so nothing here fails: one AZ is a warning (the guide
accepts an explained tradeoff), and so is a data store drawn inside a public subnet (a
NETSEC-001 concern: "data stores visibly unsecured via subnets"); the rest are facts.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from grader.checks.locate import locate
from grader.checks.rules import finding, load_model
from grader.models import Document, Finding
from grader.stance import classify
from grader.text import rx

ORIGIN = "drawio"
DRAWIO_FILE = Path(__file__).with_name("drawio.yaml")


class DrawioKnowledge(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    data_stores: list[str]
    workload_services: dict[str, str]


@lru_cache(maxsize=1)
def knowledge() -> DrawioKnowledge:
    return load_model(DRAWIO_FILE, DrawioKnowledge)


def _cells(data: object) -> list[dict]:
    cells = data.get("cells") if isinstance(data, dict) else None
    return [c for c in cells if isinstance(c, dict)] if isinstance(cells, list) else []


def is_diagram(doc: Document) -> bool:
    return doc.kind == "drawio" and isinstance(doc.data, dict) and "cells" in doc.data


def _label(cell: dict) -> str:
    return " ".join(str(cell.get("label") or "").split())


def _grouped(cells: list[dict], group: str) -> list[dict]:
    return [c for c in cells if c.get("group") == group]


def availability_zones(cells: list[dict]) -> list[str]:
    """Distinct AZ containers: by label (pages repeat them), unlabeled ones each count."""
    seen: dict[str, str] = {}
    for i, cell in enumerate(_grouped(cells, "availability_zone")):
        label = _label(cell)
        seen.setdefault(label.lower() or f"#{i}", label or f"unlabeled AZ {cell.get('id', i)}")
    return list(seen.values())


def services(cells: list[dict]) -> list[str]:
    return sorted({str(c["service"]) for c in cells if c.get("service")})


def _ancestors(cell: dict, by_id: dict[str, dict]) -> list[dict]:
    out: list[dict] = []
    parent = cell.get("parent")
    while parent in by_id and by_id[parent] not in out:  # a cycle in a hand-edited file ends here
        out.append(by_id[parent])
        parent = by_id[parent].get("parent")
    return out


def public_data_stores(cells: list[dict]) -> list[tuple[dict, dict]]:
    """(data store, public subnet) pairs: a database icon drawn inside a public subnet."""
    by_id = {str(c.get("id")): c for c in cells if c.get("id") is not None}
    stores = knowledge().data_stores
    out = []
    for cell in cells:
        service = str(cell.get("service") or "")
        if any(service.startswith(s) for s in stores):
            subnet = next((a for a in _ancestors(cell, by_id) if a.get("group") == "public_subnet"), None)
            if subnet is not None:
                out.append((cell, subnet))
    return out


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _layout(cells: list[dict]) -> str:
    parts = [
        _count(len(_grouped(cells, "region")), "region", "regions"),
        _count(len(_grouped(cells, "vpc")), "VPC", "VPCs"),
        _count(len(_grouped(cells, "public_subnet")), "public subnet", "public subnets"),
        _count(len(_grouped(cells, "private_subnet")), "private subnet", "private subnets"),
        _count(len(_grouped(cells, "security_group")), "security group", "security groups"),
    ]
    outside = len(_grouped(cells, "corporate_data_center"))
    if outside:
        parts.append(_count(outside, "corporate data center", "corporate data centers"))
    return ", ".join(parts)


def _icons(cells: list[dict]) -> set[str]:
    """Service keys drawn as icons (a service may also be a labelled box: see the text)."""
    return {str(c["service"]) for c in cells if c.get("service")}


def unshown_services(answer: Document, diagrams: list[Document]) -> list[str]:
    """Workload services the answer names that no diagram shows, by icon or by label."""
    icons: set[str] = set()
    labels = []
    for doc in diagrams:
        icons |= _icons(_cells(doc.data))
        labels.append(doc.text)  # every shape label and every connection's ("Site-to-Site VPN, 2 tunnels")
    drawn = " ".join(labels)
    missing = []
    for key, names in knowledge().workload_services.items():
        named = _named_as_used(names, answer)
        if named and not rx(names).search(drawn) and not any(icon.startswith(key) for icon in icons):
            missing.append(named)
    return missing


def _named_as_used(names: str, answer: Document) -> str | None:
    """The service as the answer names it in a sentence that says it is used ("the solution
    has no EC2" does not), else None."""
    for sentence in answer.sentences():
        m = rx(names).search(sentence.text)
        if m and classify(sentence.text, m.span()) == "asserted":
            return m.group(0)
    return None


def answer_findings(documents: list[Document]) -> list[Finding]:
    """Cross-check the answer against its diagrams: a service the answer names must be drawn."""
    answer = next((d for d in documents if not d.attached), None)
    diagrams = [d for d in documents if d.kind == "drawio" and is_diagram(d)]
    if answer is None or not diagrams:
        return []
    missing = unshown_services(answer, diagrams)
    if not missing:
        return []
    return [finding(ORIGIN, "services-not-drawn", (
        f"The answer names {', '.join(missing)}, which the diagram does not show; every service the "
        "solution uses must be in the diagram."), diagrams[0].provenance(0, 0))]


def findings(doc: Document) -> list[Finding]:
    cells = _cells(doc.data)

    def at(cell: dict | None, section: str):
        label = _label(cell) if cell else ""
        return locate(doc, section, [label] if label else [])

    out: list[Finding] = []
    shown = services(cells)
    if shown:
        out.append(finding(ORIGIN, "services", (
            f"The diagram shows {_count(len(shown), 'service icon', 'service icons')}: "
            f"{', '.join(shown)}."), at(None, "diagram")))
    else:
        out.append(finding(ORIGIN, "no-services", "The diagram shows no recognisable AWS service icons.",
                        at(None, "diagram")))

    zones = availability_zones(cells)
    first_az = next(iter(_grouped(cells, "availability_zone")), None)
    if len(zones) >= 2:
        out.append(finding(ORIGIN, "multi-az", (
            f"The diagram places resources in {len(zones)} Availability Zones: {', '.join(zones)}."),
            at(first_az, "availability zones")))
    elif len(zones) == 1:
        out.append(finding(ORIGIN, "single-az", (
            f"The diagram shows a single Availability Zone ({zones[0]}): no multi-AZ redundancy is "
            "drawn; the answer must explain the tradeoff."), at(first_az, "availability zones")))
    else:
        out.append(finding(ORIGIN, "no-az", "The diagram draws no Availability Zone containers.",
                        at(None, "diagram")))

    out.append(finding(ORIGIN, "network-layout", f"The diagram draws {_layout(cells)}.", at(None, "diagram")))

    for store, subnet in public_data_stores(cells):
        out.append(finding(ORIGIN, "datastore-in-public-subnet", (
            f"The diagram places data store {_label(store) or store.get('service')} in a public subnet "
            f"({_label(subnet) or 'unlabeled'}); the answer must explain how it is protected."),
            at(store, "public subnet")))

    scaling = _grouped(cells, "auto_scaling_group") or [
        c for c in cells if str(c.get("service") or "").startswith("auto_scaling")]
    if scaling:
        out.append(finding(ORIGIN, "auto-scaling-group", (
            f"The diagram shows an Auto Scaling group ({_label(scaling[0]) or 'unlabeled'})."),
            at(scaling[0], "auto scaling group")))
    return out

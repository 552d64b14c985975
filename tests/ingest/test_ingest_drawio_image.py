"""draw.io diagrams (plain and compressed) and images."""

from __future__ import annotations

from grader.ingest.chunking import chunk_document
from grader.ingest.readers import read
from grader.models import Document, IngestError
from tests.ingest import evidence

EDGES = [("alb", "web1", "HTTPS 443"), ("web1", "db1", "")]


def _diagram(tmp_path, compressed=True, name="arch.drawio"):
    model = evidence.graph_model(evidence.TWO_AZ_CELLS, EDGES)
    return evidence.drawio(tmp_path / name, [("Production", model)], compressed=compressed)


def test_compressed_diagram_yields_cells_with_services_groups_and_parents(tmp_path):
    doc = read(_diagram(tmp_path), tmp_path)

    assert isinstance(doc, Document) and doc.kind == "drawio"
    assert set(doc.data) == {"cells", "diagrams"} and doc.data["diagrams"] == 1
    cells = {c["id"]: c for c in doc.data["cells"]}
    assert all(set(c) == {"id", "label", "style", "service", "group", "parent"} for c in cells.values())
    assert {cid: cells[cid]["group"] for cid in ("cloud", "region", "vpc", "az1", "pub1", "priv1", "asg")} == {
        "cloud": "aws_cloud", "region": "region", "vpc": "vpc", "az1": "availability_zone",
        "pub1": "public_subnet", "priv1": "private_subnet", "asg": "auto_scaling_group",
    }
    assert cells["nat1"]["service"] == "nat_gateway"
    assert cells["alb"]["service"] == "application_load_balancer"
    assert cells["watch"]["service"] == "cloudwatch"  # icon version suffix dropped
    assert cells["web1"]["group"] is None
    assert cells["nat1"]["parent"] == "pub1"
    assert cells["cloud"]["parent"] is None  # top-level shapes hang off the layer
    assert cells["priv1"]["label"] == "Private subnet"  # HTML stripped
    assert cells["alb"]["label"] == "Application Load Balancer"
    assert cells["db1"]["label"] == "Orders DB & replica"


def test_diagram_text_is_quotable_with_container_paths_and_connections(tmp_path):
    doc = read(_diagram(tmp_path), tmp_path)

    assert "Availability Zone 1 > Public subnet: NAT gateway" in doc.text
    assert "Connection: Application Load Balancer -> Web server: HTTPS 443" in doc.text
    chunks = chunk_document(doc, "DOC-001")
    assert {c.source.section for c in chunks} == {"Production"}
    labels = {c["label"] for c in doc.data["cells"]}
    for chunk in chunks:
        assert doc.text[chunk.source.start:chunk.source.end] == chunk.text
        for line in chunk.text.splitlines():
            if ": " in line and not line.startswith(("Diagram:", "Connection:")):
                shown = line.split(": ", 1)[1].rsplit("[", 1)[0].strip()
                assert shown in labels  # "" for an unlabelled icon


def test_plain_and_compressed_forms_read_the_same(tmp_path):
    plain = read(_diagram(tmp_path, compressed=False, name="plain.drawio"), tmp_path)
    packed = read(_diagram(tmp_path, compressed=True, name="packed.drawio"), tmp_path)

    assert plain.data == packed.data
    assert plain.text == packed.text


def test_multi_page_diagram_counts_pages(tmp_path):
    model = evidence.graph_model(evidence.TWO_AZ_CELLS[:3])
    path = evidence.drawio(tmp_path / "two.drawio", [("Prod", model), ("DR", model)])

    doc = read(path, tmp_path)

    assert doc.pages == 2 and doc.data["diagrams"] == 2
    assert [s.section for s in doc.segments] == ["Prod", "DR"]


def test_undecodable_compressed_page_is_rejected(tmp_path):
    path = tmp_path / "bad.drawio"
    path.write_text('<mxfile><diagram name="Broken">not*base64*deflate</diagram></mxfile>')

    result = read(path, tmp_path)

    assert isinstance(result, IngestError)
    assert "compressed diagram page 'Broken' cannot be decoded" in result.message


def test_xml_entity_expansion_is_refused(tmp_path):
    path = tmp_path / "evil.drawio"
    path.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><mxfile>&a;</mxfile>')

    result = read(path, tmp_path)

    assert isinstance(result, IngestError)
    assert "forbidden XML" in result.message


def test_other_xml_is_read_as_text_with_a_warning(tmp_path):
    path = tmp_path / "config.xml"
    path.write_text("<ConfigRules><Rule>restricted-ssh</Rule></ConfigRules>")

    doc = read(path, tmp_path)

    assert isinstance(doc, Document) and doc.kind == "text"
    assert "restricted-ssh" in doc.text
    assert any("not a draw.io diagram" in w for w in doc.warnings)


def test_image_is_recorded_for_human_review(tmp_path):
    doc = read(evidence.png(tmp_path / "diagram.png"), tmp_path)

    assert isinstance(doc, Document)
    assert (doc.kind, doc.text, doc.needs_human_review) == ("image", "", True)
    assert any("a person or a vision model must review it" in w for w in doc.warnings)
    assert chunk_document(doc, "DOC-001") == []


def test_file_named_png_that_is_not_an_image_is_rejected(tmp_path):
    (tmp_path / "fake.png").write_text("hello")

    result = read(tmp_path / "fake.png", tmp_path)

    assert isinstance(result, IngestError)
    assert "not a PNG image" in result.message

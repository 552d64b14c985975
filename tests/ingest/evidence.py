"""Builders for the evidence files the ingest tests read, made in code (no binary blobs)."""

from __future__ import annotations

import base64
import struct
import urllib.parse
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import quoteattr

from docx import Document as DocxDocument
from fpdf import FPDF
from openpyxl import Workbook
from pypdf import PdfReader, PdfWriter


def pdf(path: Path, pages: list[str]) -> Path:
    """A real PDF with one page per string (Helvetica, so pypdf extracts the text)."""
    doc = FPDF(format="A4")
    doc.set_auto_page_break(auto=False)
    doc.set_font("Helvetica", size=11)
    for text in pages:
        doc.add_page()
        doc.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.output(str(path))
    return path


def scanned_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF whose pages carry only drawings, like a scan without OCR."""
    doc = FPDF(format="A4")
    for _ in range(pages):
        doc.add_page()
        doc.set_fill_color(120, 120, 120)
        doc.rect(20, 20, 150, 200, style="F")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.output(str(path))
    return path


def encrypted_pdf(path: Path, pages: list[str], user_password: str = "s3cret") -> Path:
    """Encrypted with pypdf; an empty user password means "owner password only"."""
    plain = pdf(path.with_suffix(".plain.pdf"), pages)
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password=user_password, owner_password="owner-pw")
    with path.open("wb") as handle:
        writer.write(handle)
    plain.unlink()
    return path


def docx(path: Path, title: str, sections: list[tuple[str, list[str]]], subsections: bool = False) -> Path:
    doc = DocxDocument()
    doc.add_heading(title, level=0)
    for heading, paragraphs in sections:
        doc.add_heading(heading, level=2 if subsections and heading[:1].islower() else 1)
        for text in paragraphs:
            doc.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return path


def inflate_member(path: Path, megabytes: int, name: str = "word/media/padding.bin") -> Path:
    """Add a member of `megabytes` zeros: deflates ~1000:1, the shape of a zip bomb."""
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(name, "w") as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(block)
    return path


# --------------------------------------------------------------------------- draw.io

GROUP = ("shape=mxgraph.aws4.group;container=1;html=1;fillColor=none;verticalAlign=top;"
         "grIcon=mxgraph.aws4.{icon};")
PUBLIC_SUBNET = ("shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_security_group;grStroke=0;"
                 "strokeColor=#7AA116;fillColor=#F2F6E8;container=1;")
PRIVATE_SUBNET = ("shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_security_group;grStroke=0;"
                  "strokeColor=#00A4A6;fillColor=#E6F6F7;container=1;")
AZ_DASHED = "fillColor=none;strokeColor=#147EBA;dashed=1;verticalAlign=top;container=1;"
ICON = "shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.{name};"

# (id, label, style, parent) - a Region / VPC / two AZs / public+private subnets design.
TWO_AZ_CELLS: list[tuple[str, str, str, str]] = [
    ("cloud", "AWS Cloud", GROUP.format(icon="group_aws_cloud_alt"), "1"),
    ("region", "Region eu-west-1", GROUP.format(icon="group_region"), "cloud"),
    ("vpc", "VPC 10.0.0.0/16", GROUP.format(icon="group_vpc"), "region"),
    ("az1", "Availability Zone 1", AZ_DASHED, "vpc"),
    ("az2", "Availability Zone 2", AZ_DASHED, "vpc"),
    ("pub1", "Public subnet", PUBLIC_SUBNET, "az1"),
    ("priv1", "<b>Private</b> subnet", PRIVATE_SUBNET, "az1"),
    ("pub2", "Public subnet", PUBLIC_SUBNET, "az2"),
    ("priv2", "Private subnet", PRIVATE_SUBNET, "az2"),
    ("nat1", "NAT gateway", ICON.format(name="nat_gateway"), "pub1"),
    ("alb", "Application<br>Load Balancer", "shape=mxgraph.aws4.application_load_balancer;", "vpc"),
    ("web1", "Web server", ICON.format(name="ec2"), "priv1"),
    ("db1", "Orders DB &amp; replica", ICON.format(name="rds"), "priv2"),
    ("asg", "", GROUP.format(icon="group_auto_scaling_group"), "vpc"),
    ("watch", "", ICON.format(name="cloudwatch_2"), "region"),
]


def graph_model(cells: list[tuple[str, str, str, str]], edges: list[tuple[str, str, str]] = ()) -> str:
    rows = ['<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>']
    for cell_id, label, style, parent in cells:
        rows.append(f'<mxCell id="{cell_id}" value={quoteattr(label)} style={quoteattr(style)} '
                    f'vertex="1" parent="{parent}"><mxGeometry as="geometry"/></mxCell>')
    for number, (source, target, label) in enumerate(edges):
        rows.append(f'<mxCell id="e{number}" value={quoteattr(label)} edge="1" parent="1" '
                    f'source="{source}" target="{target}"><mxGeometry relative="1" as="geometry"/></mxCell>')
    rows.append("</root></mxGraphModel>")
    return "".join(rows)


def compress(model_xml: str) -> str:
    """draw.io's compressed page: URI-encode, raw deflate, base64."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    quoted = urllib.parse.quote(model_xml, safe="~()*!.'").encode("ascii")
    return base64.b64encode(deflater.compress(quoted) + deflater.flush()).decode("ascii")


def drawio(path: Path, pages: list[tuple[str, str]], compressed: bool = True) -> Path:
    """pages: (name, mxGraphModel xml)."""
    body = []
    for number, (name, model) in enumerate(pages, start=1):
        inner = compress(model) if compressed else model
        body.append(f'<diagram id="p{number}" name={quoteattr(name)}>{inner}</diagram>')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<mxfile host="app.diagrams.net">{"".join(body)}</mxfile>', encoding="utf-8")
    return path


def png(path: Path) -> Path:
    """A minimal valid 1x1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00\xff\xff\xff"  # one RGB pixel, filter byte 0
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw))
                     + chunk(b"IEND", b""))
    return path

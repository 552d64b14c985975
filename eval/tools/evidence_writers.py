"""Writers for the binary evidence files that eval cases attach (.pdf .docx .xlsx .drawio).

The make_<control>_files.py scripts describe each document as plain data (a title and
sections of paragraphs, rows of a sheet, shapes of a diagram) and call these writers, so
the eval set's attachments can be rebuilt from source instead of living only as binaries.
"""

from __future__ import annotations

import base64
import urllib.parse
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from docx import Document as DocxDocument
from fpdf import FPDF
from openpyxl import Workbook

# A section is a heading and its body; a body line starting with "- " is a bullet.
Section = tuple[str, list[str]]


def _ascii(text: str, where: str) -> str:
    # fpdf2 core fonts are Latin-1 only; the brief asks for plain ASCII in PDFs.
    if not text.isascii():
        raise ValueError(f"{where}: non-ASCII text in {text!r}")
    return text


def write_pdf(path: Path, title: str, sections: list[Section]) -> None:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, _ascii(title, str(path)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for heading, body in sections:
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, _ascii(heading, str(path)), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for line in body:
            text = _ascii(line, str(path))
            if text.startswith("- "):
                text = "  * " + text[2:]
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        pdf.ln(2)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))


def write_docx(path: Path, title: str, sections: list[Section]) -> None:
    doc = DocxDocument()
    doc.add_heading(title, level=0)
    for heading, body in sections:
        doc.add_heading(heading, level=1)
        for line in body:
            if line.startswith("- "):
                doc.add_paragraph(line[2:], style="List Bullet")
            else:
                doc.add_paragraph(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    """One worksheet per entry; the first row of each is its header."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(title=name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(str(path))


# --------------------------------------------------------------------------- draw.io

_GROUP_STYLES = {
    # AWS Architecture Icons (draw.io "AWS 4" library) group styles.
    "aws_cloud": "grIcon=mxgraph.aws4.group_aws_cloud_alt;strokeColor=#232F3E;fillColor=none;fontColor=#232F3E;dashed=0;",
    "region": "grIcon=mxgraph.aws4.group_region;strokeColor=#00A4A6;fillColor=none;fontColor=#147EBA;dashed=1;",
    "vpc": "grIcon=mxgraph.aws4.group_vpc;strokeColor=#248814;fillColor=none;fontColor=#AAB7B8;dashed=0;",
    "az": "grIcon=mxgraph.aws4.group_availability_zone;strokeColor=#147EBA;fillColor=none;fontColor=#147EBA;dashed=1;",
    "public_subnet": "grIcon=mxgraph.aws4.group_security_group;grStroke=0;strokeColor=#7AA116;fillColor=#F2F6E8;fontColor=#248814;dashed=0;",
    "private_subnet": "grIcon=mxgraph.aws4.group_security_group;grStroke=0;strokeColor=#00A4A6;fillColor=#E6F6F7;fontColor=#147EBA;dashed=0;",
    "auto_scaling": "grIcon=mxgraph.aws4.group_auto_scaling_group;strokeColor=#D86613;fillColor=none;fontColor=#D86613;dashed=1;",
    "corporate_dc": "grIcon=mxgraph.aws4.group_corporate_data_center;strokeColor=#7D8998;fillColor=none;fontColor=#5A6C86;dashed=0;",
}
_GROUP_BASE = (
    "points=[[0,0],[0.25,0],[0.5,0],[0.75,0],[1,0],[1,0.25],[1,0.5],[1,0.75],[1,1],[0.75,1],"
    "[0.5,1],[0.25,1],[0,1],[0,0.75],[0,0.5],[0,0.25]];outlineConnect=0;gradientColor=none;"
    "html=1;whiteSpace=wrap;fontSize=12;fontStyle=0;container=1;pointerEvents=0;collapsible=0;"
    "recursiveResize=0;shape=mxgraph.aws4.group;verticalAlign=top;align=left;spacingLeft=30;"
)
_ICON_BASE = (
    "sketch=0;outlineConnect=0;fontColor=#232F3E;gradientColor=none;fillColor=#ED7100;"
    "strokeColor=#ffffff;dashed=0;verticalLabelPosition=bottom;verticalAlign=top;align=center;"
    "html=1;fontSize=12;fontStyle=0;aspect=fixed;shape=mxgraph.aws4.resourceIcon;"
)
_NOTE_STYLE = "text;html=1;whiteSpace=wrap;align=left;verticalAlign=top;strokeColor=#999999;fillColor=#FFFFCC;"
_EDGE_STYLE = "edgeStyle=orthogonalEdgeStyle;html=1;endArrow=open;endSize=4;strokeColor=#545B64;"


@dataclass
class Diagram:
    """A draw.io page built shape by shape; ids are the caller's, parents by id."""

    name: str
    cells: list[dict[str, str]] = field(default_factory=list)
    _geometry: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)

    def group(self, cell_id: str, label: str, kind: str, parent: str, x: int, y: int, w: int, h: int) -> str:
        style = _GROUP_BASE + _GROUP_STYLES[kind]
        self._vertex(cell_id, label, style, parent, (x, y, w, h))
        return cell_id

    def icon(self, cell_id: str, label: str, res_icon: str, parent: str, x: int, y: int) -> str:
        style = _ICON_BASE + f"resIcon=mxgraph.aws4.{res_icon};"
        self._vertex(cell_id, label, style, parent, (x, y, 48, 48))
        return cell_id

    def note(self, cell_id: str, text: str, parent: str, x: int, y: int, w: int = 260, h: int = 90) -> str:
        self._vertex(cell_id, text, _NOTE_STYLE, parent, (x, y, w, h))
        return cell_id

    def edge(self, cell_id: str, source: str, target: str, label: str = "") -> str:
        self.cells.append({"id": cell_id, "value": label, "style": _EDGE_STYLE, "edge": "1",
                           "parent": "1", "source": source, "target": target})
        return cell_id

    def _vertex(self, cell_id: str, label: str, style: str, parent: str, geometry: tuple[int, int, int, int]) -> None:
        self.cells.append({"id": cell_id, "value": label, "style": style, "vertex": "1", "parent": parent})
        self._geometry[cell_id] = geometry

    def graph_model(self) -> ET.Element:
        model = ET.Element("mxGraphModel", dx="1400", dy="900", grid="1", gridSize="10", page="1",
                           pageWidth="1654", pageHeight="1169")
        root = ET.SubElement(model, "root")
        ET.SubElement(root, "mxCell", id="0")
        ET.SubElement(root, "mxCell", id="1", parent="0")
        for attrs in self.cells:
            cell = ET.SubElement(root, "mxCell", attrs)
            if attrs["id"] in self._geometry:
                x, y, w, h = self._geometry[attrs["id"]]
                ET.SubElement(cell, "mxGeometry", x=str(x), y=str(y), width=str(w), height=str(h),
                              attrib={"as": "geometry"})
            else:
                ET.SubElement(cell, "mxGeometry", relative="1", attrib={"as": "geometry"})
        return model


def _compress(model_xml: str) -> str:
    # draw.io's compressed form: encodeURIComponent -> raw deflate -> base64.
    quoted = urllib.parse.quote(model_xml, safe="~()*!.'")
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(deflater.compress(quoted.encode("ascii")) + deflater.flush()).decode("ascii")


def write_drawio(path: Path, pages: list[Diagram], compressed: bool = False) -> None:
    mxfile = ET.Element("mxfile", host="app.diagrams.net", agent="sdp-grader eval tools", version="24.7.17")
    for number, page in enumerate(pages, start=1):
        diagram = ET.SubElement(mxfile, "diagram", id=f"page-{number}", name=page.name)
        model = page.graph_model()
        if compressed:
            diagram.text = _compress(ET.tostring(model, encoding="unicode"))
        else:
            diagram.append(model)
    ET.indent(mxfile)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ET.tostring(mxfile, encoding="unicode") + "\n", encoding="utf-8")

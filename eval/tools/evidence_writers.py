"""Writers for the binary evidence files that eval cases attach (.pdf .docx .xlsx .drawio).

The make_<control>_files.py scripts describe each document as plain data (a title and
sections of paragraphs, rows of a sheet, shapes of a diagram) and call these writers, so
the eval set's attachments can be rebuilt from source instead of living only as binaries.
Every date a writer stores is pinned, so a re-run rewrites byte-identical files.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import urllib.parse
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from docx import Document as DocxDocument
from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Font

# The date every writer stores as the file's creation and modification time.
FIXED_DATE = dt.datetime(2024, 3, 1, 9, 0, 0, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Table:
    """A grid inside a .docx section; the first row is the header."""

    rows: list[list[str]]


# A section is a heading and its body; a body line starting with "- " is a bullet,
# and (in a .docx) a body item may be a Table.
Section = tuple[str, list[str | Table]]
# A workbook: sheet title -> rows; the first row of each sheet is its header.
Sheets = dict[str, list[list[object]]]


def _ascii(text: str, where: str) -> str:
    # fpdf2 core fonts are Latin-1 only; the brief asks for plain ASCII in PDFs.
    if not text.isascii():
        raise ValueError(f"{where}: non-ASCII text in {text!r}")
    return text


def _freeze_zip(path: Path) -> None:
    """Pin zip member times and the 'modified' property, which the libraries set to now."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    stamp = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            member = zipfile.ZipInfo(name, date_time=FIXED_DATE.timetuple()[:6])
            target.writestr(member, data, compress_type=zipfile.ZIP_DEFLATED)


def write_pdf(path: Path, title: str, sections: list[Section]) -> None:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    # fpdf2 leaves the cursor right of a cell by default; every block starts on a new line.
    pdf.multi_cell(0, 8, _ascii(title, str(path)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for heading, body in sections:
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, _ascii(heading, str(path)), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for line in body:
            if isinstance(line, Table):
                raise ValueError(f"{path}: tables are only supported in .docx files")
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
    doc.core_properties.created = FIXED_DATE.replace(tzinfo=None)
    doc.core_properties.modified = FIXED_DATE.replace(tzinfo=None)
    doc.core_properties.title = title
    doc.add_heading(title, level=0)
    for heading, body in sections:
        doc.add_heading(heading, level=1)
        for line in body:
            if isinstance(line, Table):
                grid = doc.add_table(rows=0, cols=len(line.rows[0]))
                grid.style = "Table Grid"
                for row in line.rows:
                    for cell, value in zip(grid.add_row().cells, row):
                        cell.text = value
            elif line.startswith("- "):
                doc.add_paragraph(line[2:], style="List Bullet")
            else:
                doc.add_paragraph(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    _freeze_zip(path)


def write_xlsx(path: Path, sheets: Sheets, styled: bool = False) -> None:
    """One worksheet per entry; the first row of each is its header.

    `styled` sets the header in bold and widens each column to its longest value.
    """
    workbook = Workbook()
    workbook.properties.created = FIXED_DATE.replace(tzinfo=None)
    workbook.properties.modified = FIXED_DATE.replace(tzinfo=None)
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(title=name)
        for row in rows:
            sheet.append(row)
        if styled:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for column in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 90)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(str(path))
    _freeze_zip(path)


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
_GROUP_POINTS = (
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

# draw.io desktop's own AWS 4 styles, which the NETSEC-001 and REL-001 diagrams were drawn
# with: groups on a base that ends in dashed=0, icons filled with their category colour,
# block arrows. Callers place them with Diagram.vertex and Diagram.edge(style=DESKTOP_EDGE).
_DESKTOP_GROUP = _GROUP_POINTS + "dashed=0;"
DESKTOP_GROUPS = {
    "aws_cloud": _DESKTOP_GROUP + "grIcon=mxgraph.aws4.group_aws_cloud;strokeColor=#232F3E;fillColor=none;fontColor=#232F3E;",
    "account": _DESKTOP_GROUP + "grIcon=mxgraph.aws4.group_account;strokeColor=#CD2264;fillColor=none;fontColor=#CD2264;",
    "region": _DESKTOP_GROUP + "grIcon=mxgraph.aws4.group_region;strokeColor=#00A4A6;fillColor=none;fontColor=#147EBA;dashed=1;",
    "vpc": _DESKTOP_GROUP + "grIcon=mxgraph.aws4.group_vpc;strokeColor=#248814;fillColor=none;fontColor=#AAB7B8;",
    "az": (
        "fillColor=none;strokeColor=#147EBA;dashed=1;verticalAlign=top;fontStyle=0;"
        "fontColor=#147EBA;whiteSpace=wrap;html=1;container=1;"
        "shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_availability_zone;"
    ),
    "public_subnet": _DESKTOP_GROUP + "grIcon=mxgraph.aws4.group_security_group;grStroke=0;strokeColor=#248814;fillColor=#E9F3E6;fontColor=#248814;",
    "private_subnet": _DESKTOP_GROUP + "grIcon=mxgraph.aws4.group_security_group;grStroke=0;strokeColor=#147EBA;fillColor=#E6F2F8;fontColor=#147EBA;",
}
_DESKTOP_ICON = (
    "sketch=0;outlineConnect=0;fontColor=#232F3E;gradientColor=none;strokeColor=#ffffff;"
    "dashed=0;verticalLabelPosition=bottom;verticalAlign=top;align=center;html=1;"
    "fontSize=12;fontStyle=0;aspect=fixed;shape=mxgraph.aws4.resourceIcon;"
)
DESKTOP_EDGE = "edgeStyle=orthogonalEdgeStyle;html=1;endArrow=block;strokeColor=#545B64;"


def desktop_icon(res_icon: str, fill: str) -> str:
    """The style of a draw.io desktop AWS 4 resource icon filled with `fill`."""
    return f"{_DESKTOP_ICON}fillColor={fill};resIcon=mxgraph.aws4.{res_icon};"


@dataclass(frozen=True)
class DrawioLayout:
    """How a .drawio file is written out. The eval set holds two layouts; each script keeps
    its own, so a re-run rewrites byte-identical files."""

    mxfile: dict[str, str]
    graph: dict[str, str]  # mxGraphModel attributes; a Diagram's canvas overrides them
    indent: bool
    geometry_as_last: bool


# This module's own layout: indented XML.
EVAL_TOOLS_LAYOUT = DrawioLayout(
    mxfile={"host": "app.diagrams.net", "agent": "sdp-grader eval tools", "version": "24.7.17"},
    graph={"dx": "1400", "dy": "900", "grid": "1", "gridSize": "10", "page": "1",
           "pageWidth": "1654", "pageHeight": "1169"},
    indent=True, geometry_as_last=False,
)
# The one-line layout draw.io desktop saves (NETSEC-001, REL-001).
DESKTOP_LAYOUT = DrawioLayout(
    mxfile={"host": "app.diagrams.net", "modified": FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "agent": "eval-fixture",
            "version": "24.0.4", "type": "device"},
    graph={"dx": "1400", "dy": "900", "grid": "1", "gridSize": "10", "guides": "1", "tooltips": "1",
           "connect": "1", "arrows": "1", "fold": "1", "page": "1", "pageScale": "1", "pageWidth": "1600",
           "pageHeight": "1100", "math": "0", "shadow": "0"},
    indent=False, geometry_as_last=True,
)


# A vertex as data: (id, label, style, parent, x, y, width, height); an edge: (id, label, source, target).
Vertex = tuple[str, str, str, str, int, int, int, int]
Edge = tuple[str, str, str, str]


@dataclass
class Diagram:
    """A draw.io page built shape by shape; ids are the caller's, parents by id.

    `page_id` defaults to page-<n>; `canvas` overrides mxGraphModel attributes of the layout
    (dx, dy, pageWidth, pageHeight).
    """

    name: str
    page_id: str = ""
    canvas: dict[str, int] = field(default_factory=dict)
    cells: list[dict[str, str]] = field(default_factory=list)
    _geometry: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)

    @classmethod
    def from_cells(cls, name: str, vertices: list[Vertex], edges: list[Edge], edge_style: str = _EDGE_STYLE,
                   page_id: str = "", canvas: dict[str, int] | None = None) -> Diagram:
        """A page drawn from tables of vertices and edges, in that order."""
        diagram = cls(name, page_id, canvas or {})
        for vertex in vertices:
            diagram.vertex(*vertex)
        for cell_id, label, source, target in edges:
            diagram.edge(cell_id, source, target, label, style=edge_style)
        return diagram

    def group(self, cell_id: str, label: str, kind: str, parent: str, x: int, y: int, w: int, h: int) -> str:
        return self.vertex(cell_id, label, _GROUP_POINTS + _GROUP_STYLES[kind], parent, x, y, w, h)

    def icon(self, cell_id: str, label: str, res_icon: str, parent: str, x: int, y: int) -> str:
        return self.vertex(cell_id, label, _ICON_BASE + f"resIcon=mxgraph.aws4.{res_icon};", parent, x, y, 48, 48)

    def icon_line(self, parent: str, x: int, y: int, step: tuple[int, int], icons: list[tuple[str, str, str]]) -> None:
        """Icons (id, label, resource icon) placed from (x, y) one `step` (dx, dy) apart."""
        for n, (cell_id, label, res_icon) in enumerate(icons):
            self.icon(cell_id, label, res_icon, parent, x + n * step[0], y + n * step[1])

    def note(self, cell_id: str, text: str, parent: str, x: int, y: int, w: int = 260, h: int = 90) -> str:
        return self.vertex(cell_id, text, _NOTE_STYLE, parent, x, y, w, h)

    def edge(self, cell_id: str, source: str, target: str, label: str = "", style: str = _EDGE_STYLE) -> str:
        self.cells.append({"id": cell_id, "value": label, "style": style, "edge": "1",
                           "parent": "1", "source": source, "target": target})
        return cell_id

    def vertex(self, cell_id: str, label: str, style: str, parent: str, x: int, y: int, w: int, h: int) -> str:
        self.cells.append({"id": cell_id, "value": label, "style": style, "vertex": "1", "parent": parent})
        self._geometry[cell_id] = (x, y, w, h)
        return cell_id

    def graph_model(self, layout: DrawioLayout = EVAL_TOOLS_LAYOUT) -> ET.Element:
        canvas = {**layout.graph, **{key: str(value) for key, value in self.canvas.items()}}
        model = ET.Element("mxGraphModel", canvas)
        root = ET.SubElement(model, "root")
        ET.SubElement(root, "mxCell", id="0")
        ET.SubElement(root, "mxCell", id="1", parent="0")
        for attrs in self.cells:
            cell = ET.SubElement(root, "mxCell", attrs)
            if attrs["id"] in self._geometry:
                x, y, w, h = self._geometry[attrs["id"]]
                box = {"x": str(x), "y": str(y), "width": str(w), "height": str(h)}
            else:
                box = {"relative": "1"}
            where = {**box, "as": "geometry"} if layout.geometry_as_last else {"as": "geometry", **box}
            ET.SubElement(cell, "mxGeometry", where)
        return model


def _compress(model_xml: str) -> str:
    # draw.io's compressed form: encodeURIComponent -> raw deflate -> base64.
    quoted = urllib.parse.quote(model_xml, safe="~()*!.'")
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(deflater.compress(quoted.encode("ascii")) + deflater.flush()).decode("ascii")


def write_drawio(path: Path, pages: list[Diagram], compressed: bool = False,
                 layout: DrawioLayout = EVAL_TOOLS_LAYOUT) -> None:
    mxfile = ET.Element("mxfile", layout.mxfile)
    for number, page in enumerate(pages, start=1):
        diagram = ET.SubElement(mxfile, "diagram", id=page.page_id or f"page-{number}", name=page.name)
        model = page.graph_model(layout)
        if compressed:
            diagram.text = _compress(ET.tostring(model, encoding="unicode"))
        else:
            diagram.append(model)
    if layout.indent:
        ET.indent(mxfile)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ET.tostring(mxfile, encoding="unicode") + "\n", encoding="utf-8")

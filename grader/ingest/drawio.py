"""draw.io diagrams (.drawio / .xml), plain or compressed (deflate + base64).

Document.data = {"cells": [{"id", "label", "style", "service", "group", "parent"}], "diagrams": n}
for the deterministic checks; Document.text lists every labelled shape with its container
path ("Availability Zone 1 > Public subnet: NAT gateway [nat_gateway]") and every
connection, so a judge can quote the diagram.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import urllib.parse
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from grader.ingest.base import ReadError, TextBuilder, decode_utf8, load_data
from grader.ingest.text import read_plain
from grader.models import Document
from grader.text import normalise

_ICON = re.compile(r"(?:^|;)(resIcon|prIcon|grIcon|shape)=mxgraph\.aws[34]\.([\w]+)")
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>|</(?:div|p|li|h\d)>", re.IGNORECASE)
_VERSION_SUFFIX = re.compile(r"_[2-9]$")  # cloudwatch_2: a newer icon of the same service
_MAX_INFLATED = 50 * 1024 * 1024  # a compressed page larger than this is refused (deflate bomb)


@dataclass(frozen=True)
class _Library:
    """data/drawio.yaml, compiled."""

    not_services: frozenset[str]
    group_icons: dict[str, str]
    subnet_colors: dict[str, set[str]]
    label_groups: list[tuple[str, re.Pattern[str]]]
    aliases: dict[str, str]


@cache
def _library() -> _Library:
    data = load_data("drawio.yaml")
    return _Library(
        not_services=frozenset(data["not_services"]),
        group_icons=data["group_icons"],
        subnet_colors={kind: {c.upper() for c in cs} for kind, cs in data["subnet_colors"].items()},
        label_groups=[(kind, re.compile(rx, re.IGNORECASE)) for kind, rx in data["label_groups"]],
        aliases=data.get("service_aliases") or {},
    )


def strip_html(value: str) -> str:
    """A label as a person reads it: tags dropped, entities decoded, whitespace collapsed."""
    # Line breaks and block ends separate words; inline tags (<b>, <span>) do not.
    return normalise(html.unescape(_TAG.sub("", _BREAK.sub(" ", value))))


def _style(style: str) -> dict[str, str]:
    pairs = (part.split("=", 1) for part in style.split(";") if "=" in part)
    return {k.strip(): v.strip() for k, v in pairs}


def service_of(style: str) -> str | None:
    """"ec2" from resIcon=mxgraph.aws4.ec2, "application_load_balancer" from shape=..."""
    library = _library()
    found = {kind: name for kind, name in _ICON.findall(style)}
    for key in ("resIcon", "prIcon", "shape"):
        name = found.get(key)
        if name and name not in library.not_services and not name.startswith("group"):
            name = _VERSION_SUFFIX.sub("", name)
            return library.aliases.get(name, name)
    return None


def _by_label(label: str) -> str | None:
    for kind, pattern in _library().label_groups:
        if pattern.search(label):
            return kind
    return None


def group_of(style: str, label: str, has_children: bool) -> str | None:
    """The network container a cell is, or None when it is not a container."""
    library = _library()
    found = {kind: name for kind, name in _ICON.findall(style)}
    icon = found.get("grIcon") or (found.get("shape") if found.get("shape", "").startswith("group_") else None)
    if icon:
        kind = library.group_icons.get(icon, "generic")
        if kind != "subnet":
            return kind
        by_label = _by_label(label)
        if by_label in ("public_subnet", "private_subnet", "security_group"):
            return by_label
        attrs = _style(style)
        painted = {attrs.get("strokeColor", "").upper(), attrs.get("fillColor", "").upper()}
        for subnet, palette in library.subnet_colors.items():
            if painted & palette:
                return subnet
        return "generic"
    framed = found.get("shape") in ("group", "groupCenter")
    if framed or has_children or _style(style).get("container") == "1" or "swimlane" in style:
        return _by_label(label) or "generic"
    return None


def _inflate(payload: str, name: str) -> str:
    """draw.io's compressed page: base64 -> raw deflate -> URI-encoded XML."""
    try:
        raw = base64.b64decode(payload, validate=False)
        inflater = zlib.decompressobj(-15)
        xml = inflater.decompress(raw, _MAX_INFLATED)
        if inflater.unconsumed_tail:
            raise ReadError(f"compressed diagram page {name!r} inflates beyond {_MAX_INFLATED // 2**20} MB; refused")
        return urllib.parse.unquote(xml.decode("utf-8"))
    except (binascii.Error, zlib.error, UnicodeDecodeError) as exc:
        raise ReadError(f"compressed diagram page {name!r} cannot be decoded ({exc})") from None


def _parse(xml: str, what: str) -> Element:
    try:
        return fromstring(xml)
    except DefusedXmlException as exc:
        raise ReadError(f"{what} uses forbidden XML constructs ({type(exc).__name__})") from None
    except ParseError as exc:
        raise ReadError(f"{what} is not well-formed XML ({exc})") from None


def _pages(root: Element) -> list[tuple[str, Element]]:
    """(page name, mxGraphModel) for each page of an mxfile or a bare mxGraphModel."""
    if root.tag == "mxGraphModel":
        return [("page 1", root)]
    pages = []
    for number, diagram in enumerate(root.iter("diagram"), start=1):
        name = diagram.get("name") or f"page {number}"
        model = diagram.find("mxGraphModel")
        if model is None and (diagram.text or "").strip():
            model = _parse(_inflate(diagram.text.strip(), name), f"diagram page {name!r}")
        if model is not None:
            pages.append((name, model))
    return pages


def _raw_cells(model: Element) -> list[dict[str, str]]:
    """mxCell attributes, unwrapping <object>/<UserObject> (which carry the label)."""
    cells = []
    holder = model.find("root")
    for element in (holder if holder is not None else []):
        if element.tag == "mxCell":
            attrs = dict(element.attrib)
        elif element.tag in ("object", "UserObject"):
            inner = element.find("mxCell")
            attrs = dict(inner.attrib) if inner is not None else {}
            attrs["id"] = element.get("id", "")
            attrs["value"] = element.get("label", element.get("value", ""))
        else:
            continue
        attrs.setdefault("id", "")
        cells.append(attrs)
    return cells


def _page(name: str, model: Element, built: TextBuilder, cells_out: list[dict]) -> None:
    raw = _raw_cells(model)
    # Layers are the root cell "0" and its children; shapes hang off a layer or a container.
    layers = {c["id"] for c in raw if c.get("parent") in (None, "", "0") or c["id"] == "0"}
    vertices = [c for c in raw if c["id"] not in layers and c.get("edge") != "1"]
    vertex_ids = {c["id"] for c in vertices}
    parents = {c.get("parent") for c in vertices}
    shapes: dict[str, dict] = {}
    for c in vertices:
        label, style = strip_html(c.get("value", "")), c.get("style", "")
        parent = c.get("parent")
        shapes[c["id"]] = {
            "id": c["id"], "label": label, "style": style, "service": service_of(style),
            "group": group_of(style, label, c["id"] in parents),
            "parent": parent if parent in vertex_ids else None,
        }
    cells_out.extend(shapes.values())

    def path(cell: dict) -> list[str]:
        names, seen = [], set()
        parent = cell["parent"]
        while parent in shapes and parent not in seen:
            seen.add(parent)
            if shapes[parent]["label"]:
                names.append(shapes[parent]["label"])
            parent = shapes[parent]["parent"]
        return names[::-1]

    lines = [f"Diagram: {name}"]
    for cell in shapes.values():
        tag = cell["service"] or cell["group"]
        if not (cell["label"] or tag):
            continue
        where = " > ".join(path(cell))
        shown = " ".join(part for part in (cell["label"], f"[{tag}]" if tag else "") if part)
        lines.append(f"{where}: {shown}" if where else shown)
    for c in raw:
        if c.get("edge") != "1":
            continue
        ends = [shapes.get(c.get(k, "")) for k in ("source", "target")]
        names = [(e["label"] or e["service"] or e["id"]) if e else "?" for e in ends]
        label = strip_html(c.get("value", ""))
        if ends[0] or ends[1] or label:
            lines.append(f"Connection: {names[0]} -> {names[1]}" + (f": {label}" if label else ""))
    built.add("\n".join(lines), section=name)


def read_drawio(path: Path, rel: str) -> Document:
    text = decode_utf8(path.read_bytes())
    root = _parse(text, "diagram file")
    if root.tag not in ("mxfile", "mxGraphModel"):
        if path.suffix.lower() == ".xml":  # some other XML export: still evidence, as text
            doc = read_plain(path, rel)
            return doc.model_copy(update={"warnings": [
                f"not a draw.io diagram (root element <{root.tag}>); read as plain text", *doc.warnings]})
        raise ReadError(f"not a draw.io diagram (root element <{root.tag}>, expected <mxfile>)")
    pages = _pages(root)
    built = TextBuilder()
    cells: list[dict] = []
    for name, model in pages:
        _page(name, model, built, cells)
    warnings = [] if cells else ["diagram has no shapes"]
    return Document(path=rel, kind="drawio", text=built.text, segments=built.segments,
                    pages=len(pages), warnings=warnings, data={"cells": cells, "diagrams": len(pages)})

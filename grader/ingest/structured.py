"""JSON and YAML evidence: IAM policies, CloudFormation templates, exports.

Document.text is the file's own text, so a quote locates in the file itself; segments
follow its structure (top-level keys, CloudFormation resources, IAM statements) and
Document.data is the parsed object with CloudFormation short-form tags in long form
(`!Ref X` -> {"Ref": "X"}, `!Sub s` -> {"Fn::Sub": s}, `!GetAtt A.B` -> {"Fn::GetAtt": ["A", "B"]}).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from grader.ingest.base import EMPTY, ReadError, decode_utf8
from grader.models import Document, Segment

# Top-level keys whose children get a segment each: "Resources.WebSG", "Statement[0]".
_SPLIT_KEYS = frozenset({"Resources", "Outputs", "Parameters", "Statement"})
# An alias-heavy file ("billion laughs") expands far beyond its size; refuse past this.
_MAX_NODES = 1_000_000
# No template, policy or export nests this deep (CloudFormation's deepest are ~15 levels).
# A deeper file is read as plain text, and said so: its structure is not checked as data,
# and the checks that walk data never meet a nesting that exhausts the stack.
MAX_DEPTH = 40
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


class CfnLoader(yaml.SafeLoader):
    """SafeLoader that understands CloudFormation's short-form intrinsic function tags
    and keeps dates as text (`Version: 2012-10-17` is an IAM version string, not a date)."""


CfnLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _intrinsic(loader: CfnLoader, suffix: str, node: Node) -> dict:
    if isinstance(node, ScalarNode):
        value: object = loader.construct_scalar(node)
    elif isinstance(node, SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix in ("Ref", "Condition"):
        return {suffix: value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


CfnLoader.add_multi_constructor("!", _intrinsic)


def _expanded_size(node: Node, sizes: dict[int, int], open_: set[int]) -> int:
    """Node count with aliases expanded; raises on recursive aliases."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_:
        raise ReadError("YAML contains a recursive alias (an anchor that refers to itself)")
    open_.add(key)
    children: list[Node] = []
    if isinstance(node, SequenceNode):
        children = list(node.value)
    elif isinstance(node, MappingNode):
        children = [n for pair in node.value for n in pair]
    size = 1 + sum(_expanded_size(child, sizes, open_) for child in children)
    open_.discard(key)
    sizes[key] = size
    return size


def _compose(text: str) -> list[Node]:
    loader = CfnLoader(text)
    try:
        nodes = []
        while loader.check_node():
            nodes.append(loader.get_node())
        return nodes
    finally:
        loader.dispose()


def _construct(node: Node) -> object:
    loader = CfnLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _children(node: Node) -> list[tuple[str, Node, Node]]:
    """(name, node where the child starts, value node) for a mapping's keys / a list's items."""
    if isinstance(node, MappingNode):
        return [(str(k.value), k, v) for k, v in node.value]
    if isinstance(node, SequenceNode):
        return [(f"[{i}]", item, item) for i, item in enumerate(node.value)]
    return []


def _segments(node: Node, end: int, prefix: str = "", depth: int = 0) -> list[Segment]:
    """Segments for `node`'s children, each running to the next sibling's start."""
    children = _children(node)
    segments: list[Segment] = []
    for i, (name, start_node, value) in enumerate(children):
        start = start_node.start_mark.index
        stop = children[i + 1][1].start_mark.index if i + 1 < len(children) else end
        section = f"{prefix}{name}" if name.startswith("[") or not prefix else f"{prefix}.{name}"
        inner = _children(value) if depth == 0 and name in _SPLIT_KEYS else []
        if inner:
            first = inner[0][1].start_mark.index
            segments.append(Segment(start=start, end=first, section=section))
            segments.extend(_segments(value, stop, section, depth + 1))
        else:
            segments.append(Segment(start=start, end=stop, section=section))
    return segments


def _document_segments(nodes: list[Node], text: str) -> list[Segment]:
    if len(nodes) == 1 and _children(nodes[0]):
        segments = _segments(nodes[0], len(text))
        if text[: segments[0].start].strip():  # leading comments
            segments.insert(0, Segment(start=0, end=segments[0].start))
        return segments
    segments = []
    for i, node in enumerate(nodes):
        stop = nodes[i + 1].start_mark.index if i + 1 < len(nodes) else len(text)
        section = f"document {i + 1}" if len(nodes) > 1 else None
        segments.append(Segment(start=0 if i == 0 else node.start_mark.index, end=stop, section=section))
    return segments


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
    return f"{problem}{where}"


def _json_depth(text: str) -> int:
    """How deep brackets nest in JSON text (brackets inside strings do not count)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _node_depth(nodes: list[Node]) -> int:
    """How deep mappings and lists nest in composed YAML (aliases not followed)."""
    deepest = 0
    stack = [(node, 1) for node in nodes if isinstance(node, (MappingNode, SequenceNode))]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        children = node.value if isinstance(node, SequenceNode) else [n for pair in node.value for n in pair]
        stack += [(c, depth + 1) for c in children if isinstance(c, (MappingNode, SequenceNode))]
    return deepest


def _too_deep(rel: str, kind: str, text: str, depth: int) -> Document:
    """A file nested past MAX_DEPTH: its text is evidence, its structure is not read."""
    problem = (f"{kind.upper()} nested {depth} levels deep, more than the {MAX_DEPTH} the grader reads as "
               "data: read as plain text only; its structure was not checked (IAM, CloudFormation and "
               "export checks skipped)")
    return Document(path=rel, kind=kind, text=text, segments=[Segment(start=0, end=len(text))],  # type: ignore[arg-type]
                    problems=[problem])


def read_yaml(path: Path, rel: str) -> Document:
    text = decode_utf8(path.read_bytes())
    try:
        nodes = _compose(text)
    except yaml.YAMLError as exc:
        raise ReadError(f"invalid YAML: {_yaml_problem(exc)}") from None
    depth = _node_depth(nodes)
    if depth > MAX_DEPTH:
        return _too_deep(rel, "yaml", text, depth)
    sizes: dict[int, int] = {}
    if sum(_expanded_size(n, sizes, set()) for n in nodes) > _MAX_NODES:
        raise ReadError(f"YAML expands to more than {_MAX_NODES:,} values through aliases; refused")
    try:
        documents = [_construct(n) for n in nodes]
    except yaml.YAMLError as exc:
        raise ReadError(f"invalid YAML: {_yaml_problem(exc)}") from None
    return _document(rel, "yaml", text, documents, nodes)


def read_json(path: Path, rel: str) -> Document:
    text = decode_utf8(path.read_bytes())
    depth = _json_depth(text)
    if depth > MAX_DEPTH:
        return _too_deep(rel, "json", text, depth)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    try:
        # JSON is YAML's flow style: compose it for character positions only. A tab is
        # whitespace in JSON but not in YAML; swapping it for a space keeps every offset.
        nodes = _compose(text.replace("\t", " "))
    except yaml.YAMLError:
        nodes = []
    return _document(rel, "json", text, [data], nodes)


def _document(rel: str, kind: str, text: str, documents: list[object], nodes: list[Node]) -> Document:
    warnings: list[str] = []
    data: object = documents[0] if len(documents) == 1 else documents
    if data is not None and not isinstance(data, (dict, list)):
        warnings.append("the file holds a single value, not a mapping or a list")
        data = None
    segments = _document_segments(nodes, text) if nodes else (
        [Segment(start=0, end=len(text))] if text.strip() else []
    )
    return Document(path=rel, kind=kind, text=text, segments=segments, data=data,  # type: ignore[arg-type]
                    warnings=warnings, problems=[] if text.strip() else [EMPTY])

"""Builders for the checks tests: small Controls, and Documents shaped as the readers make them."""

from __future__ import annotations

import json

import hcl2
import yaml
from hcl2.utils import SerializationOptions

from grader.catalogue import Control
from grader.checks import run_checks
from grader.models import ControlEvidence, Document, Finding, Segment

# The options grader/ingest/terraform.py parses with.
READER_HCL = SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)


class _CfnLoader(yaml.SafeLoader):
    """CloudFormation short-form tags in long form, as the YAML reader gives them."""


def _intrinsic(loader: _CfnLoader, suffix: str, node: yaml.Node) -> dict:
    if isinstance(node, yaml.ScalarNode):
        value: object = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


# What the two recurring slugs need, as knowledge/controls/*.yaml says (controls.md: they mean
# the same in every control).
EVIDENCE_OF = {"sop": "document", "customer-example": "engagement"}


def make_control(control_id: str, *slugs: str, patterns: list[dict] | None = None) -> Control:
    criterion = lambda s: dict(slug=s, title=s, description=s, acceptable_evidence=["e"],  # noqa: E731
                               shortfalls=["s"], cues=[s], fix="f", evidence=EVIDENCE_OF.get(s, "statement"))
    return Control.model_validate(dict(
        id=control_id, title=control_id, requirement="r", criteria_for_passing=["c"], why_it_matters="w",
        criteria=[criterion(s) for s in slugs or ("sop",)], good_examples=[dict(text="g")],
        unacceptable_examples=[dict(text="u")], unacceptable_patterns=patterns or [],
    ))


def response(text: str) -> Document:
    return Document(path="response", kind="response", text=text)


def cfn_doc(text: str, path: str = "template.yaml") -> Document:
    return Document(path=path, kind="yaml", text=text, data=yaml.load(text, Loader=_CfnLoader))


def json_doc(data: object, path: str = "policy.json") -> Document:
    text = json.dumps(data, indent=2)
    return Document(path=path, kind="json", text=text, data=data)


def tf_doc(text: str, path: str = "main.tf", options: SerializationOptions | None = READER_HCL) -> Document:
    data = hcl2.loads(text, serialization_options=options) if options else hcl2.loads(text)
    return Document(path=path, kind="terraform", text=text, data=data)


def text_doc(text: str, path: str = "sop.pdf", kind: str = "pdf", page: int | None = None) -> Document:
    segments = [Segment(start=0, end=len(text), page=page)] if page else []
    return Document(path=path, kind=kind, text=text, segments=segments)


def check(control: Control, *documents: Document) -> list[Finding]:
    return run_checks(control, ControlEvidence(control=control.id, answered=True, documents=list(documents)))


def rules(findings: list[Finding], severity: str | None = None) -> list[str]:
    return [f.rule for f in findings if severity is None or f.severity == severity]


def only(findings: list[Finding], rule: str) -> Finding:
    matching = [f for f in findings if f.rule == rule]
    assert len(matching) == 1, f"expected one {rule}, got {[f.rule for f in findings]}"
    return matching[0]

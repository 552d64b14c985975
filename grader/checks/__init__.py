"""Deterministic checks: facts proved from the evidence itself, before any judge reads it.

    run_checks(control, evidence) -> list[Finding]

One module per concern:
  iam.py             IAM policies in JSON/YAML data, templates, Terraform, pasted into prose
  cloudformation.py  CloudFormation templates      -> infrastructure facts
  terraform.py       Terraform (python-hcl2)       -> infrastructure facts + IAM policies
  aws_exports.py     AWS CLI describe-* exports    -> infrastructure facts
  infrastructure.py  the rules over those facts (security groups, NACLs, CloudTrail, S3 ...)
  drawio.py          draw.io diagrams (DOC-001)
  phrases.py         the control's unacceptable patterns, contact emails, generic answers
  prose.py           facts stated in prose or tables (open ports, plain HTTP, public databases ...)
  injection.py       instructions addressed to the grader (the offline judge skips them)
  secrets.py         credentials found (and redacted) while reading the evidence
rules.yaml says which control and criterion each fact bears on and how hard it counts.

A warning or failure about another control than the one being graded is passed on as
`info` with no criterion: an open SSH port fails NETSEC-001, but in a DOC-001 answer the
same template only tells the judge (and the reviewer) what it contains. A neutral info
fact about another control is left out: it would only lengthen the judge's prompt.
`fail` findings override the judges, so every fail rule is written for precision.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.catalogue import Control
from grader.checks import aws_exports, cloudformation, drawio, iam, phrases, prose, secrets, terraform
from grader.checks import infrastructure as infra
from grader.checks.injection import find_injections
from grader.checks.rules import ChecksDataError
from grader.models import ControlEvidence, Document, Finding, Provenance

__all__ = ["run_checks", "addressed", "ChecksDataError"]

_SEVERITY_ORDER = {"fail": 0, "warn": 1, "info": 2}


def addressed(finding: Finding, control: Control) -> Finding | None:
    """The finding as it counts for `control`: unchanged if it bears on it, an info fact if
    it flags another control, None if it is a neutral fact about another control."""
    if finding.control == control.id:
        if finding.criterion is not None and finding.criterion not in control.slugs:
            return finding.model_copy(update={"criterion": None})
        return finding
    if finding.severity == "info":
        return None
    bears_on = finding.control + (f" {finding.criterion}" if finding.criterion else "")
    return finding.model_copy(update={
        "control": control.id,
        "criterion": None,
        "severity": "info",
        "message": f"{finding.message} [bears on {bears_on}; not graded in {control.id}]",
    })


def _guarded(control: Control, doc: Document, name: str, check: Callable[[], list]) -> list:
    """Run one check on one document; a file the check cannot handle becomes a warning."""
    try:
        return check()
    except ChecksDataError:
        raise  # our own knowledge files are broken: the user must see that, not a warning
    except Exception as exc:  # noqa: BLE001 - evidence is untrusted and varied; one odd file
        # must not sink the whole assessment, and must not pass silently either.
        return [Finding(
            control=control.id, severity="warn", rule="checks.unreadable",
            message=(f"{doc.path}: the {name} check could not process this file "
                     f"({type(exc).__name__}: {exc}); review it by hand."),
            source=Provenance(file=doc.path),
        )]


def _document_checks(doc: Document) -> list[tuple[str, Callable[[], list]]]:
    """(name, check) pairs for one document; a check returns Findings or infrastructure facts."""
    checks: list[tuple[str, Callable[[], list]]] = []
    if doc.data is not None:
        if doc.kind == "terraform":
            checks += [("Terraform", lambda: terraform.facts(doc)), ("IAM", lambda: terraform.findings(doc))]
        elif doc.kind == "drawio":
            if drawio.is_diagram(doc):
                checks.append(("draw.io", lambda: drawio.findings(doc)))
        else:
            checks += [
                ("IAM", lambda: iam.document_findings(doc)),
                ("CloudFormation", lambda: cloudformation.facts(doc)),
                ("AWS export", lambda: aws_exports.facts(doc)),
            ]
    if not doc.structured and "Statement" in doc.text:
        checks.append(("IAM", lambda: iam.prose_findings(doc)))
    if not doc.structured and ('{' in doc.text or "user,arn," in doc.text):
        checks.append(("AWS export", lambda: aws_exports.text_facts(doc)))
    return checks


def run_checks(control: Control, evidence: ControlEvidence) -> list[Finding]:
    """Every deterministic finding for one control's evidence, addressed to that control."""
    found: list[Finding] = secrets.findings(control, evidence.documents)
    facts: list[infra.Fact] = []
    for doc in evidence.documents:
        for name, check in _document_checks(doc):
            for item in _guarded(control, doc, name, check):
                (found if isinstance(item, Finding) else facts).append(item)
    found += infra.findings(facts)
    found += phrases.findings(control, evidence.documents)
    found += prose.findings(evidence.documents)
    found += drawio.answer_findings(evidence.documents)
    found += find_injections(evidence)

    unique: dict[tuple, Finding] = {}
    for f in (addressed(f, control) for f in found):
        if f is None:
            continue
        unique.setdefault((f.rule, f.criterion, f.message, f.source and f.source.label(),
                           f.source and f.source.start), f)
    return sorted(unique.values(), key=lambda f: _SEVERITY_ORDER[f.severity])

"""IAM policy checks (ACCT-002 least-privilege): wildcard actions, NotAction, public principals.

A policy is any mapping with a "Statement" of IAM statements, wherever it sits in parsed
JSON/YAML: a bare policy file, a CloudFormation AWS::IAM::Role/Policy/ManagedPolicy (inline
`Policies`, `PolicyDocument`, `AssumeRolePolicyDocument`), a bucket or key policy, a CLI
export. Terraform policies are converted to this shape by terraform.py.

Rules, for Allow statements only (a Deny with wildcards is good practice):
  iam.wildcard-action          Action "*" or "service:*"                     -> fail
  iam.not-action               NotAction                                      -> fail
  iam.public-principal         Principal "*" with no Condition                -> fail
  iam.public-principal-read    ... when every action only reads               -> warn
  iam.partial-wildcard-action  "s3:Get*", "ec2:*Instances"                    -> warn
  iam.wildcard-resource-write  Resource "*", no Condition, a write action     -> warn
  iam.not-resource             NotResource                                    -> warn
  iam.admin-managed-policy     AdministratorAccess / PowerUserAccess attached -> warn
So the guide's good example (rds:ModifyDBInstance on "*" with a tag Condition) is clean.

Exempt: the default KMS key policy statement ("kms:*" to the account's own root principal),
which only delegates the key to IAM; failing it would fail every template with a KMS key.

Why no policyuniverse / parliament: the fail rules need no action expansion ("*" and
"service:*" are plain strings). Only the read-vs-write warning needs action knowledge, and a
verb list (iam.yaml) decides that well enough; policyuniverse's action data was last updated
2023-11 and parliament pulls in boto3/botocore (~100 MB) for the same verb lookup.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from grader.checks.locate import Needle, locate, path_join, path_needles
from grader.checks.rules import finding, load_model
from grader.checks.values import as_list, text_of
from grader.models import Document, Finding

IAM_FILE = Path(__file__).with_name("iam.yaml")

_SERVICE_WILDCARD = re.compile(r"^(?:\*|[\w-]+:\*|\*:\*)$")
_ACCOUNT_ROOT = re.compile(r"(?::root$|^\d{12}$)")


class IamKnowledge(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    read_only_verbs: list[str]
    broad_managed_policies: list[str]


@lru_cache(maxsize=1)
def knowledge() -> IamKnowledge:
    return load_model(IAM_FILE, IamKnowledge)


@dataclass(frozen=True, slots=True)
class Statement:
    """One IAM statement with every element as a list of strings."""

    index: int
    sid: str | None
    effect: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    resources: tuple[str, ...]
    not_resources: tuple[str, ...]
    principals: tuple[str, ...]  # identifiers of every principal type; "*" for Principal "*"
    has_condition: bool

    @property
    def label(self) -> str:
        return f"statement {self.index}" + (f" ({self.sid})" if self.sid else "")


# --------------------------------------------------------------------------- finding policies


def looks_like_policy(value: object) -> bool:
    if not isinstance(value, dict) or "Statement" not in value:
        return False
    return any(isinstance(s, dict) and "Effect" in s for s in as_list(value["Statement"]))


def _embedded_policy(text: str) -> dict | None:
    """A policy written as a JSON string (CLI exports URL-encode it)."""
    candidate = text.strip()
    if candidate.startswith("%7B"):
        candidate = urllib.parse.unquote(candidate)
    if not (candidate.startswith("{") and "Statement" in candidate):
        return None
    try:
        parsed = json.loads(candidate)
    except ValueError:
        return None
    return parsed if looks_like_policy(parsed) else None


def find_policies(data: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], dict]]:
    """Every IAM policy inside parsed data, with its path (keys and list indexes)."""
    if looks_like_policy(data):
        yield path, data  # type: ignore[misc]
        return
    if isinstance(data, dict):
        for key, value in data.items():
            yield from find_policies(value, (*path, str(key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from find_policies(value, (*path, i))
    elif isinstance(data, str):
        embedded = _embedded_policy(data)
        if embedded is not None:
            yield path, embedded


def _strings(value: object) -> tuple[str, ...]:
    return tuple(text_of(v) for v in as_list(value))


def _principals(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, dict) and not any(k.startswith("Fn::") or k == "Ref" for k in value):
        return tuple(p for ids in value.values() for p in _strings(ids))
    return _strings(value)


def statements(policy: dict) -> list[Statement]:
    out = []
    for i, raw in enumerate(as_list(policy.get("Statement"))):
        if not isinstance(raw, dict):
            continue
        sid = raw.get("Sid")
        out.append(
            Statement(
                index=i,
                sid=str(sid) if sid not in (None, "") else None,
                effect=text_of(raw.get("Effect", "")),
                actions=_strings(raw.get("Action")),
                not_actions=_strings(raw.get("NotAction")),
                resources=_strings(raw.get("Resource")),
                not_resources=_strings(raw.get("NotResource")),
                principals=_principals(raw.get("Principal")),
                has_condition=bool(raw.get("Condition")),
            )
        )
    return out


# --------------------------------------------------------------------------- classifying


def is_service_wildcard(action: str) -> bool:
    return bool(_SERVICE_WILDCARD.match(action.strip()))


def is_read_only(action: str) -> bool:
    """Whether an action (possibly "s3:Get*") only reads, judged by its verb."""
    _, _, verb = action.strip().partition(":")
    verb = verb.lower()
    return bool(verb) and any(verb.startswith(v.lower()) for v in knowledge().read_only_verbs)


def _is_default_key_policy(st: Statement) -> bool:
    """The statement every KMS key policy starts with: kms:* for the account root."""
    return (
        bool(st.principals)
        and all(a.lower() == "kms:*" for a in st.actions)
        and all(_ACCOUNT_ROOT.search(p) for p in st.principals)
    )


# --------------------------------------------------------------------------- rules


def statement_findings(
    doc: Document, section: str, st: Statement, needles: Sequence[Needle] = (), origin: str = "iam"
) -> list[Finding]:
    """Findings for one statement; `needles` pin the policy in doc.text (see locate)."""
    if st.effect.lower() != "allow" or _is_default_key_policy(st):
        return []
    where = f"{section}.Statement[{st.index}]" if section else f"Statement[{st.index}]"
    anchor = [*needles, st.sid or ""]

    def at(value: str):
        return locate(doc, where, [*anchor, value])

    out: list[Finding] = []
    wild = [a for a in st.actions if is_service_wildcard(a)]
    if wild:
        out.append(finding(origin, "wildcard-action", (
            f"IAM policy {st.label} allows wildcard action {', '.join(wild)}: every action of "
            "the service, the opposite of least privilege."), at(wild[0])))
    partial = [a for a in st.actions if "*" in a or "?" in a]
    partial = [a for a in partial if a not in wild]
    if partial:
        out.append(finding(origin, "partial-wildcard-action", (
            f"IAM policy {st.label} uses action pattern(s) {', '.join(partial)}; "
            "list the actions the task needs."), at(partial[0])))
    if st.not_actions:
        out.append(finding(origin, "not-action", (
            f"IAM policy {st.label} allows NotAction {', '.join(st.not_actions)}: every other "
            "action of every service is granted."), at("NotAction")))
    if st.not_resources:
        out.append(finding(origin, "not-resource", (
            f"IAM policy {st.label} allows on NotResource {', '.join(st.not_resources)}: every "
            "other resource is in scope."), at("NotResource")))
    if "*" in st.principals and not st.has_condition:
        read_only = bool(st.actions) and not wild and all(is_read_only(a) for a in st.actions)
        kind = "public-principal-read" if read_only else "public-principal"
        out.append(finding(origin, kind, (
            f"Resource policy {st.label} allows Principal \"*\" (anyone) "
            f"{', '.join(st.actions) or 'every action but ' + ', '.join(st.not_actions)} "
            "with no Condition."), at("Principal")))
    writes = [a for a in st.actions if not is_read_only(a)]
    if "*" in st.resources and not st.has_condition and writes and not wild:
        out.append(finding(origin, "wildcard-resource-write", (
            f"IAM policy {st.label} allows write action(s) {', '.join(writes[:5])} on Resource "
            "\"*\" with no Condition; scope the resources or add a condition."), at(writes[0])))
    return out


def policy_findings(
    doc: Document, section: str, policy: dict, needles: Sequence[Needle] = (), origin: str = "iam"
) -> list[Finding]:
    return [f for st in statements(policy) for f in statement_findings(doc, section, st, needles, origin)]


def broad_managed_policy(value: str) -> str | None:
    """'AdministratorAccess' for arn:aws:iam::aws:policy/AdministratorAccess and the like."""
    if ":iam::aws:policy/" not in value:
        return None
    name = value.rsplit("/", 1)[-1]
    return name if name.lower() in {p.lower() for p in knowledge().broad_managed_policies} else None


def broad_policy_finding(doc: Document, section: str, needles: Sequence[Needle], arn: str) -> Finding | None:
    name = broad_managed_policy(arn)
    if name is None:
        return None
    return finding("iam", "admin-managed-policy", (
        f"The AWS managed policy {name} is attached ({section}): it grants (nearly) every "
        "action; justify it or use a scoped policy."), locate(doc, section, [*needles, arn]))


def managed_policy_findings(doc: Document, data: object) -> list[Finding]:
    """Broad AWS managed policies attached anywhere in parsed data (ManagedPolicyArns, PolicyArn)."""
    out = []
    for path, value in _strings_in(data):
        found = broad_policy_finding(doc, path_join(*path), path_needles(path), value)
        if found:
            out.append(found)
    return out


def _strings_in(data: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings_in(value, (*path, str(key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings_in(value, (*path, i))


_POLICY_START = re.compile(r'\{\s*"(?:Version|Statement|Id)"\s*:')


def text_policies(text: str) -> Iterator[tuple[int, int, dict]]:
    """JSON policies pasted into prose (the guide's own good example is one): (start, end, policy)."""
    decoder = json.JSONDecoder()
    pos = 0
    while (start := _POLICY_START.search(text, pos)) is not None:
        try:
            parsed, end = decoder.raw_decode(text, start.start())
        except ValueError:
            pos = start.end()
            continue
        if looks_like_policy(parsed):
            yield start.start(), end, parsed
        pos = end


def prose_findings(doc: Document) -> list[Finding]:
    """IAM findings for policies pasted into a document's text (answer, SOP, wiki page)."""
    out: list[Finding] = []
    for n, (start, end, policy) in enumerate(text_policies(doc.text)):
        section = doc.provenance(start, end).section
        label = f"pasted policy {n + 1}" + (f" in {section}" if section else "")
        out += policy_findings(doc, label, policy, [start])  # search from the policy's own offset
    return out


def document_findings(doc: Document) -> list[Finding]:
    """Every IAM finding in a JSON/YAML document's parsed data."""
    out: list[Finding] = []
    for path, policy in find_policies(doc.data):
        out.extend(policy_findings(doc, path_join(*path), policy, path_needles(path)))
    out.extend(managed_policy_findings(doc, doc.data))
    return out

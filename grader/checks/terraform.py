"""Terraform (python-hcl2 output) -> infrastructure facts and IAM policies.

The reader (grader/ingest/terraform.py) parses with strip_string_quotes=True and
explicit_blocks=False, giving {"resource": [{"aws_security_group": {"web": {...}}}],
"variable": [{"ssh_cidr": {"default": "0.0.0.0/0"}}], "data": [...], "module": [...]};
blocks are lists of dicts, interpolations stay strings ("${var.ssh_cidr}"). `plain` also
accepts hcl2's default output (quoted strings, "__is_block__" markers), so the checks do not
depend on the reader's options.

`${var.x}` resolves to the variable's default, marked as such (a default can be overridden
at apply time, so it warns instead of failing). IAM policies come from heredoc JSON,
`jsonencode({...})` (parsed with hcl2 itself) and `data "aws_iam_policy_document"` blocks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import hcl2
from hcl2.utils import SerializationOptions

from grader.checks import iam
from grader.checks import infrastructure as infra
from grader.checks.locate import Needle, locate
from grader.checks.rules import finding
from grader.checks.values import as_list, truthy
from grader.models import Document, Finding

ORIGIN = "tf"

_VAR = re.compile(r"^\$\{var\.([\w-]+)\}$")
_REF = re.compile(r"\$\{([\w-]+)\.([\w-]+)\.[\w-]+")  # ${aws_s3_bucket.logs.id} -> type, name
_HEREDOC = re.compile(r"^<<-?(\w+)\n(.*)\n\s*\1\s*$", re.DOTALL)
_JSONENCODE = re.compile(r"^\$\{jsonencode\((.*)\)\}$", re.DOTALL)
_HCL_OPTIONS = SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)


# --------------------------------------------------------------------------- plain data


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def plain(value: object) -> object:
    """hcl2 output with quotes and block markers removed, whatever options made it."""
    if isinstance(value, dict):
        return {_unquote(str(k)): plain(v) for k, v in value.items() if not str(k).startswith("__")}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return _unquote(value)
    return value


def blocks(data: dict, kind: str) -> Iterator[tuple[str, str, dict]]:
    """(type, name, body) of every `kind` block: resource "type" "name" { body }."""
    for entry in as_list(data.get(kind)):
        if not isinstance(entry, dict):
            continue
        for rtype, named in entry.items():
            if not isinstance(named, dict):
                continue
            for name, body in named.items():
                for one in as_list(body):  # some hcl2 versions wrap a body in a list
                    if isinstance(one, dict):
                        yield rtype, name, one


def named_blocks(data: dict, kind: str) -> Iterator[tuple[str, dict]]:
    """(name, body) of every one-label block: module "vpc" { body }, variable "x" { body }."""
    for entry in as_list(data.get(kind)):
        if isinstance(entry, dict):
            for name, body in entry.items():
                for one in as_list(body):
                    if isinstance(one, dict):
                        yield name, one


def _first(value: object) -> object:
    items = as_list(value)
    return items[0] if items else None


@dataclass
class _Module:
    doc: Document
    data: dict
    variables: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, body in named_blocks(self.data, "variable"):
            if "default" in body:
                self.variables[name] = body["default"]

    def resolve(self, value: object) -> tuple[object, bool]:
        """The default of `${var.x}`; (value, came_from_default)."""
        if isinstance(value, str):
            match = _VAR.match(value.strip())
            if match and match.group(1) in self.variables:
                return self.variables[match.group(1)], True
        return value, False

    def where(self, kind: str, rtype: str, name: str, *details: Needle):
        head = re.compile(rf'{kind}\s+"?{re.escape(rtype)}"?\s+"?{re.escape(name)}"?')
        return locate(self.doc, f"{kind}.{rtype}.{name}", [head, *details])


# --------------------------------------------------------------------------- security groups, NACLs


def _port_needle(value: object) -> Needle | None:
    p = infra.port(value)
    return re.compile(rf"from_port\s*=\s*\"?{p}\b") if p is not None else None


def _ingress(m: _Module, rtype: str, name: str, rule: dict, group: str, keys: tuple[str, ...],
             protocol_key: str = "protocol") -> list[infra.Ingress]:
    protocol = infra.protocol_name(m.resolve(rule.get(protocol_key))[0]) or "tcp"
    lo = infra.port(m.resolve(rule.get("from_port"))[0])
    hi = infra.port(m.resolve(rule.get("to_port"))[0])
    out = []
    for key in keys:
        values, list_default = m.resolve(rule.get(key))
        for value in as_list(values):
            cidr, via_default = m.resolve(value)
            if not isinstance(cidr, str) or "${" in cidr:
                continue
            detail = _port_needle(rule.get("from_port")) or (cidr,)
            out.append(infra.Ingress(
                origin=ORIGIN, source=m.where("resource", rtype, name, detail), group=group, cidr=cidr,
                protocol=protocol, from_port=lo, to_port=hi, via_default=via_default or list_default,
            ))
    return out


def _group_ref(value: object, fallback: str) -> str:
    match = _REF.search(value) if isinstance(value, str) else None
    return f"{match.group(1)}.{match.group(2)}" if match else fallback


def _nacl_entries(m: _Module, rtype: str, name: str, rule: dict, acl: str, egress: bool,
                  action_key: str) -> list[infra.NaclEntry]:
    lo, hi = infra.port(rule.get("from_port")), infra.port(rule.get("to_port"))
    all_traffic = infra.protocol_name(rule.get("protocol")) == "all" or (
        lo is not None and hi is not None and lo <= 0 and hi >= 65535)
    out = []
    for key in ("cidr_block", "ipv6_cidr_block"):
        cidr = m.resolve(rule.get(key))[0]
        if isinstance(cidr, str) and "${" not in cidr:
            out.append(infra.NaclEntry(
                origin=ORIGIN, source=m.where("resource", rtype, name, (cidr,)), acl=acl, cidr=cidr,
                egress=egress, allow=str(rule.get(action_key, "")).lower() == "allow",
                all_traffic=all_traffic))
    return out


# --------------------------------------------------------------------------- other resources


def _trail_management_events(body: dict) -> bool:
    selectors = [s for s in as_list(body.get("event_selector")) if isinstance(s, dict)]
    if selectors and all(truthy(s.get("include_management_events", True)) is False for s in selectors):
        return False
    advanced = [s for s in as_list(body.get("advanced_event_selector")) if isinstance(s, dict)]
    if advanced:
        fields = [f for s in advanced for f in as_list(s.get("field_selector")) if isinstance(f, dict)]
        return any(f.get("field") == "eventCategory" and "Management" in as_list(f.get("equals"))
                   for f in fields)
    return True


def _storage_encrypted(body: dict) -> bool | None:
    if any(k in body for k in ("replicate_source_db", "snapshot_identifier", "replication_source_identifier")):
        return None  # inherits the source's encryption
    if "kms_key_id" in body or body.get("engine_mode") == "serverless":
        return True
    return truthy(body.get("storage_encrypted", False))


def _bucket_names(body: dict, buckets: dict[str, dict]) -> set[str]:
    """The aws_s3_bucket resources a bucket-configuration resource points at."""
    target = body.get("bucket")
    if not isinstance(target, str):
        return set()
    match = _REF.search(target)
    if match and match.group(1) == "aws_s3_bucket":
        return {match.group(2)}
    return {n for n, b in buckets.items() if b.get("bucket") == target}  # by literal bucket name


def _configured(m: _Module, buckets: dict[str, dict], rtype: str, when=lambda body: True) -> set[str]:
    names: set[str] = set()
    for kind, _, body in blocks(m.data, "resource"):
        if kind == rtype and when(body):
            names |= _bucket_names(body, buckets)
    return names


def _versioning_enabled(body: dict) -> bool:
    config = _first(body.get("versioning_configuration"))
    return isinstance(config, dict) and truthy(config.get("status")) is True


def _blocks_all_public_access(body: dict) -> bool:
    flags = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    return all(truthy(body.get(f)) is True for f in flags)


def _buckets(m: _Module) -> list[infra.Bucket]:
    """aws_s3_bucket with its inline settings (provider < 4) or separate resources (>= 4)."""
    buckets = {name: body for rtype, name, body in blocks(m.data, "resource") if rtype == "aws_s3_bucket"}
    encrypted = _configured(m, buckets, "aws_s3_bucket_server_side_encryption_configuration")
    versioned = _configured(m, buckets, "aws_s3_bucket_versioning", _versioning_enabled)
    blocked = _configured(m, buckets, "aws_s3_bucket_public_access_block", _blocks_all_public_access)
    websites = _configured(m, buckets, "aws_s3_bucket_website_configuration")
    out = []
    for name, body in buckets.items():
        inline_versioning = _first(body.get("versioning"))
        out.append(infra.Bucket(
            origin=ORIGIN, source=m.where("resource", "aws_s3_bucket", name), name=f"aws_s3_bucket.{name}",
            encrypted=name in encrypted or "server_side_encryption_configuration" in body,
            versioned=name in versioned or (isinstance(inline_versioning, dict)
                                            and truthy(inline_versioning.get("enabled")) is True),
            public_access_blocked=name in blocked, website=name in websites or "website" in body,
        ))
    return out


def _subnets(m: _Module) -> list[infra.Subnet]:
    out = []
    for rtype, name, body in blocks(m.data, "resource"):
        if rtype == "aws_subnet":
            az = body.get("availability_zone", body.get("availability_zone_id"))
            az = m.resolve(az)[0]
            repeated = "count" in body or "for_each" in body
            out.append(infra.Subnet(origin=ORIGIN, source=m.where("resource", rtype, name),
                                    name=f"aws_subnet.{name}", az=str(az) if az is not None else None,
                                    per_az=repeated and isinstance(az, str) and "${" in az))
    for name, body in named_blocks(m.data, "module"):  # terraform-aws-modules/vpc: azs = [...]
        azs, _ = m.resolve(body.get("azs"))
        if "vpc" in str(body.get("source", "")) and isinstance(azs, list):
            where = locate(m.doc, f"module.{name}", [re.compile(rf'module\s+"?{re.escape(name)}"?'), "azs"])
            out += [infra.Subnet(origin=ORIGIN, source=where, name=f"module.{name}", az=str(az))
                    for az in azs]
    return out


def resource_facts(m: _Module) -> list[infra.Fact]:
    out: list[infra.Fact] = []
    for rtype, name, body in blocks(m.data, "resource"):
        address = f"{rtype}.{name}"
        if rtype == "aws_security_group":
            for rule in as_list(body.get("ingress")):
                if isinstance(rule, dict):
                    out += _ingress(m, rtype, name, rule, address, ("cidr_blocks", "ipv6_cidr_blocks"))
        elif rtype == "aws_security_group_rule" and body.get("type") == "ingress":
            group = _group_ref(body.get("security_group_id"), address)
            out += _ingress(m, rtype, name, body, group, ("cidr_blocks", "ipv6_cidr_blocks"))
        elif rtype == "aws_vpc_security_group_ingress_rule":
            group = _group_ref(body.get("security_group_id"), address)
            out += _ingress(m, rtype, name, body, group, ("cidr_ipv4", "cidr_ipv6"), "ip_protocol")
        elif rtype in ("aws_network_acl", "aws_default_network_acl"):
            out.append(infra.Nacl(origin=ORIGIN, source=m.where("resource", rtype, name), name=address))
            for direction, egress in (("ingress", False), ("egress", True)):
                for rule in as_list(body.get(direction)):
                    if isinstance(rule, dict):
                        out += _nacl_entries(m, rtype, name, rule, address, egress, "action")
        elif rtype == "aws_network_acl_rule":
            acl = _group_ref(body.get("network_acl_id"), address)
            out += _nacl_entries(m, rtype, name, body, acl, truthy(body.get("egress", False)) is True,
                                 "rule_action")
        elif rtype == "aws_cloudtrail":
            multi = truthy(m.resolve(body.get("is_multi_region_trail", False))[0])
            out.append(infra.Trail(origin=ORIGIN, source=m.where("resource", rtype, name, "is_multi_region_trail"),
                                   name=address, multi_region=multi,
                                   management_events=_trail_management_events(body)))
        elif rtype == "aws_db_instance":
            out.append(infra.Database(origin=ORIGIN, source=m.where("resource", rtype, name, "storage_encrypted"),
                                      name=address, what="RDS DB instance", encrypted=_storage_encrypted(body),
                                      multi_az=truthy(m.resolve(body.get("multi_az", False))[0])))
        elif rtype == "aws_rds_cluster":
            out.append(infra.Database(origin=ORIGIN, source=m.where("resource", rtype, name, "storage_encrypted"),
                                      name=address, what="RDS DB cluster", encrypted=_storage_encrypted(body)))
        elif rtype in ("aws_autoscaling_group", "aws_appautoscaling_target"):
            what = "EC2 Auto Scaling group" if rtype == "aws_autoscaling_group" else "Application Auto Scaling target"
            out.append(infra.Scaling(origin=ORIGIN, source=m.where("resource", rtype, name), name=address, what=what))
        elif rtype == "aws_kms_key":
            spec = body.get("customer_master_key_spec", body.get("key_spec", "SYMMETRIC_DEFAULT"))
            out.append(infra.KmsKey(origin=ORIGIN, source=m.where("resource", rtype, name), name=address,
                                    rotation=truthy(m.resolve(body.get("enable_key_rotation", False))[0]),
                                    symmetric=spec == "SYMMETRIC_DEFAULT"))
    return out + _buckets(m) + _subnets(m)


# --------------------------------------------------------------------------- IAM


class UnreadablePolicy(ValueError):
    """A string that is meant to be a policy (JSON or jsonencode) but does not parse."""


def policy_from_string(text: str) -> dict | None:
    """A policy from a heredoc or jsonencode() string; None if the string is not one."""
    text = text.strip()
    heredoc = _HEREDOC.match(text)
    if heredoc:
        text = heredoc.group(2).strip()
    encoded = _JSONENCODE.match(text)
    if encoded:
        try:
            parsed: object = plain(hcl2.loads(f"policy = {encoded.group(1)}\n",
                                              serialization_options=_HCL_OPTIONS)["policy"])
        except Exception as exc:  # noqa: BLE001 - any hcl2/lark failure means the same: not parseable
            raise UnreadablePolicy(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
    elif text.startswith("{") and "Statement" in text:
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise UnreadablePolicy(str(exc)) from exc
    else:
        return None
    return parsed if iam.looks_like_policy(parsed) else None


def policy_document(body: dict) -> dict:
    """data "aws_iam_policy_document" -> the IAM JSON policy it renders."""
    statements = []
    for st in as_list(body.get("statement")):
        if not isinstance(st, dict):
            continue
        principal: object = None
        principals = [p for p in as_list(st.get("principals")) if isinstance(p, dict)]
        if principals:
            if any(p.get("type") == "*" for p in principals):
                principal = "*"
            else:
                principal = {str(p.get("type")): as_list(p.get("identifiers")) for p in principals}
        statements.append({
            "Sid": st.get("sid"), "Effect": st.get("effect", "Allow"),
            "Action": as_list(st.get("actions")), "NotAction": as_list(st.get("not_actions")),
            "Resource": as_list(st.get("resources")), "NotResource": as_list(st.get("not_resources")),
            "Principal": principal, "Condition": as_list(st.get("condition")),
        })
    return {"Statement": statements}


def iam_findings(m: _Module) -> list[Finding]:
    out: list[Finding] = []
    for rtype, name, body in blocks(m.data, "data"):
        if rtype == "aws_iam_policy_document":
            out += iam.policy_findings(m.doc, f"data.{rtype}.{name}", policy_document(body),
                                       [re.compile(rf'data\s+"?{rtype}"?\s+"?{re.escape(name)}"?')])
    for rtype, name, body in blocks(m.data, "resource"):
        head = re.compile(rf'resource\s+"?{re.escape(rtype)}"?\s+"?{re.escape(name)}"?')
        for key, value in _attributes(body):
            section = f"resource.{rtype}.{name}.{key}"
            for arn in as_list(value) if key in ("policy_arn", "managed_policy_arns") else []:
                broad = iam.broad_policy_finding(m.doc, section, [head], str(arn))
                if broad:
                    out.append(broad)
            if not isinstance(value, str):
                continue
            try:
                policy = policy_from_string(value)
            except UnreadablePolicy as exc:
                out.append(finding("iam", "unparsed-policy", (
                    f"The policy in {rtype}.{name} ({key}) could not be parsed ({exc}); review it by hand."),
                    locate(m.doc, section, [head, key])))
                continue
            if policy is not None:
                out += iam.policy_findings(m.doc, section, policy, [head, key])
    return out


def _attributes(body: dict, prefix: str = "") -> Iterator[tuple[str, object]]:
    """Every attribute of a resource body, nested blocks included (inline_policy { policy })."""
    for key, value in body.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            yield from _attributes(value, path)
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            for v in value:
                if isinstance(v, dict):
                    yield from _attributes(v, path)
        else:
            yield path, value


# --------------------------------------------------------------------------- entry points


def module(doc: Document) -> _Module | None:
    data = plain(doc.data)
    return _Module(doc, data) if isinstance(data, dict) else None


def facts(doc: Document) -> list[infra.Fact]:
    m = module(doc)
    return resource_facts(m) if m else []


def findings(doc: Document) -> list[Finding]:
    """IAM findings of a Terraform document (its infrastructure facts go through `facts`)."""
    m = module(doc)
    return iam_findings(m) if m else []

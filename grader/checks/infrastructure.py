"""Infrastructure facts, whatever the source format, and the rules that grade them.

cloudformation.py, terraform.py and aws_exports.py each turn their format into the neutral
facts below (a security-group ingress rule, a trail, a bucket ...); `findings` applies one
set of rules to all of them, so CloudFormation and Terraform can never disagree on what an
open SSH port means. Rule ids are "<origin>.<kind>" (cfn.sg-open-ingress, tf.sg-open-ingress).

Tri-state fields: True / False are literal values in the source; None means an expression
(a parameter, a variable) that is only decided at deploy time, which never yields a fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from grader.checks.rules import finding, load_model
from grader.models import Finding, Provenance

NETWORK_FILE = Path(__file__).with_name("network.yaml")


class NetworkKnowledge(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    open_cidrs: list[str]
    public_web_ports: list[int]


@lru_cache(maxsize=1)
def network() -> NetworkKnowledge:
    return load_model(NETWORK_FILE, NetworkKnowledge)


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True, slots=True)
class Ingress:
    """One inbound security-group rule from a CIDR range."""

    origin: str
    source: Provenance
    group: str
    cidr: str
    protocol: str  # "all" | "tcp" | "udp" | "icmp" | another IP protocol number
    from_port: int | None  # None: not stated or an expression
    to_port: int | None
    via_default: bool = False  # the CIDR is a parameter/variable default, not a literal


@dataclass(frozen=True, slots=True)
class NaclEntry:
    origin: str
    source: Provenance
    acl: str
    cidr: str
    egress: bool
    allow: bool
    all_traffic: bool  # protocol -1, or a port range covering 0-65535


@dataclass(frozen=True, slots=True)
class Nacl:
    origin: str
    source: Provenance
    name: str


@dataclass(frozen=True, slots=True)
class Trail:
    origin: str
    source: Provenance
    name: str
    multi_region: bool | None
    management_events: bool = True  # False when every event selector excludes them


@dataclass(frozen=True, slots=True)
class Bucket:
    origin: str
    source: Provenance
    name: str
    encrypted: bool
    versioned: bool
    public_access_blocked: bool
    website: bool = False  # a static website bucket is public on purpose


@dataclass(frozen=True, slots=True)
class Database:
    origin: str
    source: Provenance
    name: str
    what: str  # "RDS DB instance", "Aurora DB cluster"
    encrypted: bool | None
    multi_az: bool | None = None


@dataclass(frozen=True, slots=True)
class Subnet:
    origin: str
    source: Provenance
    name: str
    az: str | None  # the AZ as written (literal or expression); None when not stated
    per_az: bool = False  # created once per AZ (count/for_each): the AZ set is unknown here


@dataclass(frozen=True, slots=True)
class Scaling:
    origin: str
    source: Provenance
    name: str
    what: str


@dataclass(frozen=True, slots=True)
class ActiveAccessKey:
    """An IAM user (not the root) with an active long-term access key, from a credential report."""

    origin: str
    source: Provenance
    user: str


@dataclass(frozen=True, slots=True)
class FixedCapacity:
    """A scaling group whose minimum equals its maximum: it cannot scale."""

    origin: str
    source: Provenance
    name: str
    size: int


@dataclass(frozen=True, slots=True)
class KmsKey:
    origin: str
    source: Provenance
    name: str
    rotation: bool | None
    symmetric: bool = True


@dataclass(frozen=True, slots=True)
class Alarm:
    origin: str
    source: Provenance
    name: str
    notifies: bool  # actions enabled and at least one alarm action


Fact = (Ingress | NaclEntry | Nacl | Trail | Bucket | Database | Subnet | Scaling | FixedCapacity | KmsKey | Alarm
        | ActiveAccessKey)


# --------------------------------------------------------------------------- protocols and ports


def protocol_name(value: object) -> str | None:
    """'all', 'tcp', 'udp', 'icmp' or the protocol number as text; None for an expression."""
    text = str(value).strip().lower() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if text is None or "${" in text:
        return None
    return {"-1": "all", "all": "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmp",
            "icmpv6": "icmp"}.get(text, text)


def port(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def is_open(cidr: str) -> bool:
    return cidr.strip() in network().open_cidrs


def ingress_kind(rule: Ingress) -> str | None:
    """The fact kind for an ingress rule, or None when it does not come from the Internet."""
    if not is_open(rule.cidr):
        return None
    if rule.protocol == "icmp":
        return "sg-open-icmp"
    if rule.protocol in ("tcp", "udp"):
        if rule.from_port is None or rule.to_port is None:
            return "sg-open-ingress-unknown-port"
        if rule.from_port == rule.to_port and rule.from_port in network().public_web_ports:
            return "sg-public-web"
    # all traffic, another protocol, a port range or a non-web port
    return "sg-open-ingress-default" if rule.via_default else "sg-open-ingress"


def _ports(rule: Ingress) -> str:
    if rule.protocol == "all":
        return "all traffic"
    if rule.protocol not in ("tcp", "udp"):
        return f"IP protocol {rule.protocol}"
    if rule.from_port is None or rule.to_port is None:
        return f"{rule.protocol} (ports not resolvable)"
    if rule.from_port == rule.to_port:
        return f"{rule.protocol} port {rule.from_port}"
    return f"{rule.protocol} ports {rule.from_port}-{rule.to_port}"


# --------------------------------------------------------------------------- rules


def _ingress_findings(rule: Ingress) -> list[Finding]:
    kind = ingress_kind(rule)
    if kind is None:
        return []
    what = f"Security group {rule.group} allows {_ports(rule)} from {rule.cidr}"
    message = {
        "sg-open-ingress": f"{what}: Internet access to something other than a web front end.",
        "sg-open-ingress-default": f"{what} through a parameter/variable default; confirm the deployed value.",
        "sg-open-ingress-unknown-port": f"{what}; the port is an expression, confirm it is 80/443.",
        "sg-open-icmp": f"{what}.",
        "sg-public-web": f"{what} (public web front end).",
    }[kind]
    return [finding(rule.origin, kind, message, rule.source)]


def _nacl_findings(entries: list[NaclEntry], acls: list[Nacl]) -> list[Finding]:
    out = []
    for acl in acls:
        mine = [e for e in entries if e.acl == acl.name]
        inbound = sum(not e.egress for e in mine)
        out.append(finding(acl.origin, "nacl-defined", (
            f"Network ACL {acl.name} is defined with {inbound} inbound and {len(mine) - inbound} "
            "outbound entries."), acl.source))
    for e in entries:
        if not e.egress and e.allow and e.all_traffic and is_open(e.cidr):
            out.append(finding(e.origin, "nacl-open-inbound", (
                f"Network ACL {e.acl} allows all inbound traffic from {e.cidr}; the subnet relies "
                "on security groups alone."), e.source))
    return out


def _trail_findings(trails: list[Trail]) -> list[Finding]:
    # A single-region trail is harmless when another trail in the evidence covers every region.
    covered = any(t.multi_region is True and t.management_events for t in trails)
    out = []
    for t in trails:
        if not t.management_events:
            kind, text = "cloudtrail-data-events-only", "records data events only (no management events)"
        elif t.multi_region is True:
            kind, text = "cloudtrail-multi-region", "logs every region (multi-region trail)"
        elif t.multi_region is None:
            kind, text = "cloudtrail-region-unknown", "sets its multi-region flag from an expression"
        elif covered:
            kind, text = "cloudtrail-single-region-covered", "is single-region; another trail covers all regions"
        else:
            kind, text = "cloudtrail-single-region", (
                "is single-region (multi-region flag false or absent): CloudTrail must log all regions")
        out.append(finding(t.origin, kind, f"CloudTrail trail {t.name} {text}.", t.source))
    return out


def _alarm_findings(alarms: list[Alarm]) -> list[Finding]:
    """An alarm with its actions disabled (or none) raises nothing: a threshold nobody hears.
    Every alarm of the export silent fails the thresholds; some silent is for a reviewer."""
    silent = [a for a in alarms if not a.notifies]
    if not silent:
        return [finding(a.origin, "alarm-notifies", f"CloudWatch alarm {a.name} notifies on breach.", a.source)
                for a in alarms]
    kind = "alarms-all-silent" if len(silent) == len(alarms) else "alarm-silent"
    names = ", ".join(a.name for a in silent[:4]) + (f" and {len(silent) - 4} more" if len(silent) > 4 else "")
    what = (f"all {len(alarms)} CloudWatch alarms" if kind == "alarms-all-silent"
            else f"{len(silent)} of {len(alarms)} CloudWatch alarms")
    return [finding(silent[0].origin, kind, f"{what} ({names}) have their actions disabled or no alarm action: "
                    "a breach notifies no one.", silent[0].source)]


def _bucket_findings(b: Bucket) -> list[Finding]:
    out = []
    if b.encrypted:
        out.append(finding(b.origin, "s3-encrypted", f"S3 bucket {b.name} sets default encryption.", b.source))
    else:
        out.append(finding(b.origin, "s3-no-encryption", (
            f"S3 bucket {b.name} sets no default encryption (S3 still applies SSE-S3 to new "
            "objects; state the key choice)."), b.source))
    if not b.versioned:
        out.append(finding(b.origin, "s3-no-versioning", f"S3 bucket {b.name} has no versioning.", b.source))
    if not b.public_access_blocked and not b.website:
        out.append(finding(b.origin, "s3-no-public-access-block", (
            f"S3 bucket {b.name} does not block all public access."), b.source))
    return out


def _database_findings(d: Database) -> list[Finding]:
    out = []
    if d.encrypted is True:
        out.append(finding(d.origin, "rds-encrypted", f"{d.what} {d.name} has storage encryption on.", d.source))
    elif d.encrypted is False:
        out.append(finding(d.origin, "rds-unencrypted", (
            f"{d.what} {d.name} does not enable storage encryption (StorageEncrypted false or absent)."),
            d.source))
    if d.multi_az is True:
        out.append(finding(d.origin, "rds-multi-az", f"{d.what} {d.name} is Multi-AZ.", d.source))
    return out


def _subnet_findings(subnets: list[Subnet]) -> list[Finding]:
    """Per file: subnets in >= 2 AZs (info), or every subnet pinned to one AZ (warn)."""
    out = []
    by_file: dict[str, list[Subnet]] = {}
    for s in subnets:
        by_file.setdefault(s.source.file, []).append(s)
    for group in by_file.values():
        zones = sorted({s.az for s in group if s.az is not None and not s.per_az})
        first = group[0]
        if len(zones) >= 2:
            out.append(finding(first.origin, "subnets-multi-az", (
                f"Subnets span {len(zones)} Availability Zones ({', '.join(zones[:6])})."),
                first.source))
        elif len(zones) == 1 and all(s.az is not None and not s.per_az for s in group):
            out.append(finding(first.origin, "subnets-single-az", (
                f"All {len(group)} subnet(s) are in one Availability Zone ({zones[0]})."), first.source))
    return out


def _kms_findings(k: KmsKey) -> list[Finding]:
    if k.rotation is False and k.symmetric:
        return [finding(k.origin, "kms-rotation-disabled", (
            f"KMS key {k.name} does not enable automatic key rotation."), k.source)]
    state = "with automatic rotation" if k.rotation else "(asymmetric)" if not k.symmetric else ""
    return [finding(k.origin, "kms-key", f"KMS customer managed key {k.name} is defined {state}".strip() + ".",
                 k.source)]


def findings(facts: Iterable[Fact]) -> list[Finding]:
    """Grade every infrastructure fact gathered from one control's evidence."""
    facts = list(facts)
    out: list[Finding] = []
    for f in facts:
        if isinstance(f, Ingress):
            out.extend(_ingress_findings(f))
        elif isinstance(f, Bucket):
            out.extend(_bucket_findings(f))
        elif isinstance(f, Database):
            out.extend(_database_findings(f))
        elif isinstance(f, KmsKey):
            out.extend(_kms_findings(f))
        elif isinstance(f, ActiveAccessKey):
            out.append(finding(f.origin, "iam-user-active-access-key", (
                f"IAM user {f.user} has an active long-term access key (credential report)."), f.source))
        elif isinstance(f, FixedCapacity):
            out.append(finding(f.origin, "asg-fixed-size", (
                f"Auto Scaling group {f.name} has minimum = maximum = {f.size}: it replaces failed instances "
                "but cannot scale with load."), f.source))
        elif isinstance(f, Scaling):
            out.append(finding(f.origin, "auto-scaling", f"{f.what} {f.name} scales the workload automatically.",
                            f.source))
    out.extend(_nacl_findings([f for f in facts if isinstance(f, NaclEntry)],
                              [f for f in facts if isinstance(f, Nacl)]))
    out.extend(_trail_findings([f for f in facts if isinstance(f, Trail)]))
    out.extend(_subnet_findings([f for f in facts if isinstance(f, Subnet)]))
    alarms = [f for f in facts if isinstance(f, Alarm)]
    if alarms:
        out.extend(_alarm_findings(alarms))
    return out

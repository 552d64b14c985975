"""AWS CLI / API exports -> infrastructure facts (graded in infrastructure.py).

Partners often attach `aws ec2 describe-security-groups`, `describe-network-acls` or
`aws cloudtrail describe-trails` output instead of a template. Recognised shapes:
{"SecurityGroups": [...]}, a list of security groups, one security group ({"GroupId",
"IpPermissions"}), {"NetworkAcls": [...]}, {"trailList": [...]} and {"MetricAlarms": [...]} (CloudWatch
describe-alarms), {"AutoScalingGroups": [...]} and {"DBInstances": [...]}, as a file or pasted into a document's text.
"""

from __future__ import annotations

import csv
import itertools
import json
import re

from grader.checks import infrastructure as infra
from grader.checks.locate import Needle, key_needle, locate
from grader.checks.values import as_list, truthy
from grader.models import Document

ORIGIN = "awscli"


def _security_groups(data: object) -> list[dict]:
    if isinstance(data, dict) and isinstance(data.get("SecurityGroups"), list):
        return [g for g in data["SecurityGroups"] if isinstance(g, dict)]
    if isinstance(data, dict) and "IpPermissions" in data:
        return [data]
    if isinstance(data, list):
        return [g for g in data if isinstance(g, dict) and "IpPermissions" in g]
    return []


def _group_facts(doc: Document, group: dict, index: int) -> list[infra.Fact]:
    gid = str(group.get("GroupId") or f"#{index}")
    name = f"{gid} ({group['GroupName']})" if group.get("GroupName") else gid
    out: list[infra.Fact] = []
    for i, perm in enumerate(as_list(group.get("IpPermissions"))):
        if not isinstance(perm, dict):
            continue
        protocol = infra.protocol_name(perm.get("IpProtocol")) or "tcp"
        lo, hi = infra.port(perm.get("FromPort")), infra.port(perm.get("ToPort"))
        ranges = [(r.get("CidrIp"), "CidrIp") for r in as_list(perm.get("IpRanges")) if isinstance(r, dict)]
        ranges += [(r.get("CidrIpv6"), "CidrIpv6") for r in as_list(perm.get("Ipv6Ranges")) if isinstance(r, dict)]
        for cidr, _ in ranges:
            if not isinstance(cidr, str):
                continue
            needles: list[Needle] = [gid, key_needle("IpPermissions")]
            if lo is not None:
                needles.append(re.compile(rf"FromPort\"?\s*:\s*{lo}\b"))
            out.append(infra.Ingress(
                origin=ORIGIN, source=locate(doc, f"SecurityGroups[{index}].IpPermissions[{i}]", needles),
                group=name, cidr=cidr, protocol=protocol, from_port=lo, to_port=hi,
            ))
    return out


def _nacl_facts(doc: Document, acl: dict, index: int) -> list[infra.Fact]:
    name = str(acl.get("NetworkAclId") or f"#{index}")
    out: list[infra.Fact] = [infra.Nacl(origin=ORIGIN, source=locate(doc, f"NetworkAcls[{index}]", [name]),
                                        name=name)]
    for i, entry in enumerate(as_list(acl.get("Entries"))):
        if not isinstance(entry, dict):
            continue
        cidr = entry.get("CidrBlock", entry.get("Ipv6CidrBlock"))
        if not isinstance(cidr, str):
            continue
        ports = entry.get("PortRange") if isinstance(entry.get("PortRange"), dict) else {}
        lo, hi = infra.port(ports.get("From")), infra.port(ports.get("To"))
        all_traffic = infra.protocol_name(entry.get("Protocol")) == "all" or (
            lo is not None and hi is not None and lo <= 0 and hi >= 65535)
        needles: list[Needle] = [name]
        if entry.get("RuleNumber") is not None:
            needles.append(re.compile(rf"RuleNumber\"?\s*:\s*{entry['RuleNumber']}\b"))
        out.append(infra.NaclEntry(
            origin=ORIGIN, source=locate(doc, f"NetworkAcls[{index}].Entries[{i}]", needles), acl=name,
            cidr=cidr, egress=truthy(entry.get("Egress", False)) is True,
            allow=str(entry.get("RuleAction", "")).lower() == "allow", all_traffic=all_traffic,
        ))
    return out


def _trail_facts(doc: Document, trail: dict, index: int) -> list[infra.Fact]:
    name = str(trail.get("Name") or trail.get("TrailARN") or f"#{index}")
    multi = truthy(trail.get("IsMultiRegionTrail", False))
    return [infra.Trail(origin=ORIGIN, source=locate(doc, f"trailList[{index}]", [name, "IsMultiRegionTrail"]),
                        name=name, multi_region=multi)]


def _alarm_facts(doc: Document, alarm: dict, index: int) -> list[infra.Fact]:
    name = str(alarm.get("AlarmName") or f"#{index}")
    enabled = truthy(alarm.get("ActionsEnabled", True)) is not False
    notifies = enabled and bool(as_list(alarm.get("AlarmActions")))
    return [infra.Alarm(origin=ORIGIN, source=locate(doc, f"MetricAlarms[{index}]", [name, "ActionsEnabled"]),
                        name=name, notifies=notifies)]


def _group_capacity_facts(doc: Document, group: dict, index: int) -> list[infra.Fact]:
    name = str(group.get("AutoScalingGroupName") or f"#{index}")
    source = locate(doc, f"AutoScalingGroups[{index}]", [name, "MaxSize"])
    low, high = group.get("MinSize"), group.get("MaxSize")
    if isinstance(low, int) and isinstance(high, int) and low == high:
        return [infra.FixedCapacity(origin=ORIGIN, source=source, name=name, size=high)]
    return [infra.Scaling(origin=ORIGIN, source=source, name=name, what="Auto Scaling group")]


def _db_instance_facts(doc: Document, db: dict, index: int) -> list[infra.Fact]:
    name = str(db.get("DBInstanceIdentifier") or f"#{index}")
    return [infra.Database(origin=ORIGIN, source=locate(doc, f"DBInstances[{index}]", [name]), name=name,
                           what="RDS DB instance", encrypted=truthy(db.get("StorageEncrypted", False)) is True,
                           multi_az=truthy(db.get("MultiAZ")) if "MultiAZ" in db else None)]


# An export pasted into an answer, a runbook or a wiki page: `aws ... describe-*` JSON output.
_EXPORT_START = re.compile(
    r'\{\s*"(?:SecurityGroups|NetworkAcls|trailList|MetricAlarms|AutoScalingGroups|DBInstances)"\s*:')


# `aws iam get-credential-report`: CSV whose header starts "user,arn,".
_CREDENTIAL_REPORT = re.compile(r"^[ \t]*user,arn,[^\n]*$", re.M)


def credential_report_facts(doc: Document) -> list[infra.Fact]:
    """Users of a pasted IAM credential report with an active access key (the root excluded:
    a root key is ACCT-001's concern)."""
    out: list[infra.Fact] = []
    for header in _CREDENTIAL_REPORT.finditer(doc.text):
        lines = doc.text[header.end():].lstrip("\n").split("\n")
        rows = list(csv.reader([header.group(0).strip(), *itertools.takewhile(lambda l: l.count(",") >= 2, lines)]))
        columns = rows[0]
        for row in rows[1:]:
            record = dict(zip(columns, row))
            user = record.get("user", "")
            if user and user != "<root_account>" and any(
                    record.get(f"access_key_{n}_active", "").lower() == "true" for n in (1, 2)):
                out.append(infra.ActiveAccessKey(origin=ORIGIN, user=user,
                                                 source=locate(doc, "credential report", [header.start(), user])))
    return out


def text_facts(doc: Document) -> list[infra.Fact]:
    """Facts of the AWS CLI exports pasted into a document's text (a code block in a runbook)."""
    decoder = json.JSONDecoder()
    out: list[infra.Fact] = credential_report_facts(doc)
    pos = 0
    while (start := _EXPORT_START.search(doc.text, pos)) is not None:
        try:
            parsed, end = decoder.raw_decode(doc.text, start.start())
        except ValueError:
            pos = start.end()
            continue
        out += facts_of(doc, parsed)
        pos = end
    return out


def facts(doc: Document) -> list[infra.Fact]:
    return facts_of(doc, doc.data)


# The keyed lists a describe-* export holds, and what reads one item of each.
_LISTS = {
    "NetworkAcls": _nacl_facts,
    "trailList": _trail_facts,
    "MetricAlarms": _alarm_facts,
    "AutoScalingGroups": _group_capacity_facts,
    "DBInstances": _db_instance_facts,
}


def facts_of(doc: Document, data: object) -> list[infra.Fact]:
    out: list[infra.Fact] = []
    for i, group in enumerate(_security_groups(data)):
        out += _group_facts(doc, group, i)
    if isinstance(data, dict):
        for key, read in _LISTS.items():
            for i, item in enumerate(as_list(data.get(key))):
                if isinstance(item, dict):
                    out += read(doc, item, i)
    return out

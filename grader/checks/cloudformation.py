"""CloudFormation templates -> infrastructure facts (graded in infrastructure.py).

Document.data is the parsed template with short-form tags in long form ({"Ref": ...},
{"Fn::Sub": ...}). A `Ref` to a parameter resolves to the parameter's Default, marked as
such (the deployed value may differ, so it warns instead of failing). IAM policies inside a
template are found by iam.py's generic walk, not here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from grader.checks import infrastructure as infra
from grader.checks.locate import Needle, key_needle, locate
from grader.checks.values import as_list, text_of, truthy
from grader.models import Document

ORIGIN = "cfn"


def is_template(data: object) -> bool:
    """A mapping with a Resources section of typed resources (AWS::... or Custom::...)."""
    if not isinstance(data, dict) or not isinstance(data.get("Resources"), dict):
        return False
    return any(
        isinstance(r, dict) and isinstance(r.get("Type"), str) and "::" in r["Type"]
        for r in data["Resources"].values()
    )


def templates(data: object) -> list[dict]:
    """The templates in a document (a multi-document YAML file may hold several)."""
    candidates = data if isinstance(data, list) else [data]
    return [t for t in candidates if is_template(t)]


class _Template:
    def __init__(self, doc: Document, template: dict):
        self.doc = doc
        self.parameters = template.get("Parameters") if isinstance(template.get("Parameters"), dict) else {}

    def resolve(self, value: object) -> tuple[object, bool]:
        """A literal for {"Ref": Param} with a Default; (value, came_from_default)."""
        if isinstance(value, dict) and set(value) == {"Ref"} and isinstance(value["Ref"], str):
            param = self.parameters.get(value["Ref"])
            if isinstance(param, dict) and "Default" in param:
                return param["Default"], True
        return value, False

    def where(self, lid: str, *path: str | int, detail: Needle | None = None):
        section = ".".join(["Resources", lid, *[str(p) if isinstance(p, str) else f"[{p}]" for p in path]])
        section = section.replace(".[", "[")
        needles: list[Needle] = [key_needle("Resources"), key_needle(lid)]
        needles += [key_needle(p) for p in path if isinstance(p, str)]
        if detail is not None:
            needles.append(detail)
        return locate(self.doc, section, needles)


def _resources(template: dict) -> Iterator[tuple[str, str, dict]]:
    for lid, res in template["Resources"].items():
        if isinstance(res, dict) and isinstance(res.get("Type"), str):
            props = res.get("Properties")
            yield str(lid), res["Type"], props if isinstance(props, dict) else {}


def _port_needle(key: str, value: object) -> Needle | None:
    p = infra.port(value)
    return re.compile(rf"{key}\"?\s*:\s*[\"']?{p}\b") if p is not None else None


def _ingress(t: _Template, lid: str, rule: dict, path: tuple[str | int, ...], group: str) -> list[infra.Ingress]:
    protocol = infra.protocol_name(rule.get("IpProtocol"))
    if protocol is None:
        protocol = "tcp"  # an expression: treat as ports-bearing so unknown ports only warn
    out = []
    for key in ("CidrIp", "CidrIpv6"):
        if key not in rule:
            continue
        cidr, via_default = t.resolve(rule[key])
        if not isinstance(cidr, str) or "${" in cidr:
            continue
        detail = _port_needle("FromPort", rule.get("FromPort")) or (cidr,)
        out.append(infra.Ingress(
            origin=ORIGIN, source=t.where(lid, *path, detail=detail), group=group, cidr=cidr,
            protocol=protocol, from_port=infra.port(t.resolve(rule.get("FromPort"))[0]),
            to_port=infra.port(t.resolve(rule.get("ToPort"))[0]), via_default=via_default,
        ))
    return out


def _group_of(props: dict, lid: str) -> str:
    group = props.get("GroupId", props.get("GroupName"))
    if isinstance(group, dict):
        ref = group.get("Ref") or (as_list(group.get("Fn::GetAtt")) or [None])[0]
        if isinstance(ref, str):
            return ref
    return text_of(group) if group is not None else lid


def _az_label(value: object) -> str:
    """"eu-west-1a", or "AZ #1" for the common !Select [1, !GetAZs ''] idiom."""
    select = value.get("Fn::Select") if isinstance(value, dict) else None
    if isinstance(select, list) and len(select) == 2 and isinstance(select[1], dict) and "Fn::GetAZs" in select[1]:
        return f"AZ #{text_of(select[0])}"
    return text_of(value)


def _management_events(props: dict) -> bool:
    selectors = [s for s in as_list(props.get("EventSelectors")) if isinstance(s, dict)]
    if selectors and all(truthy(s.get("IncludeManagementEvents", True)) is False for s in selectors):
        return False
    advanced = [s for s in as_list(props.get("AdvancedEventSelectors")) if isinstance(s, dict)]
    if advanced:
        fields = [f for s in advanced for f in as_list(s.get("FieldSelectors")) if isinstance(f, dict)]
        return any(f.get("Field") == "eventCategory" and "Management" in as_list(f.get("Equals"))
                   for f in fields)
    return True


def _public_access_blocked(props: dict) -> bool:
    block = props.get("PublicAccessBlockConfiguration")
    flags = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
    return isinstance(block, dict) and all(truthy(block.get(f)) is True for f in flags)


def _storage_encrypted(props: dict) -> bool | None:
    if any(k in props for k in ("SourceDBInstanceIdentifier", "SourceDBClusterIdentifier",
                                "SnapshotIdentifier", "DBSnapshotIdentifier")):
        return None  # inherits the source's encryption
    if "KmsKeyId" in props or props.get("EngineMode") == "serverless":
        return True  # a KMS key requires encryption; Aurora Serverless v1 is always encrypted
    if "StorageEncrypted" not in props:
        return False
    return truthy(props["StorageEncrypted"])


def _nacl_entry(t: _Template, lid: str, props: dict) -> list[infra.NaclEntry]:
    out = []
    for key in ("CidrBlock", "Ipv6CidrBlock"):
        cidr = t.resolve(props.get(key))[0]
        if not isinstance(cidr, str):
            continue
        ports = props.get("PortRange") if isinstance(props.get("PortRange"), dict) else {}
        lo, hi = infra.port(ports.get("From")), infra.port(ports.get("To"))
        all_traffic = infra.protocol_name(props.get("Protocol")) == "all" or (
            lo is not None and hi is not None and lo <= 0 and hi >= 65535)
        acl = props.get("NetworkAclId")
        acl_name = acl["Ref"] if isinstance(acl, dict) and isinstance(acl.get("Ref"), str) else text_of(acl)
        out.append(infra.NaclEntry(
            origin=ORIGIN, source=t.where(lid, detail=(cidr,)), acl=acl_name, cidr=cidr,
            egress=truthy(props.get("Egress", False)) is True,
            allow=str(props.get("RuleAction", "")).lower() == "allow", all_traffic=all_traffic,
        ))
    return out


def template_facts(doc: Document, template: dict) -> list[infra.Fact]:
    t = _Template(doc, template)
    out: list[infra.Fact] = []
    for lid, rtype, props in _resources(template):
        if rtype == "AWS::EC2::SecurityGroup":
            for i, rule in enumerate(as_list(props.get("SecurityGroupIngress"))):
                if isinstance(rule, dict):
                    out += _ingress(t, lid, rule, ("Properties", "SecurityGroupIngress", i), lid)
        elif rtype == "AWS::EC2::SecurityGroupIngress":
            out += _ingress(t, lid, props, ("Properties",), _group_of(props, lid))
        elif rtype == "AWS::EC2::NetworkAcl":
            out.append(infra.Nacl(origin=ORIGIN, source=t.where(lid), name=lid))
        elif rtype == "AWS::EC2::NetworkAclEntry":
            out += _nacl_entry(t, lid, props)
        elif rtype == "AWS::CloudTrail::Trail":
            multi = truthy(t.resolve(props["IsMultiRegionTrail"])[0]) if "IsMultiRegionTrail" in props else False
            out.append(infra.Trail(origin=ORIGIN, source=t.where(lid, detail=("IsMultiRegionTrail",)),
                                   name=lid, multi_region=multi, management_events=_management_events(props)))
        elif rtype == "AWS::S3::Bucket":
            versioning = props.get("VersioningConfiguration")
            status = versioning.get("Status") if isinstance(versioning, dict) else None
            out.append(infra.Bucket(
                origin=ORIGIN, source=t.where(lid), name=lid, encrypted="BucketEncryption" in props,
                versioned=truthy(status) is True, public_access_blocked=_public_access_blocked(props),
                website="WebsiteConfiguration" in props,
            ))
        elif rtype == "AWS::RDS::DBInstance" and "DBClusterIdentifier" not in props:
            out.append(infra.Database(
                origin=ORIGIN, source=t.where(lid, detail=("StorageEncrypted",)), name=lid,
                what="RDS DB instance", encrypted=_storage_encrypted(props),
                multi_az=truthy(t.resolve(props.get("MultiAZ", False))[0]),
            ))
        elif rtype == "AWS::RDS::DBCluster":
            what = "Aurora DB cluster" if str(props.get("Engine", "aurora")).startswith("aurora") else "RDS DB cluster"
            out.append(infra.Database(origin=ORIGIN, source=t.where(lid, detail=("StorageEncrypted",)),
                                      name=lid, what=what, encrypted=_storage_encrypted(props)))
        elif rtype == "AWS::EC2::Subnet":
            az = props.get("AvailabilityZone", props.get("AvailabilityZoneId"))
            out.append(infra.Subnet(origin=ORIGIN, source=t.where(lid), name=lid,
                                    az=_az_label(az) if az is not None else None))
        elif rtype == "AWS::AutoScaling::AutoScalingGroup":
            out.append(infra.Scaling(origin=ORIGIN, source=t.where(lid), name=lid, what="EC2 Auto Scaling group"))
        elif rtype == "AWS::ApplicationAutoScaling::ScalableTarget":
            out.append(infra.Scaling(origin=ORIGIN, source=t.where(lid), name=lid,
                                     what="Application Auto Scaling target"))
        elif rtype == "AWS::KMS::Key":
            rotation = truthy(t.resolve(props["EnableKeyRotation"])[0]) if "EnableKeyRotation" in props else False
            spec = props.get("KeySpec", "SYMMETRIC_DEFAULT")
            out.append(infra.KmsKey(origin=ORIGIN, source=t.where(lid), name=lid, rotation=rotation,
                                    symmetric=spec == "SYMMETRIC_DEFAULT"))
    return out


def facts(doc: Document) -> list[infra.Fact]:
    return [f for template in templates(doc.data) for f in template_facts(doc, template)]

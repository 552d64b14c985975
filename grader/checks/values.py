"""Small helpers for values in parsed templates: lists, intrinsic functions, booleans.

CloudFormation values may be intrinsic functions ({"Ref": ...}, {"Fn::Sub": ...}); Terraform
values may be interpolations ("${var.x}"). Neither can be evaluated here, so they read as
expressions: known to be *something*, never mistaken for a literal "*" or "0.0.0.0/0".
"""

from __future__ import annotations

import json


def as_list(value: object) -> list:
    """A list whatever the source wrote: a scalar, a list, or nothing."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def text_of(value: object) -> str:
    """A string for a scalar or an intrinsic function; intrinsics render as "${...}"."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict) and len(value) == 1:
        (name, arg), = value.items()
        if name == "Ref":
            return "${" + text_of(arg) + "}"
        if name == "Fn::Sub":
            return text_of(arg[0] if isinstance(arg, list) and arg else arg)
        if name == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
            return text_of(arg[0]).join(text_of(p) for p in as_list(arg[1]))
        if name == "Fn::GetAtt":
            return "${" + ".".join(text_of(p) for p in as_list(arg)) + "}"
    return "${" + json.dumps(value, sort_keys=True, default=str) + "}"


def is_expression(value: object) -> bool:
    """True for anything whose value is decided at deploy time (intrinsic, interpolation)."""
    return not isinstance(value, (str, int, float, bool)) or (isinstance(value, str) and "${" in value)


def truthy(value: object) -> bool | None:
    """True/False for a literal boolean ("true", True, "Enabled"); None for an expression."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and not is_expression(value):
        lowered = value.strip().lower()
        if lowered in ("true", "yes", "enabled", "1"):
            return True
        if lowered in ("false", "no", "disabled", "suspended", "0", ""):
            return False
    if isinstance(value, int):
        return bool(value)
    return None

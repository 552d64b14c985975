"""Render an Assessment as JSON, Markdown or a self-contained printable HTML page."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from jinja2 import Environment, PackageLoader, select_autoescape

from grader.models import Assessment

Format = Literal["md", "json", "html"]
STATUS_MARK = {"met": "✅ met", "partial": "🟡 partial", "not_met": "❌ not met"}
VERDICT_MARK = {"pass": "PASS", "fail": "FAIL"}


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("grader.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(status_mark=STATUS_MARK, verdict_mark=VERDICT_MARK)
    env.filters["md_cell"] = lambda s: str(s or "").replace("|", "\\|").replace("\n", " ")
    return env


def render(assessment: Assessment, fmt: Format = "md") -> str:
    if fmt == "json":
        return assessment.model_dump_json(indent=2)
    template = {"md": "report.md.j2", "html": "report.html.j2"}.get(fmt)
    if template is None:
        raise ValueError(f"unknown report format {fmt!r}; choose md, json or html")
    return _env().get_template(template).render(a=assessment)

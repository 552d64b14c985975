"""Render an Assessment as JSON, Markdown or a self-contained printable HTML page."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

from jinja2 import Environment, PackageLoader, select_autoescape

from grader.models import Assessment
from grader.reviews import Review, latest

Format = Literal["md", "json", "html"]
# Text-presentation symbols (Dingbats, Geometric Shapes): they render in any common font,
# with or without an emoji font installed.
STATUS_MARK = {"met": "✓ met", "partial": "◐ partial", "not_met": "✗ not met"}
VERDICT_MARK = {"pass": "PASS", "fail": "FAIL"}


# What lets text turn into markup in a Markdown viewer: HTML tags and entities, links and
# autolinks, code spans (and the backslash that would undo an escape).
_MD_LIVE = str.maketrans({c: "\\" + c for c in "\\<>[]&`"})


def md_text(value: object) -> str:
    """Partner text in the Markdown report: shown as written, never as HTML or a link."""
    return str(value or "").translate(_MD_LIVE)


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("grader.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(status_mark=STATUS_MARK, verdict_mark=VERDICT_MARK)
    env.filters["md_text"] = md_text
    env.filters["md_cell"] = lambda s: md_text(s).replace("|", "\\|").replace("\n", " ")
    return env


def render(assessment: Assessment, fmt: Format = "md", reviews: Sequence[Review] = ()) -> str:
    """The report; `reviews` (a reviewer's verdicts) appear beside the grader's, which stay as they are."""
    current = latest(reviews)
    if fmt == "json":
        data = assessment.model_dump(mode="json")
        if current:
            data["reviews"] = [r.model_dump(mode="json") for r in current.values()]
        return json.dumps(data, indent=2, ensure_ascii=False)
    template = {"md": "report.md.j2", "html": "report.html.j2"}.get(fmt)
    if template is None:
        raise ValueError(f"unknown report format {fmt!r}; choose md, json or html")
    by_control: dict[str, list[Review]] = {}
    for review in current.values():
        by_control.setdefault(review.control, []).append(review)
    return _env().get_template(template).render(a=assessment, reviews=by_control)

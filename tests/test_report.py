"""Reports: JSON is the model, Markdown and HTML put the summary first and cite sources."""

from __future__ import annotations

import json
import re

from grader.models import (
    Assessment, ControlAssessment, CriterionVerdict, Finding, IngestError, Provenance, Quote,
)
from grader.report.render import render


def assessment() -> Assessment:
    quote = Quote(text="MFA is enabled on root <b>", source=Provenance(file="evidence/sop.pdf", page=3))
    return Assessment(
        partner="Northwind", program="Migration", judge="offline",
        controls=[
            ControlAssessment(control="ACCT-001", title="Secure account governance", verdict="fail",
                              summary="1 of 2 criteria met.", criteria=[
                                  CriterionVerdict(slug="root-mfa", status="met", quotes=[quote], rationale="ok"),
                                  CriterionVerdict(slug="cloudtrail", status="not_met", rationale="absent",
                                                   missing="all regions", fix="Enable an all-region trail."),
                              ], flags=[Finding(control="ACCT-001", criterion="cloudtrail", severity="fail",
                                                rule="cfn.cloudtrail-single-region", message="single region")]),
            ControlAssessment(control="REL-001", title="IaC", verdict="pass", summary="All met."),
        ],
        errors=[IngestError(file="evidence/scan.png", message="image: a person must look")],
    )


def test_json_round_trips_the_model() -> None:
    data = json.loads(render(assessment(), "json"))
    assert Assessment.model_validate(data).controls[0].criteria[0].quotes[0].source.page == 3
    assert data["passed"] == 1 and data["failed"] == 1


def test_markdown_has_summary_first_then_quotes_with_file_and_page_gaps_and_fixes() -> None:
    md = render(assessment(), "md")
    assert md.index("## Summary") < md.index("## ACCT-001")
    assert "evidence/sop.pdf, p. 3" in md
    assert "Fix: Enable an all-region trail." in md
    assert "cfn.cloudtrail-single-region" in md
    assert "evidence/scan.png" in md


def test_html_is_self_contained_escaped_and_printable() -> None:
    html = render(assessment(), "html")
    assert html.index("Summary") < html.index('id="ACCT-001"')
    assert "MFA is enabled on root &lt;b&gt;" in html
    assert "<script" not in html and "<link" not in html and "http" not in html.lower().split("<body>")[1]
    assert "@media print" in html


def test_a_reviewers_verdict_and_comment_travel_in_every_report_beside_the_graders() -> None:
    from grader.reviews import Review

    report = assessment()
    control = report.controls[0]
    slug = control.criteria[0].slug
    reviews = [
        Review(control=control.control, criterion=slug, verdict="not_met", comment="first look", reviewer="ana"),
        Review(control=control.control, criterion=slug, verdict="partial", comment="<b>SOP p.3</b> covers it",
               reviewer="ana"),
    ]
    md, html, data = (render(report, fmt, reviews) for fmt in ("md", "html", "json"))

    assert "**partial**" in md and "SOP p.3" in md and "first look" not in md  # the latest review counts
    assert "&lt;b&gt;SOP p.3&lt;/b&gt; covers it" in html and "<b>SOP" not in html  # escaped
    reviewed = json.loads(data)["reviews"]
    assert [(r["criterion"], r["verdict"], r["reviewer"]) for r in reviewed] == [(slug, "partial", "ana")]
    assert json.loads(data)["controls"][0]["criteria"][0]["status"] == control.criteria[0].status  # grader's kept
    assert "reviews" not in json.loads(render(report, "json"))


def test_the_limits_the_llm_judge_worked_within_are_in_every_report() -> None:
    graded = assessment().model_copy(update={
        "judge": "llm", "model": "gemma-3-270m",
        "judge_setup": {"endpoint": "http://127.0.0.1:8000/v1", "request timeout": "600 s",
                        "control deadline": "900 s", "reply cap": "1024 tokens"}})

    md, html = render(graded, "md"), render(graded, "html")
    assert "Judge setup: endpoint http://127.0.0.1:8000/v1 · request timeout 600 s · control deadline 900 s" in md
    assert "control deadline 900 s" in html and "reply cap 1024 tokens" in html
    assert json.loads(render(graded, "json"))["judge_setup"]["request timeout"] == "600 s"
    assert "Judge setup" not in render(assessment(), "md")  # the offline judge has no such limits


def test_reports_use_no_emoji_so_they_render_without_an_emoji_font() -> None:
    emoji = re.compile("[\U0001F300-\U0001FAFF\u2600-\u26FF\u2B50\u2B55\uFE0F\u2705\u274C\u274E]")
    for fmt in ("md", "html"):
        text = render(assessment(), fmt)  # type: ignore[arg-type]
        assert not emoji.findall(text), fmt
        assert "✓ met" in text and "✗ not met" in text

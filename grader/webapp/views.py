"""How a stored assessment is drawn: the summary, the downloads, and the parts of one control.

Streamlit widgets only; every text that came from a partner goes through `md_escape`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from grader.compare import changes
from grader.models import Assessment, ControlAssessment, Finding, IngestError
from grader.report.render import render
from grader.webapp import export, review
from grader.webapp.flags import group_flags
from grader.webapp.markdown import md_escape
from grader.webapp.store import AssessmentStore, Override

VERDICT_BADGE = {"pass": ("PASS", "green"), "fail": ("FAIL", "red")}
STATUS_TEXT = {"met": "met", "partial": "partial", "not_met": "not met"}
# Material icons ship with Streamlit, so they render even where no emoji font is installed.
VERDICT_ICON = {"pass": ":material/check_circle:", "fail": ":material/cancel:"}
ERROR_ICON = ":material/error:"
FILE_ICON = ":material/attach_file:"
CHART_COLOURS = {"met": "#2e7d32", "partial": "#f9a825", "not met": "#c62828"}


def summary(result: Assessment, overrides: list[Override]) -> None:
    st.header("Summary")
    total = len(result.controls)
    criteria = [c for control in result.controls for c in control.criteria]
    met = sum(c.status == "met" for c in criteria)
    flags = sum(len(c.flags) for c in result.controls)
    problems = len(result.errors) + sum(len(c.errors) for c in result.controls)
    reviewed = review.reviewed_controls(result, overrides)
    cols = st.columns(4)
    cols[0].metric("Controls passed", f"{result.passed} / {total}")
    cols[1].metric("Criteria met", f"{met} / {len(criteria)}")
    cols[2].metric("Input problems", problems)
    cols[3].metric("Reviewed controls", f"{len(reviewed)} / {total}")
    who = " · ".join(md_escape(x) for x in (result.partner, result.program, result.source) if x)
    st.caption(
        (f"{who} · " if who else "")
        + f"judge {result.judge}{f' ({result.model})' if result.model else ''} · graded in {result.seconds:.1f} s"
        + f" · {flags} flag(s)"
    )
    last = st.session_state.get("last_run")
    if last:
        st.caption("Unchanged inputs: the stored result was reused." if last["cached"]
                   else f"From clicking Assess to results: {last['seconds']:.1f} s.")
    rows = [
        {"control": c.control,
         "met": sum(x.status == "met" for x in c.criteria),
         "partial": sum(x.status == "partial" for x in c.criteria),
         "not met": sum(x.status == "not_met" for x in c.criteria)}
        for c in result.controls
    ]
    st.bar_chart(pd.DataFrame(rows), x="control", y=list(CHART_COLOURS), color=list(CHART_COLOURS.values()),
                 stack=True, sort=False, horizontal=True, height=40 + 26 * len(rows), x_label="criteria", y_label="")
    for error in result.errors:
        st.error(md_escape(f"{error.file}: {error.message}"), icon=ERROR_ICON)


def downloads(store: AssessmentStore, assessment_id: str, result: Assessment, overrides: list[Override]) -> None:
    """Report and export downloads; each file is built only when its button is clicked."""
    stem = f"assessment-{assessment_id[:8]}"
    ready, skipped = export.exportable(result, overrides)
    with st.container(horizontal=True):
        for label, fmt, mime in (
            ("Markdown report", "md", "text/markdown"),
            ("HTML report", "html", "text/html"),
            ("JSON report", "json", "application/json"),
        ):
            st.download_button(label, lambda fmt=fmt: render(result, fmt, overrides), f"{stem}.{fmt}", mime,
                               key=f"download_{fmt}", on_click="ignore")
        st.download_button(
            "Overrides (JSON)", lambda: "[" + ",\n".join(o.model_dump_json() for o in overrides) + "]",
            f"{stem}-overrides.json", "application/json", key="download_overrides", on_click="ignore",
        )
        if ready:
            st.download_button(
                f"Eval cases ({len(ready)} reviewed)",
                lambda: export.export_zip(assessment_id, result, store.inputs(assessment_id), overrides)[0],
                f"{stem}-eval-cases.zip", "application/zip", key="download_cases", on_click="ignore",
                help="Labeled cases in the eval-case format: unpack under eval/cases/ and run `grader eval`.",
            )
    if not ready:
        st.caption("Override or confirm a verdict to export that control as a labeled eval case.")
    for control, why in skipped.items():
        st.caption(f"{control} not exported: {why}")
    leaked = [c for c in ready if any(f.rule.startswith("secret.") for f in result.control(c).flags)]
    if leaked:
        st.warning("The evidence of " + ", ".join(leaked) + " held credentials: the exported files are the "
                   "copies kept with the assessment, with every credential the grader found redacted (a PDF "
                   "holding one is kept as its text only). Check them before sharing the cases.")


def criterion_table(result: ControlAssessment, current: dict[review.ItemKey, Override]) -> None:
    rows = []
    for c in result.criteria:
        o = current.get((result.control, c.slug))
        rows.append({
            "criterion": c.slug,
            "grader": STATUS_TEXT[c.status],
            "reviewer": STATUS_TEXT[o.verdict] if o else "",
            "reviewer comment": o.comment if o else "",
            "why": c.rationale,
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def quotes(result: ControlAssessment) -> None:
    shown = [c for c in result.criteria if c.quotes]
    if not shown:
        return
    st.markdown("**Evidence quoted**")
    for c in shown:
        for q in c.quotes:
            st.markdown(f"> {md_escape(q.text)}")
            st.caption(f"{c.slug} · {FILE_ICON} {md_escape(q.source.label())}")


def gaps(result: ControlAssessment) -> None:
    missing = [c for c in result.criteria if c.status != "met"]
    if not missing:
        return
    st.markdown("**What is missing and how to fix it**")
    st.markdown("\n".join(
        f"- **{c.slug}** ({STATUS_TEXT[c.status]}): {md_escape(c.missing) or 'not shown'}"
        + (f" — *fix:* {md_escape(c.fix)}" if c.fix else "")
        for c in missing
    ))


def review_needed(result: ControlAssessment) -> None:
    """The grader's own doubts, before anything else: where it was not sure, a person decides."""
    if result.review_reasons:
        st.warning("**Flagged for the reviewer** — the grader is not sure here:\n\n"
                   + "\n".join(f"- {md_escape(r)}" for r in result.review_reasons),
                   icon=":material/rate_review:")


def flag_list(findings: list[Finding], errors: list[IngestError]) -> None:
    for group, members in group_flags(findings):
        st.markdown(f"**{group.icon} {group.title}**")
        for f in members:
            where = f" ({f.source.label()})" if f.source else ""
            show = {"fail": st.error, "warn": st.warning}.get(f.severity, st.info)
            show(md_escape(f"{f.message}{where}"))  # messages quote the partner's text
    if errors:
        st.markdown("**:material/broken_image: Files that could not be read**")
        for e in errors:
            st.error(md_escape(f"{e.file}: {e.message}"))


def what_moved(before: Assessment, after: Assessment) -> None:
    """After a re-opened assessment is assessed again: which verdicts moved, and how."""
    moved = changes(before, after)
    when = before.created.strftime("%Y-%m-%d %H:%M UTC")
    st.subheader("What moved since the re-opened assessment")
    if not moved:
        st.caption(f"Nothing moved: every verdict is as in the assessment of {when}.")
        return
    st.caption(f"{len(moved)} verdict(s) differ from the assessment of {when}.")
    st.dataframe(pd.DataFrame([{"item": m.item, "before": STATUS_TEXT.get(m.before, m.before.upper()),
                                "after": STATUS_TEXT.get(m.after, m.after.upper())} for m in moved]),
                 hide_index=True)

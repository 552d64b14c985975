"""The offline judge's decision, rule by rule, on readings built by hand (no embeddings)."""

from __future__ import annotations

import pytest

from grader.catalogue import Control
from grader.judges.offline.decision import criterion_verdict
from grader.judges.offline.reading import Reading, Sentence, is_heading
from grader.judges.verdict import apply_findings
from grader.models import CriterionVerdict, Document, Finding, Provenance


def control(**criterion_fields) -> Control:
    fields = dict(slug="alerting", title="Alert thresholds", description="thresholds raise alerts",
                  acceptable_evidence=["e"], shortfalls=["No thresholds are given."], cues=["alert"], fix="Add them.")
    return Control.model_validate(dict(
        id="OPE-001", title="t", requirement="r", criteria_for_passing=["c"], why_it_matters="w",
        criteria=[fields | criterion_fields], good_examples=[dict(text="g")], unacceptable_examples=[dict(text="u")],
    ))


def reading(text: str, modality: str = "asserted", sim: float = 0.6, cue: bool = True, *,
            prohibited: bool = False, accepted: tuple[str, ...] = (), doc: Document | None = None) -> Reading:
    doc = doc or Document(path="response", kind="response", text=text)
    start = doc.text.index(text)
    return Reading(sentence=Sentence(doc, start, start + len(text), text), sim=sim, cue=cue, modality=modality,
                   prohibited=prohibited, accepted=accepted)


def decide(readings: list[Reading], ctrl: Control | None = None, documents: list[Document] | None = None,
           findings: list[Finding] | None = None) -> CriterionVerdict:
    ctrl = ctrl or control()
    documents = documents if documents is not None else list({r.sentence.doc.path: r.sentence.doc for r in readings}.values())
    return criterion_verdict(ctrl.criteria[0], ctrl, {"alerting": readings}, documents, {}, findings or [])


def test_a_specific_asserted_claim_meets_the_criterion_and_is_quoted():
    verdict = decide([reading("CPU above 80 % for 5 minutes raises an alert to on-call.")])
    assert verdict.status == "met" and not verdict.needs_review
    assert verdict.quotes[0].text == "CPU above 80 % for 5 minutes raises an alert to on-call."


def test_a_heading_names_the_practice_without_claiming_it():
    verdict = decide([reading("Alert thresholds and escalation", sim=0.8)])
    assert verdict.status == "partial"
    assert "Touched on" in verdict.rationale


def test_a_practice_left_to_the_customer_outweighs_a_stronger_supporting_sentence():
    verdict = decide([
        reading("CloudWatch alarms notify the on-call engineer.", sim=0.9),
        reading("Alert thresholds are the customer's responsibility after handover.", "delegated", sim=0.4),
    ])
    assert verdict.status == "not_met"
    assert "leaves it to someone else" in verdict.rationale
    assert "customer's responsibility" in verdict.rationale


def test_a_plan_outweighs_support_but_a_weaker_denial_does_not():
    planned = decide([reading("Alarms page the on-call rota.", sim=0.9),
                      reading("Alerting on these metrics is part of phase 2.", "planned", sim=0.5)])
    denied = decide([reading("Alarms page the on-call rota.", sim=0.9),
                     reading("We do not alert on disk space.", "negated", sim=0.4)])
    assert planned.status == "not_met"
    assert denied.status == "met"


def test_a_forbidden_practice_stated_defeats_the_criterion():
    verdict = decide([reading("Alarms page the on-call rota.", sim=0.9),
                      reading("Alerts go to one engineer's personal phone.", sim=0.3, prohibited=True)])
    assert verdict.status == "not_met" and "forbidden practice" in verdict.rationale


def test_a_recommendation_is_the_practice_only_where_the_criterion_accepts_it():
    plain = decide([reading("We recommend an alert at 80 % CPU.", "recommended")])
    advising = decide([reading("We recommend an alert at 80 % CPU.", "recommended", accepted=("recommended",))])
    assert plain.status == "not_met"
    assert advising.status == "met"


def test_support_recognised_only_by_meaning_is_partial_and_flagged_for_the_reviewer():
    verdict = decide([reading("The pager goes off when the queue backs up.", cue=False, sim=0.7)])
    assert verdict.status == "partial"  # borderline: never a silent pass
    assert "closeness in meaning" in verdict.needs_review


def test_a_close_contradiction_leaves_a_met_flagged_with_the_contradicting_quote():
    verdict = decide([reading("CPU alarms page the on-call engineer.", sim=0.60),
                      reading("Memory alarms are not configured.", "negated", sim=0.58)])
    assert verdict.status == "met"
    assert "Memory alarms are not configured." in verdict.needs_review


def test_a_document_that_does_not_read_as_the_artifact_is_not_the_artifact():
    ctrl = control(slug="alerting", evidence="document", attachment_kinds=["markdown"],
                   document_shows=[r"\bprocedure\b"])
    tips = Document(path="tips.md", kind="markdown", text="Turn things off at night. Use spot.")
    verdict = decide([], ctrl, documents=[tips])
    assert verdict.status == "not_met" and "tips.md is attached, but nothing in it reads as" in verdict.rationale


def test_a_warning_lowers_met_to_partial_and_a_failing_fact_to_not_met():
    met = CriterionVerdict(slug="alerting", status="met", rationale="Addressed.")
    warn = Finding(control="OPE-001", criterion="alerting", severity="warn", rule="x.doubt", message="one AZ only",
                   source=Provenance(file="d.drawio"))
    fail = Finding(control="OPE-001", criterion="alerting", severity="fail", rule="x.fact", message="port 22 open")
    [warned] = apply_findings([met], [warn])
    [failed] = apply_findings([met], [warn, fail])
    assert (warned.status, warned.missing) == ("partial", "one AZ only")
    assert "[x.doubt] one AZ only" in warned.rationale
    assert failed.status == "not_met" and "[x.fact] port 22 open" in failed.rationale


def test_missing_names_what_this_evidence_lacks_not_the_guides_list():
    ctrl = control(aspects=[dict(name="the figure each alert fires at", cues=[r"\d+\s*%"])])
    partial = decide([reading("CloudWatch alarms page the on-call engineer.")], ctrl)
    nothing = decide([], control(), documents=[])
    assert (partial.status, partial.missing) == ("partial", "The figure each alert fires at.")
    assert nothing.missing == "Alert thresholds: nothing in the evidence addresses it."
    assert "No thresholds are given." not in partial.missing + nothing.missing  # the guide's shortfall text


def test_an_exception_that_narrows_the_scope_leaves_the_criterion_partial_with_the_quote():
    verdict = decide([reading("Alerts page the on-call rota for every account.", sim=0.8),
                      reading("The Workloads-Prod OU is excluded from alerting until cutover.", "excepted", sim=0.5)])
    assert verdict.status == "partial"
    assert "excluded from alerting" in verdict.missing


def test_a_markdown_heading_cut_after_its_number_is_still_a_heading():
    # The sentence splitter ends a sentence at "3."; the line says it is a heading.
    doc = Document(path="runbook.md", kind="markdown",
                   text="## 3. Troubleshooting scenarios\n\nWhen the 5xx alarm fires, the on-call engineer drains the host.\n")
    start = doc.text.index("Troubleshooting")
    title = Sentence(doc, start, start + len("Troubleshooting scenarios"), "Troubleshooting scenarios")
    body_start = doc.text.index("When")
    body = Sentence(doc, body_start, len(doc.text) - 1, doc.text[body_start:-1])
    assert title.heading and not body.heading


def test_a_document_titled_as_something_else_is_not_the_artifact_even_with_figures():
    # A costing procedure quotes example figures; it is how to estimate, not this customer's estimate.
    ctrl = control(slug="alerting", evidence="document", attachment_kinds=["markdown"],
                   document_shows=[r"\$\d"], document_is_not=[r"\bprocedure\b"])
    procedure = Document(path="sop.md", kind="markdown", text="FIN-SOP-002 Cloud Cost Modelling Procedure\n"
                                                               "Example: a $4,000 monthly estimate.")
    estimate = Document(path="estimate.md", kind="markdown", text="Tregaron - AWS estimate\nTotal $4,210 per month.")
    assert decide([], ctrl, documents=[procedure]).status == "not_met"
    assert decide([], ctrl, documents=[estimate]).status != "not_met"


def _sentence(doc: Document, text: str) -> Sentence:
    start = doc.text.index(text)
    return Sentence(doc, start, start + len(text), text)


def test_an_item_under_a_not_permitted_heading_names_a_ban_not_a_practice():
    doc = Document(path="access-standard.md", kind="markdown", text=(
        "### 3.2 Machine access\n- Pipelines assume roles through OIDC.\n\n"
        "### 3.3 Not permitted\n- IAM users with access keys for staff.\n- Shared logins.\n"))
    assert _sentence(doc, "- IAM users with access keys for staff.").under_a_ban
    assert not _sentence(doc, "- Pipelines assume roles through OIDC.").under_a_ban
    lead_in = Document(path="sop.md", kind="markdown", text="We never allow:\n- shared logins\n- root access keys\n")
    assert _sentence(lead_in, "- root access keys").under_a_ban


@pytest.mark.parametrize("text", [
    "KPI id (OPE-001) | Alarm | Threshold | Severity | Troubleshooting scenario",  # a Word table's header row
    "Slide 4 - Daily operational checks",
    "Architecture recap / Daily and weekly operations / Alerts / Troubleshooting / Escalation",
    "Step 3 - Export application logs",
    "Alerting",
    "Link to our OPE-001 KPIs",
])
def test_titles_header_rows_and_agendas_name_a_practice_without_claiming_it(text):
    assert is_heading(text)


def test_a_table_row_with_values_is_a_statement_not_a_header():
    assert not is_heading("RT-01 | Review dashboard LPG-eRx-Prod and alarm history | Daily 08:00 | Operator")


def test_a_glossary_defines_a_practice_without_claiming_it():
    doc = Document(path="design.md", kind="markdown", text=(
        "## 2. Definitions\n\nAuto Scaling: adjusts the number of EC2 instances to demand.\n\n"
        "## 3. Design\n\nThe web tier runs in an Auto Scaling group with target tracking at 55 % CPU.\n"))
    assert _sentence(doc, "Auto Scaling: adjusts the number of EC2 instances to demand.").heading
    assert not _sentence(doc, "The web tier runs in an Auto Scaling group with target tracking at 55 % CPU.").heading
    row = Document(path="glossary.md", kind="markdown",
                   text="CMK | Customer managed key: a KMS key that the customer creates, owns and manages.\n")
    assert _sentence(row, row.text.strip()).heading

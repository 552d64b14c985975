"""The app's main flows, driven in process with streamlit.testing (offline judge, fresh store)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import yaml
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from grader.cli import app as cli
from grader.evaluation.cases import load_cases
from grader.webapp import export
from grader.webapp.store import AssessmentStore
from tests.app.answers import ACCT_001_ANSWER, NOT_APPLICABLE, SOP_PAGES, sop_pdf

GRADER_MARKS = {"met", "partial", "not met"}


def control_panel(at: AppTest, control: str):
    """The results expander of one control (its label names the control and the verdicts)."""
    return next(e for e in at.expander if e.label.startswith(f"{control} · ") and "grader:" in e.label)


def input_tab(at: AppTest, control: str):
    return next(t for t in at.tabs if t.label.endswith(control))


def assess(at: AppTest) -> AppTest:
    at.button(key="assess").click().run()
    assert not at.exception, at.exception
    return at


def assess_acct_001_with_sop(at: AppTest, answer: str, tmp_path: Path) -> AppTest:
    """ACCT-001 answered and its SOP uploaded, then assessed."""
    at.text_area(key="answer_ACCT-001").input(answer)
    at.file_uploader(key="files_ACCT-001").upload("security-sop.pdf", sop_pdf(tmp_path), "application/pdf")
    return assess(at)


def override(at: AppTest, control: str, item: str, verdict: str, comment: str) -> AppTest:
    """The reviewer's form under a control: choose the item and verdict, comment, save."""
    at.selectbox(key=f"ov_item_{control}").select(item).run()
    at.selectbox(key=f"ov_verdict_{control}").select(verdict)
    at.text_input(key=f"ov_comment_{control}").input(comment)
    at.button(key=f"ov_save_{control}").click().run()
    assert not at.exception, at.exception
    return at


def test_pasted_answer_is_assessed_and_every_control_gets_a_verdict(app, contract) -> None:
    at = app()
    at.text_area(key="answer_ACCT-001").input(ACCT_001_ANSWER)
    at.text_area(key="answer_ACCT-002").input(NOT_APPLICABLE)
    assess(at)

    assert at.header[0].value == "Summary"
    passed = next(m for m in at.metric if m.label == "Controls passed")
    assert passed.value.endswith("/ 11")
    panels = [e for e in at.expander if "grader:" in e.label]
    assert [p.label.split(" · ")[0] for p in panels] == list(contract)

    acct = control_panel(at, "ACCT-001")
    table = acct.dataframe[0].value
    assert list(table["criterion"]) == contract["ACCT-001"]
    assert set(table["grader"]) <= GRADER_MARKS
    assert "met" in set(table["grader"])  # the strong answer meets criteria
    assert "grader: FAIL" in control_panel(at, "ACCT-002").label  # "N/A" fails outright
    unanswered = control_panel(at, "DOC-001")
    assert "grader: FAIL" in unanswered.label
    assert any("Not answered" in w.value for w in unanswered.warning)


def test_uploaded_file_is_quoted_with_file_and_page(app, tmp_path: Path) -> None:
    at = app()
    at.text_area(key="answer_ACCT-001").input(ACCT_001_ANSWER)
    at.file_uploader(key="files_ACCT-001").upload("security-sop.pdf", sop_pdf(tmp_path), "application/pdf")
    assess(at)

    panel = control_panel(at, "ACCT-001")
    cited = [c.value for c in panel.caption if "attach_file: security-sop.pdf" in c.value]
    assert cited, [c.value for c in panel.caption]
    assert any("security-sop.pdf, p. 2" in c for c in cited)
    # The quote shown is text of that page (markdown-escaped in the blockquote).
    quoted = [m.value for m in panel.markdown if m.value.startswith("> ")]
    page_two = " ".join(SOP_PAGES[1].split())
    assert any(q[2:].replace("\\", "")[:40] in page_two for q in quoted)


def test_bad_file_is_reported_beside_its_input_and_the_rest_is_still_graded(app) -> None:
    at = app()
    at.text_area(key="answer_DOC-001").input("Our architecture diagram is attached.")
    at.file_uploader(key="files_DOC-001").set_value([
        ("broken.pdf", b"%PDF-1.7 this is not really a PDF", "application/pdf"),
        ("diagram.vsdx", b"PK\x03\x04 visio", "application/octet-stream"),
    ])
    at.text_area(key="answer_ACCT-001").input(ACCT_001_ANSWER)
    assess(at)

    beside_input = [e.value for e in input_tab(at, "DOC-001").error]
    assert any(m.startswith("broken.pdf:") for m in beside_input), beside_input
    assert any(m.startswith("diagram.vsdx:") and "unsupported file type" in m for m in beside_input)
    in_results = [e.value for e in control_panel(at, "DOC-001").error]
    assert any("broken.pdf" in m for m in in_results)
    problems = next(m for m in at.metric if m.label == "Input problems")
    assert int(problems.value) >= 2
    # The other control is graded as usual.
    assert "met" in set(control_panel(at, "ACCT-001").dataframe[0].value["grader"])
    # ... and the message stays beside the input on the next rerun (tab now flagged).
    at.run()
    assert any(m.startswith("broken.pdf:") for m in (e.value for e in input_tab(at, "DOC-001").error))
    assert any(t.label == ":material/warning: DOC-001" for t in at.tabs)


def test_override_is_shown_beside_the_grader_and_exports_a_case_grader_eval_loads(
    app, store: AssessmentStore, tmp_path: Path
) -> None:
    at = app()
    at.text_input(key="reviewer").input("Dana Reviewer")
    assess_acct_001_with_sop(at, ACCT_001_ANSWER, tmp_path)
    graded = store.load(at.session_state.assessment_id).control("ACCT-001")
    grader_mfa = graded.criterion("root-mfa").status

    override(at, "ACCT-001", "root-mfa", "not_met", "The SOP only plans MFA; no evidence it is enabled.")

    panel = control_panel(at, "ACCT-001")
    row = panel.dataframe[0].value.set_index("criterion").loc["root-mfa"]
    assert row["reviewer"] == "not met"
    assert row["reviewer comment"].startswith("The SOP only plans MFA")
    assert row["grader"] == {"met": "met", "partial": "partial", "not_met": "not met"}[grader_mfa]
    assert "reviewer: FAIL" in panel.label and f"grader: {graded.verdict.upper()}" in panel.label
    assert at.download_button(key="download_cases").label == "Eval cases (1 reviewed)"
    # The stored assessment itself is untouched.
    assert store.load(at.session_state.assessment_id).control("ACCT-001") == graded

    # What the download serves: the zip of reviewed cases, in eval-case.md format.
    assessment_id = at.session_state.assessment_id
    data, result = export.export_zip(
        assessment_id, store.load(assessment_id), store.inputs(assessment_id), store.overrides(assessment_id)
    )
    cases_dir = tmp_path / "cases"
    zipfile.ZipFile(io.BytesIO(data)).extractall(cases_dir)
    (case,) = load_cases(cases_dir)
    assert case.control == "ACCT-001" and case.tags == ["reviewed"]
    assert case.expected.verdict == "fail"
    assert case.expected.criteria["root-mfa"] == "not_met"
    assert case.response.strip() == ACCT_001_ANSWER.strip()
    assert [Path(a).name for a in case.attachments] == ["security-sop.pdf"]
    assert "Dana Reviewer" in case.notes and "grader " + grader_mfa in case.notes
    raw = yaml.safe_load((cases_dir / result.cases[0]).read_text())
    assert list(raw) == ["id", "control", "response", "attachments", "expected", "tags", "notes"]

    outcome = CliRunner().invoke(cli, ["eval", "--cases", str(cases_dir), "--quiet", "--json", str(tmp_path / "e.json")])
    assert outcome.exit_code == 0, outcome.output
    assert '"n_cases": 1' in (tmp_path / "e.json").read_text()


def test_confirming_the_grader_marks_a_control_reviewed(app, store: AssessmentStore) -> None:
    at = app()
    at.text_area(key="answer_ACCT-001").input(ACCT_001_ANSWER)
    assess(at)
    at.button(key="ov_confirm_ACCT-001").click().run()

    (override,) = store.overrides(at.session_state.assessment_id)
    assert override.criterion is None and override.verdict == store.load(at.session_state.assessment_id).control("ACCT-001").verdict
    assert next(m for m in at.metric if m.label == "Reviewed controls").value == "1 / 11"


def test_unchanged_rerun_reuses_the_stored_result(app, store: AssessmentStore) -> None:
    at = app()
    at.text_area(key="answer_ACCT-001").input(ACCT_001_ANSWER)
    assess(at)
    first = at.session_state.assessment_id
    assess(at)
    assert at.session_state.assessment_id == first
    assert any("stored result was reused" in c.value for c in at.caption)
    assert len(store.history()) == 1

    at.text_area(key="answer_ACCT-001").input(ACCT_001_ANSWER + "\nReviewed quarterly.")
    assess(at)
    assert at.session_state.assessment_id != first
    assert len(store.history()) == 2


def test_sample_application_loads_with_one_click_and_is_assessed(app) -> None:
    at = app()
    at.button(key="load_sample").click().run()
    assert at.radio(key="input_mode").value == "Upload an application file"
    assert any("Sample application loaded" in i.value for i in at.info)
    assess(at)
    assert next(m for m in at.metric if m.label == "Controls passed").value.endswith("/ 11")
    assert any("attach_file: evidence/" in c.value for c in at.caption)


def test_unreadable_application_file_is_named_beside_the_uploader(app) -> None:
    at = app()
    at.radio(key="input_mode").set_value("Upload an application file").run()
    at.file_uploader(key="application_file").upload("partner.yaml", b"controls: [unclosed", "application/x-yaml")
    assess(at)
    shown = [e.value for e in at.error]
    assert any(m.startswith("partner.yaml: invalid YAML") for m in shown), shown
    assert "grader-app-" not in " ".join(shown)  # never the server's temporary folder
    assert not any(h.value == "Summary" for h in at.header)


def test_uploaded_application_file_finds_attachments_uploaded_beside_it(app, tmp_path: Path) -> None:
    application = {
        "partner": "Contoso Partners",
        "controls": {"ACCT-001": {"response": ACCT_001_ANSWER, "attachments": ["evidence/security-sop.pdf"]}},
    }
    at = app()
    at.radio(key="input_mode").set_value("Upload an application file").run()
    at.file_uploader(key="application_file").upload("application.yaml", yaml.safe_dump(application).encode())
    at.file_uploader(key="application_attachments").set_value([
        ("security-sop.pdf", sop_pdf(tmp_path), "application/pdf"),
        ("notes.txt", b"not referenced by the application", "text/plain"),
    ])
    assess(at)
    panel = control_panel(at, "ACCT-001")
    assert any("attach_file: evidence/security-sop.pdf" in c.value for c in panel.caption)
    assert any(e.value.startswith("notes.txt: uploaded but not referenced") for e in at.error)
    assert "Contoso Partners" in " ".join(c.value for c in at.caption)


def test_history_reopens_an_earlier_assessment(app, store: AssessmentStore) -> None:
    at = app()
    at.text_area(key="answer_ACCT-001").input(ACCT_001_ANSWER)
    assess(at)
    first = at.session_state.assessment_id
    at.text_area(key="answer_ACCT-001").input(NOT_APPLICABLE)
    assess(at)
    assert at.session_state.assessment_id != first

    at.selectbox(key="history_choice").select(first).run()
    at.button(key="open_history").click().run()
    assert at.session_state.assessment_id == first
    assert "met" in set(control_panel(at, "ACCT-001").dataframe[0].value["grader"])
    # Its answers are back in the form, to edit and assess again.
    assert at.text_area(key="answer_ACCT-001").value.strip() == ACCT_001_ANSWER.strip()


def test_a_reopened_assessment_is_edited_reassessed_with_its_files_and_shows_what_moved(
    app, store: AssessmentStore, tmp_path: Path
) -> None:
    at = app()
    at.text_input(key="partner").input("Northwind")
    assess_acct_001_with_sop(at, NOT_APPLICABLE, tmp_path)
    first = at.session_state.assessment_id

    fresh = app()  # another day, another browser tab: nothing typed
    fresh.selectbox(key="history_choice").select(first).run()
    fresh.button(key="open_history").click().run()
    assert fresh.text_input(key="partner").value == "Northwind"
    assert fresh.text_area(key="answer_ACCT-001").value.strip() == NOT_APPLICABLE.strip()
    kept = next(c.value for c in input_tab(fresh, "ACCT-001").caption if "Kept from the saved assessment" in c.value)
    assert "security-sop.pdf" in kept

    fresh.text_area(key="answer_ACCT-001").input(ACCT_001_ANSWER)
    assess(fresh)
    second = fresh.session_state.assessment_id
    assert second != first
    inputs = store.inputs(second)
    assert inputs.application.partner == "Northwind"
    assert [Path(a).name for a in inputs.application.controls["ACCT-001"].attachments] == ["security-sop.pdf"]
    assert list(inputs.files.values()) == list(store.inputs(first).files.values())  # the same bytes, graded again

    assert any(s.value == "What moved since the re-opened assessment" for s in fresh.subheader)
    moved = fresh.dataframe[0].value  # the first table on the page: what moved
    before, after = store.load(first).control("ACCT-001"), store.load(second).control("ACCT-001")
    expected = {f"ACCT-001 {c.slug}" for c in after.criteria if c.status != before.criterion(c.slug).status}
    assert expected and expected <= set(moved["item"])


def test_a_control_stays_open_after_its_override_is_saved(app) -> None:
    at = app()
    at.text_area(key="answer_ACCT-001").input(ACCT_001_ANSWER)
    assess(at)
    assert not control_panel(at, "ACCT-001").proto.expanded

    override(at, "ACCT-001", "root-mfa", "not_met", "Only planned.")

    panel = control_panel(at, "ACCT-001")
    assert "reviewer:" in panel.label and panel.proto.expanded
    assert not control_panel(at, "ACCT-002").proto.expanded


def test_a_cancelled_assessment_is_said_and_the_answers_are_kept(app) -> None:
    at = app()
    at.text_area(key="answer_ACCT-001").input(ACCT_001_ANSWER).run()
    # What a stopped run leaves behind: Cancel makes Streamlit stop the script mid-assessment,
    # so the mark set before grading is never cleared.
    at.session_state["assessing"] = True
    at.run()
    assert any("cancelled before it finished" in w.value for w in at.warning)
    assert at.text_area(key="answer_ACCT-001").value == ACCT_001_ANSWER
    at.run()  # said once
    assert not any("cancelled before it finished" in w.value for w in at.warning)


def test_a_finished_assessment_leaves_no_cancel_button_and_no_cancelled_notice(app) -> None:
    at = app()
    at.text_area(key="answer_ACCT-001").input(ACCT_001_ANSWER)
    assess(at)
    assert not any(b.key == "cancel_assessment" for b in at.button)
    assert not any("cancelled" in w.value for w in at.warning)
    assert at.session_state["assessing"] is False

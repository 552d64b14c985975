"""Running a judge over a case set and summarising: figures match the hand count."""

from __future__ import annotations

import pytest

from evalkit import CONTRACT_SLUGS, KeywordJudge, fake_assess, write
from grader.errors import UserError
from grader.evaluation.cases import load_cases
from grader.evaluation.run import EvalResult, run_eval
from grader.evaluation.summary import summarise


@pytest.fixture
def summary(foreign_set):
    cases = load_cases(foreign_set, CONTRACT_SLUGS)
    return summarise(run_eval(cases, KeywordJudge(), assess=fake_assess))


def test_control_level_figures(summary):
    # expected [pass, fail, pass, fail], judge [pass, fail, pass, pass] (see the foreign_set fixture)
    assert summary.n_cases == 4
    assert summary.control_accuracy == 0.75  # 3/4
    assert summary.control_kappa == 0.5  # (0.75 - 0.5) / (1 - 0.5)
    assert summary.fail_precision == 1.0  # tp 1, fp 0
    assert summary.fail_recall == 0.5  # tp 1, fn 1
    assert summary.fail_f1 == pytest.approx(0.6667)  # 2*1*0.5/1.5
    assert summary.control_confusion.matrix == [[2, 0], [1, 1]]  # rows expected pass/fail


def test_criterion_level_figures(summary):
    # 5 labeled criteria, only net-hedged's sg-internet (not_met -> met) disagrees
    assert (summary.n_criteria, summary.criterion_accuracy) == (5, 0.8)
    assert summary.criterion_confusion.cols == ["met", "partial", "not_met"]
    assert summary.criterion_confusion.matrix == [[3, 0, 0], [0, 0, 0], [1, 0, 1]]


def test_slices_per_control_and_per_tag(summary):
    assert list(summary.per_control) == ["ACCT-001", "NETSEC-001", "REL-001"]  # the guide's order
    assert summary.per_control["ACCT-001"].control_accuracy == 1.0
    assert summary.per_control["NETSEC-001"].fail_recall == 0.0
    assert summary.per_tag["good"].n_cases == 2  # acct-good and rel-iac
    assert summary.per_tag["planned"].criterion_accuracy == 0.0


def test_every_disagreement_carries_the_judges_rationale(summary):
    [d] = summary.disagreements
    assert (d.id, d.expected, d.got, d.rationale) == ("net-hedged", "fail", "pass", "keywords present")
    assert [(c.slug, c.expected, c.got, c.rationale) for c in d.criteria] == [
        ("sg-internet", "not_met", "met", "looked for 'sg-internet'")
    ]


def test_cost_is_counted(summary):
    assert (summary.llm_calls, summary.prompt_tokens, summary.completion_tokens) == (4, 40, 8)
    assert summary.seconds_per_case is not None and summary.seconds_per_case >= 0


def test_progress_is_reported_after_each_case(foreign_set):
    cases = load_cases(foreign_set, CONTRACT_SLUGS)
    seen = []
    run_eval(cases, KeywordJudge(), assess=fake_assess, progress=lambda done, total, cid: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_a_case_that_crashes_is_recorded_as_a_wrong_answer(tmp_path):
    write(tmp_path / "c.yaml", "id: boom\ncontrol: OPE-003\nresponse: CRASH\n"
                               "expected: {verdict: fail, criteria: {checklist: not_met}}\n")
    summary = summarise(run_eval(load_cases(tmp_path, CONTRACT_SLUGS), KeywordJudge(), assess=fake_assess))
    assert summary.errors == 1
    assert summary.fail_recall == 0.0
    assert summary.control_confusion.cols == ["pass", "fail", "error"]
    assert summary.disagreements[0].error == "RuntimeError: reader exploded"
    assert summary.criterion_confusion.cols == ["met", "partial", "not_met", "missing"]


def test_a_user_error_stops_the_run(tmp_path):
    write(tmp_path / "c.yaml", "id: c\ncontrol: OPE-003\nresponse: x\nexpected: {verdict: pass}\n")

    def no_index(answer, base_dir, judge):
        raise UserError("no knowledge index; run `grader index`")

    with pytest.raises(UserError, match="grader index"):
        run_eval(load_cases(tmp_path, CONTRACT_SLUGS), KeywordJudge(), assess=no_index)


def test_bad_answers_passed_are_listed_with_why_each_criterion_was_taken_as_met(summary):
    [bad] = summary.bad_passed
    assert (bad.id, bad.expected, bad.got) == ("net-hedged", "fail", "pass")
    assert summary.per_control["NETSEC-001"].bad_passed == 1


def test_headline_figures_carry_95_percent_intervals(summary):
    # control accuracy 3/4, fail recall 1/2: Wilson intervals around them, never [p, p]
    assert summary.control_accuracy_ci.low < 0.75 < summary.control_accuracy_ci.high
    assert summary.fail_recall_ci.low < 0.5 < summary.fail_recall_ci.high
    assert summary.per_tag["good"].control_accuracy_ci is not None


def test_cases_of_a_split_corpus_are_reported_per_part(tmp_path):
    for part, verdict in (("dev", "pass"), ("test", "fail"), ("test", "pass")):
        write(tmp_path / "corpus" / part / "voice" / f"{verdict}.yaml", f"""
            id: {part}-{verdict}
            control: REL-001
            response: automation-tooling {'N/A' if verdict == 'fail' else ''}
            expected: {{verdict: {verdict}}}
            """)
    summary = summarise(run_eval(load_cases(tmp_path / "corpus", CONTRACT_SLUGS), KeywordJudge(), assess=fake_assess))
    assert {k: v.n_cases for k, v in summary.per_part.items()} == {"dev": 1, "test": 2}
    # One part run alone is still named as that part.
    one_part = summarise(run_eval(load_cases(tmp_path / "corpus" / "test", CONTRACT_SLUGS), KeywordJudge(),
                                  assess=fake_assess))
    assert list(one_part.per_part) == ["test"]


def test_with_two_judges_eval_reports_how_often_they_agree_and_how_right_each_side_is():
    from grader.evaluation.run import CaseResult

    def case(i: int, expected: str, got: str, agree: bool) -> CaseResult:
        return CaseResult(id=f"c{i}", control="OPE-001", file=f"c{i}.yaml", expected=expected, got=got,
                          judges_agree=agree)

    # agree on 3 (2 right), disagree on 1 (right): agreement 0.75, 2/3 and 1/1
    results = [case(1, "pass", "pass", True), case(2, "fail", "fail", True), case(3, "fail", "pass", True),
               case(4, "fail", "fail", False)]
    summary = summarise(EvalResult(judge="llm", results=results, seconds=0.0))
    assert summary.judges_agreement == 0.75
    assert (summary.accuracy_where_judges_agree, summary.accuracy_where_judges_disagree) == (0.6667, 1.0)

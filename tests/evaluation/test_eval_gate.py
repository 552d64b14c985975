"""The regression gate: drops beyond the tolerance fail, and say what got worse."""

from __future__ import annotations

import json

import pytest

from grader.evaluation.gate import BaselineError, load_baseline, regressions

BASELINE = {"control_accuracy": 0.93, "fail_recall": 0.98, "criterion_accuracy": 0.86}


def test_no_drop_passes():
    assert regressions(dict(BASELINE), BASELINE, 0.02) == []


def test_improvements_and_drops_within_tolerance_pass():
    current = {"control_accuracy": 0.99, "fail_recall": 0.97, "criterion_accuracy": 0.84}  # -0.01, -0.02
    assert regressions(current, BASELINE, 0.02) == []


def test_a_drop_beyond_tolerance_fails_and_names_the_metric():
    current = {**BASELINE, "control_accuracy": 0.88}
    [found] = regressions(current, BASELINE, 0.02)
    assert str(found) == "control_accuracy 0.93 -> 0.88 (-0.05 > 0.02)"


def test_every_worse_metric_is_listed():
    current = {"control_accuracy": 0.5, "fail_recall": 0.5, "criterion_accuracy": 0.86}
    assert [r.metric for r in regressions(current, BASELINE, 0.02)] == ["control_accuracy", "fail_recall"]


def test_zero_tolerance_refuses_any_drop():
    [found] = regressions({**BASELINE, "fail_recall": 0.979}, BASELINE, 0.0)
    assert str(found) == "fail_recall 0.98 -> 0.979 (-0.001 > 0)"


def test_a_figure_that_cannot_be_measured_fails_the_gate():
    [found] = regressions({**BASELINE, "fail_recall": None}, BASELINE, 0.02)
    assert str(found) == "fail_recall 0.98 -> n/a (not measurable on these cases)"


def test_a_full_json_report_serves_as_baseline(tmp_path):
    path = tmp_path / "report.json"
    path.write_text(json.dumps({**BASELINE, "per_tag": {}, "n_cases": 88}))
    assert load_baseline(path) == BASELINE


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "baseline file not found"),
        ("{not json", "baseline is not valid JSON"),
        ("[1, 2]", "baseline must be a JSON object"),
        ('{"control_accuracy": 0.9, "fail_recall": 0.9}', "baseline key 'criterion_accuracy' must be a number"),
    ],
)
def test_bad_baselines_are_named_errors(tmp_path, content, problem):
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(BaselineError) as caught:
        load_baseline(path)
    assert str(caught.value).startswith(f"{path}: {problem}")

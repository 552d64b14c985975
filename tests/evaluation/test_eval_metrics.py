"""Metric code against values computed by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import pytest

from grader.evaluation.metrics import (
    accuracy,
    binary_scores,
    cohen_kappa,
    confusion_matrix,
    group_by,
    ordered_labels,
    wilson_interval,
)


def test_accuracy_is_the_share_of_equal_labels():
    # 3 of 4 pairs agree -> 0.75
    assert accuracy(["pass", "fail", "pass", "fail"], ["pass", "fail", "pass", "pass"]) == 0.75


def test_accuracy_of_nothing_is_undefined():
    assert accuracy([], []) is None


def test_label_sequences_must_pair_up():
    with pytest.raises(ValueError, match="expected 2 labels but got 1"):
        accuracy(["pass", "fail"], ["pass"])


def test_kappa_textbook_two_raters():
    # 50 items: (yes,yes)=20 (yes,no)=5 (no,yes)=10 (no,no)=15
    # p_o = (20+15)/50 = 0.70
    # expected says yes 25/50 = 0.5, judge says yes 30/50 = 0.6
    # p_e = 0.5*0.6 + 0.5*0.4 = 0.50
    # kappa = (0.70-0.50)/(1-0.50) = 0.40
    expected = ["yes"] * 20 + ["yes"] * 5 + ["no"] * 10 + ["no"] * 15
    got = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(expected, got) == pytest.approx(0.40)


def test_kappa_of_the_small_run():
    # expected [P,F,P,F] got [P,F,P,P]: p_o = 3/4
    # expected P=2 F=2, judge P=3 F=1: p_e = (2*3 + 2*1)/16 = 0.5
    # kappa = (0.75-0.5)/(1-0.5) = 0.5
    assert cohen_kappa(["pass", "fail", "pass", "fail"], ["pass", "fail", "pass", "pass"]) == pytest.approx(0.5)


def test_kappa_three_labels():
    # expected [met, met, partial, not_met, not_met, met]
    # judge    [met, partial, partial, not_met, met, met]
    # p_o = 4/6 (positions 1,3,4,6 agree)
    # expected counts met 3 partial 1 not_met 2; judge met 3 partial 2 not_met 1
    # p_e = (3*3 + 1*2 + 2*1)/36 = 13/36
    # kappa = (4/6 - 13/36) / (1 - 13/36) = (24/36 - 13/36)/(23/36) = 11/23
    expected = ["met", "met", "partial", "not_met", "not_met", "met"]
    got = ["met", "partial", "partial", "not_met", "met", "met"]
    assert cohen_kappa(expected, got) == pytest.approx(11 / 23)


def test_kappa_of_complete_disagreement_is_negative():
    # p_o = 0, p_e = (1*1 + 1*1)/4 = 0.5 -> kappa = -0.5/0.5 = -1
    assert cohen_kappa(["pass", "fail"], ["fail", "pass"]) == pytest.approx(-1.0)


def test_kappa_of_perfect_agreement_with_both_labels_is_one():
    # p_o = 1, p_e = (1*1 + 1*1)/4 = 0.5 -> kappa = 0.5/0.5 = 1
    assert cohen_kappa(["pass", "fail"], ["pass", "fail"]) == pytest.approx(1.0)


def test_kappa_is_undefined_when_chance_agreement_is_certain():
    # every label "fail" on both sides: p_e = (3*3)/9 = 1, kappa = 0/0
    assert cohen_kappa(["fail"] * 3, ["fail"] * 3) is None
    assert cohen_kappa([], []) is None


def test_fail_precision_recall_f1():
    # expected [F,F,F,P,P], judge [F,P,F,F,P]
    # tp = 2 (1st, 3rd), fn = 1 (2nd), fp = 1 (4th), tn = 1 (5th)
    # precision = 2/3, recall = 2/3, f1 = 2*(2/3)*(2/3)/(4/3) = 2/3
    scores = binary_scores(["fail", "fail", "fail", "pass", "pass"], ["fail", "pass", "fail", "fail", "pass"], "fail")
    assert (scores.tp, scores.fp, scores.fn, scores.tn) == (2, 1, 1, 1)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)


def test_f1_with_unequal_precision_and_recall():
    # expected [F,F,P,F], judge [F,P,P,P]: tp=1 fn=2 fp=0
    # precision = 1/1 = 1, recall = 1/3, f1 = 2*1*(1/3)/(1+1/3) = (2/3)/(4/3) = 0.5
    scores = binary_scores(["fail", "fail", "pass", "fail"], ["fail", "pass", "pass", "pass"], "fail")
    assert (scores.precision, scores.f1) == (1.0, pytest.approx(0.5))
    assert scores.recall == pytest.approx(1 / 3)


def test_precision_is_undefined_when_the_judge_never_fails():
    # judge never says fail: tp+fp = 0 -> precision undefined; recall 0/1 = 0
    scores = binary_scores(["fail", "pass"], ["pass", "pass"], "fail")
    assert scores.precision is None
    assert scores.recall == 0.0
    assert scores.f1 is None


def test_f1_is_zero_when_every_fail_call_is_wrong():
    # tp = 0, fp = 1, fn = 1: precision 0/1 = 0, recall 0/1 = 0, f1 = 0
    scores = binary_scores(["fail", "pass"], ["pass", "fail"], "fail")
    assert (scores.precision, scores.recall, scores.f1) == (0.0, 0.0, 0.0)


def test_an_error_verdict_is_a_missed_fail_not_a_caught_one():
    # an errored case labeled fail counts as fn: recall = 1/2
    assert binary_scores(["fail", "fail"], ["fail", "error"], "fail").recall == 0.5


def test_confusion_matrix_rows_are_expected_cols_are_the_judge():
    expected = ["met", "met", "partial", "not_met", "not_met", "met"]
    got = ["met", "partial", "partial", "not_met", "met", "missing"]
    labels = ["met", "partial", "not_met"]
    cols = ordered_labels(labels, got)
    #            met partial not_met missing
    # met         1     1       0      1
    # partial     0     1       0      0
    # not_met     1     0       1      0
    assert cols == ["met", "partial", "not_met", "missing"]
    assert confusion_matrix(expected, got, labels, cols) == [[1, 1, 0, 1], [0, 1, 0, 0], [1, 0, 1, 0]]


def test_confusion_matrix_refuses_labels_outside_it():
    with pytest.raises(ValueError, match="outside the matrix"):
        confusion_matrix(["pass"], ["error"], ["pass", "fail"], ["pass", "fail"])


def test_group_by_puts_an_item_in_every_slice_it_belongs_to():
    items = [("a", ["x", "y"]), ("b", ["y"]), ("c", [])]
    assert group_by(items, lambda item: item[1]) == {"x": [items[0]], "y": [items[0], items[1]]}


def test_wilson_interval_by_hand():
    # 8 of 10: p = 0.8, z = 1.96, z^2 = 3.8415
    # centre = (0.8 + 3.8415/20) / (1 + 3.8415/10) = 0.99207 / 1.38415 = 0.71674
    # half   = 1.96 * sqrt(0.8*0.2/10 + 3.8415/400) / 1.38415 = 1.96 * 0.16 ... = 0.24698
    interval = wilson_interval(8, 10)
    assert interval.low == pytest.approx(0.4902, abs=1e-4)
    assert interval.high == pytest.approx(0.9433, abs=1e-4)


def test_wilson_interval_stays_open_at_a_perfect_score():
    # The normal approximation would say [1, 1]: no doubt at all after 5 cases.
    interval = wilson_interval(5, 5)
    assert interval.high == 1.0
    assert interval.low == pytest.approx(0.5655, abs=1e-4)


def test_wilson_interval_of_nothing_is_undefined():
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(3, 2)

"""Advice a partner can act on: "Missing" and "Fix" never ask for what a quote above shows.

Checked on every case of eval/cases and of the corpus dev part, graded by the offline judge:
- a criterion whose Missing says nothing addresses it shows no quote;
- an aspect named as missing (knowledge/: "the trail covers all regions") is not asserted by
  any quote shown for that criterion, by the aspect's own cues;
- the Fix of a criterion that misses only some aspects asks for those, not for the ones shown.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.catalogue import get_catalogue
from grader.engine import assess_control, make_judge
from grader.evaluation.cases import load_cases
from grader.judges.offline.reading import is_heading, matching
from grader.models import ControlAssessment
from grader.stance import classify, own_negations

ROOT = Path(__file__).resolve().parents[2]
SETS = [ROOT / "eval" / "cases", ROOT / "eval" / "corpus" / "dev"]
NOTHING = "nothing in the evidence addresses it"


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, ControlAssessment]]:
    mp = pytest.MonkeyPatch()
    mp.setenv("GRADER_HOME", str(tmp_path_factory.mktemp("home")))
    mp.delenv("GRADER_CHROMA_URL", raising=False)
    from grader.config import reset_settings

    reset_settings()
    try:
        judge = make_judge("offline")
        return [(f"{case.path.name}", assess_control(case.answer(), case.base_dir, judge))
                for folder in SETS for case in load_cases(folder)]
    finally:
        mp.undo()
        reset_settings()


def asserts(cues: list[str], text: str) -> bool:
    found = matching(cues, text)
    return bool(found) and classify(text, found[1], own_negations(found[0])) == "asserted"


def test_every_case_of_both_sets_was_graded(graded: list[tuple[str, ControlAssessment]]) -> None:
    assert len(graded) >= 250  # eval/cases and the 159 cases of the corpus dev part


def test_no_missing_item_contradicts_a_quote_shown_for_the_same_criterion(
    graded: list[tuple[str, ControlAssessment]]
) -> None:
    catalogue = get_catalogue()
    contradictions = []
    for case, result in graded:
        control = catalogue[result.control]
        for verdict in result.criteria:
            if verdict.status == "met":
                assert not verdict.missing and not verdict.fix, f"{case} {verdict.slug}: met yet something missing"
                continue
            if NOTHING in verdict.missing and verdict.quotes:
                contradictions.append(f"{case} {verdict.slug}: says nothing addresses it, quotes {verdict.quotes[0].text!r}")
            criterion = control.criterion(verdict.slug)
            for aspect in criterion.aspects if criterion else []:
                if aspect.name.lower() not in verdict.missing.lower():
                    continue
                shown = [q.text for q in verdict.quotes if asserts(aspect.cues, q.text)]
                # An aspect shown by a list (a checklist's items) needs that many lines, not one.
                if len(shown) >= aspect.min_lines:
                    contradictions.append(f"{case} {verdict.slug}: missing {aspect.name!r}, quoted {shown[0]!r}")
    assert not contradictions, "\n".join(contradictions[:20])


def test_a_fix_asks_only_for_the_aspects_the_evidence_lacks(graded: list[tuple[str, ControlAssessment]]) -> None:
    catalogue = get_catalogue()
    checked = 0
    for case, result in graded:
        for verdict in result.criteria:
            criterion = catalogue[result.control].criterion(verdict.slug)
            if criterion is None or verdict.status != "partial" or not criterion.aspects:
                continue
            missing = [a for a in criterion.aspects if a.name.lower() in verdict.missing.lower()]
            if not missing or len(missing) == len(criterion.aspects):
                continue
            checked += 1
            for aspect in criterion.aspects:
                asked = bool(aspect.fix) and aspect.fix in verdict.fix
                assert asked == (aspect in missing), f"{case} {verdict.slug}: fix {verdict.fix!r}"
    assert checked, "no case misses only some aspects of a criterion: nothing was shown"


def test_no_met_criterion_is_backed_by_a_heading(graded: list[tuple[str, ControlAssessment]]) -> None:
    # A heading, a title or a table-of-contents line names a practice; it never shows it in place.
    headings = [f"{case} {verdict.slug}: {quote.text!r}"
                for case, result in graded for verdict in result.criteria if verdict.status == "met"
                for quote in verdict.quotes if is_heading(quote.text)]
    assert not headings, "\n".join(headings[:20])

"""The blind corpus as shipped: it loads, it labels everything, and its parts stay apart."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from grader.catalogue import CONTROL_IDS, get_catalogue
from grader.evaluation.cases import load_cases

CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus"


@pytest.fixture(scope="module")
def parts():
    return {part: load_cases(CORPUS / part) for part in ("dev", "test")}


def test_the_corpus_is_large_enough_for_every_control(parts):
    cases = parts["dev"] + parts["test"]
    assert len(cases) >= 250
    per_control = Counter(c.control for c in cases)
    assert set(per_control) == set(CONTROL_IDS)
    assert min(per_control.values()) >= 18
    assert sum("real-document" in c.tags for c in cases) >= 84
    share_fail = sum(c.expected.verdict == "fail" for c in cases) / len(cases)
    assert 0.55 <= share_fail <= 0.65


def test_every_case_labels_every_criterion_of_its_control(parts):
    catalogue = get_catalogue()
    for case in parts["dev"] + parts["test"]:
        assert set(case.expected.criteria) == set(catalogue[case.control].slugs), case.id
        if case.expected.verdict == "pass":
            assert set(case.expected.criteria.values()) == {"met"}, case.id


def test_the_parts_are_about_sixty_forty_and_share_no_case_or_file(parts):
    dev, test = parts["dev"], parts["test"]
    assert 0.55 <= len(dev) / (len(dev) + len(test)) <= 0.65
    assert not {c.id for c in dev} & {c.id for c in test}
    dev_files = {(c.base_dir / a).resolve() for c in dev for a in c.attachments}
    test_files = {(c.base_dir / a).resolve() for c in test for a in c.attachments}
    assert not {f.relative_to(CORPUS / "dev") for f in dev_files} & {f.relative_to(CORPUS / "test") for f in test_files}


def test_every_real_document_names_its_source_and_licence(parts):
    for case in parts["dev"] + parts["test"]:
        if "real-document" in case.tags:
            assert "/" in case.notes and any(word in case.notes.lower() for word in (
                "licen", "apache", "mit", "cc0", "cc by", "public domain")), case.id

"""Loading labeled cases: any directory in the eval-case.md format, every problem named."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit import CONTRACT_SLUGS, write
from grader.evaluation.cases import CaseLoadError, load_cases, select_cases


def _problems(directory: Path) -> list[str]:
    with pytest.raises(CaseLoadError) as caught:
        load_cases(directory, CONTRACT_SLUGS)
    return [str(p) for p in caught.value.problems]


def _case(control="ACCT-001", expected="verdict: pass", extra="") -> str:
    return f"id: c1\ncontrol: {control}\nresponse: text\nexpected:\n  {expected}\n{extra}"


def test_someone_elses_set_loads_recursively_and_skips_non_case_yaml(foreign_set):
    cases = load_cases(foreign_set, CONTRACT_SLUGS)

    assert sorted(c.id for c in cases) == ["acct-good", "acct-na", "net-hedged", "rel-iac"]
    # The CloudFormation template (with !Ref / !Sub), a list and a scalar are not cases.
    assert all(c.path.name not in ("stack.yaml", "notes.yml", "README.yaml") for c in cases)


def test_case_fields_follow_the_spec(foreign_set):
    good = next(c for c in load_cases(foreign_set, CONTRACT_SLUGS) if c.id == "acct-good")

    assert good.control == "ACCT-001"
    assert good.expected.verdict == "pass"
    assert good.expected.criteria == {"root-mfa": "met", "cloudtrail": "met"}
    assert good.tags == ["good"]
    assert good.base_dir == foreign_set / "team-a/acct"
    assert good.answer().attachments == ["files/sop.md"]


def test_full_criterion_ids_are_read_as_bare_slugs(foreign_set):
    na = next(c for c in load_cases(foreign_set, CONTRACT_SLUGS) if c.id == "acct-na")

    assert na.expected.criteria == {"root-mfa": "not_met"}


def test_the_catalogue_supplies_the_slugs_by_default(foreign_set, contract_catalogue):
    assert len(load_cases(foreign_set)) == 4


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("control: ACCT-001\nresponse: x\n", "has 'control' but no 'expected': a case needs both"),
        ("expected: {verdict: pass}\nresponse: x\n", "has 'expected' but no 'control': a case needs both"),
        (_case(control="ACCT-009"), "unknown control 'ACCT-009'"),
        (_case(expected="verdict: pass\n  criteria: {root-mfa: met, mfa-root: met}"),
         "unknown criterion 'mfa-root' for ACCT-001"),
        (_case(expected="verdict: maybe"), "field 'expected.verdict'"),
        (_case(expected="verdict: pass\n  criteria: {root-mfa: yes}"), "field 'expected.criteria.root-mfa'"),
        (_case(extra="attachments: [files/missing.pdf]\n"), "case 'c1': attachment 'files/missing.pdf' not found"),
        (_case(extra="respones: typo\n"), "field 'respones': Extra inputs are not permitted"),
        ("control: ACCT-001\nexpected: {verdict: pass\n", "invalid YAML"),
    ],
)
def test_each_load_error_names_the_file(tmp_path, text, problem):
    write(tmp_path / "sub/case.yaml", text)

    [reported] = _problems(tmp_path)

    assert reported.startswith(f"{tmp_path / 'sub/case.yaml'}: ")
    assert problem in reported


def test_duplicate_ids_are_a_load_error_naming_both_files(tmp_path):
    write(tmp_path / "a.yaml", _case())
    write(tmp_path / "b.yml", _case())

    [reported] = _problems(tmp_path)

    assert reported == f"{tmp_path / 'b.yml'}: duplicate id 'c1' (also in {tmp_path / 'a.yaml'})"


def test_all_problems_are_collected_not_just_the_first(tmp_path):
    write(tmp_path / "one.yaml", _case(control="NOPE-1"))
    write(tmp_path / "two.yaml", "control: ACCT-001\n")
    write(tmp_path / "fine.yaml", _case().replace("id: c1", "id: c2"))

    problems = _problems(tmp_path)

    assert [p.split(": ")[0] for p in problems] == [str(tmp_path / "one.yaml"), str(tmp_path / "two.yaml")]


def test_an_unparsable_attachment_is_skipped_not_an_error(tmp_path):
    write(tmp_path / "case.yaml", _case())
    write(tmp_path / "files/broken.yaml", "key: [unclosed\n")

    assert [c.id for c in load_cases(tmp_path, CONTRACT_SLUGS)] == ["c1"]


def test_a_directory_without_cases_is_an_error(tmp_path):
    write(tmp_path / "template.yaml", "Resources: {}\n")

    assert _problems(tmp_path) == [f"{tmp_path}: no eval cases found (*.yaml / *.yml)"]
    assert _problems(tmp_path / "absent") == [f"{tmp_path / 'absent'}: case directory not found"]


def test_select_by_any_tag_and_by_control(foreign_set):
    cases = load_cases(foreign_set, CONTRACT_SLUGS)

    assert {c.id for c in select_cases(cases, tags=["good", "planned"])} == {"acct-good", "rel-iac", "net-hedged"}
    assert {c.id for c in select_cases(cases, controls=["ACCT-001"])} == {"acct-good", "acct-na"}
    assert {c.id for c in select_cases(cases, tags=["good"], controls=["ACCT-001"])} == {"acct-good"}
    assert select_cases(cases) == cases


def test_empty_optional_keys_mean_none_given(tmp_path):
    write(tmp_path / "c.yaml", "id: 7\ncontrol: OPE-003\nresponse:\nattachments:\ntags:\nexpected:\n  verdict: fail\n  criteria:\n")

    [case] = load_cases(tmp_path, CONTRACT_SLUGS)

    assert (case.id, case.response, case.attachments, case.tags, case.expected.criteria) == ("7", "", [], [], {})

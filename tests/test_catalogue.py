"""The control catalogue: exactly the contract's controls and slugs, and clear errors."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from grader.catalogue import CONTROL_IDS, CatalogueError, load_catalogue, load_control
from grader.config import REPO_ROOT

SHIPPED = REPO_ROOT / "knowledge"

VALID_CONTROL = {
    "id": "OPE-003",
    "title": "Deployment readiness",
    "requirement": "Describe how deployments are tested before production.",
    "criteria_for_passing": ["The testing process is described."],
    "why_it_matters": "Untested changes break production.",
    "criteria": [
        {
            "slug": "testing-process",
            "title": "Testing process",
            "description": "Testing in non-production environments.",
            "acceptable_evidence": ["Dev, staging and prod accounts."],
            "shortfalls": ["We test things."],
            "cues": [r"\bstaging\b"],
            "fix": "Describe the environments.",
        }
    ],
    "good_examples": [{"text": "Changes go through dev and staging before prod."}],
    "unacceptable_examples": [{"text": "N/A"}],
    "unacceptable_patterns": [
        {"id": "na", "description": "Answer is N/A", "pattern": r"^\s*n/?a\s*$", "scope": "response"}
    ],
}


def write_control(directory: Path, data: dict, name: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name or data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def with_change(change) -> dict:
    data = copy.deepcopy(VALID_CONTROL)
    change(data)
    return data


# --------------------------------------------------------------------------- shipped catalogue


def test_the_shipped_catalogue_holds_the_eleven_controls_and_exactly_the_contract_slugs(contract):
    catalogue = load_catalogue(SHIPPED)
    assert list(catalogue.controls) == list(contract)
    for control in catalogue:
        assert control.slugs == contract[control.id], control.id


def test_the_code_lists_the_same_control_ids_as_the_contract(contract):
    assert list(CONTROL_IDS) == list(contract)


def test_every_shipped_control_is_complete_enough_to_calibrate_against():
    for control in load_catalogue(SHIPPED):
        assert control.requirement.strip() and control.why_it_matters.strip(), control.id
        assert control.good_examples and control.unacceptable_examples, control.id
        for criterion in control.criteria:
            assert criterion.description.strip() and criterion.fix.strip(), (control.id, criterion.slug)


def test_every_shipped_file_has_a_content_hash(contract):
    catalogue = load_catalogue(SHIPPED)
    assert set(catalogue.hashes) == set(contract)
    assert all(len(h) == 64 for h in catalogue.hashes.values())


# --------------------------------------------------------------------------- validation errors


def test_a_valid_control_file_loads(tmp_path):
    control, digest = load_control(write_control(tmp_path, VALID_CONTROL))
    assert control.slugs == ["testing-process"] and len(digest) == 64


def test_a_missing_field_names_the_file_and_the_field(tmp_path):
    data = with_change(lambda d: d["criteria"][0].pop("acceptable_evidence"))
    path = write_control(tmp_path, data)
    with pytest.raises(CatalogueError) as err:
        load_control(path)
    assert str(path) in str(err.value)
    assert "criteria.0.acceptable_evidence" in str(err.value)


def test_an_unknown_field_is_rejected_by_name(tmp_path):
    path = write_control(tmp_path, with_change(lambda d: d.update(requirment="typo")))
    with pytest.raises(CatalogueError, match=r"field 'requirment'"):
        load_control(path)


def test_an_id_that_does_not_match_the_file_name_is_an_error(tmp_path):
    path = write_control(tmp_path, VALID_CONTROL, name="REL-001")
    with pytest.raises(CatalogueError, match=r"REL-001\.yaml: field 'id': 'OPE-003' does not match"):
        load_control(path)


def test_an_invalid_regular_expression_in_a_cue_names_the_cue(tmp_path):
    path = write_control(tmp_path, with_change(lambda d: d["criteria"][0]["cues"].append("(unclosed")))
    with pytest.raises(CatalogueError) as err:
        load_control(path)
    assert "criteria.0.cues" in str(err.value) and "(unclosed" in str(err.value)


def test_an_invalid_unacceptable_pattern_is_an_error(tmp_path):
    path = write_control(
        tmp_path, with_change(lambda d: d["unacceptable_patterns"][0].update(pattern="[a-"))
    )
    with pytest.raises(CatalogueError, match=r"unacceptable_patterns\.0\.pattern"):
        load_control(path)


def test_an_example_naming_an_unknown_criterion_is_an_error(tmp_path):
    path = write_control(tmp_path, with_change(lambda d: d["good_examples"][0].update(criteria=["nope"])))
    with pytest.raises(CatalogueError, match="unknown criterion 'nope'"):
        load_control(path)


def test_broken_yaml_names_the_file(tmp_path):
    path = tmp_path / "OPE-003.yaml"
    path.write_text("id: OPE-003\ncriteria: [unclosed\n")
    with pytest.raises(CatalogueError, match=r"OPE-003\.yaml: invalid YAML"):
        load_control(path)


def test_a_catalogue_missing_a_control_or_holding_an_extra_one_is_an_error(tmp_path):
    controls = tmp_path / "knowledge" / "controls"
    shutil.copytree(SHIPPED / "controls", controls)
    (controls / "COST-001.yaml").unlink()
    with pytest.raises(CatalogueError, match=r"missing \['COST-001'\]"):
        load_catalogue(tmp_path / "knowledge")

    shutil.copy(SHIPPED / "controls" / "COST-001.yaml", controls / "COST-001.yaml")
    extra = yaml.safe_load((controls / "REL-001.yaml").read_text())
    extra["id"] = "REL-003"
    write_control(controls, extra)
    with pytest.raises(CatalogueError, match=r"unexpected \['REL-003'\]"):
        load_catalogue(tmp_path / "knowledge")


def test_options_left_empty_keep_the_environment_and_unknown_options_are_refused(monkeypatch):
    from grader.config import reset_settings, settings_with

    monkeypatch.setenv("GRADER_MODEL", "from-env")
    reset_settings()
    try:
        assert settings_with(model=None, base_url="").model == "from-env"
        assert settings_with(model="flag").model == "flag"
        with pytest.raises(TypeError, match="unknown setting"):
            settings_with(modle="typo")
    finally:
        reset_settings()

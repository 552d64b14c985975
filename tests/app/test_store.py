"""The assessment store: what is kept, what never is, and where it lives."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import ValidationError

from grader.config import reset_settings
from grader.models import Application, Assessment, ControlAnswer, ControlAssessment, CriterionVerdict
from grader.webapp.store import AssessmentStore, Override, StoreError, database_url, open_store


def graded(partner: str = "Contoso", verdict: str = "pass", minutes_ago: int = 0) -> Assessment:
    return Assessment(
        partner=partner,
        judge="offline",
        created=datetime.now(timezone.utc) - timedelta(minutes=minutes_ago),
        controls=[ControlAssessment(
            control="ACCT-001", title="Secure account governance", verdict=verdict,  # type: ignore[arg-type]
            criteria=[CriterionVerdict(slug="root-mfa", status="met")],
        )],
    )


def answered() -> Application:
    return Application(
        partner="Contoso", base_dir="/tmp/some-upload-folder",
        controls={"ACCT-001": ControlAnswer(control="ACCT-001", response="Root MFA.", attachments=["sop.md"])},
    )


def test_default_store_is_a_sqlite_file_under_grader_home(grader_home: Path) -> None:
    assert database_url() == f"sqlite:///{grader_home / 'assessments.sqlite'}"
    store = open_store()
    store.save(graded(), answered(), {})
    assert (grader_home / "assessments.sqlite").is_file()


def test_grader_db_url_selects_another_database(grader_home: Path, tmp_path: Path, monkeypatch) -> None:
    shared = tmp_path / "shared" / "team.db"
    monkeypatch.setenv("GRADER_DB_URL", f"sqlite:///{shared}")
    reset_settings()
    store = open_store()
    store.save(graded(), answered(), {})
    assert shared.is_file()
    assert not (grader_home / "assessments.sqlite").exists()


def test_a_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a SQLAlchemy database URL"):
        AssessmentStore("not a url")
    with pytest.raises(StoreError, match="cannot open the assessment store"):
        AssessmentStore("postgresql://grader:pw@127.0.0.1:1/none")  # no driver / no server


def test_assessment_and_its_inputs_round_trip(tmp_path: Path) -> None:
    store = AssessmentStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
    original = graded()
    assessment_id = store.save(original, answered(), {"sop.md": b"# SOP\x00binary-safe"})
    assert store.load(assessment_id) == original
    inputs = store.inputs(assessment_id)
    assert inputs.application.controls["ACCT-001"].attachments == ["sop.md"]
    assert inputs.application.base_dir == ""  # the upload folder is gone after the run
    assert inputs.files == {"sop.md": b"# SOP\x00binary-safe"}


def test_history_lists_the_newest_first(tmp_path: Path) -> None:
    store = AssessmentStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
    older = store.save(graded("Old Partner", minutes_ago=10), answered(), {})
    newer = store.save(graded("New Partner", verdict="fail"), answered(), {})
    entries = store.history()
    assert [e.id for e in entries] == [newer, older]
    assert (entries[0].passed, entries[0].total) == (0, 1)
    assert "New Partner" in entries[0].label() and "0/1 pass" in entries[0].label()


def test_overrides_are_kept_beside_the_assessment_never_in_it(tmp_path: Path) -> None:
    store = AssessmentStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
    original = graded()
    assessment_id = store.save(original, answered(), {})
    store.add_override(assessment_id, Override(control="ACCT-001", criterion="root-mfa", verdict="not_met",
                                               comment="only planned", reviewer="Dana"))
    store.add_override(assessment_id, Override(control="ACCT-001", verdict="fail"))
    assert [(o.criterion, o.verdict, o.reviewer) for o in store.overrides(assessment_id)] == [
        ("root-mfa", "not_met", "Dana"), (None, "fail", "")
    ]
    assert store.load(assessment_id) == original


def test_an_override_must_fit_its_level() -> None:
    with pytest.raises(ValidationError, match="not a verdict for a control"):
        Override(control="ACCT-001", verdict="met")
    with pytest.raises(ValidationError, match="not a verdict for a criterion"):
        Override(control="ACCT-001", criterion="root-mfa", verdict="pass")


def test_unknown_assessment_ids_are_named(tmp_path: Path) -> None:
    store = AssessmentStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
    with pytest.raises(StoreError, match="no assessment 'nope'"):
        store.load("nope")
    with pytest.raises(StoreError, match="no assessment 'nope'"):
        store.add_override("nope", Override(control="ACCT-001", verdict="pass"))


def test_the_tables_hold_what_the_issue_lists(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    AssessmentStore(f"sqlite:///{path}")
    with sqlite3.connect(path) as db:
        columns = {t: [r[1] for r in db.execute(f"pragma table_info({t})")]
                   for t in ("assessments", "overrides", "attachments")}
    assert {"id", "created", "partner", "judge", "json"} <= set(columns["assessments"])
    assert {"assessment_id", "control", "criterion", "verdict", "comment", "reviewer", "created"} <= set(
        columns["overrides"]
    )

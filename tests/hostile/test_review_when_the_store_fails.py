"""A review the store cannot take (the database gone, or locked past its wait): the reviewer is
told beside the form, with no traceback, and what they typed stays there to save again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

from grader.config import REPO_ROOT
from grader.webapp.store import open_store
from tests.app.answers import ACCT_001_ANSWER
from tests.app.test_app_flows import assess, override
from tests.hostile.reviewing import on_insert


@pytest.fixture
def at(grader_home: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app in process on a fresh SQLite store, ACCT-001 answered and assessed."""
    monkeypatch.delenv("GRADER_DB_URL", raising=False)
    page = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=600).run()
    page.text_area(key="answer_ACCT-001").input(ACCT_001_ANSWER)
    return assess(page)


def locked() -> None:
    raise OperationalError("INSERT INTO overrides", {}, Exception("database is locked"))


def test_a_review_the_store_cannot_take_is_named_beside_the_form_and_kept_to_save_again(at: AppTest) -> None:
    assessment_id = at.session_state.assessment_id
    with on_insert("overrides", locked):
        override(at, "ACCT-001", "root-mfa", "not_met", "Only planned.")  # asserts no exception

    shown = [e.value for e in at.error]
    assert any("could not save the review of ACCT-001/root-mfa" in text and "database is locked" in text
               and "try again" in text for text in shown), shown
    assert at.text_input(key="ov_comment_ACCT-001").value == "Only planned."  # nothing typed is lost
    assert at.selectbox(key="ov_verdict_ACCT-001").value == "not_met"
    assert open_store().overrides(assessment_id) == []

    at.button(key="ov_save_ACCT-001").click().run()  # the database is back: the same click saves it

    (saved,) = open_store().overrides(assessment_id)
    assert (saved.criterion, saved.verdict, saved.comment) == ("root-mfa", "not_met", "Only planned.")
    assert not any("could not save" in e.value for e in at.error)
    assert at.text_input(key="ov_comment_ACCT-001").value == ""


def test_a_confirmation_the_store_cannot_take_is_named_beside_the_form(at: AppTest) -> None:
    with on_insert("overrides", locked):
        at.button(key="ov_confirm_ACCT-001").click().run()

    assert not at.exception, at.exception
    assert any("could not save the review of ACCT-001" in e.value for e in at.error)
    assert open_store().overrides(at.session_state.assessment_id) == []

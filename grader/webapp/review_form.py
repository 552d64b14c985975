"""The reviewer's form under each control: override an item or confirm the grader, with history.

The buttons' callbacks run before the page is drawn again, so what they store is on screen
at once. They only add overrides; the grader's stored verdict is never modified. When the
store cannot take a review, the form says so and keeps what the reviewer typed.
"""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from grader.models import ControlAssessment
from grader.webapp.markdown import md_escape
from grader.webapp.store import Override, StoreError, open_store
from grader.webapp.views import STATUS_TEXT

CONTROL_ITEM = "Whole control"


def _reviewer() -> str:
    return (st.session_state.get("reviewer") or "").strip()


def save_override(assessment_id: str, result: ControlAssessment) -> None:
    """Button callback: the override the form describes, or its problem beside the form."""
    state = st.session_state
    item = state.get(f"ov_item_{result.control}", CONTROL_ITEM)
    try:
        override = Override(
            control=result.control,
            criterion=None if item == CONTROL_ITEM else item,
            verdict=state.get(f"ov_verdict_{result.control}", ""),
            comment=(state.get(f"ov_comment_{result.control}") or "").strip(),
            reviewer=_reviewer(),
        )
    except ValidationError as exc:
        state[f"ov_error_{result.control}"] = exc.errors()[0]["msg"]
        return
    state.open_control = result.control
    if _stored(assessment_id, override):
        state[f"ov_comment_{result.control}"] = ""


def confirm_verdict(assessment_id: str, result: ControlAssessment) -> None:
    st.session_state.open_control = result.control
    _stored(assessment_id, Override(
        control=result.control, verdict=result.verdict, comment="grader's verdict confirmed",
        reviewer=_reviewer(),
    ))


def _stored(assessment_id: str, override: Override) -> bool:
    """Add the override; if the store fails, its message goes beside the form (the form keeps
    the item, verdict and comment, to save again)."""
    try:
        open_store().add_override(assessment_id, override)
    except StoreError as exc:
        st.session_state[f"ov_error_{override.control}"] = str(exc)
        return False
    st.session_state[f"ov_error_{override.control}"] = None
    return True


def review_form(assessment_id: str, result: ControlAssessment, overrides: list[Override]) -> None:
    st.markdown("**Review**")
    cid = result.control
    cols = st.columns([2, 2, 5], vertical_alignment="bottom")
    item = cols[0].selectbox("Item", [CONTROL_ITEM, *(c.slug for c in result.criteria)], key=f"ov_item_{cid}")
    verdicts = ["pass", "fail"] if item == CONTROL_ITEM else ["met", "partial", "not_met"]
    cols[1].selectbox("Reviewer's verdict", verdicts, key=f"ov_verdict_{cid}",
                      format_func=lambda v: STATUS_TEXT.get(v, v.upper()))
    cols[2].text_input("Comment", key=f"ov_comment_{cid}", placeholder="Why the grader is wrong (or right)")
    with st.container(horizontal=True):
        st.button("Save override", key=f"ov_save_{cid}", on_click=save_override, args=(assessment_id, result))
        st.button("Confirm grader's verdict", key=f"ov_confirm_{cid}", on_click=confirm_verdict,
                  args=(assessment_id, result))
    if st.session_state.get(f"ov_error_{cid}"):
        st.error(st.session_state[f"ov_error_{cid}"])
    mine = [o for o in overrides if o.control == cid]
    if mine:
        st.caption("Review history: " + " · ".join(
            f"{o.created:%Y-%m-%d %H:%M} {md_escape(o.reviewer) or 'reviewer'}: {o.criterion or 'control'} → {o.verdict}"
            + (f" ({md_escape(o.comment)})" if o.comment else "") for o in mine))

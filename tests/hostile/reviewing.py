"""What reviewers' sessions do to the app's store, runnable in a thread or in a process of its own.

Every write is planned from (reviewer, write number) alone, so the test knows exactly what the
store must hold afterwards without hearing back from a process. Each review carries its own
time, interleaved across reviewers: the one that counts for an item (the latest, by review
time) is known in advance, whichever write happens to reach the database last.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from threading import Barrier

from sqlalchemy import event
from sqlalchemy.engine import Engine

from grader.models import Application, Assessment, ControlAnswer, ControlAssessment, CriterionVerdict
from grader.reviews import ItemKey
from grader.webapp.store import AssessmentStore, Override

SHARED = "shared"  # the assessment every reviewer reviews; "own-<n>" is reviewer n's alone
BASE = datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc)
# The items reviewers work on: the whole control and criteria, some on two controls.
ITEMS: list[ItemKey] = [("ACCT-001", None), ("ACCT-001", "root-mfa"), ("ACCT-002", "federation"),
                        ("ACCT-002", None), ("ACCT-001", "cloudtrail")]


def graded(partner: str) -> Assessment:
    return Assessment(
        partner=partner, judge="offline", created=BASE,
        controls=[
            ControlAssessment(control="ACCT-001", title="Secure account governance", verdict="fail",
                              criteria=[CriterionVerdict(slug="root-mfa", status="met"),
                                        CriterionVerdict(slug="cloudtrail", status="partial")]),
            ControlAssessment(control="ACCT-002", title="Identity and access", verdict="pass",
                              criteria=[CriterionVerdict(slug="federation", status="met")]),
        ],
    )


def answers(partner: str) -> Application:
    return Application(partner=partner, controls={
        "ACCT-001": ControlAnswer(control="ACCT-001", response=f"{partner}: root MFA.", attachments=["sop.md"]),
        "ACCT-002": ControlAnswer(control="ACCT-002", response="Federation.", attachments=["iam.json"]),
    })


def files(partner: str) -> dict[str, bytes]:
    """Two attachments, one of them binary and large enough to span database pages."""
    return {"sop.md": f"# SOP of {partner}\n".encode(), "iam.json": partner.encode() + bytes(range(256)) * 256}


def planned_review(reviewer: int, write: int, reviewers: int) -> tuple[str, Override]:
    """Reviewer n's write number w: on the shared assessment or their own, on one of ITEMS."""
    target = SHARED if write % 2 == 0 else f"own-{reviewer}"
    control, criterion = ITEMS[(reviewer + write) % len(ITEMS)]
    verdict = ("pass", "fail")[write % 2] if criterion is None else ("met", "partial", "not_met")[write % 3]
    return target, Override(
        control=control, criterion=criterion, verdict=verdict, reviewer=f"reviewer-{reviewer}",
        comment=f"reviewer {reviewer} write {write}",
        # Interleaved: reviewer 0's write 5 is older than reviewer 1's write 5, newer than any write 4.
        created=BASE + timedelta(milliseconds=write * reviewers + reviewer),
    )


def review(url: str, reviewer: int, writes: int, reviewers: int, ids: dict[str, str],
           start: Barrier | None = None) -> None:
    """One reviewer's session: its own connection to the store, `writes` overrides saved, the
    page drawn again after each (the assessment and its reviews read back, as the app does)."""
    if start is not None:
        start.wait()
    store = AssessmentStore(url)  # opened at the same moment as the others' (tables created if need be)
    for write in range(writes):
        target, override = planned_review(reviewer, write, reviewers)
        store.add_override(ids[target], override)
        store.load(ids[target])
        assert override in store.overrides(ids[target])  # a reviewer sees their review at once


def save_assessments(url: str, writer: int, count: int, start: Barrier | None = None) -> list[str]:
    """Someone assessing applications meanwhile: `count` assessments, each with its files."""
    if start is not None:
        start.wait()
    store = AssessmentStore(url)
    return [store.save(graded(f"writer {writer} #{n}"), answers(f"writer {writer} #{n}"), files(f"writer {writer} #{n}"))
            for n in range(count)]


# ---------------------------------------------------------------------- crashes between writes


@contextmanager
def on_insert(table: str, action: Callable[[], None]) -> Iterator[None]:
    """Run `action` just before any engine sends an INSERT into `table`. For "attachments": the
    assessment's own row is written by then, in the same transaction, and not yet committed."""
    def before(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()} "):
            action()

    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(Engine, "before_cursor_execute", before)


def save_and_be_killed(url: str, partner: str) -> None:
    """A process that dies by SIGKILL half-way through saving an assessment (nothing to catch)."""
    store = AssessmentStore(url)
    with on_insert("attachments", lambda: os.kill(os.getpid(), signal.SIGKILL)):
        store.save(graded(partner), answers(partner), files(partner))

"""Several reviewers at once: the app's store loses no review, duplicates none, and the latest
review of an item counts, whatever order the writes reach the database in. A save interrupted
half-way (an error, or the process killed) leaves the whole assessment or nothing.

Each test runs on a SQLite file and on PostgreSQL (tests/hostile/databases.py says where that
comes from, and skips with the reason when there is none).
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, func, select, table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from grader.reviews import latest
from grader.webapp.store import AssessmentStore, StoreError
from tests.hostile.databases import postgres_server, postgres_url, store_url  # noqa: F401 (fixtures)
from tests.hostile.reviewing import (
    SHARED,
    answers,
    files,
    graded,
    on_insert,
    planned_review,
    review,
    save_and_be_killed,
    save_assessments,
)

REVIEWERS, WRITES = 8, 24  # per reviewer; half on the shared assessment, half on their own
SAVERS, SAVES = 2, 6  # assessments saved meanwhile, each with two attachments


def assessments_to_review(store: AssessmentStore, reviewers: int) -> dict[str, str]:
    """The shared assessment and one per reviewer: plan name -> stored id."""
    names = [SHARED, *(f"own-{n}" for n in range(reviewers))]
    return {name: store.save(graded(name), answers(name), files(name)) for name in names}


def assert_every_review_kept_once_and_the_latest_counts(
    store: AssessmentStore, ids: dict[str, str], reviewers: int, writes: int
) -> None:
    planned = [planned_review(r, w, reviewers) for r in range(reviewers) for w in range(writes)]
    for name, assessment_id in ids.items():
        expected = [override for target, override in planned if target == name]
        stored = store.overrides(assessment_id)
        # Nothing lost, nothing written twice: the very same reviews, each once.
        assert Counter(stored) == Counter(expected), f"{name}: the stored reviews differ from those saved"
        assert [o.created for o in stored] == sorted(o.created for o in expected)  # oldest first
        # The review that counts for each item is the one made last, not the one stored last.
        newest = {}
        for override in sorted(expected, key=lambda o: o.created):
            newest[(override.control, override.criterion)] = override
        assert latest(stored) == newest


def assert_saved_whole(store: AssessmentStore, saved: list[str], partners: list[str]) -> None:
    assert len(saved) == len(set(saved)) == len(partners)
    for assessment_id, partner in zip(saved, partners, strict=True):
        assert store.load(assessment_id) == graded(partner)
        kept = store.inputs(assessment_id)
        assert kept.files == files(partner)
        assert kept.application.controls == answers(partner).controls


def test_reviewers_in_threads_lose_no_review_while_assessments_are_saved(store_url: str) -> None:
    store = AssessmentStore(store_url)
    ids = assessments_to_review(store, REVIEWERS)
    start = threading.Barrier(REVIEWERS + SAVERS)  # everyone writes at the same moment

    with ThreadPoolExecutor(max_workers=REVIEWERS + SAVERS) as pool:
        reviews = [pool.submit(review, store_url, n, WRITES, REVIEWERS, ids, start) for n in range(REVIEWERS)]
        saves = [pool.submit(save_assessments, store_url, n, SAVES, start) for n in range(SAVERS)]
        for done in reviews:
            done.result()  # a write that failed fails the test here, with its error
        saved = {n: done.result() for n, done in enumerate(saves)}

    assert_every_review_kept_once_and_the_latest_counts(store, ids, REVIEWERS, WRITES)
    for n, ids_saved in saved.items():
        assert_saved_whole(store, ids_saved, [f"writer {n} #{k}" for k in range(SAVES)])
    listed = [entry.id for entry in store.history(limit=1000)]
    every = [*ids.values(), *(i for ids_saved in saved.values() for i in ids_saved)]
    assert Counter(listed) == Counter(every)  # each assessment listed once in the history


def run_processes(targets: list[tuple], what: str) -> None:
    """Start one process per (function, args...), all released at once; each must exit 0."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: its own engine and pool
    start = context.Barrier(len(targets))
    processes = [context.Process(target=function, args=(*args, start)) for function, *args in targets]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    codes = [process.exitcode for process in processes]
    for process in processes:
        if process.exitcode is None:
            process.kill()
    assert codes == [0] * len(targets), f"{what}: a process failed (exit codes {codes}); its error is above"


PROCESS_REVIEWERS, PROCESS_WRITES = 4, 20


def test_reviewers_in_separate_processes_lose_no_review_while_assessments_are_saved(store_url: str) -> None:
    store = AssessmentStore(store_url)
    ids = assessments_to_review(store, PROCESS_REVIEWERS)

    run_processes(
        [(review, store_url, n, PROCESS_WRITES, PROCESS_REVIEWERS, ids) for n in range(PROCESS_REVIEWERS)]
        + [(save_assessments, store_url, 0, SAVES)],
        "reviewers in processes",
    )

    assert_every_review_kept_once_and_the_latest_counts(store, ids, PROCESS_REVIEWERS, PROCESS_WRITES)
    history = store.history(limit=1000)
    by_partner = Counter(entry.partner for entry in history)
    partners = [f"writer 0 #{k}" for k in range(SAVES)]
    assert all(by_partner[p] == 1 for p in partners)
    assert_saved_whole(store, [next(e.id for e in history if e.partner == p) for p in partners], partners)


def test_servers_opening_a_new_store_at_the_same_moment_all_work(store_url: str) -> None:
    # Several app servers (or `grader app` restarted while another runs) creating the tables at once.
    run_processes([(save_assessments, store_url, n, 1) for n in range(4)], "opening a new store at once")

    partners = Counter(entry.partner for entry in AssessmentStore(store_url).history())
    assert partners == Counter(f"writer {n} #0" for n in range(4))


HOLD_SECONDS = 6.0  # longer than SQLite's own busy wait (5 s): the store must wait longer


def test_reviews_made_while_a_long_save_holds_the_database_wait_for_it_and_are_kept(store_url: str) -> None:
    # A large application saved on a slow disk keeps its transaction open for seconds; the
    # reviewers working meanwhile must neither fail nor lose their reviews.
    store = AssessmentStore(store_url)
    ids = assessments_to_review(store, 2)
    holding = threading.Event()

    def slow_disk() -> None:
        if not holding.is_set():  # once per save, though SQLite inserts its attachments one by one
            holding.set()
            time.sleep(HOLD_SECONDS)

    with on_insert("attachments", slow_disk), ThreadPoolExecutor(max_workers=3) as pool:
        saving = pool.submit(save_assessments, store_url, 0, 1)
        assert holding.wait(timeout=60), "the save never reached its attachments"
        # The history still reads (a reader never waits for the writer) ...
        assert {entry.id for entry in store.history()} == set(ids.values())
        # ... and reviews saved meanwhile wait for the save to end.
        reviews = [pool.submit(review, store_url, n, 4, 2, ids) for n in range(2)]
        saved = saving.result()
        for done in reviews:
            done.result()

    assert_every_review_kept_once_and_the_latest_counts(store, ids, 2, 4)
    assert_saved_whole(store, saved, ["writer 0 #0"])


# ---------------------------------------------------------------------- half-written records


def rows(url: str, name: str) -> int:
    """Rows of a store table, counted with SQL: nothing the store's own reading would hide."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(table(name)))
    finally:
        engine.dispose()


def assert_only(url: str, store: AssessmentStore, partners: list[str]) -> None:
    assert [entry.partner for entry in store.history()] == partners
    assert rows(url, "assessments") == len(partners)
    assert rows(url, "attachments") == 2 * len(partners)  # no attachment left of a lost save


def test_an_error_half_way_through_a_save_leaves_nothing_of_it(store_url: str) -> None:
    store = AssessmentStore(store_url)
    store.save(graded("kept"), answers("kept"), files("kept"))

    def fail() -> None:  # what SQLAlchemy raises when the connection to the database breaks
        raise OperationalError("INSERT INTO attachments", {}, ConnectionResetError("the database went away"))

    with on_insert("attachments", fail), pytest.raises(StoreError) as raised:
        store.save(graded("half"), answers("half"), files("half"))

    assert "could not save the assessment of half" in str(raised.value)
    assert "the database went away" in str(raised.value)
    password = make_url(store_url).password
    assert not password or password not in str(raised.value)  # the store named, its password hidden
    assert_only(store_url, store, ["kept"])
    store.save(graded("after"), answers("after"), files("after"))  # and the store goes on working
    assert sorted(e.partner for e in store.history()) == ["after", "kept"]


def test_a_process_killed_half_way_through_a_save_leaves_nothing_of_it(store_url: str) -> None:
    store = AssessmentStore(store_url)
    store.save(graded("kept"), answers("kept"), files("kept"))
    process = multiprocessing.get_context("spawn").Process(target=save_and_be_killed, args=(store_url, "half"))
    process.start()
    process.join(timeout=120)
    assert process.exitcode == -signal.SIGKILL  # it really died between the two writes

    reopened = AssessmentStore(store_url)  # as the app would after a restart
    assert_only(store_url, reopened, ["kept"])
    reopened.save(graded("after"), answers("after"), files("after"))
    assert sorted(e.partner for e in reopened.history()) == ["after", "kept"]

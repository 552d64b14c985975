"""Hybrid retrieval: each criterion gets the evidence that speaks to it, plus calibration examples."""

from __future__ import annotations

from pathlib import Path

from grader.catalogue import get_catalogue
from grader.ingest import ingest_control
from grader.models import ControlAnswer
from grader.retrieval import fuse, retrieve

FILLER = "\n\n".join(
    f"Section {i}. The cafeteria menu rotates weekly and parking permits are renewed each January."
    for i in range(30)
)


def evidence(tmp_path: Path, response: str, attachment: str | None = None):
    files = []
    if attachment:
        (tmp_path / "sop.md").write_text(attachment, encoding="utf-8")
        files = ["sop.md"]
    return ingest_control(ControlAnswer(control="ACCT-001", response=response, attachments=files), tmp_path)


def test_rrf_rewards_items_ranked_well_by_several_rankers() -> None:
    scores = fuse([0, 1, 2], [1, 0, 2], [0, 2, 1])
    assert scores[0] > scores[1] > scores[2]


def test_each_criterion_retrieves_the_passage_about_it_from_a_long_attachment(grader_home: Path, tmp_path: Path) -> None:
    sop = (FILLER + "\n\nCloudTrail is enabled in all regions and delivers to a dedicated S3 bucket "
           "with MFA delete.\n\n" + FILLER + "\n\nMFA is enabled on the root user with a hardware token.\n\n" + FILLER)
    control = get_catalogue()["ACCT-001"]
    got = retrieve(control, evidence(tmp_path, "See the attached SOP.", sop), top_k=3, examples_k=0)
    assert "CloudTrail is enabled in all regions" in got.per_criterion["cloudtrail"][0].chunk.text
    assert "MFA is enabled on the root user" in got.per_criterion["root-mfa"][0].chunk.text
    assert all(len(v) == 3 for v in got.per_criterion.values())


def test_examples_come_from_the_catalogue_before_any_index_exists(grader_home: Path, tmp_path: Path) -> None:
    control = get_catalogue()["ACCT-001"]
    got = retrieve(control, evidence(tmp_path, "Root has MFA. CloudTrail is on in all regions."), examples_k=1)
    assert got.good_examples and got.good_examples[0] in {e.text for e in control.good_examples}
    assert not (grader_home / "chroma").exists()  # grading never creates an index as a side effect


def test_examples_come_from_the_knowledge_index_once_built(grader_home: Path, tmp_path: Path) -> None:
    from grader.config import get_settings
    from grader.knowledge_index import build_index
    from grader.store import get_client

    catalogue = get_catalogue()
    build_index(catalogue, get_client(get_settings()))
    control = catalogue["ACCT-001"]
    got = retrieve(control, evidence(tmp_path, "Root has MFA. CloudTrail is on in all regions."), examples_k=2)
    assert len(got.unacceptable_examples) == 2
    assert set(got.unacceptable_examples) <= {e.text.strip() for e in control.unacceptable_examples} | {
        e.text for e in control.unacceptable_examples}


def test_large_evidence_goes_through_a_chroma_collection_with_the_same_ranking(grader_home: Path, tmp_path: Path) -> None:
    from grader.retrieval import chroma_vector_search

    calls: list[int] = []

    def recording_search(chunks, vectors, queries):
        calls.append(len(chunks))
        return chroma_vector_search(chunks, vectors, queries)

    sop = FILLER + "\n\nMFA is enabled on the root user with a hardware token.\n\n" + FILLER
    control = get_catalogue()["ACCT-001"]
    ev = evidence(tmp_path, "See the attached SOP.", sop)
    exact = retrieve(control, ev, top_k=3, examples_k=0, vector_search=None)
    indexed = retrieve(control, ev, top_k=3, examples_k=0, vector_search=recording_search, index_above=0)
    assert calls == [len(ev.chunks)]
    assert indexed.per_criterion["root-mfa"][0].chunk.id == exact.per_criterion["root-mfa"][0].chunk.id


def test_evidence_above_the_budget_is_ranked_by_keywords_and_only_the_best_embedded(
    grader_home: Path, tmp_path: Path
) -> None:
    # ~200,000 characters of filler around two passages: with a 10,000-character budget only a
    # sample is embedded, the passages are still found, and the sampled file is named.
    filler = "\n\n".join(
        f"Section {i}. The cafeteria menu rotates weekly, menu {i} is posted on the board and parking "
        f"permits for site {i} are renewed each January by the facilities desk." for i in range(1500)
    )
    sop = (filler + "\n\nCloudTrail is enabled in all regions and delivers to a dedicated S3 bucket "
           "with MFA delete.\n\n" + filler + "\n\nMFA is enabled on the root user with a hardware token.\n\n")
    control = get_catalogue()["ACCT-001"]
    embedded: list[str] = []

    def counting_embed(texts):
        from grader.embeddings import embed

        embedded.extend(texts)
        return embed(texts)

    got = retrieve(control, evidence(tmp_path, "See the attached SOP.", sop), top_k=3, examples_k=0,
                   embed=counting_embed, close_reading_chars=10_000)
    assert "CloudTrail is enabled in all regions" in got.per_criterion["cloudtrail"][0].chunk.text
    assert "MFA is enabled on the root user" in got.per_criterion["root-mfa"][0].chunk.text
    [sampled] = got.sampled
    assert sampled.file == "sop.md" and sampled.chars_read <= 10_000 < sampled.chars
    assert 0 < sampled.passages_read < sampled.passages
    queries = len(control.criteria)
    assert sum(map(len, embedded[:-queries])) <= 10_000  # evidence sentences, then the queries


def test_evidence_within_the_budget_is_read_whole(grader_home: Path, tmp_path: Path) -> None:
    got = retrieve(get_catalogue()["ACCT-001"], evidence(tmp_path, "Root has MFA.", FILLER), examples_k=0)
    assert got.sampled == []

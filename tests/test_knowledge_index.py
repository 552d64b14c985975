"""The knowledge index: what goes in, incremental re-embedding, and example queries."""

from __future__ import annotations

import hashlib

import pytest

from grader.catalogue import Catalogue, Control
from grader.config import Settings
from grader.knowledge_index import CHUNK_SIZE, build_index, knowledge_items, query_examples
from grader.store import get_client, knowledge_collection

LONG_GOOD_EXAMPLE = " ".join(
    f"Step {i}: the root user credentials are sealed in the break-glass vault and the "
    f"hardware MFA token is stored in the office safe under dual control."
    for i in range(1, 12)
)  # well over one chunk, so it is split and must come back whole


def make_control(control_id: str, topic: str, good_extra: str = "") -> Control:
    return Control.model_validate(
        {
            "id": control_id,
            "title": f"{topic} control",
            "requirement": f"Describe how {topic} is handled for customer workloads.",
            "criteria_for_passing": [f"{topic} is described with concrete resources."],
            "why_it_matters": f"{topic} failures hurt customers.",
            "criteria": [
                {
                    "slug": "sop",
                    "title": "Standard procedure",
                    "description": f"A written SOP for {topic}.",
                    "acceptable_evidence": ["An SOP document."],
                    "shortfalls": ["Only a sentence saying an SOP exists."],
                    "cues": [r"\bSOP\b"],
                    "fix": "Attach the SOP.",
                },
                {
                    "slug": "customer-example",
                    "title": "Customer example",
                    "description": f"{topic} applied for one named customer.",
                    "acceptable_evidence": ["Resource names from one engagement."],
                    "shortfalls": ["Generic statements."],
                    "cues": [r"customer"],
                    "fix": "Name the engagement's resources.",
                },
            ],
            "good_examples": [
                {"text": f"For Acme we handled {topic} with a documented runbook. {good_extra}".strip(),
                 "criteria": ["sop"]},
                {"text": LONG_GOOD_EXAMPLE},
            ],
            "unacceptable_examples": [
                {"text": "N/A - this was the customer's responsibility."},
            ],
        }
    )


def make_catalogue(**overrides: Control) -> Catalogue:
    controls = {
        "ACCT-001": make_control("ACCT-001", "root account"),
        "REL-002": make_control("REL-002", "disaster recovery"),
        **overrides,
    }
    # The file hash stands in for the YAML bytes: derive it from the model's content.
    hashes = {cid: hashlib.sha256(c.model_dump_json().encode()).hexdigest() for cid, c in controls.items()}
    return Catalogue(controls=controls, hashes=hashes)


def test_every_criterion_example_and_the_requirement_become_items():
    items = knowledge_items(make_control("ACCT-001", "root account"))
    kinds = [(i.kind, i.criterion, i.label) for i in items]
    assert kinds == [
        ("requirement", "", ""),
        ("criterion", "sop", ""),
        ("criterion", "customer-example", ""),
        ("good", "", "pass"),
        ("good", "", "pass"),
        ("unacceptable", "", "fail"),
    ]
    assert "Only a sentence saying an SOP exists." in items[1].text  # shortfalls are searchable


def test_chunks_carry_control_criterion_kind_label_and_hashes(grader_home):
    client = get_client()
    build_index(make_catalogue(), client)
    stored = knowledge_collection(client).get(include=["metadatas", "documents"])
    assert all(len(doc) <= CHUNK_SIZE for doc in stored["documents"])
    metas = stored["metadatas"]
    assert {m["control"] for m in metas} == {"ACCT-001", "REL-002"}
    assert {m["kind"] for m in metas} == {"requirement", "criterion", "good", "unacceptable"}
    assert {m["criterion"] for m in metas if m["kind"] == "criterion"} == {"sop", "customer-example"}
    assert {m["label"] for m in metas if m["kind"] == "good"} == {"pass"}
    assert {m["label"] for m in metas if m["kind"] == "unacceptable"} == {"fail"}
    assert all(len(m["content_hash"]) == 64 and m["control_hash"] for m in metas)
    # The long example was split into several chunks.
    assert sum(1 for m in metas if m["item"] == "ACCT-001:good:1") > 1


def test_a_second_run_over_an_unchanged_catalogue_embeds_nothing(grader_home):
    catalogue = make_catalogue()
    client = get_client()
    first = build_index(catalogue, client)
    assert first.embedded_controls == ["ACCT-001", "REL-002"]
    assert first.documents_added == knowledge_collection(client).count()

    second = build_index(catalogue, get_client())
    assert second.up_to_date
    assert second.embedded_controls == [] and second.documents_added == 0
    assert second.skipped_controls == ["ACCT-001", "REL-002"]
    assert knowledge_collection(client).count() == first.documents_added


def test_a_changed_control_is_re_embedded_alone(grader_home):
    client = get_client()
    build_index(make_catalogue(), client)
    before = knowledge_collection(client).get(where={"control": "ACCT-001"}, include=["documents"])

    changed = make_catalogue(**{"REL-002": make_control("REL-002", "disaster recovery", "RTO is 4 h.")})
    seen: list[tuple[str, str]] = []
    report = build_index(changed, client, progress=lambda cid, status: seen.append((cid, status)))

    assert report.embedded_controls == ["REL-002"]
    assert report.skipped_controls == ["ACCT-001"]
    assert seen == [("ACCT-001", "unchanged"), ("REL-002", "embedded")]
    after = knowledge_collection(client).get(where={"control": "ACCT-001"}, include=["documents"])
    assert after["ids"] == before["ids"]
    rel = knowledge_collection(client).get(where={"control": "REL-002"}, include=["documents"])
    assert any("RTO is 4 h." in doc for doc in rel["documents"])
    assert len(set(rel["ids"])) == len(rel["ids"])  # old chunks were replaced, not duplicated


def test_rebuild_embeds_everything_again(grader_home):
    client = get_client()
    first = build_index(make_catalogue(), client)
    again = build_index(make_catalogue(), client, rebuild=True)
    assert again.embedded_controls == ["ACCT-001", "REL-002"]
    assert knowledge_collection(client).count() == first.documents_added


def test_controls_no_longer_in_the_catalogue_are_removed(grader_home):
    client = get_client()
    build_index(make_catalogue(), client)
    only_acct = Catalogue(
        controls={"ACCT-001": make_catalogue().controls["ACCT-001"]},
        hashes={"ACCT-001": make_catalogue().hashes["ACCT-001"]},
    )
    report = build_index(only_acct, client)
    assert report.removed_controls == ["REL-002"]
    assert knowledge_collection(client).get(where={"control": "REL-002"})["ids"] == []


def test_query_examples_returns_whole_examples_of_the_asked_label(grader_home):
    client = get_client()
    build_index(make_catalogue(), client)
    good = query_examples(client, "ACCT-001", "root credentials in a vault with an MFA token", "pass", k=1)
    assert good == [LONG_GOOD_EXAMPLE]
    bad = query_examples(client, "ACCT-001", "not applicable", "fail", k=2)
    assert bad == ["N/A - this was the customer's responsibility."]  # only one exists


@pytest.mark.server
def test_the_index_builds_and_stays_incremental_on_a_real_chroma_server(chroma_server, tmp_path):
    client = get_client(Settings(home=tmp_path, chroma_url=chroma_server))
    catalogue = make_catalogue()
    first = build_index(catalogue, client, rebuild=True)
    assert first.embedded_controls == ["ACCT-001", "REL-002"]
    assert knowledge_collection(client).count() == first.documents_added

    second = build_index(catalogue, client)
    assert second.up_to_date and second.documents_added == 0
    assert query_examples(client, "REL-002", "customer responsibility", "fail", k=1) == [
        "N/A - this was the customer's responsibility."
    ]
    assert not (tmp_path / "chroma").exists()

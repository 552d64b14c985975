"""Chroma client selection, server URLs and collections."""

from __future__ import annotations

import socket

import pytest

from grader.config import Settings, get_settings
from grader.embeddings import MiniLMEmbedder
from grader.store import (
    KNOWLEDGE_COLLECTION,
    StoreError,
    drop_collection,
    evidence_client,
    evidence_collection,
    get_client,
    knowledge_collection,
    parse_chroma_url,
)


def test_default_client_is_persistent_under_grader_home(grader_home):
    client = get_client()
    knowledge_collection(client).add(ids=["a"], documents=["root MFA is enabled"])
    assert (grader_home / "chroma").is_dir()
    # A second client on the same directory sees what the first one stored.
    assert knowledge_collection(get_client()).count() == 1


def test_collections_use_the_offline_embedder_and_cosine_distance(grader_home):
    collection = evidence_collection(get_client(), "evidence-app-1")
    assert isinstance(collection._embedding_function, MiniLMEmbedder)
    assert collection.configuration["hnsw"]["space"] == "cosine"
    collection.add(ids=["1", "2"], documents=["CloudTrail in all regions", "coffee machine"])
    hit = collection.query(query_texts=["trail logging enabled in every region"], n_results=1)
    assert hit["ids"][0] == ["1"]
    assert 0.0 <= hit["distances"][0][0] < 1.0


def test_drop_collection_reports_whether_anything_was_deleted(grader_home):
    client = get_client()
    knowledge_collection(client)
    assert drop_collection(client, KNOWLEDGE_COLLECTION) is True
    assert drop_collection(client, KNOWLEDGE_COLLECTION) is False


def test_evidence_client_follows_the_current_settings(grader_home):
    assert evidence_client() is evidence_client()
    assert get_settings().chroma_dir == grader_home / "chroma"


@pytest.mark.parametrize(
    ("url", "host", "port", "ssl"),
    [
        ("http://127.0.0.1:8123", "127.0.0.1", 8123, False),
        ("https://chroma.example.com", "chroma.example.com", 443, True),
        ("http://chroma.internal", "chroma.internal", 8000, False),
    ],
)
def test_chroma_urls_give_host_port_and_tls(url, host, port, ssl):
    address = parse_chroma_url(url)
    assert (address.host, address.port, address.ssl) == (host, port, ssl)


@pytest.mark.parametrize("url", ["127.0.0.1:8000", "ftp://host:1", "http://", "http://host:notaport"])
def test_a_malformed_chroma_url_is_a_clear_error(url):
    with pytest.raises(StoreError, match="invalid Chroma URL"):
        parse_chroma_url(url)


def test_an_unreachable_server_is_one_clear_error(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    settings = Settings(home=tmp_path, chroma_url=url)
    with pytest.raises(StoreError, match=f"cannot reach Chroma at URL: {url}"):
        get_client(settings)


@pytest.mark.server
def test_http_client_talks_to_a_real_chroma_server(chroma_server, tmp_path):
    client = get_client(Settings(home=tmp_path, chroma_url=chroma_server))
    collection = evidence_collection(client, "store-test")
    collection.upsert(ids=["x"], documents=["security groups allow 443 from the load balancer only"])
    assert collection.count() == 1
    assert not (tmp_path / "chroma").exists()  # nothing written locally

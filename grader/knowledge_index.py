"""The knowledge index: the catalogue's criteria and calibration examples, embedded in Chroma.

Incremental by content hash: each chunk carries the sha256 of its control's YAML file
(plus the index format and embedding model), so re-running with an unchanged catalogue
embeds nothing and a changed file re-embeds only its own control.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Literal

from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from langchain_text_splitters import RecursiveCharacterTextSplitter
from pydantic import BaseModel, Field

from grader.catalogue import Catalogue, Control
from grader.embeddings import MODEL_NAME
from grader.store import KNOWLEDGE_COLLECTION, drop_collection, knowledge_collection

# Bump when the document layout below changes: every control is then re-embedded.
INDEX_FORMAT = f"1/{MODEL_NAME}"
CHUNK_SIZE = 600  # characters: about one paragraph, well inside MiniLM's 256 tokens
CHUNK_OVERLAP = 80

Kind = Literal["requirement", "criterion", "good", "unacceptable"]
Label = Literal["pass", "fail"]
# progress(control_id, "embedded" | "unchanged") after each control.
Progress = Callable[[str, str], None]


class KnowledgeItem(BaseModel):
    """One thing worth retrieving: a requirement, a criterion or an example, before chunking."""

    control: str
    kind: Kind
    index: int  # position among the control's items of this kind
    text: str
    criterion: str = ""  # slug, for criterion items
    criteria: list[str] = Field(default_factory=list)  # slugs an example speaks to
    label: str = ""  # "pass" for good examples, "fail" for unacceptable ones

    @property
    def key(self) -> str:
        return f"{self.control}:{self.kind}:{self.index}"


class IndexReport(BaseModel):
    embedded_controls: list[str] = Field(default_factory=list)
    skipped_controls: list[str] = Field(default_factory=list)
    removed_controls: list[str] = Field(default_factory=list)  # indexed but no longer in the catalogue
    documents_added: int = 0
    seconds: float = 0.0

    @property
    def up_to_date(self) -> bool:
        return not self.embedded_controls and not self.removed_controls


def _criterion_text(control: Control, slug: str) -> str:
    c = control.criterion(slug)
    return "\n".join(
        [
            f"{control.id} {control.title} - {c.title}: {c.description}",
            "Acceptable evidence: " + " ".join(c.acceptable_evidence),
            "Falls short when: " + " ".join(c.shortfalls),
        ]
    )


def knowledge_items(control: Control) -> list[KnowledgeItem]:
    """Everything of one control that goes into the index, in a stable order."""
    items = [
        KnowledgeItem(
            control=control.id, kind="requirement", index=0,
            text=f"{control.id} {control.title}: {control.requirement}",
        )
    ]
    items += [
        KnowledgeItem(
            control=control.id, kind="criterion", index=i,
            criterion=c.slug, text=_criterion_text(control, c.slug),
        )
        for i, c in enumerate(control.criteria)
    ]
    # Examples are stored verbatim so query_examples can hand them back whole.
    items += [
        KnowledgeItem(
            control=control.id, kind="good", index=i, label="pass",
            criteria=list(ex.criteria), text=ex.text,
        )
        for i, ex in enumerate(control.good_examples)
    ]
    items += [
        KnowledgeItem(
            control=control.id, kind="unacceptable", index=i, label="fail",
            criteria=list(ex.criteria), text=ex.text,
        )
        for i, ex in enumerate(control.unacceptable_examples)
    ]
    return items


def control_fingerprint(catalogue: Catalogue, control_id: str) -> str:
    """What decides whether a control must be re-embedded: its file, the format, the model."""
    return hashlib.sha256(f"{INDEX_FORMAT}\n{catalogue.hashes[control_id]}".encode()).hexdigest()


def _splitter() -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
    )


def control_documents(
    control: Control, fingerprint: str
) -> tuple[list[str], list[str], list[dict[str, str | int]]]:
    """ids, texts and metadatas of one control's chunks."""
    splitter = _splitter()
    ids: list[str] = []
    texts: list[str] = []
    metadatas: list[dict[str, str | int]] = []
    for item in knowledge_items(control):
        for part, chunk in enumerate(splitter.create_documents([item.text])):
            ids.append(f"{item.key}:{part}")
            texts.append(chunk.page_content)
            metadatas.append(
                {
                    "control": item.control,
                    "criterion": item.criterion,
                    "criteria": ",".join(item.criteria),
                    "kind": item.kind,
                    "label": item.label,
                    "item": item.key,
                    "part": part,
                    "start": int(chunk.metadata.get("start_index", 0)),
                    "content_hash": hashlib.sha256(chunk.page_content.encode()).hexdigest(),
                    "control_hash": fingerprint,
                }
            )
    return ids, texts, metadatas


def indexed_fingerprints(collection: Collection) -> dict[str, set[str]]:
    """control id -> the fingerprints its chunks carry in the collection."""
    stored = collection.get(include=["metadatas"])
    found: dict[str, set[str]] = {}
    for meta in stored["metadatas"] or []:
        found.setdefault(str(meta["control"]), set()).add(str(meta.get("control_hash", "")))
    return found


def build_index(
    catalogue: Catalogue,
    client: ClientAPI,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> IndexReport:
    """Embed what changed in the catalogue into the knowledge collection."""
    started = time.perf_counter()
    if rebuild:
        drop_collection(client, KNOWLEDGE_COLLECTION)
    collection = knowledge_collection(client)
    indexed = indexed_fingerprints(collection)
    report = IndexReport()

    for control_id in sorted(set(indexed) - set(catalogue.controls)):
        collection.delete(where={"control": control_id})
        report.removed_controls.append(control_id)

    for control in catalogue:
        fingerprint = control_fingerprint(catalogue, control.id)
        if indexed.get(control.id) == {fingerprint}:
            report.skipped_controls.append(control.id)
            status = "unchanged"
        else:
            if control.id in indexed:
                collection.delete(where={"control": control.id})
            ids, texts, metadatas = control_documents(control, fingerprint)
            collection.add(ids=ids, documents=texts, metadatas=metadatas)  # type: ignore[arg-type]
            report.embedded_controls.append(control.id)
            report.documents_added += len(ids)
            status = "embedded"
        if progress:
            progress(control.id, status)

    report.seconds = time.perf_counter() - started
    return report


def _reassemble(parts: list[tuple[int, str]]) -> str:
    """Whole text from its (start offset, chunk) parts, overlaps removed."""
    text = ""
    for start, chunk in sorted(parts):
        text = text[:start] + chunk if start <= len(text) else f"{text} {chunk}"
    return text


def query_examples(
    client: ClientAPI, control_id: str, text: str, label: Label, k: int = 2
) -> list[str]:
    """The k calibration examples of a control (label "pass" or "fail") closest to text, whole."""
    collection = knowledge_collection(client)
    where = {"$and": [{"control": control_id}, {"label": label}]}
    # Several chunks may belong to one example: ask for more, keep the first k distinct items.
    result = collection.query(
        query_texts=[text], n_results=max(k * 4, 8), where=where, include=["metadatas"]
    )
    best: list[str] = []
    for meta in (result["metadatas"] or [[]])[0]:
        item = str(meta["item"])
        if item not in best:
            best.append(item)
        if len(best) == k:
            break
    examples: list[str] = []
    for item in best:
        got = collection.get(where={"item": item}, include=["documents", "metadatas"])
        parts = [
            (int(m["start"]), doc)
            for m, doc in zip(got["metadatas"] or [], got["documents"] or [])
        ]
        examples.append(_reassemble(parts))
    return examples

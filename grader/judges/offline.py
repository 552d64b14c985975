"""The offline judge: grades each criterion from evidence sentences, with no network.

Where a criterion is judged: `OfflineJudge._criterion_verdict`. For every sentence of the
retrieved evidence it asks three questions —
  1. does it speak to the criterion?  (a cue regex from knowledge/, or semantic similarity to
     the criterion's description, acceptable evidence and the guide's good examples)
  2. how does it speak?  (asserted / negated / planned / hedged, see modality.py)
  3. is the evidence of the right kind?  (an attached SOP, diagram, template; concrete
     resources for a customer example)
and turns the best supporting and contradicting sentences into met / partial / not_met with
the sentences as quotes. Deterministic findings then override (see judges/verdict.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from grader.catalogue import Control, Criterion
from grader.judges.modality import Modality, classify
from grader.judges.verdict import apply_findings, control_verdict, summarise
from grader.models import (
    ControlAssessment,
    CriterionStatus,
    CriterionVerdict,
    Document,
    Finding,
    Quote,
    RetrievedEvidence,
)
from grader.text import sentence_spans

Embed = Callable[[Sequence[str]], np.ndarray]

# Similarity thresholds for all-MiniLM-L6-v2 cosine, calibrated on eval/cases (see README).
SIM_WITH_CUE = 0.30  # a cue-matching sentence must also be at least this close to the criterion
SIM_ALONE = 0.55  # a sentence with no cue must be this close to count (paraphrases)
SIM_WEAK = 0.20  # a cue with less similarity than SIM_WITH_CUE is weak evidence -> partial
CUE_BONUS = 0.10
MAX_QUOTES = 2

# Structural attachments count as the evidence by their kind alone (a diagram is a diagram).
STRUCTURAL_KINDS = {"drawio", "image", "terraform"}

# A customer example names concrete things: resource names and ids, roles, CIDRs, numbers.
_CONCRETE = re.compile(
    r"\barn:aws\S*|\b(?:vpc|subnet|sg|i|ami|db|acl|nacl|igw|nat|rtb|eni|vol|snap|key|kms)-[0-9a-z]{3,}\b|"
    r"\b\d{1,3}(?:\.\d{1,3}){3}/\d{1,2}\b|\b\d{12}\b|\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+){1,}\b|"
    r"\b[a-z0-9]+(?:-[a-z0-9]+){2,}\b|\b(?:Amazon|AWS)\s+[A-Z][A-Za-z0-9]+|\b\d+(?:\.\d+)?\s?(?:%|ms|"
    r"minutes?|hours?|seconds?|GB|TB|vCPU|instances?|nodes?|USD|\$)|\$\s?\d[\d,]*"
)
_ENGAGEMENT = re.compile(
    r"\b(?:customer|client|engagement|project|for\s+[A-Z][a-z]+|case\s+stud(?:y|ies)|implemented\s+for|"
    r"deployed\s+for|migrat(?:ed|ion)\s+for)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Sentence:
    doc: Document
    start: int
    end: int
    text: str

    @property
    def attached(self) -> bool:
        return self.doc.kind != "response"


@dataclass(frozen=True, slots=True)
class Reading:
    """How one sentence bears on one criterion."""

    sentence: Sentence
    sim: float
    cue: bool
    modality: Modality
    prohibited: bool  # names the forbidden practice (see Criterion.prohibitions)

    @property
    def score(self) -> float:
        return self.sim + (CUE_BONUS if self.cue else 0.0)

    @property
    def relevant(self) -> bool:
        return (self.cue and self.sim >= SIM_WITH_CUE) or self.sim >= SIM_ALONE

    @property
    def supports(self) -> bool:
        if self.prohibited:
            return self.modality == "negated"  # "we never share credentials"
        return self.relevant and self.modality == "asserted"

    @property
    def contradicts(self) -> bool:
        if self.prohibited:
            return self.modality == "asserted"  # "the team shares one admin login"
        return self.relevant and self.modality in ("negated", "planned")

    @property
    def weak(self) -> bool:
        if self.prohibited:
            return False
        return (self.cue and self.sim >= SIM_WEAK) and not self.supports and not self.contradicts


def _first_match(patterns: Sequence[str], text: str) -> tuple[int, int] | None:
    for pattern in patterns:
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            return m.span()
    return None


def read_sentence(sentence: Sentence, criterion: Criterion, sim: float) -> Reading:
    cue_span = _first_match(criterion.cues, sentence.text)
    ban_span = _first_match(criterion.prohibitions, sentence.text)
    span = ban_span or cue_span
    return Reading(
        sentence=sentence,
        sim=sim,
        cue=cue_span is not None,
        modality=classify(sentence.text, span),
        prohibited=ban_span is not None,
    )


class OfflineJudge:
    """Deterministic, network-free judge. Same inputs, same verdicts."""

    name = "offline"

    def __init__(self, embed: Embed | None = None) -> None:
        self._embed = embed

    @property
    def embed(self) -> Embed:
        if self._embed is None:
            from grader.embeddings import embed

            self._embed = embed
        return self._embed

    # ------------------------------------------------------------------ public

    def judge(
        self, control: Control, evidence: RetrievedEvidence, findings: list[Finding]
    ) -> ControlAssessment:
        started = time.perf_counter()
        documents = evidence.evidence.documents
        excluded = _excluded_spans(findings)
        sentences = _candidate_sentences(evidence, excluded)
        vectors = self._sentence_vectors(sentences)
        readings = {
            c.slug: self._read(c, control, sentences, vectors, evidence) for c in control.criteria
        }
        verdicts = [
            self._criterion_verdict(c, control, readings, documents) for c in control.criteria
        ]
        verdicts = apply_findings(verdicts, findings)
        verdict = control_verdict(verdicts, findings, answered=evidence.evidence.answered)
        return ControlAssessment(
            control=control.id,
            title=control.title,
            verdict=verdict,
            summary=summarise(control, verdicts, findings, evidence.evidence.answered),
            answered=evidence.evidence.answered,
            criteria=verdicts,
            flags=findings,
            errors=evidence.evidence.errors,
            judge=self.name,
            seconds=round(time.perf_counter() - started, 4),
        )

    # ------------------------------------------------------------------ reading

    def _sentence_vectors(self, sentences: list[Sentence]) -> np.ndarray:
        if not sentences:
            return np.zeros((0, 1), dtype=np.float32)
        return np.asarray(self.embed([s.text for s in sentences]))

    def _prototypes(self, control: Control, criterion: Criterion) -> np.ndarray:
        return _prototype_vectors(self.embed, control, criterion.slug)

    def _read(
        self,
        criterion: Criterion,
        control: Control,
        sentences: list[Sentence],
        vectors: np.ndarray,
        evidence: RetrievedEvidence,
    ) -> list[Reading]:
        if not sentences:
            return []
        allowed = _retrieved_spans(evidence, criterion.slug)
        sims = (vectors @ self._prototypes(control, criterion).T).max(axis=1)
        readings = []
        for sentence, sim in zip(sentences, sims):
            if allowed is not None and not _overlaps(sentence, allowed):
                continue
            readings.append(read_sentence(sentence, criterion, float(sim)))
        return readings

    # ------------------------------------------------------------------ deciding

    def _criterion_verdict(
        self,
        criterion: Criterion,
        control: Control,
        readings: dict[str, list[Reading]],
        documents: list[Document],
    ) -> CriterionVerdict:
        mine = readings[criterion.slug]
        support = sorted((r for r in mine if r.supports), key=lambda r: -r.score)
        against = sorted((r for r in mine if r.contradicts), key=lambda r: -r.score)
        weak = sorted((r for r in mine if r.weak), key=lambda r: -r.score)

        if criterion.requires_attachment:
            return _attachment_verdict(criterion, control, readings, documents, support)

        if against and (not support or against[0].score >= support[0].score):
            how = {"negated": "denies it", "planned": "describes it as planned, not done",
                   "asserted": "describes the forbidden practice"}
            r = against[0]
            return _verdict(
                criterion, "not_met", against,
                f"The evidence {how.get(r.modality, 'contradicts it')}: \"{_short(r)}\".",
            )
        if support:
            if criterion.slug == "customer-example" and not _concrete(support):
                return _verdict(
                    criterion, "partial", support,
                    "A customer engagement is described, but without the concrete resources "
                    "(names, ids, configurations) the guide asks for.",
                )
            return _verdict(
                criterion, "met", support,
                f"Addressed by \"{_short(support[0])}\".",
            )
        if weak:
            hedge = weak[0].modality == "hedged"
            return _verdict(
                criterion, "partial", weak,
                ("The evidence only hedges (\"" + _short(weak[0]) + "\"): it does not commit "
                 "to the practice.") if hedge else
                f"Touched on (\"{_short(weak[0])}\") but not explained as the criterion requires.",
            )
        return _verdict(criterion, "not_met", [], "No evidence addresses this criterion.")


# ---------------------------------------------------------------------- helpers


_PROTOTYPES: dict[tuple[int, str, str], np.ndarray] = {}


def _prototype_vectors(embed: Embed, control: Control, slug: str) -> np.ndarray:
    """Embeddings of what this criterion looks like when met (cached per process)."""
    key = (id(embed), control.id, slug)
    if key not in _PROTOTYPES:
        criterion = control.criterion(slug)
        texts = [criterion.description, *criterion.acceptable_evidence]
        for example in control.good_examples:
            if slug in example.criteria or not example.criteria:
                texts.extend(
                    s.text for s in sentence_spans(example.text)
                    if _first_match(criterion.cues, s.text)
                )
        _PROTOTYPES[key] = np.asarray(embed(texts))
    return _PROTOTYPES[key]


def _candidate_sentences(
    evidence: RetrievedEvidence, excluded: dict[str, list[tuple[int, int]]]
) -> list[Sentence]:
    """Every sentence of the documents that any criterion retrieved, minus excluded spans."""
    wanted: dict[str, list[tuple[int, int]]] = {}
    for scored in evidence.per_criterion.values():
        for sc in scored:
            wanted.setdefault(sc.chunk.source.file, []).append((sc.chunk.source.start, sc.chunk.source.end))
    sentences: list[Sentence] = []
    for doc in evidence.evidence.documents:
        spans = wanted.get(doc.path)
        if not spans:
            continue
        for s in sentence_spans(doc.text):
            if not any(s.start < e and s.end > b for b, e in spans):
                continue
            if any(s.start < e and s.end > b for b, e in excluded.get(doc.path, [])):
                continue
            sentences.append(Sentence(doc, s.start, s.end, s.text))
    return sentences


def _retrieved_spans(evidence: RetrievedEvidence, slug: str) -> dict[str, list[tuple[int, int]]] | None:
    scored = evidence.per_criterion.get(slug)
    if scored is None:
        return None
    spans: dict[str, list[tuple[int, int]]] = {}
    for sc in scored:
        spans.setdefault(sc.chunk.source.file, []).append((sc.chunk.source.start, sc.chunk.source.end))
    return spans


def _overlaps(sentence: Sentence, spans: dict[str, list[tuple[int, int]]]) -> bool:
    return any(sentence.start < e and sentence.end > b for b, e in spans.get(sentence.doc.path, []))


def _excluded_spans(findings: list[Finding]) -> dict[str, list[tuple[int, int]]]:
    """Sentences a check marked as instructions to the grader are never evidence."""
    out: dict[str, list[tuple[int, int]]] = {}
    for f in findings:
        if f.rule.startswith("injection") and f.source is not None:
            out.setdefault(f.source.file, []).append((f.source.start, f.source.end))
    return out


def _concrete(readings: list[Reading]) -> bool:
    text = " ".join(r.sentence.text for r in readings[:4])
    return len(_CONCRETE.findall(text)) >= 2 or (
        bool(_ENGAGEMENT.search(text)) and len(_CONCRETE.findall(text)) >= 1
    )


def _attachment_verdict(
    criterion: Criterion,
    control: Control,
    readings: dict[str, list[Reading]],
    documents: list[Document],
    support: list[Reading],
) -> CriterionVerdict:
    """Criteria such as `sop`, `diagram`, `template`: the evidence must be an attachment."""
    kinds = set(criterion.attachment_kinds)
    attached = [d for d in documents if d.kind != "response" and (not kinds or d.kind in kinds)]
    in_attachment = [r for r in support if r.sentence.attached and r.sentence.doc in attached]
    if in_attachment:
        return _verdict(criterion, "met", in_attachment,
                        f"Supplied as an attachment: {in_attachment[0].sentence.doc.path}.")
    structural = [d for d in attached if d.kind in STRUCTURAL_KINDS or _is_template(d)]
    if structural:
        doc = structural[0]
        note = " A person (or a vision model) must check its content." if doc.needs_human_review else ""
        return CriterionVerdict(
            slug=criterion.slug, status="met",
            rationale=f"Supplied as an attachment: {doc.path} ({doc.kind}).{note}",
        )
    # A prose attachment that carries the control's substance counts as the SOP/document.
    for doc in attached:
        backing = [
            r for rs in readings.values() for r in rs
            if r.supports and r.sentence.doc is doc
        ]
        if backing:
            best = max(backing, key=lambda r: r.score)
            return _verdict(criterion, "met", [best],
                            f"The attached document {doc.path} sets out the practice.")
    if attached:
        return _verdict(criterion, "partial", [],
                        f"{attached[0].path} is attached but does not cover this control's practices.")
    claimed = support[:1]
    return _verdict(
        criterion, "not_met", claimed,
        "Only described in the answer text; the guide requires the document itself to be attached."
        if claimed else "No such document is attached.",
    )


def _is_template(doc: Document) -> bool:
    data = doc.data
    return isinstance(data, dict) and ("Resources" in data or "resource" in data)


def _short(reading: Reading, limit: int = 160) -> str:
    text = reading.sentence.text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(reading: Reading) -> Quote:
    s = reading.sentence
    return Quote(text=s.text, source=s.doc.provenance(s.start, s.end))


def _verdict(
    criterion: Criterion, status: CriterionStatus, readings: list[Reading], rationale: str
) -> CriterionVerdict:
    return CriterionVerdict(
        slug=criterion.slug,
        status=status,
        quotes=[_quote(r) for r in readings[:MAX_QUOTES]],
        rationale=rationale,
        missing="" if status == "met" else "; ".join(criterion.shortfalls[:2]),
        fix="" if status == "met" else criterion.fix,
    )

"""The offline judge: grades each criterion from evidence sentences, with no network.

Reading (reading.py): every retrieved sentence against every criterion — cue, semantic
closeness to the criterion and the guide's good examples, modality. Deciding (decision.py):
the strongest supporting and contradicting readings become met / partial / not_met, with the
sentences as quotes. Deterministic findings then override (judges/verdict.py). Thresholds are
in tuning.yaml; what each criterion looks for is in knowledge/controls/*.yaml.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np

from grader.catalogue import Control, Criterion
from grader.judges.offline.decision import criterion_verdict
from grader.judges.offline.reading import (
    Reading,
    Sentence,
    candidate_sentences,
    counted,
    evidence_sentences,
    excluded_spans,
    first_match,
    read_sentence,
    retrieved_spans,
    stated_defects,
    within,
)
from grader.judges.verdict import apply_findings, control_verdict, summarise
from grader.models import ControlAssessment, Finding, RetrievedEvidence
from grader.text import sentence_spans

Embed = Callable[[Sequence[str]], np.ndarray]


class OfflineJudge:
    """Deterministic, network-free judge. Same inputs, same verdicts."""

    name = "offline"
    model: str | None = None
    needs_examples = False  # it reads the catalogue's examples itself (prototype vectors)
    concurrent = False  # CPU-bound: parallel controls would only contend for the GIL
    setup: dict[str, str] = {}  # no endpoint, no timeouts: nothing to report

    def __init__(self, embed: Embed | None = None) -> None:
        self._embed = embed

    @property
    def embed(self) -> Embed:
        if self._embed is None:
            from grader.embeddings import embed  # deferred: loads the ONNX model on first use

            self._embed = embed
        return self._embed

    def judge(self, control: Control, evidence: RetrievedEvidence, findings: list[Finding]) -> ControlAssessment:
        started = time.perf_counter()
        documents = evidence.evidence.documents
        # Instructions to the grader are read like any sentence, then kept only where they
        # speak against the practice (reading.counted): never evidence for it.
        excluded = excluded_spans(findings)
        sentences = candidate_sentences(evidence, {})
        vectors = self._sentence_vectors(sentences)
        sims = self._similarities(control, vectors)
        best = np.max(np.stack(list(sims.values())), axis=0) if sims else np.zeros(0)
        bad = self._unacceptable_similarity(control, vectors)
        readings = {c.slug: counted(self._read(c, sentences, sims[c.slug], best, bad, evidence), excluded)
                    for c in control.criteria}
        everything = evidence_sentences(documents, {})
        for c in control.criteria:
            readings[c.slug] += stated_defects(c, everything, readings[c.slug])
        verdicts = [
            criterion_verdict(c, control, readings, documents, excluded, findings) for c in control.criteria
        ]
        verdicts = apply_findings(verdicts, findings)
        answered = evidence.evidence.answered
        return ControlAssessment(
            control=control.id,
            title=control.title,
            verdict=control_verdict(verdicts, findings, answered=answered),
            summary=summarise(control, verdicts, findings, answered),
            answered=answered,
            criteria=verdicts,
            flags=findings,
            errors=evidence.evidence.errors,
            judge=self.name,
            seconds=round(time.perf_counter() - started, 4),
        )

    def _sentence_vectors(self, sentences: list[Sentence]) -> np.ndarray:
        if not sentences:
            return np.zeros((0, 1), dtype=np.float32)
        return np.asarray(self.embed([s.text for s in sentences]))

    def _similarities(self, control: Control, vectors: np.ndarray) -> dict[str, np.ndarray]:
        """Per criterion: each sentence's best cosine to what that criterion looks like."""
        if len(vectors) == 0:
            return {c.slug: np.zeros(0) for c in control.criteria}
        return {
            c.slug: (vectors @ _prototype_vectors(self.embed, control, c.slug).T).max(axis=1)
            for c in control.criteria
        }

    def _unacceptable_similarity(self, control: Control, vectors: np.ndarray) -> np.ndarray:
        if len(vectors) == 0:
            return np.zeros(0)
        return (vectors @ _unacceptable_vectors(self.embed, control).T).max(axis=1)

    def _read(
        self,
        criterion: Criterion,
        sentences: list[Sentence],
        sims: np.ndarray,
        best: np.ndarray,
        bad: np.ndarray,
        evidence: RetrievedEvidence,
    ) -> list[Reading]:
        allowed = retrieved_spans(evidence, criterion.slug)
        readings = []
        for i, sentence in enumerate(sentences):
            if allowed is not None and not within(sentence, allowed):
                continue
            closest = bool(sims[i] >= best[i] - 1e-6)
            readings.append(read_sentence(sentence, criterion, float(sims[i]), closest, float(bad[i])))
        return readings


_PROTOTYPES: dict[tuple[int, str, str], np.ndarray] = {}


def _prototype_vectors(embed: Embed, control: Control, slug: str) -> np.ndarray:
    """Embeddings of what this criterion looks like when met (cached per process)."""
    key = (id(embed), control.id, slug)
    if key not in _PROTOTYPES:
        criterion = control.criterion(slug)
        others = [c for c in control.criteria if c.slug != slug]
        texts = [criterion.description, *criterion.acceptable_evidence]
        for example in control.good_examples:
            if slug in example.criteria or not example.criteria:
                # Only sentences that speak to this criterion alone: a sentence about scaling
                # AND failure would make the two criteria's prototypes indistinguishable.
                texts.extend(
                    s.text for s in sentence_spans(example.text)
                    if first_match(criterion.cues, s.text) and not any(first_match(o.cues, s.text) for o in others)
                )
        _PROTOTYPES[key] = np.asarray(embed(texts))
    return _PROTOTYPES[key]


def _unacceptable_vectors(embed: Embed, control: Control) -> np.ndarray:
    """Embeddings of the sentences of the guide's unacceptable answers for this control."""
    key = (id(embed), control.id, "<unacceptable>")
    if key not in _PROTOTYPES:
        texts = [s.text for e in control.unacceptable_examples for s in sentence_spans(e.text)]
        _PROTOTYPES[key] = np.asarray(embed(texts or ["-"]))
    return _PROTOTYPES[key]

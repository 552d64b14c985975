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
from grader.judges.engagement import CONCRETE_MET, best_engagement
from grader.judges.modality import Modality, classify, forbids, own_negations
from grader.judges.verdict import apply_findings, control_verdict, summarise
from grader.judges.quotes import MAX_QUOTE_CHARS
from grader.models import (
    ControlAssessment,
    CriterionStatus,
    CriterionVerdict,
    Document,
    Finding,
    Quote,
    RetrievedEvidence,
)
from grader.text import rx, sentence_spans

Embed = Callable[[Sequence[str]], np.ndarray]

# Similarity thresholds for all-MiniLM-L6-v2 cosine, calibrated on eval/cases (see README).
SIM_WITH_CUE = 0.30  # a cue-matching sentence must also be at least this close to the criterion
SIM_ALONE = 0.55  # a sentence with no cue must be this close to count (paraphrases)
SIM_WEAK = 0.20  # a cue with less similarity than SIM_WITH_CUE is weak evidence -> partial
SIM_UNACCEPTABLE = 0.75  # this close to one of the guide's unacceptable answers: generic
CUE_BONUS = 0.10
MAX_QUOTES = 2

# Structural attachments count as the evidence by their kind alone (a diagram is a diagram).
STRUCTURAL_KINDS = {"drawio", "image", "terraform"}

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
    closest: bool = True  # no other criterion of the control is semantically closer
    unacceptable_sim: float = 0.0  # closeness to the guide's unacceptable examples for the control

    @property
    def generic(self) -> bool:
        """Reads like one of the guide's unacceptable answers more than like the criterion."""
        return self.unacceptable_sim >= SIM_UNACCEPTABLE and self.unacceptable_sim > self.sim

    @property
    def score(self) -> float:
        return self.sim + (CUE_BONUS if self.cue else 0.0)

    @property
    def relevant(self) -> bool:
        # Without a cue, similarity must be high AND this criterion the sentence's nearest:
        # an HA sentence is near auto-scaling too, but nearer to high-availability.
        return (self.cue and self.sim >= SIM_WITH_CUE) or (self.sim >= SIM_ALONE and self.closest)

    @property
    def supports(self) -> bool:
        if self.prohibited:
            return self.modality == "negated"  # "we never share credentials"
        return self.relevant and self.modality == "asserted" and not self.generic

    @property
    def contradicts(self) -> bool:
        if self.prohibited:
            return self.modality == "asserted"  # "the team shares one admin login"
        if self.relevant and self.modality == "asserted" and self.generic:
            return True
        return self.relevant and self.modality in ("negated", "planned", "hedged")

    @property
    def weak(self) -> bool:
        if self.prohibited:
            return False
        if self.relevant and self.modality == "qualified":
            return True
        return (self.cue and self.sim >= SIM_WEAK) and not self.supports and not self.contradicts


def _first_match(patterns: Sequence[str], text: str) -> tuple[int, int] | None:
    found = _matching(patterns, text)
    return found[1] if found else None


_ASSERTIVENESS = {"asserted": 4, "qualified": 3, "hedged": 2, "negated": 1, "planned": 0}


_CONDITIONAL_OPENING = re.compile(r"^\W*(?:when|if|where|whenever|unless|in\s+case|should|for\s+\w+\s+(?:with|without))\b", re.I)


def _most_assertive(text: str, cues: Sequence[str]) -> Modality:
    """How the sentence speaks of the practice: the reading at its first cue match.

    Except after a conditional opening: "When a customer has no identity provider we federate
    with Managed AD" negates the provider, not the federation, so there the most assertive
    cue match counts.
    """
    matches = sorted(
        (m.start(), m.span(), cue) for cue in cues for m in [rx(cue).search(text)] if m
    )
    if not matches:
        return classify(text, None)
    readings = [classify(text, span, own_negations(cue)) for _, span, cue in matches]
    if _CONDITIONAL_OPENING.search(text):
        return max(readings, key=_ASSERTIVENESS.__getitem__)
    return readings[0]


def _matching(patterns: Sequence[str], text: str) -> tuple[str, tuple[int, int]] | None:
    """The first pattern that matches, and where."""
    for pattern in patterns:
        m = rx(pattern).search(text)
        if m:
            return pattern, m.span()
    return None


def read_sentence(
    sentence: Sentence, criterion: Criterion, sim: float, closest: bool = True, unacceptable_sim: float = 0.0
) -> Reading:
    cue = _matching(criterion.cues, sentence.text)
    cue_span = cue[1] if cue else None
    ban_span = _first_match(criterion.prohibitions, sentence.text)
    if ban_span:
        # A banned practice is judged over its whole list ("shared logins, shared passwords
        # and shared keys are forbidden"), including negation inside the ban's own words.
        modality = classify(sentence.text, ban_span)
        if modality in ("asserted", "negated"):
            modality = "negated" if forbids(sentence.text, ban_span[0]) else "asserted"
    else:
        modality = _most_assertive(sentence.text, criterion.cues)
    return Reading(
        sentence=sentence,
        sim=sim,
        cue=cue_span is not None,
        modality=modality,
        prohibited=ban_span is not None,
        closest=closest,
        unacceptable_sim=unacceptable_sim,
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
        sims = self._similarities(control, vectors)
        best = np.max(np.stack(list(sims.values())), axis=0) if sims else np.zeros(0)
        bad = self._unacceptable_similarity(control, vectors)
        readings = {
            c.slug: self._read(c, sentences, sims[c.slug], best, bad, evidence) for c in control.criteria
        }
        verdicts = [
            self._criterion_verdict(c, control, readings, documents, excluded, findings)
            for c in control.criteria
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
        allowed = _retrieved_spans(evidence, criterion.slug)
        readings = []
        for i, sentence in enumerate(sentences):
            if allowed is not None and not _overlaps(sentence, allowed):
                continue
            closest = bool(sims[i] >= best[i] - 1e-6)
            readings.append(read_sentence(sentence, criterion, float(sims[i]), closest, float(bad[i])))
        return readings

    # ------------------------------------------------------------------ deciding

    def _criterion_verdict(
        self,
        criterion: Criterion,
        control: Control,
        readings: dict[str, list[Reading]],
        documents: list[Document],
        excluded: dict[str, list[tuple[int, int]]],
        findings: list[Finding],
    ) -> CriterionVerdict:
        mine = readings[criterion.slug]
        # A document a check warns about for this criterion (a single-AZ diagram) cannot
        # vouch for it with its own labels; an explanation must come from elsewhere.
        doubted = {f.source.file for f in findings
                   if f.severity == "warn" and f.criterion == criterion.slug and f.source}
        support = sorted((r for r in mine if r.supports and r.sentence.doc.path not in doubted),
                         key=lambda r: -r.score)
        against = sorted((r for r in mine if r.contradicts), key=lambda r: -r.score)
        weak = sorted((r for r in mine if r.weak), key=lambda r: -r.score)

        if criterion.requires_attachment:
            return _attachment_verdict(criterion, control, readings, documents, support)
        if criterion.slug == "customer-example" and not (
            against and against[0].modality != "hedged" and (not support or against[0].score >= support[0].score)
        ):
            return _customer_example_verdict(criterion, control, documents, excluded, support)

        # A hedge only counts against a criterion nothing asserts; a denial or a plan counts
        # against it whenever it is the strongest statement.
        against = [r for r in against if r.modality != "hedged" or not support]
        if against and (not support or against[0].score >= support[0].score):
            how = {"negated": "denies it", "planned": "describes it as planned, not done",
                   "hedged": "only hedges, without committing to the practice",
                   "asserted": "describes the forbidden practice"}
            r = against[0]
            if r.generic and not r.prohibited:
                return _verdict(
                    criterion, "not_met", against,
                    f"A generic statement like the guide's unacceptable answers: \"{_short(r)}\".",
                )
            return _verdict(
                criterion, "not_met", against,
                f"The evidence {how.get(r.modality, 'contradicts it')}: \"{_short(r)}\".",
            )
        if support:
            missing = _missing_aspects(criterion, mine)
            if missing:
                return _verdict(
                    criterion, "partial", support,
                    f"Addressed by \"{_short(support[0])}\", but the evidence does not establish: "
                    + "; ".join(missing) + ".",
                )
            return _verdict(
                criterion, "met", support,
                f"Addressed by \"{_short(support[0])}\".",
            )
        if weak:
            qualified = weak[0].modality == "qualified"
            return _verdict(
                criterion, "partial", weak,
                ("In place only in part (\"" + _short(weak[0]) + "\").") if qualified else
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
        others = [c for c in control.criteria if c.slug != slug]
        texts = [criterion.description, *criterion.acceptable_evidence]
        for example in control.good_examples:
            if slug in example.criteria or not example.criteria:
                # Only sentences that speak to this criterion alone: a sentence about scaling
                # AND failure would make the two criteria's prototypes indistinguishable.
                texts.extend(
                    s.text for s in sentence_spans(example.text)
                    if _first_match(criterion.cues, s.text)
                    and not any(_first_match(o.cues, s.text) for o in others)
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
        for s in doc.sentences():
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
    for doc in documents:
        for pattern in criterion.accepted_links:
            m = rx(pattern).search(doc.text)
            if m:
                quote = Quote(text=m.group(0), source=doc.provenance(*m.span()))
                return CriterionVerdict(slug=criterion.slug, status="met", quotes=[quote],
                                        rationale=f"Supplied as a link: {m.group(0)}.")
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


def _customer_example_verdict(
    criterion: Criterion,
    control: Control,
    documents: list[Document],
    excluded: dict[str, list[tuple[int, int]]],
    support: list[Reading],
) -> CriterionVerdict:
    """One specific engagement, told with the concrete resources it used."""
    found = best_engagement(control, documents, excluded)
    if found is None or (not found.narrative and not support):
        return _verdict(criterion, "not_met", [], "No specific customer engagement is described.")
    lead = len(found.text) - len(found.text.lstrip())
    start = found.start + lead
    end = min(found.end, start + MAX_QUOTE_CHARS)
    quote = Quote(text=found.doc.text[start:end].rstrip(), source=found.doc.provenance(start, end))
    quote = quote.model_copy(update={"source": found.doc.provenance(start, start + len(quote.text))})
    named = ", ".join(sorted(found.items)[:6])
    if not found.narrative:
        status, why = "partial", "Practices are described as procedure, not as one specific customer engagement."
    elif len(found.items) >= CONCRETE_MET:
        status, why = "met", f"A specific engagement is described with concrete resources ({named})."
    else:
        status = "partial" if found.items else "not_met"
        why = ("A customer engagement is described, but without the concrete resources (names, ids, "
               "configurations) the guide asks for" + (f" (only: {named})." if named else "."))
    verdict = _verdict(criterion, status, [], why)
    return verdict.model_copy(update={"quotes": [quote]})


def _missing_aspects(criterion: Criterion, readings: list[Reading]) -> list[str]:
    """Aspects of the criterion that no asserted sentence of the evidence establishes."""
    missing = []
    for aspect in criterion.aspects:
        shown = False
        for r in readings:
            found = _matching(aspect.cues, r.sentence.text)
            if found and classify(r.sentence.text, found[1], own_negations(found[0])) == "asserted":
                shown = True
                break
        if not shown:
            missing.append(aspect.name)
    return missing


def _is_template(doc: Document) -> bool:
    data = doc.data
    return isinstance(data, dict) and ("Resources" in data or "resource" in data)


def _short(reading: Reading, limit: int = 160) -> str:
    text = reading.sentence.text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(reading: Reading) -> Quote:
    s = reading.sentence
    end = min(s.end, s.start + MAX_QUOTE_CHARS)  # a quote is for reading: a prefix of a long one
    return Quote(text=s.doc.text[s.start:end], source=s.doc.provenance(s.start, end))


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

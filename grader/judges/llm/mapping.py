"""The model's judgement -> the control's criterion verdicts; quotes verified in the evidence.

Where a criterion is judged by the LLM judge: the model decides in its reply (schema.py,
asked for by prompt.py); `to_verdicts` is where that decision meets the rules no model may
overrule.
"""

from __future__ import annotations

from grader.catalogue import Control
from grader.judges.artifacts import artifact_supplied
from grader.judges.llm.prompt import EvidenceBlock
from grader.judges.llm.schema import LLMJudgement
from grader.judges.quotes import locate
from grader.models import Chunk, CriterionVerdict, Document


def to_verdicts(
    control: Control, judgement: LLMJudgement, blocks: list[EvidenceBlock], documents: list[Document],
    chunks: list[Chunk] | None = None,
) -> list[CriterionVerdict]:
    """Map the model's answer onto the control's criteria; keep only quotes that really occur.

    Two rules hold whatever the model says: `met` needs at least one quote found in the
    evidence, and a criterion that needs a document (SOP, diagram, template) needs it attached.
    """
    by_slug = {c.slug: c for c in judgement.criteria}
    by_block = {b.id: b for b in blocks}
    verdicts: list[CriterionVerdict] = []
    for criterion in control.criteria:
        item = by_slug.get(criterion.slug)
        if item is None:
            verdicts.append(CriterionVerdict(
                slug=criterion.slug, status="not_met", rationale="The model gave no verdict for this criterion.",
                missing=criterion.description, fix=criterion.fix))
            continue
        kept, dropped = [], []
        for q in item.quotes:
            block = by_block.get(q.evidence_id)
            # Prefer the document the model named; fall back to any document.
            ordered = sorted(documents, key=lambda d: d.path != (block.file if block else None))
            found = locate(q.text, ordered, chunks)
            (kept.append(found) if found else dropped.append(q.text))
        status, rationale = item.status, item.rationale.strip()
        if dropped:
            rationale += f" [{len(dropped)} quote(s) not found in the evidence were dropped.]"
        if status == "met" and not kept:
            status = "partial"
            rationale += " Downgraded from met: no quote supporting it occurs in the evidence."
        if status == "met" and criterion.requires_attachment and not artifact_supplied(criterion, documents):
            status = "not_met"
            rationale += (" Downgraded from met: only described in the answer text; the guide requires"
                          " the document itself to be attached.")
        verdicts.append(CriterionVerdict(
            slug=criterion.slug, status=status, quotes=kept, rationale=rationale.strip(),
            missing="" if status == "met" else (item.missing or criterion.description),
            fix="" if status == "met" else (item.fix or criterion.fix)))
    return verdicts


def unknown_slugs(control: Control, judgement: LLMJudgement) -> list[str]:
    """Criteria the model answered for that this control does not have (invented or renamed)."""
    known = set(control.slugs)
    return list(dict.fromkeys(c.slug for c in judgement.criteria if c.slug not in known))

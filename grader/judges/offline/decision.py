"""From readings to a criterion verdict: the offline judge's decision step.

Where a criterion is judged offline: `criterion_verdict`. The criterion's `evidence` field
(knowledge/controls/*.yaml) says what can meet it: a statement in the evidence, an attached
document (`document_verdict`), or one customer engagement told with its concrete resources
(`engagement_verdict`). Deterministic findings override afterwards (judges/verdict.py).
"""

from __future__ import annotations

from grader.catalogue import Aspect, Control, Criterion
from grader.judges.artifacts import accepted_attachments, accepted_link, shows_the_artifact
from grader.judges.offline.engagement import best_engagement
from grader.stance import IMPERATIVE_OPENING, classify, own_negations
from grader.judges.offline.reading import CONDITIONAL_OPENING, Reading, Spans, matching
from grader.judges.offline.tuning import tuning
from grader.judges.quotes import MAX_QUOTE_CHARS
from grader.models import CriterionStatus, CriterionVerdict, Document, Finding, Quote

# Structural attachments count as the evidence by their kind alone (a diagram is a diagram).
STRUCTURAL_KINDS = {"drawio", "image", "terraform"}

# A contradiction this close to the best support (similarity + cue bonus) leaves the reading unsure.
DOUBT_MARGIN = 0.05

# Stances that defeat a criterion however strongly other sentences support it.
OUTWEIGHS_SUPPORT = ("planned", "recommended", "delegated")

_HOW_IT_SPEAKS_AGAINST = {
    "negated": "denies it",
    "planned": "describes it as planned, not done",
    "hedged": "only hedges, without committing to the practice",
    "recommended": "only recommends it, which is not the practice in place",
    "delegated": "leaves it to someone else (the customer or AWS)",
    "asserted": "describes the forbidden practice",
}


def criterion_verdict(
    criterion: Criterion,
    control: Control,
    readings: dict[str, list[Reading]],
    documents: list[Document],
    excluded: Spans,
    findings: list[Finding],
) -> CriterionVerdict:
    """met / partial / not_met for one criterion, with the sentences that decided it as quotes."""
    mine = readings[criterion.slug]
    # A document a check warns about for this criterion (a single-AZ diagram) cannot
    # vouch for it with its own labels; an explanation must come from elsewhere.
    doubted = {f.source.file for f in findings if f.severity == "warn" and f.criterion == criterion.slug and f.source}
    support = _best_first(r for r in mine if r.supports and r.sentence.doc.path not in doubted)
    against = _best_first(r for r in mine if r.contradicts)
    weak = _best_first(r for r in mine if r.weak)

    if criterion.evidence == "document":
        return document_verdict(criterion, control, readings, documents, support)
    # An engagement's own facts are often restrictions ("its firewall has no other opening"):
    # only a plan, a hand-off, a recommendation or the forbidden practice speaks against it.
    if criterion.evidence == "engagement":
        against = [r for r in against if r.prohibited or r.modality in OUTWEIGHS_SUPPORT]
        if not (against and (not support or against[0].score >= support[0].score)):
            return engagement_verdict(criterion, control, documents, excluded, support)

    # A hedge only counts against a criterion nothing asserts; a denial counts against it
    # whenever it is the strongest statement. The forbidden practice stated, a plan, a
    # recommendation or the practice left to someone else outweigh any supporting sentence:
    # a reviewer reads "MFA is recommended to the customer" as the answer, whatever else is said.
    against = [r for r in against if r.modality != "hedged" or not support]
    decisive = [r for r in against if (r.prohibited or (r.cue and r.modality in OUTWEIGHS_SUPPORT))
                and not IMPERATIVE_OPENING.match(r.sentence.text) and not CONDITIONAL_OPENING.search(r.sentence.text)]
    if decisive:
        against = decisive + [r for r in against if r not in decisive]
    if against and (decisive or not support or against[0].score >= support[0].score):
        r = against[0]
        if r.generic and not r.prohibited:
            return _verdict(criterion, "not_met", against,
                            f"A generic statement like the guide's unacceptable answers: \"{_short(r)}\".",
                            missing=f"{criterion.title}, told for this customer's workload rather than in general.")
        how = _HOW_IT_SPEAKS_AGAINST.get(r.modality, "contradicts it")
        return _verdict(criterion, "not_met", against, f"The evidence {how}: \"{_short(r)}\".",
                        missing=f"{criterion.title}, in place today: the evidence {how} (\"{_short(r)}\").")
    if support:
        missing = missing_aspects(criterion, mine, documents)
        if missing:
            return _verdict(
                criterion, "partial", support,
                f"Addressed by \"{_short(support[0])}\", but the evidence does not establish: "
                + "; ".join(a.name for a in missing) + ".",
                missing=_sentence_case("; ".join(a.name for a in missing)) + ".",
                fix=" ".join(a.fix for a in missing if a.fix) or None,
            )
        excepted = [r for r in mine if r.relevant and r.cue and r.modality == "excepted"]
        if excepted:
            return _verdict(criterion, "partial", support[:1] + excepted[:1],
                            f"Addressed by \"{_short(support[0])}\", but with an exception: \"{_short(excepted[0])}\".",
                            missing=f"{criterion.title} for the whole scope: the evidence excepts part of it "
                                    f"(\"{_short(excepted[0])}\").")
        if not any(r.cue for r in support):
            verdict = _verdict(criterion, "partial", support, f"Addressed by \"{_short(support[0])}\", by meaning only.",
                               missing=f"{criterion.title}, said in terms a reviewer can confirm.")
            return verdict.model_copy(update={"needs_review": _doubt(support, against)})
        verdict = _verdict(criterion, "met", support, f"Addressed by \"{_short(support[0])}\".")
        # Met, but unsure: the control is flagged for the reviewer, never a silent pass.
        return verdict.model_copy(update={"needs_review": _doubt(support, against)})
    if weak:
        if weak[0].modality == "qualified":
            return _verdict(criterion, "partial", weak, "In place only in part (\"" + _short(weak[0]) + "\").",
                            missing=f"{criterion.title} for the whole scope: the evidence says it holds only in part.")
        return _verdict(criterion, "partial", weak,
                        f"Touched on (\"{_short(weak[0])}\") but not explained as the criterion requires.",
                        missing=f"{criterion.title}, stated as a practice in place with its specifics: the evidence "
                                "only names it.")
    return _verdict(criterion, "not_met", [], "No evidence addresses this criterion.",
                    missing=f"{criterion.title}: nothing in the evidence addresses it.")


def document_verdict(
    criterion: Criterion, control: Control, readings: dict[str, list[Reading]], documents: list[Document],
    support: list[Reading],
) -> CriterionVerdict:
    """Criteria such as `sop`, `diagram`, `template`: the evidence must be an attachment."""
    offered = accepted_attachments(criterion, documents)
    attached = [d for d in offered if shows_the_artifact(criterion, d)]
    in_attachment = [r for r in support if r.sentence.attached and r.sentence.doc in attached]
    if in_attachment:
        doc = in_attachment[0].sentence.doc
        covered = practices_set_out(doc, control, readings)
        # The document's practices are its evidence; its title ("… Security Engagement SOP")
        # only shows that it exists, so it is quoted only when nothing else is.
        return _verdict(criterion, "met", list(covered.values()) or in_attachment,
                        f"Supplied as an attachment: {doc.path}." + _coverage(control, covered))
    link = accepted_link(criterion, documents)
    if link is not None:
        return CriterionVerdict(slug=criterion.slug, status="met", quotes=[link],
                                rationale=f"Supplied as a link: {link.text}.")
    structural = [d for d in attached if d.kind in STRUCTURAL_KINDS or _is_template(d)]
    if structural:
        doc = structural[0]
        review = f"{doc.path} is an image: a person must check what it shows" if doc.needs_human_review else ""
        return CriterionVerdict(slug=criterion.slug, status="met", needs_review=review,
                                rationale=f"Supplied as an attachment: {doc.path} ({doc.kind}).")
    # A prose attachment that carries the control's substance counts as the SOP/document.
    for doc in attached:
        backing = [r for rs in readings.values() for r in rs if r.supports and r.sentence.doc is doc]
        if backing:
            best = max(backing, key=lambda r: r.score)
            return _verdict(criterion, "met", [best], f"The attached document {doc.path} sets out the practice.")
    if attached:
        return _verdict(criterion, "partial", [],
                        f"{attached[0].path} is attached but does not cover this control's practices.",
                        missing=f"A document that sets out this control's practices ({attached[0].path} does not).")
    if offered:
        return _verdict(criterion, "not_met", [],
                        f"{offered[0].path} is attached, but nothing in it reads as the document this "
                        "criterion asks for.",
                        missing=f"{criterion.title}: {offered[0].path} does not read as one.")
    claimed = support[:1]
    return _verdict(
        criterion, "not_met", claimed,
        "Only described in the answer text; the guide requires the document itself to be attached."
        if claimed else "No such document is attached.",
        missing=f"{criterion.title}: the document itself, attached" + (" (the answer only describes it)." if claimed else "."),
    )


def engagement_verdict(
    criterion: Criterion, control: Control, documents: list[Document], excluded: Spans, support: list[Reading]
) -> CriterionVerdict:
    """One specific engagement, told with the concrete resources it used."""
    found = best_engagement(control, documents, excluded)
    if found is None or (not found.narrative and not support):
        return _verdict(criterion, "not_met", [], "No specific customer engagement is described.",
                        missing="One specific customer engagement showing the practice, with its concrete resources.")
    lead = len(found.text) - len(found.text.lstrip())
    start = found.start + lead
    end = min(found.end, start + MAX_QUOTE_CHARS)
    text = found.doc.text[start:end].rstrip()
    quote = Quote(text=text, source=found.doc.provenance(start, start + len(text)))
    named = ", ".join(sorted(found.items)[:6])
    fix = None  # the criterion's own
    if not found.narrative:
        status, why = "partial", "Practices are described as procedure, not as one specific customer engagement."
    elif len(found.items) >= tuning().concrete_items_for_met:
        status, why = "met", f"A specific engagement is described with concrete resources ({named})."
    else:
        status = "partial" if found.items else "not_met"
        why = ("A customer engagement is described, but without the concrete resources (names, ids, "
               "configurations) the guide asks for" + (f" (only: {named})." if named else "."))
        # The story is there; what a reviewer cannot do is find its resources. Ask for that, not
        # for the workload and services the quote above already shows.
        fix = ("Keep the engagement as told and name its own resources so a reviewer can trace them: "
               "resource names or ids (clusters, buckets, security groups, roles, stacks) and the account, "
               "VPC or subnet ids" + (f", beyond {named}." if named else "."))
    return _verdict(criterion, status, [], why, missing=why, fix=fix).model_copy(update={"quotes": [quote]})


def _doubt(support: list[Reading], against: list[Reading]) -> str:
    """Why a supported criterion is still unsure (decision rule 4): the reviewer decides."""
    close = [r for r in against if r.cue and r.modality != "hedged" and r.score >= support[0].score - DOUBT_MARGIN]
    if close:
        against = close
        return (f"the evidence also speaks against it (\"{_short(against[0])}\"); a reviewer must decide "
                "which statement holds")
    if not any(r.cue for r in support):
        return ("recognised only by closeness in meaning, not by the criterion's own terms "
                f"(\"{_short(support[0])}\"); a reviewer must confirm it is the practice")
    return ""


def practices_set_out(doc: Document, control: Control, readings: dict[str, list[Reading]]) -> dict[str, Reading]:
    """The control's practices (its statement criteria) a document supports, each with its best
    sentence, in the control's order."""
    covered = {}
    for c in control.criteria:
        if c.evidence != "statement":
            continue
        backing = _best_first(r for r in readings.get(c.slug, []) if r.supports and r.sentence.doc is doc)
        if backing:
            covered[c.slug] = backing[0]
    return covered


def _coverage(control: Control, covered: dict[str, Reading]) -> str:
    """Which of the control's practices the document sets out, and which not (for the reviewer)."""
    practices = [c for c in control.criteria if c.evidence == "statement"]
    if not practices:
        return ""
    has = [c.slug for c in practices if c.slug in covered]
    lacks = [c.slug for c in practices if c.slug not in covered]
    return ((f" It sets out: {', '.join(has)}." if has else " It sets out none of this control's practices.")
            + (f" Not in it: {', '.join(lacks)}." if lacks and has else ""))


def missing_aspects(criterion: Criterion, readings: list[Reading], documents: list[Document] = ()) -> list[Aspect]:
    """Aspects of the criterion that no asserted sentence of the evidence establishes (or, for
    an aspect shown by a list, that fewer than its `min_lines` lines of the evidence show)."""
    missing = []
    for aspect in criterion.aspects:
        if aspect.shown_by_attachment and any(
                d.attached and not d.structured and matching(criterion.cues, d.text) and shows_the_artifact(criterion, d)
                for d in documents):
            shown = True
        elif aspect.min_lines > 1:
            shown = _lines_matching(aspect.cues, documents) >= aspect.min_lines
        else:
            shown = any(_asserts(aspect.cues, r.sentence.text) for r in readings)
        if not shown:
            missing.append(aspect)
    return missing


def _asserts(cues, text: str) -> bool:
    found = matching(cues, text)
    return bool(found) and classify(text, found[1], own_negations(found[0])) == "asserted"


def _lines_matching(cues, documents: list[Document]) -> int:
    # Prose and documents only: a pipeline's YAML has "- name: Run tests" steps, not a checklist.
    return sum(1 for doc in documents if not doc.structured for line in doc.text.splitlines() if _asserts(cues, line))


def _best_first(readings) -> list[Reading]:
    return sorted(readings, key=lambda r: -r.score)


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


def _verdict(criterion: Criterion, status: CriterionStatus, readings: list[Reading], rationale: str,
             missing: str = "", fix: str | None = None) -> CriterionVerdict:
    """`missing` says what THIS evidence lacks, from the reading (never the guide's list of
    unacceptable answers, which may name what a quote above shows)."""
    return CriterionVerdict(
        slug=criterion.slug,
        status=status,
        quotes=[_quote(r) for r in readings[: tuning().max_quotes]],
        rationale=rationale,
        missing="" if status == "met" else missing,
        fix="" if status == "met" else (fix or criterion.fix),
    )


def _sentence_case(text: str) -> str:
    """First letter up, the rest as written (str.capitalize would write "kpi" for "KPI")."""
    return text[:1].upper() + text[1:]

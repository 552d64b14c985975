"""How one evidence sentence bears on one criterion: the offline judge's reading step.

For every sentence of the retrieved evidence and every criterion: does it speak to the
criterion (a cue regex from knowledge/, or semantic closeness), how does it speak (modality:
asserted / negated / planned / hedged / qualified), and does it name the practice the
criterion forbids. The decision (decision.py) turns these readings into a verdict.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from grader.catalogue import Criterion
from grader.stance import Modality, classify, forbids, own_negations
from grader.judges.offline.tuning import tuning
from grader.models import Document, Finding, RetrievedEvidence
from grader.text import rx

Spans = dict[str, list[tuple[int, int]]]  # document path -> (start, end) character spans
# Stances that speak against the practice being in place (a denial, a plan, a hedge, a
# recommendation, or the practice left to the customer or AWS).
AGAINST = ("negated", "planned", "hedged", "recommended", "delegated")


@dataclass(frozen=True, slots=True)
class Sentence:
    doc: Document
    start: int
    end: int
    text: str

    @property
    def attached(self) -> bool:
        return self.doc.attached

    @property
    def heading(self) -> bool:
        """A title, a table header, a list's lead-in or a pointer elsewhere: it names the
        practice without claiming it ("Network ACLs", "| Component | RTO | RPO |", "Alert
        thresholds:", "see chapter 4 of the DAT")."""
        # The sentence splitter cuts "## 3. Troubleshooting scenarios" after "3.": the line it
        # sits on says whether it is a heading.
        line_start = self.doc.text.rfind("\n", 0, self.start) + 1
        if "\n" not in self.text.strip() and _MD_HEADING.match(self.doc.text[line_start:self.end]):
            return True
        if _DEFINITION_ROW.match(self.text) or self.under(_DEFINITIONS_HEADING):
            return True  # a glossary defines the term; it does not say the practice is done
        return is_heading(self.text, self.doc.text[self.end:self.end + 120])

    def under(self, heading: re.Pattern[str]) -> bool:
        """Does the heading this sentence is listed under (its section's, or its list's lead-in)
        match `heading`?"""
        governing = _governing_heading(self.doc.text, self.start)
        return governing is not None and bool(heading.search(governing))

    @property
    def under_a_ban(self) -> bool:
        """Listed under a heading that forbids what follows ("### 3.3 Not permitted", "We never
        allow:"): the item names a forbidden practice, it does not claim it."""
        return self.under(_BANNING_HEADING)


_MD_HEADING = re.compile(r"^\s*#{1,6}\s+\S")
_TOC_LINE = re.compile(
    r"\.{4,}\s*\d+\s*$|^\s*(?:\d+(?:\.\d+)*\.?)\s+[A-Z][\w /&,-]{0,60}$"
    # a slide or section title ("Slide 4 - Daily operational checks"), an agenda of titles
    # ("Architecture recap / Daily operations / Alerts / Troubleshooting")
    r"|^\W*(?i:slide|section|chapter|part|page|module|step)\s+\d+\s*[-–—:.]\s*[\w &/,'-]{1,60}$"
    r"|^\W*[A-Z][\w&'-]*(?:\s+[\w&'-]+){0,3}(?:\s+/\s+[A-Z&][\w&'-]*(?:\s+[\w&'-]+){0,3}){2,}\s*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\n\s*\|?\s*:?-{3,}")
_BULLET = re.compile(r"^\s*(?:[-*•▪◦]|\(?[a-z0-9]\))\s")
_LABEL_WORD = re.compile(r"[A-Za-z][A-Za-z'’/&-]*|\d+")
# Words that make a short line a statement rather than a label.
_STATEMENT_WORD = re.compile(
    r"^(?:is|are|was|were|be|been|has|have|had|do|does|did|can|will|must|shall|we|our|they|it|"
    r"yes|no|none|n/?a|on|off|all|every|only|use|uses|used|run|runs|\w+ed|\w+ing)$", re.I)
_POINTER = re.compile(
    r"\b(?:(?:please\s+)?refer\s+to|see|described\s+in|documented\s+in|detailed\s+in|covered\s+in|"
    r"(?:is|are)\s+(?:available|kept|maintained)\s+(?:in|on))\s+(?:the\s+|our\s+)?(?:\w+\s+){0,3}?"
    r"(?:chapter|section|confluence|wiki|sharepoint|appendix|annex|page|portal|intranet)\b"
    r"|\bsee\s+(?:the\s+)?(?:attached\s+)?[\w./-]+\.(?:md|pdf|docx|txt|xlsx|html?)\b"
    r"|^\W*(?:links?|pointers?|references?)\s+to\b",
    re.I,
)


_BANNING_HEADING = re.compile(
    r"\b(?:not\s+(?:permitted|allowed|acceptable|accepted)|prohibited|forbidden|banned|disallowed|never|"
    r"must\s+not|do\s+not|don[\'’]?ts|anti-?patterns?|what\s+we\s+(?:do\s+not|don[\'’]t)\s+do)\b", re.I)
_DEFINITIONS_HEADING = re.compile(r"\b(?:definitions?|glossary|terms\s+and\s+definitions|abbreviations|acronyms)\b", re.I)
# A glossary row: a term, then a definition opening with an article ("CMK | Customer managed key:
# a KMS key that ...", "Auto Scaling | The AWS capability to ...").
_DEFINITION_ROW = re.compile(r"^\|?\s*[^|\n]{1,60}\|\s*(?:[^|\n]{1,40}:\s*)?(?:a|an|the)\s+[^|\n]+\|?\s*$", re.I)
_LEAD_IN = re.compile(r"^[^\n]{3,120}:\s*$")


def _governing_heading(text: str, start: int, reach: int = 1500) -> str | None:
    """The heading whose section or list holds the text at `start`: the nearest Markdown heading
    above it, or a lead-in line ending in ':' when only list items lie between the two."""
    line_start = text.rfind("\n", 0, start) + 1
    above = text[max(0, line_start - reach):line_start].splitlines()
    in_list = bool(_BULLET.match(text[line_start:start + 1] or " ") or _BULLET.match(text[line_start:line_start + 8]))
    for line in reversed(above):
        if _MD_HEADING.match(line):
            return line
        if in_list and _LEAD_IN.match(line.strip()) and not _BULLET.match(line):
            return line
        if line.strip() and not (_BULLET.match(line) or line[:1].isspace()):
            in_list = False
    return None


def _is_header_row(text: str) -> bool:
    """A table's header row without a |---| line under it (a Word or Excel table): three or
    more cells, each a short label ("KPI id (OPE-001) | Alarm | Threshold | Severity")."""
    cells = [c.strip() for c in text.strip().strip("|").split("|")]
    if len(cells) < 3:
        return False
    for cell in cells:
        words = _LABEL_WORD.findall(re.sub(r"\([^)]*\)", "", cell))
        # "-ed"/"-ing" words are labels in a header ("Troubleshooting scenario", "Verified").
        if not 0 < len(words) <= 4 or any(w.isdigit() or (_STATEMENT_WORD.match(w) and not w.lower().endswith(
                ("ed", "ing"))) for w in words):
            return False
    return True


def is_heading(text: str, following: str = "") -> bool:
    """Does this sentence only name a practice (a heading, a table header, a list's lead-in,
    a table-of-contents line, a pointer to another document) rather than claim it?"""
    text = text.strip()
    if "\n" in text:
        return False  # a heading run into the text under it: the text is the claim
    if _MD_HEADING.match(text) or _TOC_LINE.search(text):
        return True
    if text.startswith("|"):
        return bool(_TABLE_SEPARATOR.match(following))  # the row above |---|: a header
    if _is_header_row(text):
        return True
    words = _LABEL_WORD.findall(text)
    if text.endswith(":") and len(words) <= 12:
        return True
    if _POINTER.search(text) and len(words) <= 30:
        return True
    if _BULLET.match(text) or ":" in text or any(ch.isdigit() for ch in text):
        return False
    # A leading gerund names an activity ("Troubleshooting scenarios", "Monitoring and alerting").
    if words and words[0][0].isupper() and words[0].lower().endswith("ing"):
        if len(words) == 1:
            return True  # "Alerting"
        words = words[1:]
        if len(words) == 1 and not _STATEMENT_WORD.match(words[0]):
            return True
    return 0 < len(words) <= 4 and not any(_STATEMENT_WORD.match(w) for w in words)


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
    accepted: tuple[str, ...] = ()  # stances that are the practice itself here (Criterion.accepts_stances)

    @property
    def generic(self) -> bool:
        """Reads like one of the guide's unacceptable answers more than like the criterion."""
        return self.unacceptable_sim >= tuning().similarity.unacceptable and self.unacceptable_sim > self.sim

    @property
    def score(self) -> float:
        return self.sim + (tuning().cue_bonus if self.cue else 0.0)

    @property
    def relevant(self) -> bool:
        # Without a cue, similarity must be high AND this criterion the sentence's nearest:
        # an HA sentence is near auto-scaling too, but nearer to high-availability.
        similarity = tuning().similarity
        return (self.cue and self.sim >= similarity.with_cue) or (self.sim >= similarity.alone and self.closest)

    @property
    def supports(self) -> bool:
        if self.prohibited:
            return self.modality == "negated"  # "we never share credentials"
        return (self.relevant and (self.modality == "asserted" or self.modality in self.accepted)
                and not self.generic and not self.sentence.heading)

    @property
    def contradicts(self) -> bool:
        if self.prohibited:
            return self.modality == "asserted"  # "the team shares one admin login"
        if self.relevant and self.modality == "asserted" and self.generic:
            return True
        return self.relevant and self.modality in AGAINST and self.modality not in self.accepted

    @property
    def weak(self) -> bool:
        if self.prohibited:
            return False
        if self.relevant and (self.modality in ("qualified", "excepted") or self.sentence.heading):
            return True
        return (self.cue and self.sim >= tuning().similarity.weak) and not self.supports and not self.contradicts


def matching(patterns: Sequence[str], text: str) -> tuple[str, tuple[int, int]] | None:
    """The first pattern that matches, and where."""
    for pattern in patterns:
        m = rx(pattern).search(text)
        if m:
            return pattern, m.span()
    return None


def first_match(patterns: Sequence[str], text: str) -> tuple[int, int] | None:
    found = matching(patterns, text)
    return found[1] if found else None


_ASSERTIVENESS = {"asserted": 6, "qualified": 5, "excepted": 5, "hedged": 4, "recommended": 3, "delegated": 2, "negated": 1,
                  "planned": 0}

CONDITIONAL_OPENING = re.compile(
    r"^\W*(?:when|if|where|whenever|unless|in\s+case|should|for\s+\w+\s+(?:with|without))\b", re.I
)


def most_assertive(text: str, cues: Sequence[str]) -> Modality:
    """How the sentence speaks of the practice: the reading at its first cue match.

    Except after a conditional opening: "When a customer has no identity provider we federate
    with Managed AD" negates the provider, not the federation, so there the most assertive
    cue match counts.
    """
    matches = sorted((m.start(), m.span(), cue) for cue in cues for m in [rx(cue).search(text)] if m)
    if not matches:
        return classify(text, None)
    readings = [classify(text, span, own_negations(cue)) for _, span, cue in matches]
    if CONDITIONAL_OPENING.search(text):
        return max(readings, key=_ASSERTIVENESS.__getitem__)
    return readings[0]


def read_sentence(
    sentence: Sentence, criterion: Criterion, sim: float, closest: bool = True, unacceptable_sim: float = 0.0
) -> Reading:
    cue = matching(criterion.cues, sentence.text)
    ban_span = first_match(criterion.prohibitions, sentence.text)
    if ban_span:
        # A banned practice is judged over its whole list ("shared logins, shared passwords
        # and shared keys are forbidden"), including negation inside the ban's own words.
        modality = classify(sentence.text, ban_span)
        if modality in ("qualified", "excepted"):
            modality = "asserted"  # "we usually fix them in the console": it happens, so it is the practice
        if modality in ("asserted", "negated"):
            modality = "negated" if forbids(sentence.text, ban_span[0]) or sentence.under_a_ban else "asserted"
    else:
        modality = most_assertive(sentence.text, criterion.cues)
        if modality == "negated" and first_match(criterion.defect_terms, sentence.text):
            ban_span = (0, 0)  # it denies the defect, as "we never share credentials" does
    return Reading(
        sentence=sentence,
        sim=sim,
        cue=cue is not None,
        modality=modality,
        prohibited=ban_span is not None,
        closest=closest,
        unacceptable_sim=unacceptable_sim,
        accepted=tuple(criterion.accepts_stances),
    )


def _overlapping(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and end > b for b, e in spans)


def excluded_spans(findings: list[Finding]) -> Spans:
    """Sentences a check marked as instructions to the grader are never evidence."""
    out: Spans = {}
    for f in findings:
        if f.rule.startswith("injection") and f.source is not None:
            out.setdefault(f.source.file, []).append((f.source.start, f.source.end))
    return out


def counted(readings: list[Reading], excluded: Spans) -> list[Reading]:
    """The readings that count: a sentence of an instruction to the grader (an excluded span)
    is never evidence FOR a criterion, but what it says against the practice still counts.
    An admission ("the root user is used for daily work") must not vanish because an
    instruction was written into the same paragraph to have it skipped."""
    return [r for r in readings if r.contradicts
            or not _overlapping(r.sentence.start, r.sentence.end, excluded.get(r.sentence.doc.path, []))]


def candidate_sentences(evidence: RetrievedEvidence, excluded: Spans) -> list[Sentence]:
    """Every sentence of the documents that any criterion retrieved, minus excluded spans."""
    wanted: Spans = {}
    for scored in evidence.per_criterion.values():
        for sc in scored:
            wanted.setdefault(sc.chunk.source.file, []).append((sc.chunk.source.start, sc.chunk.source.end))
    sentences: list[Sentence] = []
    for doc in evidence.evidence.documents:
        spans = wanted.get(doc.path)
        if not spans:
            continue
        for s in doc.sentences():
            if _overlapping(s.start, s.end, spans) and not _overlapping(s.start, s.end, excluded.get(doc.path, [])):
                sentences.append(Sentence(doc, s.start, s.end, s.text))
    return sentences


def retrieved_spans(evidence: RetrievedEvidence, slug: str) -> Spans | None:
    """Where the chunks retrieved for this criterion lie (None: retrieval ranked nothing for it)."""
    scored = evidence.per_criterion.get(slug)
    if scored is None:
        return None
    spans: Spans = {}
    for sc in scored:
        spans.setdefault(sc.chunk.source.file, []).append((sc.chunk.source.start, sc.chunk.source.end))
    return spans


def within(sentence: Sentence, spans: Spans) -> bool:
    return _overlapping(sentence.start, sentence.end, spans.get(sentence.doc.path, []))


def evidence_sentences(documents: list[Document], excluded: Spans) -> list[Sentence]:
    """Every sentence of the evidence, retrieved or not, minus excluded spans (split once)."""
    return [Sentence(doc, s.start, s.end, s.text) for doc in documents for s in doc.sentences()
            if not _overlapping(s.start, s.end, excluded.get(doc.path, []))]


def stated_defects(criterion: Criterion, sentences: list[Sentence], already: list[Reading]) -> list[Reading]:
    """The criterion's forbidden practice stated anywhere in the evidence, retrieved or not.

    Retrieval ranks what speaks to the practice; a runbook step that says "click Modify in the
    RDS console" may rank low and still defeat "no console changes". Only asserted statements
    are kept: a denial found this way adds nothing the retrieved readings lack.
    """
    if not criterion.prohibitions:
        return []
    seen = {(r.sentence.doc.path, r.sentence.start) for r in already}
    found = []
    for sentence in sentences:
        if (sentence.doc.path, sentence.start) in seen or not first_match(criterion.prohibitions, sentence.text):
            continue
        reading = read_sentence(sentence, criterion, sim=0.0, closest=False)
        if reading.prohibited and reading.contradicts:
            found.append(reading)
    return found

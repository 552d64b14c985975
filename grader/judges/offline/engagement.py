"""Is a specific customer engagement told, with the concrete resources it used?

The guide's `customer-example` criterion (`evidence: engagement` in knowledge/) asks for one engagement described with its real
resources. An SOP names resources too ("the AdminRole", "CloudTrail"), so two signals are
combined: the text is told as an engagement (past tense, a named customer, "customer
example") and it names several concrete things (ids, ARNs, accounts, CIDRs, resource names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.catalogue import Control, get_vocabulary
from grader.judges.offline.tuning import tuning
from grader.models import Document
from grader.text import rx

# A customer example names the concrete resources of one engagement: ids, ARNs, accounts,
# CIDRs, addresses, resource names. Service names alone are not such names: an SOP is full of
# them too.
_CONCRETE = re.compile(
    r"\barn:aws\S*"
    r"|\b(?:vpc|subnet|sg|i|ami|db|acl|igw|nat|rtb|eni|vol|snap|key|kms|tgw|vpce|pcx)-[0-9a-f]{4,}\b"
    r"|\b\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?\b"
    r"|\b\d{12}\b|\b\d{4}-\d{4}-\d{4}\b"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|example|co\.uk|internal|local)\b"
    r"|\balias/[\w/-]+"
    r"|\b[A-Z][a-z0-9]+(?:[A-Z0-9][a-z0-9]*){1,}\b"
    r"|\b[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+){2,}\b"
    r"|\b[a-z][\w-]*=[\w.-]+"
    r"|\b[A-Za-z][A-Za-z0-9]*(?:Role|Policy|Stack|Bucket|Function|Table|Queue|Topic|Alarm|Dashboard)\b"
    r"|\b[a-z][a-z0-9]*(?:[-_][a-z0-9]+){1,}\b"
)

# An engagement is told as a story (past tense, a named customer, a date) or introduced as
# one ("customer example", "case study"); an SOP is written in the present or imperative.
_NARRATIVE = re.compile(
    r"\b(?:we|our\s+(?:team|consultants|engineers)|the\s+team|they)\s+(?:\w+\s+){0,2}?"
    r"(?:\w{3,}ed|built|set\s+up|ran|made|wrote|took|gave|chose|put|kept|sent|held|led|began|brought|"
    r"found|got|paid|rolled\s+out|did|sat|met|told|spoke|saw|went|ran|won|chose|drew|grew|knew|"
    r"set\s+(?:up|out)|were|was)\b"
    r"|\b(?:last|in|since|during)\s+(?:year|month|quarter|spring|summer|autumn|fall|winter|january|february|"
    r"march|april|may|june|july|august|september|october|november|december|20\d\d)\b"
    r"|\b(?i:at|for|with)\s+(?!AWS\b|Amazon\b|Example\b|Production\b|Customer\b|Each\b|All\b|Every\b)"
    r"[A-Z][a-z]{2,}(?:\s+[A-Z][a-z]+)*\b(?!\s+(?:Center|Manager|Gateway|Service|Catalog))"
    r"|(?i:\b(?:customer|client)\s+(?:example|implementation)\b|\bcase\s+stud(?:y|ies)\b)"
    r"|\b(?!AWS\b|Amazon\b)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*['’]s\s+(?:[\w-]+\s+){0,3}?(?i:platform|accounts?|environment|"
    r"workloads?|application|site|api|system|project|estate|portal|service)\b"
)


# ... and the configuration it was built with: the ports a rule opens, the figures it was set
# to (14 days of backups, a 52-minute restore, 60 % CPU), instance types, TLS versions. Told
# inside an engagement these are as traceable as a name; in an SOP they are not counted,
# because an SOP is not told as an engagement (`Engagement.narrative`).
_CONFIGURATION = re.compile(
    r"\b(?i:port)s?\s+\d{2,5}\b|\b\d{2,5}/(?i:tcp|udp)\b"
    r"|\b\d+(?:\.\d+)?\s*(?:%|(?i:percent|ms|milliseconds?|seconds?|minutes?|mins?|h|hrs?|hours?|days?|"
    r"weeks?|months?|years?|GB|GiB|TB|TiB|vCPUs?)(?![\w-]))"
    r"|\b[a-z]\d[a-z0-9]*\.(?:nano|micro|small|medium|(?:\d*x)?large)\b"
    r"|\bTLS\s*v?1\.[0-3]\b"
)


def concrete_items(text: str) -> set[str]:
    """The distinct concrete things (ids, names, configured figures) a text names; vocabulary
    (knowledge/vocabulary.yaml: product names, hyphenated jargon) is not such a thing."""
    vocabulary = get_vocabulary()
    named = {
        m for m in _CONCRETE.findall(text)
        if m.lower() not in vocabulary.generic_terms and m.lower() not in vocabulary.product_names
    }
    configured = {" ".join(m.split()) for m in _CONFIGURATION.findall(text)}
    return named | configured


@dataclass(frozen=True, slots=True)
class Engagement:
    """The paragraph that best tells one customer engagement."""

    doc: Document
    start: int
    end: int
    items: frozenset[str]
    narrative: bool

    @property
    def text(self) -> str:
        return self.doc.text[self.start:self.end]


def paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in re.finditer(r"\n[ \t]*\n", text):
        if text[pos:m.start()].strip():
            spans.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        spans.append((pos, len(text)))
    return spans


def best_engagement(
    control: Control, documents: list[Document], excluded: dict[str, list[tuple[int, int]]]
) -> Engagement | None:
    """The best-told engagement: from a paragraph introducing it to the end of its document.

    An engagement's story usually runs over several paragraphs (account, then contacts, then
    logging), so the window extends from the first engagement paragraph to the document's end.
    """
    cues = [cue for c in control.criteria if c.evidence != "engagement" for cue in c.cues]
    concrete_met = tuning().concrete_items_for_met
    best: tuple[tuple, Engagement] | None = None
    for doc in documents:
        if doc.structured:
            continue  # templates name resources but tell no engagement
        kept = [(b, e) for b, e in paragraphs(doc.text)
                if not any(b < xe and e > xb for xb, xe in excluded.get(doc.path, []))]
        relevant = [(b, e) for b, e in kept
                    if any(rx(cue).search(doc.text[b:e]) for cue in cues)]
        if not relevant:
            continue
        opening = next(((b, e) for b, e in kept if _NARRATIVE.search(doc.text[b:e])), None)
        start = opening[0] if opening else relevant[0][0]
        window = [(b, e) for b, e in kept if b >= start]
        items = frozenset(i for b, e in window for i in concrete_items(doc.text[b:e]))
        # An answer that names several of its own resources is an engagement even when told
        # in the present tense ("the register is its implementation for the repairs-api").
        told = opening is not None or (not doc.attached and len(items) > concrete_met)
        found = Engagement(doc, start, window[-1][1], items, told)
        # The answer itself is where the example normally is; an SOP names resources too.
        rank = (found.narrative, not doc.attached, len(found.items))
        if best is None or rank > best[0]:
            best = (rank, found)
    return best[1] if best else None

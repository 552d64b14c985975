"""Instructions addressed to the grader inside partner evidence (prompt injection).

Such a sentence is flagged for the reviewer and excluded from the evidence the offline
judge reads; the LLM judge sees it fenced as untrusted data and told to ignore it.
"""

from __future__ import annotations

import re

from grader.models import ControlEvidence, Finding, Provenance
from grader.text import sentence_spans

_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier|"
    r"preceding|your|other)\s+(?:instructions?|rules?|guidance|criteria|prompts?)|"
    r"\b(?:as\s+an?\s+)?(?:ai|llm|language\s+model|assistant|grader|reviewer|evaluator|model)\b[^.]{0,60}"
    r"\b(?:must|should|shall|will|are\s+instructed\s+to)\s+(?:mark|grade|rate|score|pass|approve|treat|"
    r"consider|output|return|respond)|"
    r"\b(?:mark|grade|rate|score|treat)\s+(?:this|every|each|all)\s+(?:control|criterion|criteria|"
    r"answer|response|requirement)s?\s+(?:as\s+)?(?:met|passed|pass|compliant|satisfied|acceptable)|"
    r"\byou\s+are\s+now\b|\bsystem\s+prompt\b|\bnew\s+instructions?\s*:|"
    r"\bnote\s+to\s+(?:the\s+)?(?:ai|llm|grader|reviewer|model|assistant)\b|"
    r"\brespond\s+(?:only\s+)?with\s+[\"']?pass",
    re.I,
)


def _block(text: str, start: int, end: int) -> tuple[int, int]:
    """An injection rarely stops at one sentence: take its paragraph (or HTML comment)."""
    comment_open = text.rfind("<!--", 0, start)
    if comment_open >= 0 and text.find("-->", comment_open) >= end:
        return comment_open, text.find("-->", comment_open) + 3
    lo = text.rfind("\n\n", 0, start)
    hi = text.find("\n\n", end)
    return (lo + 2 if lo >= 0 else 0), (hi if hi >= 0 else len(text))


def addresses_grader(file_name: str) -> bool:
    """Does a file name carry an instruction to the grader ("ignore-previous-instructions.pdf")?"""
    return bool(_INJECTION.search(re.sub(r"[-_.+]+", " ", file_name)))


def _named(evidence: ControlEvidence) -> list[Finding]:
    """A file's name is partner text too: the judges never read it as evidence, but a model
    sees it, so one addressed to the grader is flagged like a sentence."""
    names = [d.path for d in evidence.documents if d.attached] + [e.file for e in evidence.errors]
    return [Finding(
        control=evidence.control,
        severity="warn",
        rule="injection.instruction-to-grader",
        message=f"File name addressed to the grader, ignored as evidence: \"{name[:160]}\"",
        source=Provenance(file=name),
    ) for name in dict.fromkeys(names) if addresses_grader(name)]


def find_injections(evidence: ControlEvidence) -> list[Finding]:
    findings = _named(evidence)
    for doc in evidence.documents:
        covered_to = -1
        for s in sentence_spans(doc.text):
            m = _INJECTION.search(s.text) if s.start >= covered_to else None
            if m is None:
                continue
            start, end = _block(doc.text, s.start, s.end)
            covered_to = end
            findings.append(Finding(
                control=evidence.control,
                severity="warn",
                rule="injection.instruction-to-grader",
                message=f"Instruction addressed to the grader, ignored as evidence: \"{_quoted(s.text, m)}\"",
                source=doc.provenance(start, end),
            ))
    return findings


def _quoted(sentence: str, match: re.Match[str], limit: int = 160) -> str:
    """The instruction as the reviewer must see it: the sentence, or in a long one (a JSON
    file is one "sentence") the part around the instruction."""
    if len(sentence) > limit:
        start = max(0, match.start() - 40)
        sentence = ("…" if start else "") + sentence[start:start + limit] + "…"
    return " ".join(sentence.split())

"""Text checks: the control's unacceptable patterns, personal contact emails, generic answers.

  phrase.<pattern-id>      a catalogue UnacceptablePattern asserted in a sentence   -> fail
  contact.personal-email   ACCT-001: one person's address as an account contact     -> fail
  text.generic-statements  nothing concrete anywhere in the evidence               -> warn

Patterns are matched per sentence (sentences.py: hard-wrapped lines are re-joined, and a
line break reads as a space, so `.{0,30}` spans a wrap). A match the sentence
rejects is skipped: a negation word shortly before it in the same clause ("we never share
credentials", "no long-term access keys") or shortly after it ("shared credentials are not
used"). The word lists and windows are in phrases.yaml; commas do not end a clause, so the
rule errs towards skipping: a false fail would fail a good partner, a missed sentence is
still in front of the judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from grader.catalogue import Control, UnacceptablePattern
from grader.checks.rules import ChecksDataError, load_model
from grader.models import Document, Finding
from grader.text import Span
from grader.text import sentence_spans as sentences

PHRASES_FILE = Path(__file__).with_name("phrases.yaml")
MAX_QUOTE = 300  # characters of the sentence repeated in a finding's message

_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-]+)@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_LOCAL_TOKENS = re.compile(r"[._+-]+|\d+")


# --------------------------------------------------------------------------- knowledge


class _Negation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    before: list[str]
    after: list[str]
    before_window: int
    after_window: int
    clause_breaks: str


class _Contacts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    context: str
    not_account_contacts: str
    role_words: list[str]
    given_names: list[str]


class _Concrete(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    services: list[str]
    patterns: list[str]


class _Knowledge(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    negation: _Negation
    skip_kinds: list[str]
    contacts: _Contacts
    concrete: _Concrete


def _words(items: list[str]) -> re.Pattern[str]:
    """One case-insensitive regex for whole words/phrases; "n't" matches any contraction."""
    parts = [r"n['’]t\b" if w == "n't" else r"\b" + r"\s+".join(map(re.escape, w.split())) + r"\b"
             for w in items]
    return re.compile("|".join(parts), re.IGNORECASE)


@dataclass(frozen=True)
class Vocabulary:
    """phrases.yaml compiled."""

    negated_before: re.Pattern[str]
    negated_after: re.Pattern[str]
    before_window: int
    after_window: int
    clause_break: re.Pattern[str]
    skip_kinds: frozenset[str]
    contact_context: re.Pattern[str]
    not_account_contacts: re.Pattern[str]
    role_words: frozenset[str]
    given_names: frozenset[str]
    concrete: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    k = load_model(PHRASES_FILE, _Knowledge)
    try:
        return Vocabulary(
            negated_before=_words(k.negation.before),
            negated_after=_words(k.negation.after),
            before_window=k.negation.before_window,
            after_window=k.negation.after_window,
            clause_break=re.compile(k.negation.clause_breaks, re.IGNORECASE),
            skip_kinds=frozenset(k.skip_kinds),
            contact_context=re.compile(k.contacts.context, re.IGNORECASE),
            not_account_contacts=re.compile(k.contacts.not_account_contacts, re.IGNORECASE),
            role_words=frozenset(w.lower() for w in k.contacts.role_words),
            given_names=frozenset(n.lower() for n in k.contacts.given_names),
            concrete=(_words(k.concrete.services), *(re.compile(p) for p in k.concrete.patterns)),
        )
    except re.error as exc:
        raise ChecksDataError(f"{PHRASES_FILE}: invalid regular expression: {exc}") from exc


# --------------------------------------------------------------------------- rejection


def rejected(sentence: str, start: int, end: int) -> bool:
    """Whether the sentence rejects what it mentions at [start, end) (see module docstring)."""
    v = vocabulary()
    clause_start = 0
    for brk in v.clause_break.finditer(sentence, 0, start):
        clause_start = brk.end()
    before = " ".join(sentence[clause_start:start].split()[-v.before_window:])
    if v.negated_before.search(before):
        return True
    after = sentence[end:]
    # A colon does not end the clause after the match: "Long-term keys: not permitted."
    brk = next((b for b in v.clause_break.finditer(after) if b.group(0) != ":"), None)
    after = after[: brk.start()] if brk else after
    return bool(v.negated_after.search(" ".join(after.split()[: v.after_window])))


# --------------------------------------------------------------------------- sentences


@dataclass(frozen=True)
class Prose:
    """A prose document split into sentences once, for every text check."""

    doc: Document
    sentences: list[Span]


def prose(documents: list[Document]) -> list[Prose]:
    skip = vocabulary().skip_kinds
    return [Prose(d, sentences(d.text)) for d in documents if d.kind not in skip and d.text.strip()]


def _quote(sentence: str) -> str:
    text = " ".join(sentence.split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"


def _flat(sentence: Span) -> str:
    """The sentence with line breaks as spaces: same length, so offsets stay valid."""
    return sentence.text.replace("\r", " ").replace("\n", " ")


def asserted_match(pattern: re.Pattern[str], sentence: Span) -> re.Match[str] | None:
    """The first match of `pattern` in the sentence that the sentence does not reject."""
    text = _flat(sentence)
    for match in pattern.finditer(text):
        if match.end() > match.start() and not rejected(text, match.start(), match.end()):
            return match
    return None


def pattern_findings(control: Control, pattern: UnacceptablePattern, texts: list[Prose]) -> list[Finding]:
    regex = re.compile(pattern.pattern, re.IGNORECASE)
    out = []
    for doc, split in ((t.doc, t.sentences) for t in texts):
        if pattern.scope == "response" and doc.attached:
            continue
        for sentence in split:
            if asserted_match(regex, sentence) is None:
                continue
            out.append(Finding(
                control=control.id,
                criterion=pattern.criterion if pattern.criterion in control.slugs else None,
                severity="fail",
                rule=f"phrase.{pattern.id}",
                message=f'{pattern.description.rstrip(". ")}: "{_quote(sentence.text)}"',
                source=doc.provenance(sentence.start, sentence.end),
            ))
    return out


# --------------------------------------------------------------------------- contacts


def is_role_mailbox(local: str) -> bool:
    v = vocabulary()
    tokens = [t for t in _LOCAL_TOKENS.split(local.lower()) if t]
    return any(t in v.role_words or any(len(w) >= 4 and w in t for w in v.role_words) for t in tokens)


def is_personal_address(local: str) -> bool:
    """firstname.lastname@, f.lastname@, or a known given name (john@); never a role mailbox."""
    if is_role_mailbox(local):
        return False
    local = local.lower()
    if re.fullmatch(r"[a-z]+[._-][a-z]{2,}", local):
        return True
    return local in vocabulary().given_names


def contact_findings(control: Control, texts: list[Prose]) -> list[Finding]:
    v = vocabulary()
    criterion = "contacts" if "contacts" in control.slugs else None
    out = []
    for doc, split in ((t.doc, t.sentences) for t in texts):
        for sentence in split:
            text = _flat(sentence)
            if not v.contact_context.search(text) or v.not_account_contacts.search(text):
                continue
            for email in _EMAIL.finditer(text):
                if is_personal_address(email.group(1)) and not rejected(text, email.start(), email.end()):
                    out.append(Finding(
                        control=control.id, criterion=criterion, severity="fail", rule="contact.personal-email",
                        message=(f"An account contact is one person's address ({email.group(0)}), not a "
                                 f'distribution list: "{_quote(text)}"'),
                        source=doc.provenance(sentence.start + email.start(), sentence.start + email.end()),
                    ))
                    break
    return out


# --------------------------------------------------------------------------- generic answers


def is_concrete(text: str) -> bool:
    return any(p.search(text) for p in vocabulary().concrete)


def generic_findings(control: Control, documents: list[Document]) -> list[Finding]:
    """Warn when nothing in the evidence names a resource, id, service or number."""
    if any(d.data is not None or d.needs_human_review for d in documents):
        return []  # a template, diagram or image is concrete evidence in itself
    if any(is_concrete(d.text) for d in documents):
        return []
    response = next((d for d in documents if not d.attached), documents[0] if documents else None)
    return [Finding(
        control=control.id,
        criterion=control.engagement_criterion,
        severity="warn",
        rule="text.generic-statements",
        message=("The answer is generic: it names no resource, id, AWS service or number from a "
                 "real engagement."),
        source=response.provenance(0, len(response.text)) if response else None,
    )]


def findings(control: Control, documents: list[Document]) -> list[Finding]:
    """Every text finding for one control's documents."""
    texts = prose(documents)
    out: list[Finding] = []
    for pattern in control.unacceptable_patterns:
        out += pattern_findings(control, pattern, texts)
    if "contacts" in control.slugs:  # ACCT-001's criterion (shared/spec/controls.md)
        out += contact_findings(control, texts)
    if documents:
        out += generic_findings(control, documents)
    return out

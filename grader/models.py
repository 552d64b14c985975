"""Pydantic models shared by every stage: ingest -> checks -> judge -> report.

These are the boundaries of the pipeline. Stages exchange only these types.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from grader.text import segmented_sentence_spans

CriterionStatus = Literal["met", "partial", "not_met"]
ControlVerdict = Literal["pass", "fail"]
Severity = Literal["fail", "warn", "info"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- ingest


class Provenance(_Model):
    """Where a piece of text came from, precise enough for a reviewer to find it."""

    file: str  # path relative to the application folder, or "response" for the pasted answer
    page: int | None = None  # 1-based PDF page
    sheet: str | None = None  # XLSX sheet
    row: int | None = None  # XLSX row (1-based)
    section: str | None = None  # heading, JSON/YAML path, draw.io container ...
    start: int = 0  # character span in Document.text
    end: int = 0

    def label(self) -> str:
        parts = [self.file]
        if self.page is not None:
            parts.append(f"p. {self.page}")
        if self.sheet:
            parts.append(f"sheet {self.sheet}" + (f" row {self.row}" if self.row else ""))
        if self.section:
            parts.append(f"§ {self.section}")
        return ", ".join(parts)


class Segment(_Model):
    """A run of Document.text sharing one provenance (a page, a section, a sheet row)."""

    start: int
    end: int
    page: int | None = None
    sheet: str | None = None
    row: int | None = None
    section: str | None = None


DocumentKind = Literal[
    "response", "pdf", "docx", "xlsx", "markdown", "text", "json", "yaml",
    "terraform", "drawio", "image",
]
RESPONSE_KIND = "response"  # the partner's answer text; every other kind is an attachment
STRUCTURED_KINDS = frozenset({"json", "yaml", "terraform"})


class Document(_Model):
    """One readable input: the partner's answer text or an attachment."""

    path: str  # relative to the application folder ("response" for the answer text)
    kind: DocumentKind
    text: str  # the full extracted text (secrets already redacted)
    segments: list[Segment] = Field(default_factory=list)
    pages: int | None = None
    warnings: list[str] = Field(default_factory=list)
    # What the partner must hear: the file was read, but not all of it or not as sent (nested
    # too deep to be read as data, empty). Each becomes an input problem naming the file.
    problems: list[str] = Field(default_factory=list)
    # Structured payload for deterministic checks (parsed JSON/YAML/HCL, draw.io shapes).
    data: dict | list | None = None
    needs_human_review: bool = False  # images, scanned PDFs: nothing to read, a person must look

    @property
    def attached(self) -> bool:
        """An attachment (a document the partner supplied), not the answer text itself."""
        return self.kind != RESPONSE_KIND

    @property
    def structured(self) -> bool:
        """Parsed data (JSON, YAML, Terraform): templates and exports, not prose."""
        return self.kind in STRUCTURED_KINDS

    def sentences(self) -> list:
        """The document's sentences (grader.text.Span), never crossing a segment boundary."""
        return segmented_sentence_spans(self.text, [(s.start, s.end) for s in self.segments])

    def provenance(self, start: int, end: int) -> Provenance:
        """Provenance for the span [start, end) of this document's text."""
        seg = next((s for s in self.segments if s.start <= start < s.end), None)
        return Provenance(
            file=self.path,
            page=seg.page if seg else None,
            sheet=seg.sheet if seg else None,
            row=seg.row if seg else None,
            section=seg.section if seg else None,
            start=start,
            end=end,
        )


class IngestError(_Model):
    """A file that could not be read. Reported, never raised past the ingest layer."""

    file: str
    message: str
    control: str | None = None


class Chunk(_Model):
    id: str  # stable content hash
    control: str  # control the evidence was submitted for
    text: str
    source: Provenance


# --------------------------------------------------------------------------- application


class ControlAnswer(_Model):
    """One control's answer: same shape as an eval case's response + attachments."""

    control: str
    response: str = ""
    attachments: list[str] = Field(default_factory=list)  # as written by the partner

    @property
    def answered(self) -> bool:
        return bool(self.response.strip() or self.attachments)


class Application(_Model):
    partner: str | None = None
    program: str | None = None
    source: str | None = None  # the file it was loaded from
    base_dir: str = "."  # attachments resolve below this folder
    controls: dict[str, ControlAnswer] = Field(default_factory=dict)
    errors: list[IngestError] = Field(default_factory=list)  # problems found while loading


class ControlEvidence(_Model):
    """Everything ingested for one control, ready for checks and judging."""

    control: str
    answered: bool
    documents: list[Document] = Field(default_factory=list)
    chunks: list[Chunk] = Field(default_factory=list)
    errors: list[IngestError] = Field(default_factory=list)


# --------------------------------------------------------------------------- checks


class Finding(_Model):
    """A fact a deterministic check proved. severity="fail" overrides any judge."""

    control: str
    criterion: str | None = None  # slug, or None for a control-level fact
    severity: Severity
    rule: str  # stable id, e.g. "iam.wildcard-action"
    message: str
    source: Provenance | None = None


# --------------------------------------------------------------------------- retrieval


class ScoredChunk(_Model):
    chunk: Chunk
    score: float  # fused rank score, higher is better


class SampledFile(_Model):
    """A file whose passages were ranked by keywords and only the best read closely."""

    file: str
    passages_read: int
    passages: int
    chars_read: int
    chars: int


class RetrievedEvidence(_Model):
    """What a judge sees for one control: evidence per criterion plus calibration examples."""

    control: str
    evidence: ControlEvidence
    per_criterion: dict[str, list[ScoredChunk]] = Field(default_factory=dict)
    good_examples: list[str] = Field(default_factory=list)
    unacceptable_examples: list[str] = Field(default_factory=list)
    # Files only part of which was read closely (evidence above the close-reading budget).
    sampled: list[SampledFile] = Field(default_factory=list)


# --------------------------------------------------------------------------- judging


class Quote(_Model):
    text: str  # occurs verbatim (modulo whitespace) in the source document
    source: Provenance
    chunk_id: str | None = None


class CriterionVerdict(_Model):
    slug: str
    status: CriterionStatus
    quotes: list[Quote] = Field(default_factory=list)
    rationale: str = ""
    missing: str = ""  # what the evidence lacks
    fix: str = ""  # what to add to pass
    # Why a person should look before trusting this status (the judge was not sure); empty
    # when the reading was clear.
    needs_review: str = ""


class Usage(_Model):
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_calls: int = 0
    cost_usd: float = 0.0

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(
            llm_calls=self.llm_calls + other.llm_calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cached_calls=self.cached_calls + other.cached_calls,
            cost_usd=round(self.cost_usd + other.cost_usd, 6),
        )


class SecondOpinion(_Model):
    """What a second judge read (the offline judge beside the LLM), for the reviewer and eval."""

    judge: str
    verdict: ControlVerdict  # the check judge's verdict
    criteria: dict[str, CriterionStatus] = Field(default_factory=dict)
    primary_verdict: ControlVerdict | None = None  # the first judge's own verdict, before reconciling

    @property
    def agrees(self) -> bool | None:
        return None if self.primary_verdict is None else self.primary_verdict == self.verdict


class ControlAssessment(_Model):
    # A saved report carries its computed review_reasons; reading it back ignores them.
    model_config = ConfigDict(extra="ignore")

    control: str
    title: str = ""
    verdict: ControlVerdict
    summary: str = ""
    answered: bool = True
    criteria: list[CriterionVerdict] = Field(default_factory=list)
    flags: list[Finding] = Field(default_factory=list)  # unacceptable patterns, secrets, injection ...
    errors: list[IngestError] = Field(default_factory=list)
    judge: str = ""
    usage: Usage = Field(default_factory=Usage)
    seconds: float = 0.0
    # Set when the judge could not grade this control (the model never gave a usable answer):
    # the control fails and is flagged; it is never a silent pass.
    error: str | None = None
    second_opinion: SecondOpinion | None = None  # the check judge's reading, when two judges ran

    def criterion(self, slug: str) -> CriterionVerdict | None:
        return next((c for c in self.criteria if c.slug == slug), None)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def review_reasons(self) -> list[str]:
        """Why the reviewer must look at this control: unsure criteria, attempts to steer the grader,
        evidence only partly read closely."""
        reasons = [f"not graded: {self.error}"] if self.error else []
        reasons += [f"{c.slug}: {c.needs_review}" for c in self.criteria if c.needs_review]
        reasons += [f"{f.rule}: {f.message}" for f in self.flags
                    if f.rule.startswith("injection") or f.rule == "evidence.sampled"]
        return reasons

    @property
    def flagged(self) -> bool:
        return bool(self.review_reasons)


class Assessment(_Model):
    # A saved report carries its computed totals (passed/failed); reading it back ignores them.
    model_config = ConfigDict(extra="ignore")

    partner: str | None = None
    program: str | None = None
    source: str | None = None
    judge: str
    model: str | None = None
    # The limits the judge worked within (endpoint, output shape, timeouts, reply cap).
    judge_setup: dict[str, str] = Field(default_factory=dict)
    created: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    controls: list[ControlAssessment] = Field(default_factory=list)
    errors: list[IngestError] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    seconds: float = 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> int:
        return sum(c.verdict == "pass" for c in self.controls)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failed(self) -> int:
        return sum(c.verdict == "fail" for c in self.controls)

    def control(self, control_id: str) -> ControlAssessment | None:
        return next((c for c in self.controls if c.control == control_id), None)


def relpath(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


ControlEvidence.model_rebuild()

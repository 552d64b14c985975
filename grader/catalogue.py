"""The control catalogue: knowledge/controls/*.yaml -> validated Control models.

The YAML files are written from AWS's calibration guide; the ids and slugs are
fixed by shared/spec/controls.md and pinned by tests.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from grader.config import get_settings
from grader.errors import UserError

CONTROL_IDS: tuple[str, ...] = (
    "DOC-001", "ACCT-001", "ACCT-002", "OPE-001", "OPE-002", "OPE-003",
    "NETSEC-001", "NETSEC-002", "REL-001", "REL-002", "COST-001",
)


class CatalogueError(UserError):
    """A knowledge file is missing or malformed; the message names file and field."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _compiled(patterns: list[str]) -> list[str]:
    """Validate that every pattern is a Python regular expression (knowledge files are data)."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from exc
    return patterns


EvidenceNeeded = Literal["statement", "document", "engagement"]


class Aspect(_Model):
    """One part of a criterion that must be evidenced on its own (CloudTrail: all regions AND a
    dedicated protected bucket). Cues as for the criterion."""

    name: str
    cues: list[str] = Field(min_length=1)
    # What to add when only this aspect is missing, in the partner's terms (the criterion's own
    # fix names every aspect, including the ones the evidence already shows).
    fix: str | None = None
    # Shown by a list rather than a sentence (a checklist's items): at least this many lines of
    # the evidence must match the cues, wherever they are; one line naming it is not the list.
    min_lines: int = Field(default=1, ge=1)
    # ... or by an attached document the criterion's own cues speak to (the checklist itself,
    # as a PDF or a workbook, whatever its layout).
    shown_by_attachment: bool = False

    _cues_compile = field_validator("cues")(classmethod(lambda cls, v: _compiled(v)))


class Criterion(_Model):
    slug: str
    title: str
    description: str
    acceptable_evidence: list[str] = Field(min_length=1)
    shortfalls: list[str] = Field(min_length=1)
    # Regular expressions (case-insensitive) whose match in a sentence is a cue that
    # the sentence speaks to this criterion. Used by retrieval and the offline judge.
    cues: list[str] = Field(min_length=1)
    # Cues that alone are enough for `met` only when an attachment (not the
    # self-assessment text) carries them: used for `sop`, `diagram`, `template` ...
    # Regexes naming the bad practice this criterion forbids ("shared credentials",
    # "long-term access keys"). Negated ("we never share credentials") they support the
    # criterion; asserted ("the team shares one admin login") they defeat it.
    prohibitions: list[str] = Field(default_factory=list)
    # Words naming what the criterion rules out (0.0.0.0/0, shared logins, long-term keys). A
    # sentence that denies one ("no security group allows SSH from any Internet source")
    # supports the criterion; it does not deny the practice.
    defect_terms: list[str] = Field(default_factory=list)
    # Links that stand for the attachment (a shared AWS Pricing Calculator estimate).
    accepted_links: list[str] = Field(default_factory=list)
    # Parts that must each be evidenced for `met`; one missing leaves the criterion `partial`.
    aspects: list[Aspect] = Field(default_factory=list)
    # What can meet it: a statement in the evidence (default); an attached `document` (SOP,
    # diagram, template, cost report) or a link standing for one; or one customer
    # `engagement` told with the concrete resources it used.
    evidence: EvidenceNeeded = "statement"
    # Stances that are this criterion's practice rather than a shortfall: for REL-002's
    # customer communication, recommending targets to the customer IS the practice.
    accepts_stances: list[Literal["recommended"]] = Field(default_factory=list)
    # Attachment kinds that count as this evidence (e.g. drawio/image for a diagram).
    attachment_kinds: list[str] = Field(default_factory=list)
    # For `evidence: document`: what the document must show, at least one regex, to be the
    # artifact at all (a cost artifact has figures; an SOP reads as a procedure or policy).
    document_shows: list[str] = Field(default_factory=list)
    # ... and what its title says it is instead, regexes over its opening lines (a cost
    # modelling procedure is a procedure, not the cost estimate of one customer).
    document_is_not: list[str] = Field(default_factory=list)
    fix: str  # how to remedy the criterion when it is not met

    _cues_compile = field_validator("cues", "prohibitions", "defect_terms", "accepted_links", "document_shows",
                                    "document_is_not")(
        classmethod(lambda cls, v: _compiled(v))
    )

    @property
    def requires_attachment(self) -> bool:
        return self.evidence == "document"


class Example(_Model):
    title: str = ""
    text: str
    criteria: list[str] = Field(default_factory=list)  # slugs the example speaks to, if any


class UnacceptablePattern(_Model):
    """A machine-checkable unacceptable answer: a regex over the partner's text."""

    id: str
    description: str
    pattern: str  # case-insensitive regex
    criterion: str | None = None  # the slug it defeats; None = the whole control
    scope: Literal["response", "evidence"] = "evidence"  # response text only, or all evidence

    _pattern_compiles = field_validator("pattern")(classmethod(lambda cls, v: _compiled([v])[0]))


class Resource(_Model):
    title: str
    url: str | None = None


class Control(_Model):
    id: str
    title: str
    requirement: str
    criteria_for_passing: list[str] = Field(min_length=1)
    why_it_matters: str
    criteria: list[Criterion] = Field(min_length=1)
    good_examples: list[Example] = Field(min_length=1)
    unacceptable_examples: list[Example] = Field(min_length=1)
    unacceptable_patterns: list[UnacceptablePattern] = Field(default_factory=list)
    resources: list[Resource] = Field(default_factory=list)

    @model_validator(mode="after")
    def _slugs_consistent(self) -> "Control":
        slugs = [c.slug for c in self.criteria]
        if len(set(slugs)) != len(slugs):
            raise ValueError(f"duplicate criterion slugs in {slugs}")
        known = set(slugs)
        for ex in (*self.good_examples, *self.unacceptable_examples):
            for slug in ex.criteria:
                if slug not in known:
                    raise ValueError(f"example refers to unknown criterion {slug!r}")
        for pat in self.unacceptable_patterns:
            if pat.criterion and pat.criterion not in known:
                raise ValueError(f"pattern {pat.id!r} refers to unknown criterion {pat.criterion!r}")
        return self

    @property
    def slugs(self) -> list[str]:
        return [c.slug for c in self.criteria]

    @property
    def engagement_criterion(self) -> str | None:
        """The slug of the criterion met by one customer engagement (customer-example), if any."""
        return next((c.slug for c in self.criteria if c.evidence == "engagement"), None)

    def criterion(self, slug: str) -> Criterion:
        for c in self.criteria:
            if c.slug == slug:
                return c
        raise KeyError(f"{self.id} has no criterion {slug!r}")


class Catalogue(_Model):
    controls: dict[str, Control]
    hashes: dict[str, str]  # control id -> sha256 of its YAML file (drives re-indexing)

    def __getitem__(self, control_id: str) -> Control:
        try:
            return self.controls[control_id]
        except KeyError:
            raise KeyError(
                f"unknown control {control_id!r}; known: {', '.join(self.controls)}"
            ) from None

    def __iter__(self):  # type: ignore[override]
        return iter(self.controls.values())

    def __len__(self) -> int:
        return len(self.controls)


def _format_validation_error(path: Path, exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{path}: field '{where}': {first['msg']}{more}"


def load_control(path: Path) -> tuple[Control, str]:
    """Load one control file; return the control and the file's content hash."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: expected a mapping at the top level")
    try:
        control = Control.model_validate(data)
    except ValidationError as exc:
        raise CatalogueError(_format_validation_error(path, exc)) from exc
    if control.id != path.stem:
        raise CatalogueError(f"{path}: field 'id': {control.id!r} does not match the file name")
    return control, hashlib.sha256(raw).hexdigest()


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Load and validate every control in the knowledge directory."""
    directory = Path(directory or get_settings().knowledge_dir) / "controls"
    if not directory.is_dir():
        raise CatalogueError(f"{directory}: knowledge directory not found")
    controls: dict[str, Control] = {}
    hashes: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        control, digest = load_control(path)
        controls[control.id] = control
        hashes[control.id] = digest
    missing = [c for c in CONTROL_IDS if c not in controls]
    extra = [c for c in controls if c not in CONTROL_IDS]
    if missing or extra:
        raise CatalogueError(
            f"{directory}: catalogue must hold exactly the eleven controls"
            + (f"; missing {missing}" if missing else "")
            + (f"; unexpected {extra}" if extra else "")
        )
    ordered = {cid: controls[cid] for cid in CONTROL_IDS}
    return Catalogue(controls=ordered, hashes={cid: hashes[cid] for cid in CONTROL_IDS})


@lru_cache(maxsize=4)
def _cached(directory: str) -> Catalogue:
    return load_catalogue(Path(directory))


class Vocabulary(_Model):
    """knowledge/vocabulary.yaml: words the judges read as vocabulary, not resource names."""

    generic_terms: frozenset[str]
    product_names: frozenset[str]

    @field_validator("generic_terms", "product_names", mode="after")
    @classmethod
    def _lower(cls, words: frozenset[str]) -> frozenset[str]:
        return frozenset(w.lower() for w in words)


def load_vocabulary(directory: Path | None = None) -> Vocabulary:
    path = Path(directory or get_settings().knowledge_dir) / "vocabulary.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: invalid YAML: {exc}") from exc
    try:
        return Vocabulary.model_validate(data)
    except ValidationError as exc:
        raise CatalogueError(_format_validation_error(path, exc)) from exc


@lru_cache(maxsize=4)
def _cached_vocabulary(directory: str) -> Vocabulary:
    return load_vocabulary(Path(directory))


def get_vocabulary() -> Vocabulary:
    """The process-wide vocabulary (loaded once per knowledge directory)."""
    return _cached_vocabulary(str(get_settings().knowledge_dir))


def get_catalogue() -> Catalogue:
    """The process-wide catalogue (loaded once per knowledge directory)."""
    return _cached(str(get_settings().knowledge_dir))

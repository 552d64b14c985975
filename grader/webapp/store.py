"""The app's store: assessments, the inputs they graded, and reviewer overrides.

An embedded SQLite file under GRADER_HOME by default; any SQLAlchemy URL in
GRADER_DB_URL for a database a team shares (PostgreSQL is tested: tests/hostile/). Overrides
are rows of their own and never touch the stored assessment, so the grader's verdict stays
visible beside the reviewer's. Nothing secret is stored: the judge is recorded by name and
model, never with its key, and the inputs are kept with their secrets redacted (`redacted_inputs`).

Several reviewers at once: every write is one transaction (an assessment with all its files,
or one override), so a crash leaves all of it or nothing; overrides are only ever added, so
concurrent reviews never overwrite one another, and the latest review of an item counts
(grader/reviews.py). SQLite runs in WAL mode, where readers never wait for a writer, and a
writer waits up to SQLITE_BUSY_SECONDS for another's transaction instead of failing.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    event,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from grader.config import Settings, get_settings
from grader.errors import UserError
from grader.ingest.redacted_copy import redacted_copy
from grader.ingest.secrets import redact, redact_data
from grader.models import Application, Assessment
from grader.reviews import Review

DEFAULT_DB_FILE = "assessments.sqlite"
# How long a SQLite write waits for another session's transaction before giving up. SQLite's
# own default (5 s) is shorter than one save of a large application on a slow disk.
SQLITE_BUSY_SECONDS = 30.0


class StoreError(UserError):
    """The assessment store cannot be opened, or holds no such record."""


# --------------------------------------------------------------------------- boundary models


# The app stores reviewers' overrides; the model is the library's (reports show them too).
Override = Review


class HistoryEntry(BaseModel):
    id: str
    created: datetime
    partner: str | None
    judge: str
    source: str | None
    passed: int
    total: int

    def label(self) -> str:
        when = self.created.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        who = self.partner or self.source or "unnamed application"
        return f"{when} · {who} · {self.passed}/{self.total} pass · {self.judge}"


class StoredInputs(BaseModel):
    """What was graded: the answers (base_dir left empty) and each attachment's bytes."""

    application: Application
    files: dict[str, bytes] = Field(default_factory=dict)


# --------------------------------------------------------------------------- tables


class _Base(DeclarativeBase):
    pass


class _AssessmentRow(_Base):
    __tablename__ = "assessments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    partner: Mapped[str | None] = mapped_column(String(300))
    judge: Mapped[str] = mapped_column(String(200))
    json: Mapped[str] = mapped_column(Text)  # the Assessment, exactly as graded
    application: Mapped[str] = mapped_column(Text)  # the answers it graded (for export)


class _AttachmentRow(_Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id"), index=True)
    path: Mapped[str] = mapped_column(String(1000))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class _OverrideRow(_Base):
    __tablename__ = "overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id"), index=True)
    control: Mapped[str] = mapped_column(String(32))
    criterion: Mapped[str | None] = mapped_column(String(100))
    verdict: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(200), default="")
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _utc(value: datetime) -> datetime:
    # SQLite returns naive datetimes; everything stored is UTC.
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


# --------------------------------------------------------------------------- store


def redacted_inputs(application: Application, files: dict[str, bytes]) -> tuple[Application, dict[str, bytes]]:
    """What is kept of the inputs: every text with its secrets redacted, as the grader redacted
    them before grading, and each file as its redacted copy (grader/ingest/redacted_copy.py).
    A file no safe copy can be made of is not kept: an export then says it is missing."""
    data = application.model_dump(mode="json")
    data["base_dir"] = ""  # a temporary folder, meaningless later
    kept = Application.model_validate(redact_data(data))
    copies = {redact(path)[0]: redacted_copy(path, content) for path, content in files.items()}
    return kept, {path: copy for path, copy in copies.items() if copy is not None}


def database_url(settings: Settings | None = None) -> str:
    """GRADER_DB_URL, or the embedded SQLite file under GRADER_HOME."""
    settings = settings or get_settings()
    return settings.db_url or f"sqlite:///{settings.home / DEFAULT_DB_FILE}"


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"GRADER_DB_URL {url!r} is not a SQLAlchemy database URL: {exc}") from None
    options: dict = {}
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite:
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Streamlit runs each rerun on its own thread; connections are short-lived.
        options["connect_args"] = {"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS}
    try:
        engine = create_engine(url, **options)
        if sqlite:
            event.listen(engine, "connect", _sqlite_for_several_sessions)
        _create_tables(engine)
    except (SQLAlchemyError, ImportError) as exc:
        shown = parsed.render_as_string(hide_password=True)
        raise StoreError(f"cannot open the assessment store {shown}: {exc}") from None
    return engine


def _sqlite_for_several_sessions(dbapi_connection, _record) -> None:
    """WAL: readers (the history, a page drawn again) never wait for a writer, nor a writer for
    them. Foreign keys enforced, as a server database does. The busy timeout is already set (the
    `timeout` connect argument), so switching a new file to WAL waits for other sessions too."""
    cursor = dbapi_connection.cursor()
    try:
        # Switching a new file to WAL takes an exclusive lock, and SQLite may answer "database is
        # locked" at once, without its busy wait, while another process does the same: try again.
        for attempt in range(1, 41):
            try:
                cursor.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 40:
                    raise
                time.sleep(0.05 * min(attempt, 10))
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _create_tables(engine: Engine, attempts: int = 5) -> None:
    """Create the tables that are missing. Two servers opening a new store at the same moment
    both find a table missing and both create it; the one that loses finds it there next time."""
    for attempt in range(1, attempts + 1):
        try:
            _Base.metadata.create_all(engine)
            return
        except SQLAlchemyError as exc:
            raced = any(k in str(exc).lower() for k in ("already exists", "duplicate key"))
            if not raced or attempt == attempts:
                raise
            time.sleep(0.05 * attempt)


def _reason(exc: SQLAlchemyError) -> str:
    """The database's own words, without SQLAlchemy's SQL echo and help link."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if "database is locked" in reason:
        reason += f" (another session held it for over {SQLITE_BUSY_SECONDS:g} s)"
    return reason


class AssessmentStore:
    def __init__(self, url: str) -> None:
        self.url = url
        self._engine = _engine(url)

    @property
    def label(self) -> str:
        """The URL with any password hidden, fit to show."""
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def _writing(self, what: str) -> Iterator[None]:
        """One write transaction; if the database fails it (gone, locked too long), a StoreError
        saying what was not saved. The transaction is rolled back: nothing of it is stored."""
        try:
            yield
        except SQLAlchemyError as exc:
            raise StoreError(f"could not save {what} in {self.label}: {_reason(exc)}; "
                             "nothing of it was stored, try again") from None

    def save(self, assessment: Assessment, application: Application, files: dict[str, bytes]) -> str:
        """Store a graded assessment with what it graded (secrets redacted); return its new id."""
        assessment_id = uuid.uuid4().hex
        kept, files = redacted_inputs(application, files)
        what = f"the assessment of {assessment.partner or application.partner or 'an unnamed application'}"
        with self._writing(what), Session(self._engine) as session, session.begin():
            session.add(_AssessmentRow(
                id=assessment_id,
                created=assessment.created.astimezone(timezone.utc),
                partner=assessment.partner,
                judge=assessment.judge + (f" ({assessment.model})" if assessment.model else ""),
                # Computed totals (passed, failed) are derived again on load, not stored.
                json=assessment.model_dump_json(exclude=set(Assessment.model_computed_fields)),
                application=kept.model_dump_json(),
            ))
            session.flush()  # parent row first: a shared database may enforce the foreign keys
            session.add_all(
                _AttachmentRow(assessment_id=assessment_id, path=path, content=content)
                for path, content in files.items()
            )
        return assessment_id

    def _row(self, session: Session, assessment_id: str) -> _AssessmentRow:
        row = session.get(_AssessmentRow, assessment_id)
        if row is None:
            raise StoreError(f"no assessment {assessment_id!r} in {self.label}")
        return row

    def load(self, assessment_id: str) -> Assessment:
        with Session(self._engine) as session:
            row = self._row(session, assessment_id)
            try:
                return Assessment.model_validate_json(row.json)
            except ValidationError as exc:
                raise StoreError(
                    f"assessment {assessment_id} in {self.label} no longer matches this grader version: "
                    f"{exc.errors()[0]['msg']}"
                ) from None

    def inputs(self, assessment_id: str) -> StoredInputs:
        with Session(self._engine) as session:
            row = self._row(session, assessment_id)
            files = session.scalars(
                select(_AttachmentRow).where(_AttachmentRow.assessment_id == assessment_id)
            ).all()
            return StoredInputs(
                application=Application.model_validate_json(row.application),
                files={f.path: f.content for f in files},
            )

    def history(self, limit: int = 50) -> list[HistoryEntry]:
        """The most recent assessments first."""
        with Session(self._engine) as session:
            rows = session.scalars(
                select(_AssessmentRow).order_by(_AssessmentRow.created.desc()).limit(limit)
            ).all()
            entries = []
            for row in rows:
                try:
                    summary = Assessment.model_validate_json(row.json)
                except ValidationError:
                    continue  # written by an incompatible version; load() explains if opened
                entries.append(HistoryEntry(
                    id=row.id, created=_utc(row.created), partner=row.partner, judge=row.judge,
                    source=summary.source, passed=summary.passed, total=len(summary.controls),
                ))
            return entries

    def add_override(self, assessment_id: str, override: Override) -> Override:
        what = f"the review of {override.control}{'/' + override.criterion if override.criterion else ''}"
        with self._writing(what), Session(self._engine) as session, session.begin():
            self._row(session, assessment_id)
            session.add(_OverrideRow(
                assessment_id=assessment_id, control=override.control, criterion=override.criterion,
                verdict=override.verdict, comment=override.comment, reviewer=override.reviewer,
                created=override.created.astimezone(timezone.utc),
            ))
        return override

    def overrides(self, assessment_id: str) -> list[Override]:
        """Every override of an assessment, oldest first (the latest one per item counts)."""
        with Session(self._engine) as session:
            rows = session.scalars(
                select(_OverrideRow)
                .where(_OverrideRow.assessment_id == assessment_id)
                .order_by(_OverrideRow.created, _OverrideRow.id)
            ).all()
            return [
                Override(control=r.control, criterion=r.criterion, verdict=r.verdict,
                         comment=r.comment, reviewer=r.reviewer, created=_utc(r.created))
                for r in rows
            ]


@lru_cache(maxsize=8)
def _store_for(url: str) -> AssessmentStore:
    return AssessmentStore(url)


def open_store(settings: Settings | None = None) -> AssessmentStore:
    """The store the settings name; one engine per URL per process."""
    return _store_for(database_url(settings))

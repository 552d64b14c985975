"""What the app receives -> an Application the engine can grade.

Three ways in: answers typed per control with uploaded files, an uploaded application
file (YAML/JSON/.xlsx) with its attachments, or the bundled sample application. Uploaded
names come from the browser and are untrusted: only their last path component is kept,
so nothing is ever written outside the folder given.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict

from grader.catalogue import CONTROL_IDS
from grader.config import REPO_ROOT
from grader.errors import ApplicationError
from grader.ingest.application import load_application
from grader.models import Application, ControlAnswer, IngestError

SAMPLE_APPLICATION = REPO_ROOT / "examples" / "sample-application" / "application.yaml"
PASTED_SOURCE = "answers entered in the app"

_PATH_SEPARATORS = re.compile(r"[\\/]")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


class Upload(BaseModel):
    """One file as the browser sent it."""

    model_config = ConfigDict(frozen=True)

    name: str
    content: bytes


def safe_name(name: str) -> str:
    """The upload's base name only: `C:\\fakepath\\sop.pdf` and `../../sop.pdf` -> `sop.pdf`."""
    base = _CONTROL_CHARS.sub("_", _PATH_SEPARATORS.split(name)[-1]).strip()
    return base if base.strip(".") else "upload"


def _unique(name: str, taken: set[str]) -> str:
    """`sop.pdf`, then `sop (2).pdf` ...: two different uploads never overwrite each other."""
    if name not in taken:
        return name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while f"{stem} ({n}){suffix}" in taken:
        n += 1
    return f"{stem} ({n}){suffix}"


class UploadFolder:
    """A folder uploads are written into under safe, distinct names.

    Different files never overwrite each other (`sop.pdf`, then `sop (2).pdf`); the same
    file uploaded again (same name and bytes), e.g. one SOP for two controls, is written once.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._names: set[str] = set()
        self._stored: dict[tuple[str, str], str] = {}  # (upload name, content hash) -> name here
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, upload: Upload) -> str:
        """Write the upload (unless already there); return the name it has in the folder."""
        name = safe_name(upload.name)
        key = (name, hashlib.sha256(upload.content).hexdigest())
        if key not in self._stored:
            stored = _unique(name, self._names)
            (self.folder / stored).write_bytes(upload.content)
            self._names.add(stored)
            self._stored[key] = stored
        return self._stored[key]


def write_uploads(uploads: Sequence[Upload], folder: Path) -> list[str]:
    """Write uploads into `folder`; return their names there, each once, in upload order."""
    target = UploadFolder(folder)
    return list(dict.fromkeys(target.add(u) for u in uploads))


def application_from_answers(
    answers: Mapping[str, str],
    uploads: Mapping[str, Sequence[Upload]],
    folder: Path,
    partner: str | None = None,
) -> Application:
    """Answers typed per control plus each control's uploaded files, as one Application.

    All files share one folder, so quotes cite them by the name the partner gave them.
    """
    unknown = sorted((set(answers) | set(uploads)) - set(CONTROL_IDS))
    if unknown:
        raise ValueError(f"unknown control ids {unknown}; expected one of {', '.join(CONTROL_IDS)}")
    target = UploadFolder(folder)
    controls: dict[str, ControlAnswer] = {}
    for cid in CONTROL_IDS:
        text = (answers.get(cid) or "").strip()
        files = list(dict.fromkeys(target.add(u) for u in uploads.get(cid) or []))
        if text or files:
            controls[cid] = ControlAnswer(control=cid, response=text, attachments=files)
    return Application(
        partner=(partner or "").strip() or None,
        source=PASTED_SOURCE,
        base_dir=str(folder),
        controls=controls,
    )


def _place_referenced(application: Application, uploaded: list[str], folder: Path) -> bool:
    """Copy flat uploads to the paths the application names (`evidence/sop.pdf`).

    A browser cannot send folders, so an application that refers to `evidence/sop.pdf`
    arrives with a bare `sop.pdf`: put it where the application expects it.
    Returns whether anything was placed (and the application must be loaded again).
    """
    by_name = {name: folder / name for name in uploaded}
    placed = False
    for error in application.errors:
        if error.message != "file not found":
            continue
        source = by_name.get(PurePosixPath(error.file.replace("\\", "/")).name)
        target = folder / error.file
        inside = target.resolve().is_relative_to(folder.resolve())
        if source is not None and inside and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
            placed = True
    return placed


def _referenced(application: Application) -> set[str]:
    return {PurePosixPath(a).as_posix() for answer in application.controls.values() for a in answer.attachments}


def application_from_upload(
    application_file: Upload, attachments: Sequence[Upload], folder: Path
) -> Application:
    """An uploaded application file (YAML/JSON/.xlsx) with its attachments.

    Raises ApplicationError, naming the uploaded file, when that file cannot be read.
    Uploaded attachments the application never mentions are listed as errors, not dropped.
    """
    folder.mkdir(parents=True, exist_ok=True)
    name = safe_name(application_file.name)
    path = folder / name
    path.write_bytes(application_file.content)
    uploaded = write_uploads([a for a in attachments if safe_name(a.name) != name], folder)
    try:
        application = load_application(path)
        if _place_referenced(application, uploaded, folder):
            application = load_application(path)
    except ApplicationError as exc:
        # The message names our temporary folder; the partner knows only the file name.
        raise ApplicationError(str(exc).replace(str(path), name).replace(str(folder) + "/", "")) from None
    referenced = _referenced(application)
    unused = [
        IngestError(file=u, message="uploaded but not referenced by the application; not graded")
        for u in uploaded
        if u not in referenced and not any(PurePosixPath(r).name == u for r in referenced)
    ]
    return application.model_copy(update={"source": name, "errors": [*application.errors, *unused]})


def load_sample() -> Application:
    """The bundled sample application (examples/sample-application)."""
    return load_application(SAMPLE_APPLICATION)


def attachment_bytes(application: Application) -> dict[str, bytes]:
    """Every attachment the application names that exists in its folder: path -> bytes.

    Kept with a stored assessment so a reviewed control can be exported later.
    """
    base = Path(application.base_dir).resolve()
    files: dict[str, bytes] = {}
    for answer in application.controls.values():
        for name in answer.attachments:
            full = (base / name).resolve()
            if full.is_relative_to(base) and full.is_file():
                files[name] = full.read_bytes()
    return files


class ReopenedInputs(BaseModel):
    """A stored application as the answer-per-control form holds it, to edit and assess again."""

    partner: str | None = None
    answers: dict[str, str]  # control id -> the answer text
    files: dict[str, list[Upload]]  # control id -> the files it had (stored bytes, as uploads)
    not_kept: dict[str, list[str]] = {}  # control id -> files the store has no copy of


def reopened(application: Application, files: Mapping[str, bytes]) -> ReopenedInputs:
    """The answers and files of a stored application, per control. A file the store has no
    copy of (one the grader refused to open, or a PDF holding a credential that could not be
    rebuilt without it) is left out of the re-run, and named in `not_kept`."""
    answers = {cid: answer.response for cid, answer in application.controls.items()}
    kept = {cid: [Upload(name=PurePosixPath(path).name, content=files[path])
                  for path in answer.attachments if path in files]
            for cid, answer in application.controls.items()}
    lacking = {cid: [path for path in answer.attachments if path not in files]
               for cid, answer in application.controls.items()}
    return ReopenedInputs(partner=application.partner, answers=answers,
                          files={cid: uploads for cid, uploads in kept.items() if uploads},
                          not_kept={cid: paths for cid, paths in lacking.items() if paths})

"""Secrets in every format are redacted before anything is stored, embedded, cached, sent to a
model or shown.

Distinct secrets (tests/hostile/planted.py) are planted in an answer, a DOCX (body and
table), an XLSX (cells, and a credentials export), a PDF, JSON, a CloudFormation YAML, a
Terraform file and a .tfvars file. The application is uploaded and graded through the app's
code path (its intake, `session.grade` and the store) with the LLM judge against the fake
OpenAI server, with the LLM cache on; the CLI grades it too and writes every report; reviewed
controls are exported as eval cases. Then every byte is searched for every secret and for a
distinctive part of it: each file under GRADER_HOME (the app's SQLite store, the Chroma
store, the caches), the request bodies the model received, the reports and the export; zip
archives (DOCX, XLSX, the export) are searched member by member and PDF streams inflated.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import SecretStr

from grader.config import Settings
from grader.embeddings import MiniLMEmbedder
from grader.engine import make_judge
from grader.ingest.readers import read
from grader.report.render import render
from grader.reviews import Review
from grader.webapp import export, intake, session
from grader.webapp.runs import JudgeChoice, RunCache
from grader.webapp.store import AssessmentStore, open_store
from tests.fakes.llm_judge import llm_settings
from tests.fakes.openai_server import FakeOpenAI, Reply, judgement, prompt_text
from tests.hostile import planted
from tests.hostile.conftest import assess
from tests.hostile.planted import Planted, Secret

ATTACHED = {
    "ACCT-002": {"handbook.docx": planted.docx_file, "settings.xlsx": planted.xlsx_file},
    "NETSEC-002": {"encryption-sop.pdf": planted.pdf_file, "kms-export.json": planted.json_file},
    "REL-001": {"stack.yaml": planted.yaml_file, "main.tf": planted.terraform_file, "prod.tfvars": planted.tfvars_file},
}


def write_application(folder: Path, secrets: Planted) -> Path:
    for files in ATTACHED.values():
        for name, make in files.items():
            make(secrets, folder / name)
    answer = planted.prose(secrets, "answer")
    lines = ["partner: Leaky Cloud Ltd", "controls:"]
    for control, files in ATTACHED.items():
        text = answer if control == "ACCT-002" else "Our practice is described in the attached files."
        lines += [f"  {control}:", "    response: |", *(f"      {line}" for line in text.splitlines()),
                  f"    attachments: [{', '.join(files)}]"]
    (folder / "application.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "application.yaml"


# ----------------------------------------------------------------------- where bytes end up


def views(content: bytes) -> Iterator[bytes]:
    """The bytes, and what hides inside them: zip members (recursively) and inflated PDF streams."""
    yield content
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                for name in archive.namelist():
                    yield from views(archive.read(name))
        except zipfile.BadZipFile:
            pass
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            yield zlib.decompress(stream.group(1))
        except zlib.error:
            yield stream.group(1)


def leaks(where: str, content: bytes, secrets: list[Secret]) -> list[str]:
    found = []
    for view in views(content):
        for secret in secrets:
            for part, label in ((secret.value, "whole"), (secret.middle, "middle")):
                if part.encode() in view:
                    found.append(f"{secret.kind} from {secret.place} ({label}) in {where}")
    return sorted(set(found))


@dataclass
class Graded:
    secrets: Planted
    inputs: Path  # the application as the partner sent it
    home: Path
    store: AssessmentStore
    assessment_id: str
    requests: list[dict]
    embedded: list[str]  # every text the embedding model was given
    reports: dict[str, bytes]  # name -> content, everything written or downloaded


def obliging_model(body: dict) -> Reply:
    """Every criterion met, each quoting the first line of the evidence it was shown."""
    return Reply(judgement(body, "met"))


@pytest.fixture(scope="module")
def graded(module_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Graded:
    secrets = Planted()
    sent = tmp_path_factory.mktemp("sent")
    application_file = write_application(sent, secrets)
    reports: dict[str, bytes] = {}
    embedded: list[str] = []
    with FakeOpenAI(obliging_model) as server, pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADER_API_KEY", "test")
        model_embed = MiniLMEmbedder.embed

        def recorded(self: MiniLMEmbedder, texts):  # type: ignore[no-untyped-def]
            embedded.extend(texts)
            return model_embed(self, texts)

        patch.setattr(MiniLMEmbedder, "embed", recorded)
        settings = llm_settings(server, module_home, llm_cache=True, cross_check=True)
        # The app: the application file and its attachments uploaded, graded, stored.
        uploads = [intake.Upload(name=p.name, content=p.read_bytes()) for p in sorted(sent.iterdir())
                   if p.name != application_file.name]
        application = intake.application_from_upload(
            intake.Upload(name=application_file.name, content=application_file.read_bytes()), uploads,
            tmp_path_factory.mktemp("upload"))
        store = open_store()
        choice = JudgeChoice(judge="llm", model=settings.model, base_url=settings.base_url)
        outcome = session.grade(application, choice, settings, store, RunCache(), lambda c, s: make_judge("llm", s))
        # A reviewer confirms two controls; their export and every download.
        assessment = store.load(outcome.assessment_id)
        for control in ("ACCT-002", "REL-001"):
            store.add_override(outcome.assessment_id, Review(control=control, verdict="fail", comment="checked"))
        overrides = store.overrides(outcome.assessment_id)
        for fmt in ("md", "html", "json"):
            reports[f"app download .{fmt}"] = render(assessment, fmt, overrides).encode()  # type: ignore[arg-type]
        reports["app eval-case export"] = export.export_zip(
            outcome.assessment_id, assessment, store.inputs(outcome.assessment_id), overrides)[0]
        # The CLI, same GRADER_HOME, every report format.
        out = tmp_path_factory.mktemp("reports")
        for fmt in ("md", "html", "json"):
            run = assess(application_file, out / f"report.{fmt}", "--format", fmt, "--judge", "llm",
                         "--model", settings.model or "", "--base-url", server.base_url)
            assert run.exit_code == 1, run.stderr
            reports[f"grader assess --format {fmt}"] = run.report.encode()
        requests = list(server.requests)
    return Graded(secrets, sent, module_home, store, outcome.assessment_id, requests, embedded, reports)


# ----------------------------------------------------------------------- the premise


def test_every_planted_secret_is_in_what_the_partner_sent(graded: Graded) -> None:
    sent = b"".join(b"".join(views(p.read_bytes())) for p in graded.inputs.iterdir())
    missing = [f"{s.kind} from {s.place}" for s in graded.secrets.secrets if s.middle.encode() not in sent]
    assert missing == []
    assert len(graded.secrets.secrets) == 9 * 5 + 2 + 1  # five kinds in nine places, the export row, the tf default


def test_the_grading_ran_where_secrets_could_leak(graded: Graded) -> None:
    assert graded.requests  # the model was asked ...
    assert any((graded.home / "cache").rglob("*")), "the LLM and embedding caches hold something"
    stored = graded.store.inputs(graded.assessment_id)
    assert sorted(stored.files) == sorted(name for files in ATTACHED.values() for name in files)
    assert "[REDACTED:" in stored.application.controls["ACCT-002"].response


# ----------------------------------------------------------------------- nowhere


def test_no_secret_is_in_any_file_under_grader_home(graded: Graded) -> None:
    files = [p for p in graded.home.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite" for p in files)  # the app's store is among them
    found = [leak for p in files for leak in leaks(str(p.relative_to(graded.home)), p.read_bytes(),
                                                   graded.secrets.secrets)]
    assert found == []


def test_no_secret_is_in_the_inputs_kept_with_the_assessment(graded: Graded) -> None:
    stored = graded.store.inputs(graded.assessment_id)
    found = leaks("the stored application", stored.application.model_dump_json().encode(), graded.secrets.secrets)
    found += [leak for name, content in stored.files.items()
              for leak in leaks(f"the stored {name}", content, graded.secrets.secrets)]
    assert found == []


def test_the_kept_copies_still_read_with_each_secret_marked(graded: Graded, tmp_path: Path) -> None:
    for name, content in graded.store.inputs(graded.assessment_id).files.items():
        (tmp_path / name).write_bytes(content)
        document = read(Path(name), tmp_path)
        assert getattr(document, "text", None) and "[REDACTED:" in document.text, (name, document)


def test_no_secret_is_in_what_the_model_received(graded: Graded) -> None:
    found = [leak for n, request in enumerate(graded.requests)
             for leak in leaks(f"request {n}", prompt_text(request["body"]).encode(), graded.secrets.secrets)]
    assert found == []


def test_no_secret_was_embedded(graded: Graded) -> None:
    assert any("[REDACTED:" in text for text in graded.embedded)  # the evidence was embedded ...
    assert leaks("the texts embedded", "\n".join(graded.embedded).encode(), graded.secrets.secrets) == []


def test_no_secret_is_in_any_report_or_export(graded: Graded) -> None:
    found = [leak for name, content in graded.reports.items() for leak in leaks(name, content, graded.secrets.secrets)]
    assert found == []
    assert all(b"REDACTED" in content for name, content in graded.reports.items() if "export" not in name)


def test_each_secret_is_a_finding_where_it_was_found(graded: Graded) -> None:
    result = graded.store.load(graded.assessment_id)
    files = {f.source.file for c in result.controls for f in c.flags if f.rule.startswith("secret.") and f.source}
    assert files == {"response", *(name for names in ATTACHED.values() for name in names)}


def test_a_file_the_grader_cannot_read_is_not_kept_and_named_on_reopening(module_home: Path, tmp_path: Path) -> None:
    # It could hold a secret the grader has no way to find: an export the grader does not read,
    # a "picture" that is really text.
    key = planted.access_key_id("not-kept")
    uploads = [intake.Upload(name="credentials.csv", content=f"ci-deployer,{key.value}\n".encode()),
               intake.Upload(name="diagram.png", content=f"aws_access_key_id = {key.value}\n".encode())]
    application = intake.application_from_answers({"ACCT-002": "We use roles."}, {"ACCT-002": uploads}, tmp_path)
    store = open_store()

    graded_id = session.grade(application, JudgeChoice(), Settings(), store, RunCache(),
                              lambda c, s: make_judge("offline")).assessment_id

    result, stored = store.load(graded_id), store.inputs(graded_id)

    assert {e.file for c in result.controls for e in c.errors} == {"credentials.csv", "diagram.png"}
    assert stored.files == {}
    assert intake.reopened(stored.application, stored.files).not_kept == {"ACCT-002": ["credentials.csv", "diagram.png"]}
    assert leaks("the store", (module_home / "assessments.sqlite").read_bytes(), [key]) == []

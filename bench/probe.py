"""The child side of a measurement: `python -m bench.probe TASK ARGS_JSON OUT_JSON`.

Each task runs the grader's own code paths in this fresh process, times them with
perf_counter and writes a JSON result. Nothing here imports grader at module level, so
the import-time task sees a process that has imported nothing of it yet.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


# ---------------------------------------------------------------------- start-up


def imports() -> dict[str, Any]:
    """Import time of the public package, the offline pipeline, then the LLM judge on top."""
    import importlib

    def load(*modules: str) -> Callable[[], None]:
        return lambda: [importlib.import_module(m) for m in modules]

    package, _ = _timed(load("grader"))
    pipeline, _ = _timed(load("grader.engine", "grader.ingest", "grader.ingest.application", "grader.checks",
                              "grader.retrieval", "grader.store", "grader.embeddings", "grader.judges.offline"))
    llm, _ = _timed(load("grader.judges.llm", "langchain_openai"))
    return {"package_s": package, "pipeline_s": pipeline, "llm_judge_s": llm}


def embedder(sentences: int = 256) -> dict[str, Any]:
    """Embedding model load, the first sentence, and throughput on a batch of sentences."""
    import random

    from bench.corpus import sentence
    from grader.embeddings import get_embedder

    model = get_embedder()
    load_s, _ = _timed(model._load)  # noqa: SLF001 - the load is what we measure
    first_s, _ = _timed(lambda: model.embed(["The operations team reviews the dashboard daily."]))
    rng = random.Random(3)
    texts = [sentence(rng) for _ in range(sentences)]
    batch_s, _ = _timed(lambda: model.embed(texts))
    return {"load_s": load_s, "first_embed_s": first_s, "sentences": sentences,
            "sentences_per_s": sentences / batch_s}


def startup() -> dict[str, Any]:
    """imports, then the embedding model in the same process (its imports are paid by then)."""
    return {"imports": imports(), "embedder": embedder()}


# ---------------------------------------------------------------------- ingestion


def read(path: str, repeats: int = 3) -> dict[str, Any]:
    """`readers.read` of one file, `repeats` times in this process; plus chunking the result."""
    from grader.ingest.chunking import chunk_document
    from grader.ingest.readers import read as read_file
    from grader.models import IngestError

    file = Path(path)
    times, document = [], None
    for _ in range(repeats):
        seconds, document = _timed(lambda: read_file(file, file.parent))
        if isinstance(document, IngestError):
            raise SystemExit(f"{file}: {document.message}")
        times.append(seconds)
    chunk_s, chunks = _timed(lambda: chunk_document(document, "DOC-001"))
    return {"read_s": times, "pages": document.pages, "chars": len(document.text),
            "chunk_s": chunk_s, "chunks": len(chunks)}


# ---------------------------------------------------------------------- offline assessment


def assess(application: str, repeats: int = 1, preload_model: bool = False,
           count_volume: bool = False, sampled: bool = False) -> dict[str, Any]:
    """load_application + assess with the offline judge, `repeats` times in this process.

    preload_model loads the embedding model first and times it apart (model_load_s), so a
    scaling series can measure the work that grows with the application.
    """
    from grader.config import get_settings
    from grader.engine import assess as run_assessment
    from grader.engine import make_judge
    from grader.ingest.application import load_application

    settings = get_settings().model_copy(update={"judge": "offline"})
    load_s = 0.0
    if preload_model:
        from grader.embeddings import get_embedder

        load_s, _ = _timed(get_embedder()._load)  # noqa: SLF001

    def once() -> Any:
        app = load_application(Path(application))
        return run_assessment(app, make_judge("offline", settings), settings=settings)

    runs, result = [], None
    for _ in range(repeats):
        seconds, result = _timed(once)
        runs.append(seconds)
    out: dict[str, Any] = {
        "runs_s": runs,
        "model_load_s": load_s,
        "verdicts": {c.control: c.verdict for c in result.controls},
        "control_s": {c.control: c.seconds for c in result.controls},
    }
    if count_volume:
        out["evidence_chars"] = evidence_chars(Path(application))
    if sampled:
        out["sampled"] = sampled_files(result)
    return out


def sampled_files(result: Any) -> list[dict[str, Any]]:
    """Per control and file read only in part: passages read closely, of how many."""
    import re

    from grader.engine import SAMPLED_RULE

    figures = re.compile(r"file's ([\d,]+) passages .* the ([\d,]+) ranked best")
    out = []
    for control in result.controls:
        for flag in control.flags:
            found = figures.search(flag.message) if flag.rule == SAMPLED_RULE else None
            if found:
                out.append({"control": control.control, "file": flag.source.file if flag.source else "",
                            "passages": int(found[1].replace(",", "")),
                            "passages_read": int(found[2].replace(",", ""))})
    return out


def evidence_chars(application: Path) -> int:
    """Characters the pipeline ingests for an application: each control's answer and
    attachments, counted once per control that cites them (that is the work done)."""
    from grader.ingest import ingest_control
    from grader.ingest.application import load_application

    app = load_application(application)
    return sum(len(d.text) for answer in app.controls.values()
               for d in ingest_control(answer, Path(app.base_dir)).documents)


# ---------------------------------------------------------------------- LLM judge


def llm(application: str, latency: float, concurrency: list[int], model: str,
        top_k: list[int], examples_k: list[int], cache_home: str) -> dict[str, Any]:
    """The LLM judge against the fake OpenAI-compatible server, and its prompt sizes."""
    from grader.config import get_settings
    from grader.engine import assess as run_assessment
    from grader.engine import make_judge
    from grader.ingest.application import load_application
    from tests.fakes.llm_judge import llm_settings
    from tests.fakes.openai_server import FakeOpenAI, Reply, in_flight_peak, judgement

    app = load_application(Path(application))
    home = get_settings().home
    # Warm-up with the offline judge: loads the embedding model and memoises the evidence's
    # vectors, so the LLM figures below are the judge's cost, not the first embedding.
    offline_s, offline = _timed(lambda: run_assessment(app, make_judge("offline"), settings=get_settings()))
    out: dict[str, Any] = {"latency_s": latency, "offline_warmup_s": offline_s, "runs": [],
                           "controls": sum(1 for a in app.controls.values() if a.answered)}
    with FakeOpenAI(lambda body: Reply(judgement(body)), latency=latency) as server:
        # Build one judge untimed: the first pays langchain-openai's import (see the imports row).
        make_judge("llm", llm_settings(server, home, model=model))
        for workers in concurrency:
            settings = llm_settings(server, home, model=model, concurrency=workers)
            before = server.calls
            started = time.monotonic()
            wall, result = _timed(lambda: run_assessment(app, make_judge("llm", settings), settings=settings))
            sent = server.requests[before:]
            out["runs"].append({
                "concurrency": workers, "wall_s": wall, "calls": len(sent), "usage": result.usage.model_dump(),
                # When requests reached the server, from the start of assess(): how soon the
                # first call went out and how late the last one did, and how many overlapped.
                "first_request_s": min(r["received"] for r in sent) - started,
                "last_request_s": max(r["received"] for r in sent) - started,
                "in_flight_peak": in_flight_peak(sent),
            })
        sent = server.requests[-len(app.controls):]
        out["request_chars"] = request_chars([r["body"] for r in sent])

        # The cache: the same application twice with llm_cache on and an empty cache dir.
        cached = llm_settings(server, Path(cache_home), model=model, concurrency=max(concurrency),
                              llm_cache=True)
        calls = []
        for _ in range(2):
            before = server.calls
            wall, result = _timed(lambda: run_assessment(app, make_judge("llm", cached), settings=cached))
            calls.append({"wall_s": wall, "calls": server.calls - before,
                          "cached_calls": result.usage.cached_calls})
        out["cache_runs"] = calls

    out["prompt_chars"] = prompt_chars(app, top_k, examples_k)
    out["completion_chars"] = completion_chars(offline)
    return out


def request_chars(bodies: list[dict]) -> dict[str, int]:
    """Characters of what was sent: message texts, and the output schema that rides along."""
    messages = sum(len(str(m.get("content") or "")) for b in bodies for m in b.get("messages", []))
    schema = sum(len(json.dumps(b.get("response_format") or b.get("tools") or "")) for b in bodies)
    return {"messages": messages, "schema": schema, "requests": len(bodies)}


def prompt_chars(app: Any, top_k: list[int], examples_k: list[int]) -> list[dict[str, int]]:
    """Rendered prompt characters per application for each (evidence_top_k, examples_top_k):
    the settings' default pair, then each knob moved alone. Same code as the judge: retrieve,
    evidence_blocks, build_messages."""
    from grader.catalogue import get_catalogue
    from grader.checks import run_checks
    from grader.ingest import ingest_control
    from grader.judges.llm.prompt import build_messages, evidence_blocks
    from grader.retrieval import retrieve

    from grader.config import get_settings

    catalogue = get_catalogue()
    prepared = []
    for cid, answer in app.controls.items():
        if not answer.answered:
            continue
        control = catalogue[cid]
        evidence = ingest_control(answer, Path(app.base_dir))
        prepared.append((control, evidence, run_checks(control, evidence)))
    settings = get_settings()
    default_k, default_ek = settings.evidence_top_k, settings.examples_top_k
    pairs = list(dict.fromkeys([(default_k, default_ek), *((k, default_ek) for k in top_k),
                                *((default_k, ek) for ek in examples_k)]))
    rows = []
    for k, ek in pairs:
        system = human = blocks_total = evidence_text = examples_text = 0
        for control, evidence, findings in prepared:
            retrieved = retrieve(control, evidence, top_k=k, examples_k=ek)
            blocks = evidence_blocks(retrieved, settings.llm_evidence_blocks)
            (_, system_text), (_, human_text) = build_messages(control, retrieved, findings, blocks)
            system += len(system_text)
            human += len(human_text)
            blocks_total += len(blocks)
            evidence_text += sum(len(b.text) for b in blocks)
            examples_text += sum(len(t) for t in [*retrieved.good_examples, *retrieved.unacceptable_examples])
        rows.append({"evidence_top_k": k, "examples_top_k": ek, "system": system, "human": human,
                     "evidence": evidence_text, "examples": examples_text,
                     "blocks": blocks_total, "controls": len(prepared)})
    return rows


def completion_chars(assessment: Any) -> int:
    """Size of a realistic reply: the offline judge's verdicts written in the LLM's output
    schema (statuses, verbatim quotes, rationale, missing, fix, summary)."""
    from grader.judges.llm import LLMJudgement

    total = 0
    for control in assessment.controls:
        reply = LLMJudgement.model_validate({
            "criteria": [{"slug": v.slug, "status": v.status, "rationale": v.rationale,
                          "missing": v.missing, "fix": v.fix,
                          "quotes": [{"evidence_id": "E1", "text": q.text} for q in v.quotes]}
                         for v in control.criteria],
            "summary": control.summary, "injection_detected": False,
        })
        total += len(reply.model_dump_json())
    return total


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "startup": startup, "read": read, "assess": assess, "llm": llm,
}


def main(argv: list[str]) -> int:
    task, args, out = argv
    result = TASKS[task](**json.loads(args))
    Path(out).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

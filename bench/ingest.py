"""Ingestion throughput: generated PDFs and DOCX through `grader.ingest.readers.read`."""

from __future__ import annotations

from pathlib import Path

from bench.corpus import PAGE_CHARS, write_docx, write_pdf
from bench.plan import TARGETS, Plan
from bench.results import Section, Target
from bench.runner import run_probe
from bench.stats import median

COLUMNS = ["file", "pages", "chars", "first read s", "median read s", "pages/s", "chunking s",
           "peak RSS MB"]


def _measure(path: Path, pages: int, repeats: int) -> dict:
    """One fresh process reads the file `repeats` times: the first read pays the reader's import."""
    result, run = run_probe("read", path=str(path), repeats=repeats)
    reads = result["read_s"]
    typical = median(reads[1:] or reads)
    return {"file": path.name, "pages": result["pages"] or pages, "chars": result["chars"],
            "first read s": reads[0], "median read s": typical, "pages/s": pages / typical,
            "chunking s": result["chunk_s"], "peak RSS MB": run.peak_rss_mb}


def measure_ingestion(plan: Plan, workdir: Path) -> Section:
    folder = workdir / "ingest"
    rows = []
    for pages in plan.pdf_pages:
        path = folder / f"evidence-{pages}p.pdf"
        write_pdf(path, pages)
        rows.append(_measure(path, pages, plan.read_repeats))
    for pages in plan.docx_pages:
        path = folder / f"evidence-{pages}p.docx"
        write_docx(path, pages)
        rows.append(_measure(path, pages, plan.read_repeats))
    targets = [
        Target(name="100-page PDF ingestion (first read, fresh process)", measured=row["first read s"],
               limit=TARGETS.pdf_100_pages_s, unit="s")
        for row in rows if row["file"] == "evidence-100p.pdf"
    ]
    return Section(
        key="ingest", title="Ingestion throughput (readers.read)", columns=COLUMNS, rows=rows,
        figures={"rows": rows}, targets=targets,
        notes=["first read includes importing the format's reader library; pages/s from the median",
               f"DOCX pages are page-equivalents of ~{PAGE_CHARS} characters (headings, paragraphs, "
               "a table each)"],
    )

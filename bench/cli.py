"""`python -m bench`: measure, print a table per section, optionally write JSON / Markdown.

    python -m bench                      # full run (< 5 minutes on 2 cores)
    python -m bench --quick              # fewer runs, smaller sizes (< 1 minute)
    python -m bench --json out.json      # also write every figure
    python -m bench --only llm --only tokens
"""

from __future__ import annotations

import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from bench.assess import measure_assessment, measure_scaling
from bench.growth import measure_growth
from bench.ingest import measure_ingestion
from bench.llm import measure_llm
from bench.plan import PLANS, Plan
from bench.report import print_report, write_json, write_markdown
from bench.results import BenchReport, Section, load_average
from bench.runner import BenchError
from bench.startup import measure_startup

Measure = Callable[[Plan, Path], list[Section]]


def _one(fn: Callable[[Plan, Path], Section]) -> Measure:
    return lambda plan, workdir: [fn(plan, workdir)]


# Section name -> measurement, in the order they run. "llm" yields the tokens section too.
SECTIONS: dict[str, Measure] = {
    "startup": _one(measure_startup),
    "ingest": _one(measure_ingestion),
    "assess": _one(measure_assessment),
    "scaling": _one(measure_scaling),
    "growth": measure_growth,
    "llm": measure_llm,
}


def run(plan: Plan, only: list[str], command: str, console: Console) -> BenchReport:
    report = BenchReport(mode=plan.mode, command=command)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sdp-bench-") as tmp:
        for name, measure in SECTIONS.items():
            if only and name not in only:
                continue
            began = time.perf_counter()
            with console.status(f"measuring {name}..."):
                sections = measure(plan, Path(tmp))
            console.print(f"[dim]{name}: {time.perf_counter() - began:.1f} s[/dim]", highlight=False)
            report.sections.extend(sections)
    report.seconds = time.perf_counter() - started
    report.machine["load_avg_end"] = load_average()
    return report


app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command()
def bench(
    quick: bool = typer.Option(False, "--quick", help="Fewer runs and smaller sizes (under a minute)."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Write every figure as JSON here."),
    markdown_path: Optional[Path] = typer.Option(None, "--markdown", help="Write the tables as Markdown here."),
    only: Optional[list[str]] = typer.Option(
        None, "--only", help=f"Run only these sections (repeatable): {', '.join(SECTIONS)}."),
) -> None:
    """Benchmark sdp-grader: start-up, ingestion, offline assessment, scaling, LLM path, tokens."""
    console = Console(stderr=True)
    unknown = sorted(set(only or []) - set(SECTIONS))
    if unknown:
        console.print(f"[red]error: unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}",
                      soft_wrap=True, highlight=False)
        raise typer.Exit(2)
    command = "python -m bench" + (" " + shlex.join(sys.argv[1:]) if sys.argv[1:] else "")
    try:
        report = run(PLANS["quick" if quick else "full"], list(only or []), command, console)
    except BenchError as exc:
        console.print(f"[red]error: {exc}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    print_report(report, Console(width=None if sys.stdout.isatty() else 120))
    if json_path:
        write_json(report, json_path)
    if markdown_path:
        write_markdown(report, markdown_path)


def main() -> None:
    app(prog_name="python -m bench")

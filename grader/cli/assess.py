"""grader assess: grade an application file and print or write the report."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from grader.cli.base import app, fail


@app.command()
def assess(
    application: Path = typer.Argument(..., help="Application YAML/JSON or self-assessment .xlsx."),
    judge: Optional[str] = typer.Option(None, "--judge", help="offline (default) or llm."),
    model: Optional[str] = typer.Option(None, "--model", help="Chat model for the LLM judge."),
    base_url: Optional[str] = typer.Option(
        None, "--base-url", help="OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp ...)."
    ),
    fmt: str = typer.Option("md", "--format", "-f", help="Report format: md, json or html."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the report here."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Assess an application. Exit 0 when every control passes, 1 when any fails, 2 on usage or
    input errors (files it could not read, unknown control ids: the report is still written)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from grader.config import settings_with
    from grader.engine import SAMPLED_RULE
    from grader.engine import assess as run_assessment
    from grader.engine import make_judge
    from grader.ingest.application import load_application
    from grader.report.render import render

    if fmt not in ("md", "json", "html"):
        raise fail(f"unknown format {fmt!r}; choose md, json or html")
    if not application.exists():
        raise fail(f"{application}: no such file")
    settings = settings_with(judge=judge, model=model, base_url=base_url)
    chosen = make_judge(settings.judge, settings)
    loaded = load_application(application)

    err = Console(stderr=True)
    progress = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err, transient=True, disable=quiet,
    )
    with progress:
        task = progress.add_task("grading", total=11)

        def advance(control_id: str, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, description=f"graded {control_id}")

        result = run_assessment(loaded, judge=chosen, progress=advance, settings=settings)

    report = render(result, fmt)  # type: ignore[arg-type]
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report, encoding="utf-8")
        err.print(f"wrote {out}")
    else:
        typer.echo(report)
    problems = len(result.errors) + sum(len(c.errors) for c in result.controls)
    err.print(
        f"{result.passed} of {len(result.controls)} controls pass · judge {result.judge}"
        f" · {result.seconds:.1f} s" + (f" · {problems} input problem(s) listed in the report" if problems else "")
    )
    for control in result.controls:  # evidence above the close-reading budget: said, never silent
        for flag in control.flags:
            if flag.rule == SAMPLED_RULE:
                err.print(f"note: {control.control}: {flag.message}", markup=False, highlight=False, soft_wrap=True)
    # Input problems outrank verdicts: a file that could not be read or an unknown control id
    # means the verdicts are on less than the partner sent (the report still lists them all).
    raise typer.Exit(code=2 if problems else 0 if result.failed == 0 else 1)

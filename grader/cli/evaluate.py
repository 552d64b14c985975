"""grader eval: score a judge against a directory of labeled cases, optionally gated.

Exit codes: 0 ok, 1 the regression gate failed, 2 usage or load error.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from grader.cli.base import app, fail
from grader.evaluation.gate import DEFAULT_TOLERANCE


REPORT_WIDTH = 160


class JudgeName(str, Enum):
    offline = "offline"
    llm = "llm"


@app.command("eval")
def eval_command(
    cases_dir: Path = typer.Option(..., "--cases", help="Directory of labeled cases (*.yaml / *.yml, recursive)."),
    judge: JudgeName = typer.Option(JudgeName.offline, "--judge", help="Judge to measure."),
    model: Optional[str] = typer.Option(None, "--model", help="Chat model for the LLM judge."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Write the figures as JSON here."),
    markdown_path: Optional[Path] = typer.Option(
        None, "--markdown", help="Write a Markdown summary here, with two PNG charts next to it."
    ),
    baseline: Optional[Path] = typer.Option(
        None, "--baseline", help="Exit 1 when a gated figure drops below this baseline JSON."
    ),
    tolerance: float = typer.Option(DEFAULT_TOLERANCE, "--tolerance", min=0.0, help="Allowed drop per figure."),
    write_baseline_path: Optional[Path] = typer.Option(
        None, "--write-baseline", help="Save this run's figures as a baseline JSON."
    ),
    tags: list[str] = typer.Option([], "--tag", help="Only cases with this tag (repeatable; any of them)."),
    controls: list[str] = typer.Option([], "--control", help="Only cases of this control (repeatable)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Measure a judge against labeled cases: accuracy, kappa, fail recall, criterion accuracy."""
    from rich.console import Console

    from grader.catalogue import CONTROL_IDS
    from grader.errors import UserError
    from grader.evaluation import gate
    from grader.evaluation.cases import CaseLoadError, load_cases, select_cases
    from grader.evaluation.report import print_report, write_json, write_markdown
    from grader.evaluation.summary import summarise

    err = Console(stderr=True)
    if not err.is_terminal:
        err = Console(stderr=True, width=REPORT_WIDTH)
    unknown = [c for c in controls if c not in CONTROL_IDS]
    if unknown:
        raise fail(f"unknown control(s) {', '.join(unknown)}; known: {', '.join(CONTROL_IDS)}")
    try:
        cases = select_cases(load_cases(cases_dir), tags=tags, controls=controls)
        if not cases:
            raise fail(f"{cases_dir}: no case matches --tag {tags or 'any'} --control {controls or 'any'}")
        baseline_figures = gate.load_baseline(baseline) if baseline else None
        chosen = _make_judge(judge.value, model, base_url)
        result = _run(cases, chosen, err, quiet)
    except CaseLoadError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise fail(f"{len(exc.problems)} problem(s) loading cases from {cases_dir}") from None
    except UserError as exc:
        raise fail(str(exc)) from None

    summary = summarise(result)
    # Piped into a file or CI log, rich would fold the tables at 80 columns.
    out = Console()
    print_report(summary, out if out.is_terminal else Console(width=REPORT_WIDTH))
    written = []
    if json_path:
        written.append(write_json(summary, json_path))
    if markdown_path:
        written += write_markdown(summary, markdown_path)
    if write_baseline_path:
        written.append(gate.write_baseline(summary, write_baseline_path))
    for path in written:
        err.print(f"wrote {path}")

    if baseline_figures is not None:
        found = gate.regressions(summary.model_dump(), baseline_figures, tolerance)
        for regression in found:
            typer.secho(str(regression), err=True, fg=typer.colors.RED)
        if found:
            typer.secho(f"regression gate failed against {baseline}", err=True, fg=typer.colors.RED)
            raise typer.Exit(code=1)
        err.print(f"regression gate passed against {baseline} (tolerance {tolerance})")


def _make_judge(name: str, model: str | None, base_url: str | None):
    from grader.config import settings_with
    from grader.engine import make_judge

    return make_judge(name, settings_with(judge=name, model=model, base_url=base_url))  # type: ignore[arg-type]


def _run(cases, judge, console, quiet: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from grader.evaluation.run import run_eval

    progress = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console, transient=True, disable=quiet,
    )
    with progress:
        task = progress.add_task("grading cases", total=len(cases))

        def advance(done: int, total: int, case_id: str) -> None:
            progress.update(task, completed=done, total=total, description=f"graded {case_id}")

        return run_eval(cases, judge, progress=advance)

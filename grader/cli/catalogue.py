"""grader controls / show / index: look at the control catalogue and embed it into Chroma."""

from __future__ import annotations

import json
from typing import Optional

import typer

from grader.cli.base import app, fail
from grader.errors import UserError


def _catalogue():
    """The catalogue, or one clear error line (exit 2)."""
    from grader.catalogue import get_catalogue

    try:
        return get_catalogue()
    except UserError as exc:
        raise fail(str(exc)) from exc


@app.command()
def controls(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List the eleven controls and their criteria."""
    catalogue = _catalogue()
    if as_json:
        listing = [
            {
                "id": c.id,
                "title": c.title,
                "criteria": [{"slug": k.slug, "title": k.title} for k in c.criteria],
            }
            for c in catalogue
        ]
        typer.echo(json.dumps(listing, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Controls", show_lines=False)
    table.add_column("id", style="bold", no_wrap=True)
    table.add_column("title")
    table.add_column("criteria")
    for c in catalogue:
        table.add_row(c.id, c.title, ", ".join(c.slugs))
    Console().print(table)


@app.command()
def show(control_id: str = typer.Argument(..., help="A control id, e.g. ACCT-001.")) -> None:
    """Print one control: requirement, criteria, examples and patterns."""
    from rich.console import Console
    from rich.markup import escape

    catalogue = _catalogue()
    wanted = control_id.strip().upper()
    if wanted not in catalogue.controls:
        raise fail(f"unknown control {control_id!r}; known: {', '.join(catalogue.controls)}")
    c = catalogue[wanted]
    out = Console(highlight=False)
    out.print(f"[bold]{c.id} {escape(c.title)}[/bold]\n")
    out.print(f"[bold]Requirement[/bold]\n{escape(c.requirement)}\n")
    out.print("[bold]Criteria[/bold]")
    for k in c.criteria:
        out.print(f"  [bold]{k.slug}[/bold] - {escape(k.title)}")
        out.print(f"    {escape(k.description)}")
        for ev in k.acceptable_evidence:
            out.print(f"    evidence: {escape(ev)}")
        out.print(f"    fix: {escape(k.fix)}")
    out.print(
        f"\n[bold]Examples[/bold]: {len(c.good_examples)} good, "
        f"{len(c.unacceptable_examples)} unacceptable"
    )
    if c.unacceptable_patterns:
        out.print("[bold]Unacceptable patterns[/bold]")
        for p in c.unacceptable_patterns:
            target = p.criterion or "whole control"
            out.print(f"  {p.id} ({target}): {escape(p.description)}")
    if c.resources:
        out.print("[bold]Resources[/bold]")
        for r in c.resources:
            out.print(f"  {escape(r.title)}" + (f" <{r.url}>" if r.url else ""))


@app.command()
def index(
    rebuild: bool = typer.Option(False, "--rebuild", help="Drop the index and embed everything."),
    chroma_url: Optional[str] = typer.Option(
        None, "--chroma-url", help="http://host:port of a Chroma server (default: embedded store)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Embed the control catalogue into the Chroma knowledge index (only what changed)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from grader.config import settings_with
    from grader.knowledge_index import build_index
    from grader.store import get_client

    catalogue = _catalogue()
    settings = settings_with(chroma_url=chroma_url)
    err = Console(stderr=True)
    bar = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err, transient=True, disable=quiet,
    )
    try:
        client = get_client(settings)
        with bar:
            task = bar.add_task("indexing", total=len(catalogue))

            def advance(control_id: str, status: str) -> None:
                bar.update(task, advance=1, description=f"{control_id} {status}")

            report = build_index(catalogue, client, rebuild=rebuild, progress=advance)
    except UserError as exc:
        raise fail(str(exc)) from exc

    where = settings.chroma_url or str(settings.chroma_dir)
    if report.up_to_date:
        typer.echo(
            f"knowledge index up to date: {len(report.skipped_controls)} controls unchanged, "
            f"nothing embedded ({where})"
        )
    else:
        typer.echo(
            f"indexed {len(report.embedded_controls)} controls ({report.documents_added} documents) "
            f"in {report.seconds:.1f} s"
            + (f"; {len(report.skipped_controls)} unchanged" if report.skipped_controls else "")
            + (f"; removed {', '.join(report.removed_controls)}" if report.removed_controls else "")
            + f" ({where})"
        )

"""grader ingest: show what the grader can read from evidence files, file by file."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from grader.cli.base import app


def _expand(paths: list[Path]) -> list[Path]:
    """Files as given; folders become the (non-hidden) files below them, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(
                p for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ))
        else:
            files.append(path)
    return files


def _report(path: Path) -> dict:
    from grader.ingest.chunking import chunk_document
    from grader.ingest.readers import read
    from grader.ingest.secrets import markers
    from grader.models import IngestError

    result = read(path.resolve(), path.resolve().parent)
    if isinstance(result, IngestError):
        return {"file": str(path), "read": False, "type": None, "pages": None, "chunks": 0,
                "secrets": 0, "needs_human_review": False, "warnings": [], "errors": [result.message]}
    return {
        "file": str(path), "read": True, "type": result.kind, "pages": result.pages,
        "chunks": len(chunk_document(result, "ingest")), "secrets": len(markers(result.text)),
        "needs_human_review": result.needs_human_review, "warnings": [*result.problems, *result.warnings],
        "errors": [],
    }


def _line(entry: dict) -> str:
    if not entry["read"]:
        return f"{entry['file']}: REJECTED"
    facts = [entry["type"]]
    if entry["pages"] is not None:
        facts.append(f"{entry['pages']} page(s)")
    facts.append(f"{entry['chunks']} chunk(s)")
    if entry["secrets"]:
        facts.append(f"{entry['secrets']} secret(s) redacted")
    if entry["needs_human_review"]:
        facts.append("needs human review")
    return f"{entry['file']}: " + ", ".join(facts)


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Evidence files or folders to read."),
    as_json: bool = typer.Option(False, "--json", help="Print the per-file results as JSON."),
) -> None:
    """Read evidence files and print, per file, its type, pages, chunks, warnings and errors.

    Exit 0 when every file was read, 2 when any was rejected.
    """
    entries = [_report(path) for path in _expand(paths)]
    rejected = sum(not e["read"] for e in entries)
    if as_json:
        typer.echo(json.dumps({"files": entries, "read": len(entries) - rejected, "rejected": rejected}, indent=2))
    else:
        for entry in entries:
            typer.echo(_line(entry))
            for warning in entry["warnings"]:
                typer.echo(f"  warning: {warning}")
            for error in entry["errors"]:
                typer.secho(f"  error: {error}", fg=typer.colors.RED)
        typer.echo(f"{len(entries) - rejected} read, {rejected} rejected")
    raise typer.Exit(code=2 if rejected else 0)

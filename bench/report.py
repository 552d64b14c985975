"""Present a BenchReport: rich tables on the terminal, JSON, and Markdown for the README."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.results import BenchReport, Section


def cell(value: Any) -> str:
    """Numbers at a precision a reader can compare: 3 significant digits, no sci notation."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 0.01:
            return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
        return f"{value:.2g}"
    return str(value)


def section_table(section: Section) -> Table:
    table = Table(title=section.title, title_justify="left", title_style="bold")
    for i, column in enumerate(section.columns):
        table.add_column(column, justify="left" if i == 0 else "right")
    for row in section.rows:
        table.add_row(*(cell(row.get(c)) for c in section.columns))
    return table


def targets_table(report: BenchReport) -> Table:
    table = Table(title="Targets", title_justify="left", title_style="bold")
    for column in ("target", "measured", "limit", "met"):
        table.add_column(column, justify="left" if column == "target" else "right")
    for t in report.targets:
        op = ">=" if t.higher_is_better else "<="
        table.add_row(t.name, f"{cell(t.measured)} {t.unit}".strip(), f"{op} {cell(t.limit)} {t.unit}".strip(),
                      "[green]yes[/green]" if t.met else "[red]NO[/red]")
    return table


def print_report(report: BenchReport, console: Console | None = None) -> None:
    console = console or Console()
    for section in report.sections:
        console.print(section_table(section))
        for note in section.notes:
            console.print(f"  [dim]{note}[/dim]", highlight=False)
        console.print()
    if report.targets:
        console.print(targets_table(report))
    m = report.machine
    console.print(f"[dim]{report.mode} run in {report.seconds:.0f} s on {m['cpus']} CPUs, Python {m['python']}, "
                  f"load average {m.get('load_avg_start')} -> {m.get('load_avg_end')}; `{report.command}`[/dim]",
                  highlight=False)


def write_json(report: BenchReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def section_markdown(section: Section) -> str:
    lines = [f"**{section.title}**", "", _md_row(section.columns), _md_row(["---"] * len(section.columns))]
    lines += [_md_row([cell(row.get(c)) for c in section.columns]) for row in section.rows]
    if section.notes:
        lines += ["", *(f"- {note}" for note in section.notes)]
    return "\n".join(lines)


def to_markdown(report: BenchReport) -> str:
    parts = [section_markdown(s) for s in report.sections]
    if report.targets:
        rows = [_md_row(["target", "measured", "limit", "met"]), _md_row(["---"] * 4)]
        for t in report.targets:
            op = ">=" if t.higher_is_better else "<="
            rows.append(_md_row([t.name, f"{cell(t.measured)} {t.unit}".strip(),
                                 f"{op} {cell(t.limit)} {t.unit}".strip(), "yes" if t.met else "**no**"]))
        parts.append("**Targets**\n\n" + "\n".join(rows))
    m = report.machine
    parts.append(f"_{report.mode} run, {report.seconds:.0f} s, {m['cpus']} CPUs, Python {m['python']}, "
                 f"load average {m.get('load_avg_start')} -> {m.get('load_avg_end')}, "
                 f"{report.started:%Y-%m-%d}: `{report.command}`_")
    return "\n\n".join(parts) + "\n"


def write_markdown(report: BenchReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_markdown(report), encoding="utf-8")

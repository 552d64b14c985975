"""Render an EvalSummary: rich tables on the terminal, Markdown, and JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console, Group
from rich.table import Table

from grader.evaluation.summary import Confusion, Disagreement, EvalSummary, SliceFigures

RATIONALE_CHARS = 160  # terminal; Markdown gets a longer excerpt
MARKDOWN_RATIONALE_CHARS = 400


def fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def headline_rows(summary: EvalSummary) -> list[tuple[str, str]]:
    """(label, value) pairs shared by the terminal and the Markdown summary."""
    return [
        ("cases", str(summary.n_cases)),
        ("control accuracy", fmt(summary.control_accuracy)),
        ("Cohen's kappa", fmt(summary.control_kappa)),
        ("fail precision", fmt(summary.fail_precision)),
        ("fail recall", fmt(summary.fail_recall)),
        ("fail F1", fmt(summary.fail_f1)),
        (f"criterion accuracy ({summary.n_criteria} labeled)", fmt(summary.criterion_accuracy)),
        ("seconds per case", fmt(summary.seconds_per_case, 2)),
        ("seconds total", fmt(summary.seconds_total, 1)),
        ("LLM calls", str(summary.llm_calls)),
        ("tokens (prompt / completion)", f"{summary.prompt_tokens} / {summary.completion_tokens}"),
        ("cases that raised", str(summary.errors)),
    ]


def _criteria_diff(d: Disagreement, sep: str = ", ") -> str:
    return sep.join(f"{c.slug}: {c.expected}→{c.got}" for c in d.criteria)


def _reason(d: Disagreement) -> str:
    """The judge's rationale for what it got wrong: the control summary, else the criterion's."""
    if d.error:
        return f"error: {d.error}"
    if d.expected != d.got or not d.criteria:
        return d.rationale
    return " | ".join(f"{c.slug}: {c.rationale}" for c in d.criteria if c.rationale) or d.rationale


# --------------------------------------------------------------------------- terminal


def _slice_table(title: str, key: str, slices: dict[str, SliceFigures]) -> Table:
    table = Table(title=title, title_justify="left")
    for name in (key, "n", "control acc", "fail recall", "criterion acc", "criteria"):
        table.add_column(name, justify="left" if name == key else "right", overflow="fold")
    for name, s in slices.items():
        table.add_row(name, str(s.n_cases), fmt(s.control_accuracy), fmt(s.fail_recall),
                      fmt(s.criterion_accuracy), str(s.n_criteria))
    return table


def _confusion_table(title: str, confusion: Confusion) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("expected \\ judge")
    for col in confusion.cols:
        table.add_column(col, justify="right")
    for row, counts in zip(confusion.rows, confusion.matrix):
        table.add_row(row, *(str(c) for c in counts))
    return table


def _disagreement_table(disagreements: Sequence[Disagreement]) -> Table:
    table = Table(title=f"Disagreements ({len(disagreements)})", title_justify="left")
    for name in ("case", "verdict", "criteria (expected→judge)", "judge's rationale"):
        table.add_column(name, overflow="fold")
    for d in disagreements:
        verdict = f"{d.expected}→{d.got}" if d.expected != d.got else f"{d.got} ✓"
        table.add_row(d.id, verdict, _criteria_diff(d, "\n"), truncate(_reason(d), RATIONALE_CHARS))
    return table


def terminal_report(summary: EvalSummary) -> Group:
    headline = Table(title=f"Eval of judge '{summary.judge}'", title_justify="left", show_header=False)
    headline.add_column("metric")
    headline.add_column("value", justify="right")
    for label, value in headline_rows(summary):
        headline.add_row(label, value)
    parts = [
        headline,
        _confusion_table("Control verdicts", summary.control_confusion),
        _confusion_table("Criterion statuses", summary.criterion_confusion),
        _slice_table("Per control", "control", summary.per_control),
    ]
    if summary.per_tag:
        parts.append(_slice_table("Per tag", "tag", summary.per_tag))
    if summary.disagreements:
        parts.append(_disagreement_table(summary.disagreements))
    return Group(*parts)


def print_report(summary: EvalSummary, console: Console | None = None) -> None:
    (console or Console()).print(terminal_report(summary))


# --------------------------------------------------------------------------- markdown


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _md_slices(slices: dict[str, SliceFigures], key: str) -> list[str]:
    rows = [
        [name, str(s.n_cases), fmt(s.control_accuracy), fmt(s.fail_recall), fmt(s.criterion_accuracy), str(s.n_criteria)]
        for name, s in slices.items()
    ]
    return _md_table([key, "n", "control acc", "fail recall", "criterion acc", "criteria"], rows)


def _md_confusion(confusion: Confusion) -> list[str]:
    rows = [[row, *(str(c) for c in counts)] for row, counts in zip(confusion.rows, confusion.matrix)]
    return _md_table(["expected \\ judge", *confusion.cols], rows)


def markdown_report(summary: EvalSummary, images: Sequence[str] = ()) -> str:
    """The Markdown summary; `images` are paths relative to the Markdown file."""
    lines = [f"# Eval of judge `{summary.judge}`", ""]
    lines += _md_table(["metric", "value"], headline_rows(summary))
    lines += ["## Confusion matrices", "", "Control verdicts:", ""] + _md_confusion(summary.control_confusion)
    lines += ["Criterion statuses:", ""] + _md_confusion(summary.criterion_confusion)
    lines += [f"![{Path(image).stem}]({image})" for image in images] + ([""] if images else [])
    lines += ["## Per control", ""] + _md_slices(summary.per_control, "control")
    if summary.per_tag:
        lines += ["## Per tag", ""] + _md_slices(summary.per_tag, "tag")
    lines += [f"## Disagreements ({len(summary.disagreements)})", ""]
    if summary.disagreements:
        rows = [
            [f"`{d.id}`", f"{d.expected} → {d.got}", _criteria_diff(d), truncate(_reason(d), MARKDOWN_RATIONALE_CHARS)]
            for d in summary.disagreements
        ]
        lines += _md_table(["case", "verdict", "criteria (expected → judge)", "judge's rationale"], rows)
    else:
        lines += ["None: the judge agrees with every label.", ""]
    return "\n".join(lines)


def write_markdown(summary: EvalSummary, path: Path) -> list[Path]:
    """Write the Markdown summary and its two PNGs next to it; return every file written."""
    from grader.evaluation.plots import write_plots

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    images = write_plots(summary, path.parent, path.stem)
    path.write_text(markdown_report(summary, [p.name for p in images]), encoding="utf-8")
    return [path, *images]


# --------------------------------------------------------------------------- json


def report_json(summary: EvalSummary) -> dict:
    return summary.model_dump(mode="json")


def write_json(summary: EvalSummary, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report_json(summary), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path

"""Render an EvalSummary: rich tables on the terminal, Markdown, and JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console, Group
from rich.table import Table

from grader.evaluation.metrics import Interval
from grader.evaluation.plots import write_plots
from grader.evaluation.summary import Confusion, Disagreement, EvalSummary, SliceFigures

RATIONALE_CHARS = 160  # terminal; Markdown gets a longer excerpt
MARKDOWN_RATIONALE_CHARS = 400


def fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def fmt_ci(value: float | None, interval: Interval | None) -> str:
    """0.820 [0.71–0.89]: the figure with its 95 % interval."""
    if value is None:
        return "n/a"
    return fmt(value) if interval is None else f"{fmt(value)} [{fmt(interval.low, 2)}–{fmt(interval.high, 2)}]"


def truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def headline_rows(summary: EvalSummary) -> list[tuple[str, str]]:
    """(label, value) pairs shared by the terminal and the Markdown summary."""
    return [
        ("cases", str(summary.n_cases)),
        ("control accuracy [95% CI]", fmt_ci(summary.control_accuracy, summary.control_accuracy_ci)),
        ("Cohen's kappa", fmt(summary.control_kappa)),
        ("fail precision", fmt(summary.fail_precision)),
        ("fail recall [95% CI]", fmt_ci(summary.fail_recall, summary.fail_recall_ci)),
        ("bad answers passed (expected fail, graded pass)", str(len(summary.bad_passed))),
        ("fail F1", fmt(summary.fail_f1)),
        (f"criterion accuracy ({summary.n_criteria} labeled)", fmt(summary.criterion_accuracy)),
        ("flagged for a reviewer (share of cases)", fmt(summary.flagged_rate)),
        ("control accuracy where not flagged", fmt(summary.unflagged_control_accuracy)),
        *([("two judges agree (LLM and offline check)", fmt(summary.judges_agreement)),
           ("control accuracy where they agree / disagree",
            f"{fmt(summary.accuracy_where_judges_agree)} / {fmt(summary.accuracy_where_judges_disagree)}")]
          if summary.judges_agreement is not None else []),
        ("seconds per case", fmt(summary.seconds_per_case, 2)),
        ("seconds total", fmt(summary.seconds_total, 1)),
        ("LLM calls", str(summary.llm_calls)),
        ("tokens (prompt / completion)", f"{summary.prompt_tokens} / {summary.completion_tokens}"),
        ("cases not graded (errors, counted as wrong)", str(summary.errors)),
    ]


def _criteria_diff(d: Disagreement, sep: str = ", ") -> str:
    return sep.join(f"{c.slug}: {c.expected}→{c.got}" for c in d.criteria)


def _reason(d: Disagreement) -> str:
    """The judge's rationale for what it got wrong: the control summary, else the criterion's."""
    if d.error:
        return f"error: {d.error}"
    criteria_reasons = " | ".join(f"{c.slug}: {c.rationale}" for c in d.criteria if c.rationale)
    if d.expected == "fail" and d.got == "pass" and criteria_reasons:
        return criteria_reasons  # a bad answer passed: why the judge took each criterion as met
    if d.expected != d.got or not d.criteria:
        return d.rationale
    return " | ".join(f"{c.slug}: {c.rationale}" for c in d.criteria if c.rationale) or d.rationale


def slice_header(key: str) -> tuple[str, ...]:
    return (key, "n", "control acc [95% CI]", "fail recall [95% CI]", "bad passed", "criterion acc", "criteria")


def slice_row(name: str, s: SliceFigures) -> list[str]:
    return [
        name, str(s.n_cases), fmt_ci(s.control_accuracy, s.control_accuracy_ci),
        fmt_ci(s.fail_recall, s.fail_recall_ci), f"{s.bad_passed}/{s.n_fail_expected}",
        fmt(s.criterion_accuracy), str(s.n_criteria),
    ]


def ordered_disagreements(summary: EvalSummary) -> list[Disagreement]:
    """Bad answers passed first (the costliest miss), then every other disagreement."""
    first = {d.id for d in summary.bad_passed}
    return list(summary.bad_passed) + [d for d in summary.disagreements if d.id not in first]


# --------------------------------------------------------------------------- terminal


def _slice_table(title: str, key: str, slices: dict[str, SliceFigures]) -> Table:
    table = Table(title=title, title_justify="left")
    for name in slice_header(key):
        table.add_column(name, justify="left" if name == key else "right", overflow="fold")
    for name, figures in slices.items():
        table.add_row(*slice_row(name, figures))
    return table


def _confusion_table(title: str, confusion: Confusion) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("expected \\ judge")
    for col in confusion.cols:
        table.add_column(col, justify="right")
    for row, counts in zip(confusion.rows, confusion.matrix):
        table.add_row(row, *(str(c) for c in counts))
    return table


def _disagreement_table(disagreements: Sequence[Disagreement], title: str) -> Table:
    table = Table(title=f"{title} ({len(disagreements)})", title_justify="left")
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
    parts = [headline]
    if summary.per_part:
        parts.append(_slice_table("Per part", "part", summary.per_part))
    if summary.bad_passed:
        parts.append(_disagreement_table(summary.bad_passed, "Bad answers passed (expected fail, graded pass)"))
    parts += [
        _confusion_table("Control verdicts", summary.control_confusion),
        _confusion_table("Criterion statuses", summary.criterion_confusion),
        _slice_table("Per control", "control", summary.per_control),
    ]
    if summary.per_tag:
        parts.append(_slice_table("Per tag", "tag", summary.per_tag))
    others = ordered_disagreements(summary)[len(summary.bad_passed):]
    if others:
        parts.append(_disagreement_table(others, "Other disagreements"))
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
    return _md_table(slice_header(key), [slice_row(name, s) for name, s in slices.items()])


def _md_disagreements(disagreements: Sequence[Disagreement]) -> list[str]:
    rows = [
        [f"`{d.id}`", f"{d.expected} → {d.got}", _criteria_diff(d), truncate(_reason(d), MARKDOWN_RATIONALE_CHARS)]
        for d in disagreements
    ]
    return _md_table(["case", "verdict", "criteria (expected → judge)", "judge's rationale"], rows)


def _md_confusion(confusion: Confusion) -> list[str]:
    rows = [[row, *(str(c) for c in counts)] for row, counts in zip(confusion.rows, confusion.matrix)]
    return _md_table(["expected \\ judge", *confusion.cols], rows)


def markdown_report(summary: EvalSummary, images: Sequence[str] = ()) -> str:
    """The Markdown summary; `images` are paths relative to the Markdown file."""
    lines = [f"# Eval of judge `{summary.judge}`", ""]
    lines += _md_table(["metric", "value"], headline_rows(summary))
    if summary.per_part:
        lines += ["## Per part", ""] + _md_slices(summary.per_part, "part")
    lines += [f"## Bad answers passed ({len(summary.bad_passed)})", ""]
    lines += _md_disagreements(summary.bad_passed) if summary.bad_passed else ["None.", ""]
    lines += ["## Confusion matrices", "", "Control verdicts:", ""] + _md_confusion(summary.control_confusion)
    lines += ["Criterion statuses:", ""] + _md_confusion(summary.criterion_confusion)
    lines += [f"![{Path(image).stem}]({image})" for image in images] + ([""] if images else [])
    lines += ["## Per control", ""] + _md_slices(summary.per_control, "control")
    if summary.per_tag:
        lines += ["## Per tag", ""] + _md_slices(summary.per_tag, "tag")
    lines += [f"## Disagreements ({len(summary.disagreements)}, bad answers passed first)", ""]
    if summary.disagreements:
        lines += _md_disagreements(ordered_disagreements(summary))
    else:
        lines += ["None: the judge agrees with every label.", ""]
    return "\n".join(lines)


def write_markdown(summary: EvalSummary, path: Path) -> list[Path]:
    """Write the Markdown summary and its two PNGs next to it; return every file written."""
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

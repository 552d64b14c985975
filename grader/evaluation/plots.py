"""PNG pictures of an eval run, written next to the Markdown summary.

Figures are drawn on matplotlib's Agg canvas directly (no pyplot, no display, no global
backend switch), and matplotlib is imported only when pictures are asked for.
"""

from __future__ import annotations

from pathlib import Path

from grader.evaluation.summary import Confusion, EvalSummary


def _heatmap(ax, confusion: Confusion, title: str) -> None:
    matrix = confusion.matrix
    peak = max((v for row in matrix for v in row), default=0) or 1
    ax.imshow(matrix, cmap="Blues", vmin=0, vmax=peak, aspect="auto")
    ax.set_title(title)
    ax.set_xticks(range(len(confusion.cols)), labels=confusion.cols)
    ax.set_yticks(range(len(confusion.rows)), labels=confusion.rows)
    ax.set_xlabel("judge")
    ax.set_ylabel("expected")
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            # Dark cells get white text so the count stays readable.
            ax.text(j, i, str(value), ha="center", va="center", color="white" if value > peak / 2 else "black")


def confusion_png(summary: EvalSummary, path: Path) -> Path:
    """Control (pass/fail) and criterion (met/partial/not_met) confusion matrices, side by side."""
    from matplotlib.figure import Figure  # deferred: matplotlib costs ~0.3 s, only for --markdown

    fig = Figure(figsize=(10, 4.2), layout="constrained")
    left, right = fig.subplots(1, 2)
    _heatmap(left, summary.control_confusion, f"Control verdicts (n={summary.n_cases})")
    _heatmap(right, summary.criterion_confusion, f"Criterion statuses (n={summary.n_criteria})")
    fig.suptitle(f"Confusion matrices, judge: {summary.judge}")
    fig.savefig(path, dpi=110)
    return path


def per_control_png(summary: EvalSummary, path: Path) -> Path:
    """Control and criterion accuracy per control, with the overall control accuracy as a line."""
    from matplotlib.figure import Figure  # deferred: matplotlib costs ~0.3 s, only for --markdown

    controls = list(summary.per_control)
    control_acc = [summary.per_control[c].control_accuracy or 0.0 for c in controls]
    criterion_acc = [summary.per_control[c].criterion_accuracy or 0.0 for c in controls]
    positions = range(len(controls))
    width = 0.4

    fig = Figure(figsize=(max(6.0, 0.9 * len(controls) + 2), 4.5), layout="constrained")
    ax = fig.subplots()
    for offset, values, label, color in (
        (-width / 2, control_acc, "control accuracy", "#1f77b4"),
        (width / 2, criterion_acc, "criterion accuracy", "#ff7f0e"),
    ):
        bars = ax.bar([p + offset for p in positions], values, width, label=label, color=color)
        ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=1)  # a 0.00 bar is otherwise invisible
    if summary.control_accuracy is not None:
        ax.axhline(summary.control_accuracy, color="#1f77b4", linestyle="--", linewidth=1, label="overall control")
    ax.set_xticks(list(positions), labels=[f"{c}\n(n={summary.per_control[c].n_cases})" for c in controls],
                  rotation=45, ha="right", fontsize=8)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("accuracy")
    ax.set_title(f"Accuracy per control, judge: {summary.judge}")
    ax.legend(loc="lower right", fontsize=8)
    fig.savefig(path, dpi=110)
    return path


def write_plots(summary: EvalSummary, directory: Path, stem: str) -> list[Path]:
    """Both pictures as `<stem>-confusion.png` and `<stem>-per-control.png` in `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return [
        confusion_png(summary, directory / f"{stem}-confusion.png"),
        per_control_png(summary, directory / f"{stem}-per-control.png"),
    ]

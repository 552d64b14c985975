"""Offline assessment of the sample application: cold, warm, and with its attachments
scaled 1x / 10x / 100x in volume."""

from __future__ import annotations

from pathlib import Path

from bench.corpus import scale_application
from bench.plan import TARGETS, Plan
from bench.results import Section, Target
from bench.runner import REPO_ROOT, run_cli, run_probe
from bench.stats import loglog_slope, median, step_slopes

SAMPLE = REPO_ROOT / "examples" / "sample-application" / "application.yaml"
COLUMNS = ["run", "assess s (median)", "min s", "max s", "process s", "peak RSS MB", "runs"]
SCALING_COLUMNS = ["volume", "evidence chars", "assess s", "ms per 10k chars", "process s", "peak RSS MB"]


def _row(name: str, seconds: list[float], process: list[float], rss: list[float]) -> dict:
    return {"run": name, "assess s (median)": median(seconds), "min s": min(seconds), "max s": max(seconds),
            "process s": median(process) if process else None, "peak RSS MB": max(rss) if rss else None,
            "runs": len(seconds)}


def measure_assessment(plan: Plan, workdir: Path, sample: Path = SAMPLE) -> Section:
    """cold = fresh process + empty GRADER_HOME; warm = fresh process, the embedding cache of
    a cold run on disk; same process = repeats after the first, model and vectors in memory."""
    cold, cold_runs = [], []
    for i in range(plan.assess_cold_runs):
        home = workdir / f"home-assess-cold-{i}"
        result, run = run_probe("assess", home, application=str(sample))
        cold.append(result["runs_s"][0])
        cold_runs.append(run)
    warm, warm_runs = [], []
    for _ in range(plan.assess_warm_runs):
        result, run = run_probe("assess", home, application=str(sample))
        warm.append(result["runs_s"][0])
        warm_runs.append(run)
    same, same_run = run_probe("assess", home, application=str(sample), repeats=plan.same_process_runs)
    cli = run_cli(["assess", str(sample), "--format", "json"], home, ok_codes=(0, 1))  # 1 = some control fails

    rows = [
        _row("cold (new process, empty GRADER_HOME)", cold, [r.seconds for r in cold_runs],
             [r.peak_rss_mb for r in cold_runs]),
        _row("warm (new process, embedding cache on disk)", warm, [r.seconds for r in warm_runs],
             [r.peak_rss_mb for r in warm_runs]),
        _row("warm (same process, repeat)", same["runs_s"][1:], [], [same_run.peak_rss_mb]),
        {"run": "grader assess --format json (CLI, warm)", "process s": cli.seconds,
         "peak RSS MB": cli.peak_rss_mb, "runs": 1},
    ]
    peak = max(r.peak_rss_mb for r in [*cold_runs, *warm_runs, same_run, cli])
    slowest = sorted(same["control_s"].items(), key=lambda kv: -kv[1])[:3]
    return Section(
        key="assess", title="Offline assessment of the sample application", columns=COLUMNS, rows=rows,
        figures={"cold_s": cold, "warm_s": warm, "same_process_s": same["runs_s"],
                 "control_s_same_process": same["control_s"], "verdicts": same["verdicts"],
                 "cli_s": cli.seconds, "peak_rss_mb": peak},
        targets=[
            Target(name="warm offline assessment (new process)", measured=median(warm),
                   limit=TARGETS.warm_assess_s, unit="s"),
            Target(name="peak RSS, sample application (any run)", measured=peak,
                   limit=TARGETS.sample_peak_rss_mb, unit="MB"),
        ],
        notes=["assess s = load_application + engine.assess (offline judge); process s = whole child",
               "slowest controls when warm: " + ", ".join(f"{c} {s:.2f}s" for c, s in slowest)],
    )


def measure_scaling(plan: Plan, workdir: Path, sample: Path = SAMPLE) -> Section:
    """Each volume in a fresh process with an empty GRADER_HOME (nothing cached); the
    embedding model is loaded before the clock starts, so the fit sees the work that grows."""
    rows = []
    for factor in plan.scales:
        scaled = scale_application(sample, workdir / f"scaled-{factor}x", factor)
        result, run = run_probe("assess", workdir / f"home-scaled-{factor}x", application=str(scaled.path),
                                preload_model=True, count_volume=True)
        seconds = result["runs_s"][0]
        rows.append({"volume": f"{factor}x", "evidence chars": result["evidence_chars"], "assess s": seconds,
                     "ms per 10k chars": 1e7 * seconds / result["evidence_chars"],
                     "process s": run.seconds, "peak RSS MB": run.peak_rss_mb,
                     "control_s": result["control_s"]})
    chars = [r["evidence chars"] for r in rows]
    seconds = [r["assess s"] for r in rows]
    exponent = loglog_slope(chars, seconds)
    steps = step_slopes(chars, seconds)
    return Section(
        key="scaling", title="Scaling with attachment volume (offline, nothing cached)",
        columns=SCALING_COLUMNS, rows=rows,
        figures={"exponent": exponent, "step_exponents": steps,
                 "scaled_files": scaled.scaled_files},
        targets=[Target(name=f"time ~ volume^b, b between the two largest volumes ({plan.scales[-2]}x"
                             f"->{plan.scales[-1]}x)", measured=steps[-1],
                        limit=TARGETS.scaling_exponent, unit="")],
        notes=[f"fitted exponent over all volumes: b = {exponent:.2f}; per step: "
               + ", ".join(f"{b:.2f}" for b in steps),
               "scaled: " + ", ".join(scaled.scaled_files) + " (each copy reworded, so no sentence repeats)",
               "evidence chars count each attachment once per control that cites it (the work done)"],
    )

"""Cold start: the `grader` CLI, library import time, embedding model load, `grader index`."""

from __future__ import annotations

from pathlib import Path

from bench.plan import TARGETS, Plan
from bench.results import Section, Target
from bench.runner import ProcessRun, run_cli, run_probe
from bench.stats import median

COLUMNS = ["step", "median s", "first output s", "peak RSS MB", "runs"]


def _cli_row(step: str, runs: list[ProcessRun]) -> dict:
    firsts = [r.first_output for r in runs if r.first_output is not None]
    return {"step": step, "median s": median([r.seconds for r in runs]),
            "first output s": median(firsts) if firsts else None,
            "peak RSS MB": max(r.peak_rss_mb for r in runs), "runs": len(runs)}


def measure_startup(plan: Plan, workdir: Path) -> Section:
    home = workdir / "home-startup"
    version = [run_cli(["--version"], home) for _ in range(plan.cli_runs)]
    controls = [run_cli(["controls"], home) for _ in range(plan.cli_runs)]
    probed, probe_run = run_probe("startup", home)
    imports, model = probed["imports"], probed["embedder"]
    # `grader index` with an empty GRADER_HOME embeds the catalogue; again, it finds it current.
    index_home = workdir / "home-index"
    index_cold = run_cli(["index", "--quiet"], index_home)
    index_warm = run_cli(["index", "--quiet"], index_home)

    rows = [
        _cli_row("grader --version", version),
        _cli_row("grader controls", controls),
        {"step": "import grader (package)", "median s": imports["package_s"], "runs": 1},
        {"step": "import offline pipeline", "median s": imports["pipeline_s"], "runs": 1},
        {"step": "import LLM judge, on top (langchain-openai)", "median s": imports["llm_judge_s"], "runs": 1},
        {"step": "embedding model load", "median s": model["load_s"], "runs": 1},
        {"step": "first embedding (1 sentence)", "median s": model["first_embed_s"], "runs": 1},
        {"step": f"embed {model['sentences']} sentences (one call)", "median s": model["sentences"]
         / model["sentences_per_s"], "peak RSS MB": probe_run.peak_rss_mb, "runs": 1},
        _cli_row("grader index (cold: empty GRADER_HOME)", [index_cold]),
        _cli_row("grader index (warm: catalogue unchanged)", [index_warm]),
    ]
    version_first = median([r.first_output or r.seconds for r in version])
    return Section(
        key="startup", title="Cold start", columns=COLUMNS, rows=rows,
        figures={"version_s": [r.seconds for r in version], "controls_s": [r.seconds for r in controls],
                 "imports": imports, "embedder": model,
                 "index_cold_s": index_cold.seconds, "index_warm_s": index_warm.seconds},
        targets=[Target(name="grader --version: start to first output", measured=version_first,
                        limit=TARGETS.version_first_output_s, unit="s")],
        notes=[f"embedding throughput: {model['sentences_per_s']:.0f} sentences/s; peak RSS is the process "
               "that imported the pipeline, loaded the model and embedded them",
               "every row is a fresh process; the OS file cache is warm after the first run"],
    )

"""How much to measure (quick or full run) and the targets the figures are held to."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

Mode = Literal["quick", "full"]


class Plan(BaseModel):
    mode: Mode
    cli_runs: int  # runs of each `grader` start-up command
    pdf_pages: list[int]
    docx_pages: list[int]  # page-equivalents of text (DOCX has no pages)
    read_repeats: int  # reads of each file in one process
    assess_cold_runs: int  # fresh process and fresh GRADER_HOME each
    assess_warm_runs: int  # fresh process, GRADER_HOME of a cold run (embedding cache on disk)
    same_process_repeats: int  # more assessments in each warm process (model loaded, vectors in memory)
    scales: list[int]  # attachment volume factors
    llm_latency: float  # seconds the fake server waits before each answer
    growth_chars: list[int] = [50_000, 250_000, 1_000_000]  # pasted response sizes (the cost series)
    unseen_runs: int = 1  # the sample on a warm install that never read it
    llm_concurrency: list[int] = [1, 8]
    model: str = "gpt-4o-mini"  # priced in grader/judges/llm/prices.yaml
    # Prompt-size knobs: each value is tried with the other knob at its default.
    evidence_top_k: list[int] = [3, 6, 10]
    examples_top_k: list[int] = [0, 1, 2, 3]


PLANS: dict[Mode, Plan] = {
    "quick": Plan(mode="quick", cli_runs=2, pdf_pages=[10, 100], docx_pages=[10], read_repeats=2,
                  assess_cold_runs=1, assess_warm_runs=1, same_process_repeats=2, scales=[1, 10],
                  llm_latency=0.2, evidence_top_k=[3, 10], examples_top_k=[0]),
    "full": Plan(mode="full", cli_runs=5, pdf_pages=[10, 100, 500], docx_pages=[10, 100], read_repeats=3,
                 assess_cold_runs=3, assess_warm_runs=3, same_process_repeats=1, scales=[1, 10, 100],
                 llm_latency=0.5, growth_chars=[100_000, 500_000, 1_000_000, 2_000_000, 5_000_000],
                 unseen_runs=3),
}


class Targets(BaseModel):
    """Issue 7's and issue 16's targets for this 2-core machine."""

    warm_assess_s: float = 2.0
    version_first_output_s: float = 1.5
    pdf_100_pages_s: float = 3.0
    sample_peak_rss_mb: float = 1024.0
    llm_wall_over_latency: float = 2.5  # at concurrency 8, eleven controls
    scaling_exponent: float = 1.2  # "about linear, not worse"
    cached_rerun_calls: int = 0
    # Issue 16: cost linear and bounded in the evidence.
    marginal_ms_per_10k_chars: float = 100.0
    five_mb_s: float = 60.0
    unseen_assess_s: float = 1.5


TARGETS = Targets()

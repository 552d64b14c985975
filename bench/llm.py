"""The LLM judge against the fake OpenAI-compatible server (tests/fakes/openai_server.py):
wall time by concurrency, the on-disk cache, and tokens and cost per application."""

from __future__ import annotations

import math
from pathlib import Path

from bench.assess import SAMPLE, warm_sample_home
from bench.plan import TARGETS, Plan
from bench.results import Section, Target
from bench.runner import run_probe

CHARS_PER_TOKEN = 4  # the usual English approximation; no tokenizer (tiktoken downloads its files)
LATENCY_COLUMNS = ["run", "concurrency", "wall s", "x latency", "ideal x", "calls", "first call at s",
                   "last call at s", "in flight"]
TOKEN_COLUMNS = ["prompt", "evidence_top_k", "examples_top_k", "prompt tokens", "of which evidence",
                 "completion tokens", "USD per application"]


def tokens(chars: int) -> int:
    return round(chars / CHARS_PER_TOKEN)


def measure_llm(plan: Plan, workdir: Path, sample: Path = SAMPLE) -> list[Section]:
    result, _ = run_probe(
        "llm", warm_sample_home(workdir, sample), application=str(sample), latency=plan.llm_latency,
        concurrency=plan.llm_concurrency, model=plan.model, top_k=plan.evidence_top_k,
        examples_k=plan.examples_top_k, cache_home=str(workdir / "home-llm-cache"),
    )
    return [latency_section(plan, result), token_section(plan, result)]


def latency_section(plan: Plan, result: dict) -> Section:
    latency = result["latency_s"]
    controls = result["controls"]  # answered controls: one call each when nothing is retried
    rows = [
        {"run": "no cache", "concurrency": r["concurrency"], "wall s": r["wall_s"],
         "x latency": r["wall_s"] / latency, "ideal x": math.ceil(controls / r["concurrency"]),
         "calls": r["calls"], "first call at s": r["first_request_s"], "last call at s": r["last_request_s"],
         "in flight": r["in_flight_peak"]}
        for r in result["runs"]
    ]
    first, second = result["cache_runs"]
    top = max(plan.llm_concurrency)
    rows += [
        {"run": "cache on, first run", "concurrency": top, "wall s": first["wall_s"],
         "x latency": first["wall_s"] / latency, "calls": first["calls"]},
        {"run": "cache on, re-run", "concurrency": top, "wall s": second["wall_s"],
         "x latency": second["wall_s"] / latency, "calls": second["calls"]},
    ]
    at_top = next(r for r in result["runs"] if r["concurrency"] == top)
    return Section(
        key="llm", title=f"LLM path: fake server, {latency * 1000:.0f} ms per call, {controls} controls",
        columns=LATENCY_COLUMNS, rows=rows, figures={k: v for k, v in result.items() if k not in ("prompt_chars", "completion_chars")},
        targets=[
            Target(name=f"LLM wall at concurrency {top} / one call's latency", measured=at_top["wall_s"] / latency,
                   limit=TARGETS.llm_wall_over_latency, unit="x"),
            Target(name="calls on a cached re-run (counted by the fake server)", measured=second["calls"],
                   limit=TARGETS.cached_rerun_calls, unit="calls"),
        ],
        notes=[f"ideal x = ceil({controls}/concurrency) calls in a row; wall also holds each control's ingestion, "
               "checks, retrieval and prompt work (embeddings warm: cached on disk, and an offline run in the same "
               "process went first)",
               f"the cached re-run makes no call, so its wall ({second['wall_s']:.2f}s) is the judge's non-network "
               "cost; 'first/last call at' = when requests reached the server after assess() began"],
    )


def token_section(plan: Plan, result: dict) -> Section:
    from grader.judges.llm.cost import estimate_cost

    completion = tokens(result["completion_chars"])
    sent = result["request_chars"]
    rows = []
    default = result["prompt_chars"][0]
    for r in result["prompt_chars"]:
        prompt = tokens(r["system"] + r["human"])
        label = "default" if r is default else "knob moved"
        rows.append({"prompt": f"rendered ({label})", "evidence_top_k": r["evidence_top_k"],
                     "examples_top_k": r["examples_top_k"], "prompt tokens": prompt,
                     "of which evidence": tokens(r["evidence"]), "completion tokens": completion,
                     "USD per application": estimate_cost(plan.model, prompt, completion)})
    sent_prompt = tokens(sent["messages"] + sent["schema"])
    rows.insert(1, {"prompt": "as sent (messages + output schema)", "evidence_top_k": default["evidence_top_k"],
                    "examples_top_k": default["examples_top_k"], "prompt tokens": sent_prompt,
                    "completion tokens": completion,
                    "USD per application": estimate_cost(plan.model, sent_prompt, completion)})
    per_million = estimate_cost(plan.model, 1_000_000, 0), estimate_cost(plan.model, 0, 1_000_000)
    fake = result["runs"][0]["usage"]
    return Section(
        key="tokens", title=f"Tokens and cost per application ({plan.model}, approximate)",
        columns=TOKEN_COLUMNS, rows=rows,
        figures={"prompt_chars": result["prompt_chars"], "request_chars": sent,
                 "completion_chars": result["completion_chars"], "chars_per_token": CHARS_PER_TOKEN,
                 "usd_per_million": {"prompt": per_million[0], "completion": per_million[1]},
                 "fake_server_usage": fake},
        notes=[f"tokens ~ characters / {CHARS_PER_TOKEN} (no tokenizer offline): an estimate, not a count",
               f"per application: system prompt {tokens(default['system'])} tokens ({default['controls']} "
               f"calls), evidence blocks {tokens(default['evidence'])}, the rest is the control's criteria, "
               "unacceptable examples, calibration examples and facts",
               f"price: {plan.model} USD {per_million[0]:g} / {per_million[1]:g} per million prompt / "
               "completion tokens (grader/judges/llm/prices.yaml)",
               "completion = the offline judge's verdicts written in the LLM reply schema",
               f"the output schema adds ~{tokens(sent['schema'] // max(sent['requests'], 1))} tokens to each "
               "request (json_schema response_format)",
               f"accounting check: the fake server reports fixed usage; the judge summed {fake['prompt_tokens']} "
               f"prompt / {fake['completion_tokens']} completion tokens over {fake['llm_calls']} calls"],
    )

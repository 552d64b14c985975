"""Cost of evidence as it grows, and an application the install has never seen.

Growth: one control answered with a pasted response of 50 KB up to 5 MB of generated prose
(every sentence different), each in a fresh process with an empty GRADER_HOME and the
embedding model loaded apart, so the series times the work that grows. The slope of a
least-squares line through (characters, seconds) is the marginal cost per 10,000 characters.
A 5 MB Markdown attachment cited by two controls is timed the same way.

Unseen: the sample application on a warm install (the knowledge index built, the criteria
embedded, the model loaded) whose evidence the install has never read: the situation of a
reviewer opening a new partner's application in a running app.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import numpy as np
import yaml

from bench.assess import SAMPLE
from bench.corpus import SENTENCE_END, sentence
from bench.plan import TARGETS, Plan
from bench.results import Section, Target
from bench.runner import ProcessRun, run_cli, run_probe

GROWTH_COLUMNS = ["evidence", "chars", "assess s", "ms per 10k chars", "passages read closely", "peak RSS MB"]
# One sentence per control: enough for the criteria and calibration vectors to be embedded
# and cached on the warm install, nothing the sample application says.
_WARM_UP = "The operations team keeps this control's procedure in the engagement handbook."


def prose(chars: int, seed: int) -> str:
    """`chars` characters of generated evidence prose, no sentence repeated (each carries its
    number, so the embedding cache cannot serve one from another)."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    written, number = 0, 0
    while written < chars:
        sentences = []
        for _ in range(4):
            number += 1
            sentences.append(SENTENCE_END.sub(f" (item {number})\\1", sentence(rng), count=1))
        paragraphs.append(" ".join(sentences))
        written += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)[:chars]


def pasted_application(folder: Path, chars: int) -> Path:
    """OPE-001 answered by one pasted response of `chars` characters."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "application.yaml"
    path.write_text(yaml.safe_dump({"controls": {"OPE-001": {"response": prose(chars, seed=chars)}}},
                                   allow_unicode=True, width=10**9), encoding="utf-8")
    return path


def attached_application(folder: Path, chars: int) -> Path:
    """OPE-001 and OPE-002 citing one Markdown attachment of `chars` characters."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "operations-handbook.md").write_text(prose(chars, seed=chars + 1), encoding="utf-8")
    answer = {"response": "Our operations handbook is attached.", "attachments": ["operations-handbook.md"]}
    path = folder / "application.yaml"
    path.write_text(yaml.safe_dump({"controls": {"OPE-001": answer, "OPE-002": answer}}), encoding="utf-8")
    return path


def warm_up_application(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    from grader.catalogue import get_catalogue

    path = folder / "application.yaml"
    path.write_text(yaml.safe_dump({"controls": {c.id: {"response": _WARM_UP} for c in get_catalogue()}}),
                    encoding="utf-8")
    return path


def warm_install(workdir: Path) -> Path:
    """A GRADER_HOME with the knowledge index built and every control's criteria and calibration
    vectors cached (one sentence per control assessed), none of the evidence measured here."""
    home = workdir / "home-warm-install"
    if not (home / "warm").exists():
        run_cli(["index"], home)
        run_probe("assess", home, application=str(warm_up_application(workdir / "warm-up")))
        (home / "warm").touch()
    return home


def fresh_copy(home: Path, target: Path) -> Path:
    """The same warm install again, untouched by earlier measurements."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(home, target)
    return target


def _timed_row(label: str, application: Path, home: Path) -> tuple[dict, ProcessRun]:
    result, run = run_probe("assess", home, application=str(application), preload_model=True,
                            count_volume=True, sampled=True)
    seconds, chars = result["runs_s"][0], result["evidence_chars"]
    read = result.get("sampled") or []
    closely = ("all" if not read else
               "; ".join(f"{s['passages_read']:,} of {s['passages']:,} ({s['control']})" for s in read))
    return {"evidence": label, "chars": chars, "assess s": seconds, "ms per 10k chars": 1e7 * seconds / chars,
            "passages read closely": closely, "peak RSS MB": run.peak_rss_mb}, run


def measure_growth(plan: Plan, workdir: Path) -> list[Section]:
    rows = []
    for chars in plan.growth_chars:
        app = pasted_application(workdir / f"growth-{chars}", chars)
        row, _ = _timed_row(f"pasted response, {chars / 1e6:g} MB", app,
                            fresh_copy(warm_install(workdir), workdir / f"home-growth-{chars}"))
        rows.append(row)
    sizes = [r["chars"] for r in rows]
    seconds = [r["assess s"] for r in rows]
    slope_ms = float(np.polyfit(sizes, seconds, 1)[0]) * 1e7  # s per char -> ms per 10,000 chars
    largest = rows[-1]
    targets = [Target(name="marginal cost, fitted slope of the growth series", measured=slope_ms,
                      limit=TARGETS.marginal_ms_per_10k_chars, unit="ms per 10k chars")]
    notes = [f"fitted slope over {len(rows)} sizes: {slope_ms:.1f} ms per 10,000 characters "
             f"(seconds = a + b x characters, least squares)",
             "each size: a fresh process on a copy of one warm install (index built, criteria embedded), "
             "none of its evidence seen before; the embedding model loaded before the clock starts"]
    if plan.growth_chars[-1] >= 5_000_000:
        targets.append(Target(name="5 MB pasted response, graded", measured=largest["assess s"],
                              limit=TARGETS.five_mb_s, unit="s"))
        attached = attached_application(workdir / "growth-attached", plan.growth_chars[-1])
        row, _ = _timed_row(f"attachment cited by 2 controls, {plan.growth_chars[-1] / 1e6:g} MB", attached,
                            fresh_copy(warm_install(workdir), workdir / "home-growth-attached"))
        rows.append(row)
        targets.append(Target(name="5 MB attachment cited by 2 controls, graded", measured=row["assess s"],
                              limit=TARGETS.five_mb_s, unit="s"))
        notes.append("the attachment row counts its characters once per control that cites it (the work done)")
    growth = Section(key="growth", title="Cost as evidence grows (offline, one control, new evidence on a warm install)",
                     columns=GROWTH_COLUMNS, rows=rows,
                     figures={"slope_ms_per_10k_chars": slope_ms, "chars": sizes, "seconds": seconds},
                     targets=targets, notes=notes)
    return [growth, measure_unseen(plan, workdir)]


def measure_unseen(plan: Plan, workdir: Path) -> Section:
    """The sample application on an install warmed by other evidence (new process, model loaded
    apart): every sentence of the sample is embedded for the first time."""
    times, runs = [], []
    for i in range(plan.unseen_runs):
        # The same warm install each time: the sample never seen by it.
        run_home = fresh_copy(warm_install(workdir), workdir / f"home-unseen-{i}")
        result, run = run_probe("assess", run_home, application=str(SAMPLE), preload_model=True, count_volume=True)
        times.append(result["runs_s"][0])
        runs.append(run)
    best = min(times)
    return Section(
        key="unseen", title="An application the install has never seen (warm install, new evidence)",
        columns=["run", "assess s", "evidence chars", "peak RSS MB"],
        rows=[{"run": f"sample application, unseen, run {i + 1}", "assess s": t,
               "evidence chars": result["evidence_chars"], "peak RSS MB": r.peak_rss_mb}
              for i, (t, r) in enumerate(zip(times, runs))],
        figures={"seconds": times},
        targets=[Target(name="unseen application the size of the sample, warm install (median)",
                        measured=float(np.median(times)), limit=TARGETS.unseen_assess_s, unit="s")],
        notes=["warm install: `grader index` run and one sentence per control assessed before, so the "
               "criteria and calibration vectors are cached; the sample's own evidence is not",
               f"fastest run {best:.2f} s; the model load is timed apart (a running app has it loaded)"],
    )

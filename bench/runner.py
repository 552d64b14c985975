"""Run one measurement in a child process and read back its time, peak memory and result.

Every figure comes from a fresh process: "cold" then really means cold (no model loaded,
nothing memoised in memory), and the kernel's per-child accounting (wait4) gives each
run's own peak RSS and CPU time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 600.0


class BenchError(Exception):
    """A measurement could not be taken (a child failed): the message says which and why."""


@dataclass(frozen=True)
class ProcessRun:
    argv: list[str]
    seconds: float  # start to exit
    first_output: float | None  # start to the first byte on stdout
    peak_rss_mb: float
    cpu_seconds: float  # user + system
    returncode: int
    stdout: str
    stderr: str


def child_env(home: Path | None) -> dict[str, str]:
    """The environment of a child: this one, with its own GRADER_HOME and no Chroma server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADER_", "OPENAI_"))}
    env["ANONYMIZED_TELEMETRY"] = "False"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    if home is not None:
        env["GRADER_HOME"] = str(home)
    return env


def _drain(stream: Any, sink: list[bytes], first: list[float]) -> None:
    for block in iter(lambda: os.read(stream.fileno(), 65536), b""):
        if not first:
            first.append(time.perf_counter())
        sink.append(block)


def run_process(argv: list[str], env: dict[str, str], cwd: Path = REPO_ROOT,
                timeout: float = TIMEOUT_S) -> ProcessRun:
    """Run argv to completion; wall time, time to first output, peak RSS and CPU of that child."""
    out: list[bytes] = []
    err: list[bytes] = []
    first_out: list[float] = []
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env=env, cwd=cwd)
    readers = [threading.Thread(target=_drain, args=(proc.stdout, out, first_out), daemon=True),
               threading.Thread(target=_drain, args=(proc.stderr, err, []), daemon=True)]
    for reader in readers:
        reader.start()
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    try:
        # wait4 rather than proc.wait(): it returns this child's own rusage (peak RSS, CPU).
        _, status, usage = os.wait4(proc.pid, 0)
        ended = time.perf_counter()
    finally:
        killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    proc.stdout.close()
    proc.stderr.close()
    return ProcessRun(
        argv=argv,
        seconds=ended - started,
        first_output=(first_out[0] - started) if first_out else None,
        # ru_maxrss is in KiB on Linux (bytes on macOS).
        peak_rss_mb=usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10),
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        returncode=proc.returncode,
        stdout=b"".join(out).decode("utf-8", "replace"),
        stderr=b"".join(err).decode("utf-8", "replace"),
    )


def grader_command() -> str:
    """The installed `grader` script beside this interpreter (the venv's)."""
    script = Path(sys.executable).with_name("grader")
    if not script.exists():
        raise BenchError(f"{script}: the grader command is not installed; run `make` first")
    return str(script)


def run_cli(args: list[str], home: Path, ok_codes: tuple[int, ...] = (0,)) -> ProcessRun:
    """`grader ARGS` as a user runs it, with GRADER_HOME=home."""
    run = run_process([grader_command(), *args], child_env(home))
    if run.returncode not in ok_codes:
        raise BenchError(f"`grader {' '.join(args)}` exited {run.returncode}: {_tail(run.stderr)}")
    return run


def run_probe(task: str, home: Path | None = None, **args: Any) -> tuple[dict[str, Any], ProcessRun]:
    """`python -m bench.probe TASK` in a fresh process; its JSON result and the process figures."""
    with tempfile.TemporaryDirectory(prefix="bench-probe-") as tmp:
        out = Path(tmp) / "result.json"
        argv = [sys.executable, "-m", "bench.probe", task, json.dumps(args, default=str), str(out)]
        run = run_process(argv, child_env(home))
        if run.returncode != 0 or not out.exists():
            raise BenchError(f"probe {task!r} failed (exit {run.returncode}): {_tail(run.stderr)}")
        return json.loads(out.read_text(encoding="utf-8")), run


def _tail(text: str, lines: int = 6) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return " | ".join(kept) or "(no output)"

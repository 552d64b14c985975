"""`grader` command line: thin commands over the library API.

Each command group lives in its own module and registers itself on `app`.
Errors the user can fix are one line on stderr and exit code 2.

Imports inside command functions are deliberate, in every module of this package: the library
(numpy, Chroma, langchain, cfn-lint) loads only when a command runs, so `grader --version` and
`--help` answer in ~0.15 s (bench: cold start).
"""

from __future__ import annotations

from grader.cli.base import app, fail

# Command modules register themselves on `app` when imported; --help lists them in this order.
from grader.cli import catalogue  # noqa: E402,F401  (controls, show, index)
from grader.cli import ingest  # noqa: E402,F401
from grader.cli import assess  # noqa: E402,F401
from grader.cli import evaluate  # noqa: E402,F401
from grader.cli import webapp  # noqa: E402,F401

__all__ = ["app", "fail", "main"]


def main() -> None:
    app()

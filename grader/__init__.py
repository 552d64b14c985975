"""sdp-grader: first-pass reviewer for AWS Competency / SDP technical-validation evidence.

Public API (imported lazily so `grader --version` stays fast):
    load_application(path) -> Application
    assess(application, judge=None, progress=None) -> Assessment
    make_judge("offline" | "llm") -> Judge
    render(assessment, "md" | "json" | "html") -> str
"""

import importlib
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sdp-grader")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+src"

_LAZY = {
    "load_application": ("grader.ingest.application", "load_application"),
    "assess": ("grader.engine", "assess"),
    "assess_control": ("grader.engine", "assess_control"),
    "make_judge": ("grader.engine", "make_judge"),
    "render": ("grader.report.render", "render"),
    "Assessment": ("grader.models", "Assessment"),
    "Application": ("grader.models", "Application"),
}


def __getattr__(name: str):
    if name in _LAZY:
        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'grader' has no attribute {name!r}")


__all__ = ["__version__", *_LAZY]

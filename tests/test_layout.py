"""The house rules of the layout, checked on the source: data flows one way, no module of
the library imports another that imports it back, and the engine reads what a judge needs
from the Judge protocol, not by probing attributes."""

from __future__ import annotations

import ast
from pathlib import Path

from grader.judges.base import Judge
from grader.judges.offline import OfflineJudge

PACKAGE = Path(__file__).resolve().parents[1] / "grader"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    base = PACKAGE.parent.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def module_level_imports(path: Path) -> set[str]:
    """grader modules this file imports when it is itself imported (not inside functions)."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("grader"):
            # `from grader.checks import iam` imports the submodule, not the package's own code.
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if is_module(submodule) else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("grader")}
    return found


def import_graph() -> dict[str, set[str]]:
    return {module_name(p): module_level_imports(p) for p in PACKAGE.rglob("*.py")}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt]
            if nxt not in state:
                found = visit(nxt, trail + [nxt])
                if found:
                    return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


def test_no_import_cycle_in_the_library():
    assert find_cycle(import_graph()) is None


def test_the_cycle_finder_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_nothing_downstream_imports_upstream():
    """ingest and checks never import a judge, the engine, a report or the app."""
    downstream = ("grader.judges", "grader.engine", "grader.report", "grader.webapp", "grader.evaluation")
    for module, imports in import_graph().items():
        if module.startswith(("grader.ingest", "grader.checks", "grader.retrieval")):
            assert not [i for i in imports if i.startswith(downstream)], module


def test_the_engine_reads_judge_capabilities_from_the_protocol():
    source = (PACKAGE / "engine.py").read_text(encoding="utf-8")
    assert "getattr(" not in source
    members = Judge.__annotations__
    assert {"name", "model", "needs_examples", "concurrent", "setup"} <= set(members)
    assert isinstance(OfflineJudge(embed=lambda texts: None), Judge)

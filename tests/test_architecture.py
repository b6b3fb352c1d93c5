"""The package reads as its pipeline: stage folders, imports only downward, no hidden cycles.

Stages, in order: core → metrics → evidence → kinds → criteria → scoring → planning
→ render → api (api.py, validate.py) → the doors (cli/, web/, watch/). A module may
import from its own stage or an earlier one, never a later one. Function-local
imports are allowed only for optional heavy dependencies (listed below), so that an
import cycle cannot hide inside a function.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "parscore"
STAGES = ["core", "metrics", "evidence", "kinds", "criteria", "scoring", "planning", "render", "api", "doors"]
TOP_LEVEL = {"__init__": "core", "__main__": "doors", "api": "api", "validate": "api"}
DOORS = {"cli", "web", "watch"}
# Optional or heavy third-party packages a function may import lazily (start-up time, optional extras).
LAZY_OK = {"docx", "duckdb", "pyspark", "durable", "playwright", "psycopg", "uvicorn", "pyarrow", "holidays",
           "atheris", "matplotlib", "openpyxl", "jinja2", "starlette", "pandas", "numpy", "jsonschema", "rich"}


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "parscore":
        return None
    if len(parts) == 1:
        return "core"
    head = parts[1]
    if head in DOORS:
        return "doors"
    if head in TOP_LEVEL:
        return TOP_LEVEL[head]
    return head if head in STAGES else None


def modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG.parent).with_suffix("")
        name = ".".join(rel.parts)
        out.append((name[: -len(".__init__")] if name.endswith(".__init__") else name, path))
    return out


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, is_function_local) for every import statement."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, local: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = local or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                out.extend((a.name, child.lineno, local) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                if child.module == "parscore":
                    out.extend((f"parscore.{a.name}", child.lineno, local) for a in child.names)
                else:
                    out.append((child.module, child.lineno, local))
            visit(child, inner)
    visit(tree, False)
    return out


def test_every_module_has_a_stage() -> None:
    unplaced = [name for name, _ in modules() if stage_of(name) is None]
    assert not unplaced, f"modules outside the stage folders: {unplaced}"


def test_imports_only_go_downward() -> None:
    bad = []
    for name, path in modules():
        mine = STAGES.index(stage_of(name) or "core")
        for target, line, _ in imports(path):
            stage = stage_of(target)
            if stage is not None and STAGES.index(stage) > mine:
                bad.append(f"{path.relative_to(PKG)}:{line}: {name} ({STAGES[mine]}) imports {target} ({stage})")
    assert not bad, "imports from a later stage:\n" + "\n".join(bad)


def test_no_function_local_imports_except_optional_heavy_dependencies() -> None:
    bad = []
    for _, path in modules():
        for target, line, local in imports(path):
            if local and target.split(".")[0] not in LAZY_OK:
                bad.append(f"{path.relative_to(PKG)}:{line}: import {target} inside a function")
    assert not bad, "\n".join(bad)


def count_lazy_imports() -> int:
    return sum(1 for _, path in modules() for _, _, local in imports(path) if local)


@pytest.mark.parametrize("probe", ["parscore.api", "parscore.cli"])
def test_stages_import_without_cycles(probe: str) -> None:
    """Each module imports cleanly on its own in a fresh interpreter (a cycle would fail one of them)."""
    import subprocess
    import sys
    names = [n for n, _ in modules() if not n.endswith("__main__")]
    code = "import importlib, sys\nfor n in sys.argv[1:]:\n    importlib.import_module(n)\n"
    res = subprocess.run([sys.executable, "-c", code, probe, *names], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]

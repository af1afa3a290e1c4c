"""The import layering of DESIGN.md: dependencies point one way, down the ISO 13374 chain."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "openphm"

#: For each top-level package, the openphm packages it may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "signal": {"core"},
    "knowledge": {"core"},
    "acquire": {"core"},
    "detect": {"core", "signal", "knowledge"},
    "diagnose": {"core", "signal", "knowledge", "detect"},
    "learn": {"core", "signal", "knowledge", "detect"},
    "prognose": {"core", "signal", "knowledge", "detect", "learn"},
    "advise": {"core", "knowledge", "detect", "diagnose", "learn", "prognose"},
    "evaluate": {
        "core",
        "acquire",
        "signal",
        "knowledge",
        "detect",
        "diagnose",
        "learn",
        "prognose",
    },
}
TOP = {"pipeline", "store", "service", "cli"}


def _package_of(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "openphm" and len(parts) > 1:
                found.add(parts[1])
    return found


MODULES = sorted(p for p in SRC.rglob("*.py") if _package_of(p) not in {"__init__", "__main__"})


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_module_imports_only_lower_layers(path: Path) -> None:
    package = _package_of(path)
    if package in TOP:
        return
    assert package in ALLOWED, f"{path}: package {package!r} is not placed in the layering table"
    illegal = _imported_packages(path) - ALLOWED[package] - {package, "__version__"}
    assert not illegal, f"{path.relative_to(SRC)} imports {sorted(illegal)}, above its layer"

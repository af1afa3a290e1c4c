"""The import layering of DESIGN.md: dependencies point one way, down the ISO 13374 chain.

Every module of every package is checked, the top ones (``pipeline``, ``store``, ``service``,
``cli``) included, for every way of importing: ``import openphm.x``, ``from openphm.x import y``,
``from openphm import x``, relative imports (``from ..x import y``) and imports by string
(``importlib.import_module("openphm.x")``, ``__import__("openphm.x")``, and an f-string whose
constant start names the package). Packages that do not exist yet are already placed in the
table, so that they are checked from their first file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "openphm"

_BELOW_PIPELINE = {
    "core",
    "signal",
    "knowledge",
    "acquire",
    "detect",
    "diagnose",
    "learn",
    "prognose",
    "advise",
    "evaluate",
    "store",
    "simulate",
}

#: For each top-level package, the openphm packages it may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "signal": {"core"},
    "knowledge": {"core"},
    "acquire": {"core"},
    "detect": {"core", "signal", "knowledge"},
    "diagnose": {"core", "signal", "knowledge", "detect"},
    # Learned health assessment sits beside the physics one and may use its scores as features.
    "learn": {"core", "signal", "knowledge", "detect", "diagnose"},
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
        "simulate",
    },
    # Simulators of machines with known answers (tests, benchmarks and demos use them).
    "simulate": {"core", "signal", "knowledge"},
    "store": {"core", "knowledge"},
    "pipeline": set(_BELOW_PIPELINE),
    "service": _BELOW_PIPELINE | {"pipeline"},
    # The CLI starts the service (``openphm serve``, ``openphm demo``); the service never imports
    # the CLI.
    "cli": _BELOW_PIPELINE | {"pipeline", "service"},
}

#: Names of the root package that every layer may import (``from openphm import __version__``).
ROOT_NAMES = {"__version__"}

_IMPORTERS = {"import_module", "__import__"}


def _module_name(path: Path) -> str:
    """Dotted name of a source file under :data:`SRC` (``openphm.signal.envelope``)."""
    parts = ["openphm", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _resolve(module: str | None, level: int, here: str, is_package: bool) -> str:
    """Absolute name of a (possibly relative) import made in module ``here``."""
    if level == 0:
        return module or ""
    base = here.split(".")
    # A module's own package is one level up; a package's __init__ is its own package.
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _string_argument(node: ast.Call) -> str | None:
    """The module named by a constant (or constant-prefixed f-string) first argument."""
    if not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        name = first.value
    elif (
        isinstance(first, ast.JoinedStr)
        and first.values
        and isinstance(first.values[0], ast.Constant)
        and isinstance(first.values[0].value, str)
    ):
        # Only the constant start is known; it names a package once a "." follows it.
        prefix = first.values[0].value
        name = prefix[: prefix.rfind(".")] if "." in prefix else ""
    else:
        return None
    if name.startswith("."):
        package = node.args[1] if len(node.args) > 1 else None
        package = package or next((k.value for k in node.keywords if k.arg == "package"), None)
        if not (isinstance(package, ast.Constant) and isinstance(package.value, str)):
            return None
        level = len(name) - len(name.lstrip("."))
        return _resolve(name.lstrip(".") or None, level, package.value, is_package=True)
    return name


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def imported_packages(
    source: str, module: str = "openphm.x.y", is_package: bool = False
) -> set[str]:
    """The openphm packages (and root names) that ``source``, the text of ``module``, imports.

    Parameters
    ----------
    source : str
        Python source text.
    module : str
        Dotted name of the module the text belongs to (resolves relative imports).
    is_package : bool
        Whether the text is a package's ``__init__``.

    Returns
    -------
    set of str
        Second components of every ``openphm.*`` name imported (``"signal"``), and the names
        taken from the root package itself (``"__version__"``, or ``"signal"`` for
        ``from openphm import signal``).
    """
    found: set[str] = set()
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(node.module, node.level, module, is_package)
            # "from openphm import signal" and "from .. import signal": the names are modules.
            names += [f"{target}.{a.name}" for a in node.names] if target == "openphm" else [target]
        elif isinstance(node, ast.Call) and _called_name(node) in _IMPORTERS:
            name = _string_argument(node)
            if name is not None:
                names.append(name)
    for name in names:
        parts = name.split(".")
        if parts[0] == "openphm" and len(parts) > 1:
            found.add(parts[1])
    return found


def _imports_of(path: Path) -> set[str]:
    return imported_packages(
        path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py"
    )


MODULES = sorted(p for p in SRC.rglob("*.py") if _package_of(p) not in {"__init__", "__main__"})


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_module_imports_only_lower_layers(path: Path) -> None:
    package = _package_of(path)
    assert package in ALLOWED, f"{path}: package {package!r} is not placed in the layering table"
    illegal = _imports_of(path) - ALLOWED[package] - {package} - ROOT_NAMES
    assert not illegal, f"{path.relative_to(SRC)} imports {sorted(illegal)}, above its layer"


def test_every_package_is_in_the_table() -> None:
    packages = {p.name for p in SRC.iterdir() if (p / "__init__.py").is_file()}
    assert packages <= set(ALLOWED), sorted(packages - set(ALLOWED))


def test_top_packages_are_kept_apart() -> None:
    assert "cli" not in ALLOWED["service"]
    assert not {"pipeline", "service", "cli"} & ALLOWED["pipeline"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import openphm.signal.envelope", {"signal"}),
        ("import openphm.cli as c", {"cli"}),
        ("from openphm.store.catalogue import Store", {"store"}),
        ("from openphm import signal, __version__", {"signal", "__version__"}),
        ("from .. import pipeline", {"pipeline"}),
        ("from ..service.api import app", {"service"}),
        ("from . import sibling", {"x"}),
        ("import importlib\nimportlib.import_module('openphm.service.api')", {"service"}),
        ("from importlib import import_module\nimport_module('openphm.cli')", {"cli"}),
        ("importlib.import_module('.main', 'openphm.cli')", {"cli"}),
        ("importlib.import_module('.main', package='openphm.cli')", {"cli"}),
        ("__import__('openphm.pipeline.batch')", {"pipeline"}),
        ("importlib.import_module(f'openphm.acquire.formats.{name}')", {"acquire"}),
        ("importlib.import_module(name)", set()),
        ("import numpy\nfrom scipy import signal", set()),
    ],
)
def test_the_checker_sees_every_way_of_importing(source: str, expected: set[str]) -> None:
    assert imported_packages(source, module="openphm.x.y") == expected


def test_the_checker_resolves_relative_imports_in_a_package_init() -> None:
    assert imported_packages("from .. import cli", "openphm.x.sub", is_package=True) == {"x"}
    assert imported_packages("from ... import cli", "openphm.x.sub", is_package=True) == {"cli"}

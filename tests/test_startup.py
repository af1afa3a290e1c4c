"""Start-up is part of the product: a science package loads no plotting, CLI or table library.

Each check runs in a fresh interpreter (``sys.executable -c ...``): in the test process these
libraries are long loaded by other tests, so ``sys.modules`` there proves nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Libraries that a science package must not load when imported (DESIGN.md, house style).
HEAVY = ("matplotlib", "typer", "rich", "pandas")

#: Packages whose import must load none of :data:`HEAVY`.
PACKAGES = (
    "openphm.core",
    "openphm.signal",
    "openphm.knowledge",
    "openphm.acquire",
    "openphm.diagnose",
)

#: Packages every module of which must load none of :data:`HEAVY` either. ``openphm.acquire`` is
#: not among them: its dataset loaders (C-MAPSS, FEMTO) return pandas tables and its delimited-text
#: reader parses with pandas, and each is imported only when its data or format is met.
ALL_MODULES_OF = ("openphm.core", "openphm.signal", "openphm.knowledge", "openphm.diagnose")

#: What no module of ``openphm.acquire`` may load: pandas is allowed at its table boundaries.
ACQUIRE_HEAVY = ("matplotlib", "typer", "rich")

_PROBE = """
import importlib, json, pkgutil, sys
heavy, packages, walk = json.loads(sys.argv[1])
loaded = {}
def check(name):
    before = {h for h in heavy if h in sys.modules}
    importlib.import_module(name)
    new = sorted(h for h in heavy if h in sys.modules and h not in before)
    if new:
        loaded[name] = new
for package in packages:
    check(package)
    if walk:
        path = importlib.import_module(package).__path__
        for info in pkgutil.walk_packages(path, prefix=package + "."):
            check(info.name)
print(json.dumps(loaded))
"""


def heavy_imports(
    packages: tuple[str, ...], heavy: tuple[str, ...], walk: bool
) -> dict[str, list[str]]:
    """Import ``packages`` (and with ``walk`` all their modules) in a fresh interpreter.

    Returns, for each module whose import first brought in one of ``heavy``, those libraries.
    """
    arg = json.dumps([list(heavy), list(packages), walk])
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, arg], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    loaded: dict[str, list[str]] = json.loads(done.stdout)
    return loaded


@pytest.mark.parametrize("package", PACKAGES)
def test_importing_a_package_loads_no_heavy_library(package: str) -> None:
    assert heavy_imports((package,), HEAVY, walk=False) == {}


def test_no_module_of_the_science_packages_loads_a_heavy_library() -> None:
    assert heavy_imports(ALL_MODULES_OF, HEAVY, walk=True) == {}


def test_no_module_of_acquire_loads_plotting_or_cli_libraries() -> None:
    assert heavy_imports(("openphm.acquire",), ACQUIRE_HEAVY, walk=True) == {}


def test_the_probe_sees_a_heavy_import() -> None:
    # The check itself must be able to fail.
    assert heavy_imports(("rich.console",), HEAVY, walk=False) == {"rich.console": ["rich"]}

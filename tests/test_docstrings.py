"""Every public function and class of the library carries a numpydoc docstring (MNE-style check).

Checked with ``numpydoc.validate``: a docstring exists, every parameter is documented and nothing
undocumented is claimed, and the science layers (``signal``, ``knowledge``) show an example.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from numpydoc.validate import validate

import openphm

#: numpydoc codes checked everywhere: missing docstring, parameters undocumented or unknown.
CHECKED = {"GL08", "PR01", "PR02"}
#: Layers whose public functions must also show an Examples section.
NEEDS_EXAMPLES = ("openphm.signal", "openphm.knowledge")
#: The CLI's docstrings are its --help text, written for users rather than numpydoc.
SKIPPED_PACKAGES = ("openphm.cli",)


def _modules() -> Iterator[ModuleType]:
    for info in pkgutil.walk_packages(openphm.__path__, prefix="openphm."):
        if info.name.startswith(SKIPPED_PACKAGES):
            continue
        yield importlib.import_module(info.name)


def _public_objects() -> list[tuple[str, Any]]:
    found: dict[str, Any] = {}
    for module in _modules():
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found[f"{module.__name__}.{name}"] = obj
    return sorted(found.items())


OBJECTS = _public_objects()


@pytest.mark.parametrize(("qualname", "obj"), OBJECTS, ids=[q for q, _ in OBJECTS])
def test_public_object_has_numpydoc_docstring(qualname: str, obj: Any) -> None:
    codes = set(CHECKED)
    if inspect.isfunction(obj) and qualname.startswith(NEEDS_EXAMPLES):
        codes.add("EX01")
    if inspect.isclass(obj) and (
        getattr(obj, "__dataclass_fields__", None) is not None
        or issubclass(obj, Exception)
        or getattr(obj, "_is_protocol", False)
    ):
        # Dataclass fields, exceptions and protocols document their signature differently.
        codes -= {"PR01", "PR02"}
    errors = [(code, msg) for code, msg in validate(qualname)["errors"] if code in codes]
    assert not errors, f"{qualname}: " + "; ".join(f"{c} {m}" for c, m in errors)

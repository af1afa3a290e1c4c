"""Checks of option values that only the command line has (r/min), before they reach the library."""

from __future__ import annotations

import math

from openphm.core.errors import ConfigError
from openphm.core.units import rpm_to_hz


def check_rpm(rpm: float | None) -> float | None:
    """``--rpm`` as given, or a ConfigError naming the option when it is not a positive speed."""
    if rpm is not None and not (math.isfinite(rpm) and rpm > 0.0):
        raise ConfigError(f"--rpm must be a positive speed in r/min, got {rpm:g}")
    return rpm


def speed_hz(rpm: float | None) -> float | None:
    """``--rpm`` checked (see :func:`check_rpm`) and converted to Hz."""
    checked = check_rpm(rpm)
    return None if checked is None else rpm_to_hz(checked)

"""What one run of the chain produces: each stage's result, its errors, and where it came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Self

from openphm.core.diagnosis import Diagnosis
from openphm.core.provenance import Provenance
from openphm.core.serialize import Serializable, from_dict
from openphm.knowledge.iso20816 import Zone

__all__ = ["Diagnoses", "Indicators", "Results", "Severity"]


@dataclass(frozen=True)
class Indicators(Serializable):
    """Condition indicators of one channel.

    Parameters
    ----------
    values : Mapping of str to float
        Time-domain indicators (:func:`openphm.signal.indicators.time_indicators`: ``rms``,
        ``peak``, ``crest_factor``, ``kurtosis``...) in the channel's unit, plus
        ``velocity_rms_mm_s`` (ISO 10816 band, mm/s) when the channel is an acceleration.
    unit : str
        Unit of the channel.
    """

    values: Mapping[str, float]
    unit: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))


@dataclass(frozen=True)
class Severity(Serializable):
    """Broadband velocity severity of one channel and its ISO zones.

    Parameters
    ----------
    velocity_rms_mm_s : float
        r.m.s. velocity in the band, mm/s.
    band_hz : (float, float)
        Measurement band, Hz.
    iso10816_3 : Zone or None
        Zone of ISO 10816-3 / 20816-3 for the machine group, when one is set.
    iso10816_1 : Zone or None
        Zone of ISO 10816-1 for the machine class, when one is set.
    """

    velocity_rms_mm_s: float
    band_hz: tuple[float, float]
    iso10816_3: Zone | None = None
    iso10816_1: Zone | None = None


@dataclass(frozen=True)
class Diagnoses(Serializable):
    """Bearing diagnoses of one channel, by position label (``""``: the sensor's own bearing)."""

    by_label: Mapping[str, Diagnosis]

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_label", MappingProxyType(dict(self.by_label)))

    @property
    def main(self) -> Diagnosis:
        """The diagnosis of the bearing the sensor is placed for."""
        return self.by_label[""]

    @property
    def others(self) -> dict[str, Diagnosis]:
        """The diagnoses of the other bearings the sensor hears, by label."""
        return {k: v for k, v in self.by_label.items() if k}


@dataclass(frozen=True)
class Results(Serializable):
    """The results of one measurement through the chain.

    Parameters
    ----------
    channel : str
        Channel analysed.
    outputs : Mapping of str to object
        Each stage's result by stage name (see :mod:`openphm.pipeline.stages`).
    errors : Mapping of str to str
        Stages that could not run on this measurement, with the reason.
    speed_hz : float or None
        Reference shaft speed the stages used or found, Hz.
    provenance : Provenance
        The openphm version, the processing context (hashed) and the input.
    """

    channel: str
    outputs: Mapping[str, Any] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    speed_hz: float | None = None
    provenance: Provenance = field(default_factory=Provenance)

    def __post_init__(self) -> None:
        object.__setattr__(self, "outputs", MappingProxyType(dict(self.outputs)))
        object.__setattr__(self, "errors", MappingProxyType(dict(self.errors)))

    @property
    def indicators(self) -> Indicators | None:
        """The ``indicators`` stage's result, if it ran."""
        found = self.outputs.get("indicators")
        return found if isinstance(found, Indicators) else None

    @property
    def severity(self) -> Severity | None:
        """The ``severity`` stage's result, if it ran."""
        found = self.outputs.get("severity")
        return found if isinstance(found, Severity) else None

    @property
    def diagnoses(self) -> Diagnoses | None:
        """The ``diagnosis`` stage's result, if it ran."""
        found = self.outputs.get("diagnosis")
        return found if isinstance(found, Diagnoses) else None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild results from :meth:`to_dict`, each output as its stage's result type."""
        from openphm.pipeline.stages import result_type

        plain = dict(data)
        outputs = {}
        for name, value in dict(plain.pop("outputs", {})).items():
            kind = result_type(name)
            outputs[name] = value if kind is None else from_dict(kind, value, f"outputs.{name}")
        base = from_dict(cls, plain)
        return cls(base.channel, outputs, base.errors, base.speed_hz, base.provenance)

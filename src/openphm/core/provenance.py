"""Where a result comes from: the openphm version, the settings that made it, and its input."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from openphm import __version__
from openphm.core.serialize import Serializable, to_plain

__all__ = ["InputRef", "Provenance", "settings_hash"]


def settings_hash(settings: Any) -> str:
    """A short stable hash of settings (a dataclass or a mapping), to group results made alike.

    The settings are written as canonical JSON (sorted keys, see
    :func:`~openphm.core.serialize.to_plain`) and hashed with SHA-256; the first 16 hex digits
    are kept.

    Parameters
    ----------
    settings : dataclass or Mapping
        The typed settings object (or its plain form).

    Returns
    -------
    str
        16 hexadecimal digits.

    Examples
    --------
    >>> settings_hash({"b": 1, "a": 2.0}) == settings_hash({"a": 2.0, "b": 1})
    True
    """
    text = json.dumps(to_plain(settings), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class InputRef(Serializable):
    """The input a result was computed from.

    Parameters
    ----------
    source : str
        File the measurement was read from, or ``""`` when it came as samples.
    channel : str
        Channel analysed.
    measurement_id : int or None
        Id of the measurement in the store, when it came through ingestion.
    """

    source: str = ""
    channel: str = ""
    measurement_id: int | None = None


@dataclass(frozen=True)
class Provenance(Serializable):
    """What made a result: the code version, the settings (and their hash), and the input.

    Parameters
    ----------
    settings : Mapping of str to object
        The settings as plain data (a typed settings object's fields).
    input : InputRef
        The input analysed.
    settings_type : str
        Name of the settings' type (``"DiagnosisSettings"``).
    openphm_version : str
        Version of openphm that computed the result (default: this one).
    settings_hash : str
        :func:`settings_hash` of ``settings`` (filled in when empty).
    """

    settings: Mapping[str, Any] = field(default_factory=dict)
    input: InputRef = field(default_factory=InputRef)
    settings_type: str = ""
    openphm_version: str = __version__
    settings_hash: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))
        if not self.settings_hash:
            object.__setattr__(self, "settings_hash", settings_hash(self.settings))

    @classmethod
    def of(cls, settings: Any, input: InputRef) -> Provenance:
        """Provenance of a result made with the typed ``settings`` object from ``input``.

        Examples
        --------
        >>> from openphm.diagnose.settings import DiagnosisSettings
        >>> p = Provenance.of(DiagnosisSettings(), InputRef("105.mat", "DE"))
        >>> p.settings_type, p.settings["n_harmonics"], len(p.settings_hash)
        ('DiagnosisSettings', 4, 16)
        """
        return cls(to_plain(settings), input, type(settings).__name__)

"""Domain types, units and the error hierarchy. Imports nothing else of openphm."""

from openphm.core.bearing import BearingGeometry, BearingPosition, FaultFrequencies
from openphm.core.diagnosis import Diagnosis, Evidence, LineSeries, MatchedPeak
from openphm.core.errors import (
    ConfigError,
    DataError,
    DataQualityWarning,
    ModelError,
    OpenPHMError,
    UnknownFormatError,
)
from openphm.core.rul import RulDistribution
from openphm.core.waveform import Recording, Waveform

__all__ = [
    "BearingGeometry",
    "BearingPosition",
    "ConfigError",
    "DataError",
    "DataQualityWarning",
    "Diagnosis",
    "Evidence",
    "FaultFrequencies",
    "LineSeries",
    "MatchedPeak",
    "ModelError",
    "OpenPHMError",
    "Recording",
    "RulDistribution",
    "UnknownFormatError",
    "Waveform",
]

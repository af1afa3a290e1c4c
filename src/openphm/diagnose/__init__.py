"""Health assessment from physics (ISO 13374 HA): fault verdicts with evidence."""

from openphm.diagnose.bearing import diagnose_bearing, diagnose_bearings
from openphm.diagnose.settings import DiagnosisSettings
from openphm.diagnose.speed import SpeedTrack

__all__ = ["DiagnosisSettings", "SpeedTrack", "diagnose_bearing", "diagnose_bearings"]

"""Health assessment from physics (ISO 13374 HA): fault verdicts with evidence."""

from openphm.diagnose.bearing import DiagnosisSettings, diagnose_bearing

__all__ = ["DiagnosisSettings", "diagnose_bearing"]

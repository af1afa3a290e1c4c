"""Health assessment from physics (ISO 13374 HA): fault verdicts with evidence."""

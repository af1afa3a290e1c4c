"""Data manipulation (ISO 13374 DM): pure functions over numpy arrays."""

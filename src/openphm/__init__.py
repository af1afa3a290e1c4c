"""openphm: open predictive maintenance for heavy rotating machinery.

The package follows the ISO 13374 processing chain: ``acquire`` (DA), ``signal`` (DM),
``detect`` (SD), ``diagnose`` and ``learn`` (HA), ``prognose`` (PA) and ``advise`` (AG), on top of
``core`` (domain types and errors) and beside ``knowledge`` (machine-element engineering data).
"""

__version__ = "0.1.0"

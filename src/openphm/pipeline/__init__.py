"""The ISO 13374 chain run on measurements: one item or a batch, and ingestion.

:func:`process` runs the registered stages (:mod:`openphm.pipeline.stages`) that a
:class:`ProcessingContext` names on one measurement and returns :class:`Results`;
:func:`run_batch` runs many records on any ``concurrent.futures.Executor``.
"""

from openphm.pipeline import learned_stage as _learned_stage  # noqa: F401 (registers "learned")
from openphm.pipeline.context import DEFAULT_STAGES, ProcessingContext, SeveritySettings
from openphm.pipeline.gear_stage import GearDiagnoses  # registers the "gears" stage
from openphm.pipeline.process import (
    BatchItem,
    BatchOutcome,
    process,
    process_file,
    process_snapshots,
    run_batch,
)
from openphm.pipeline.results import Diagnoses, Indicators, Results, Severity
from openphm.pipeline.stages import STAGES, StageInput, register_stage

__all__ = [
    "DEFAULT_STAGES",
    "STAGES",
    "BatchItem",
    "BatchOutcome",
    "Diagnoses",
    "GearDiagnoses",
    "Indicators",
    "ProcessingContext",
    "Results",
    "Severity",
    "SeveritySettings",
    "StageInput",
    "process",
    "process_file",
    "process_snapshots",
    "register_stage",
    "run_batch",
]

"""The ``"gears"`` stage: every gear the channel hears, diagnosed from its synchronous average.

It runs when the context names a gearbox (:attr:`ProcessingContext.gearbox`, set from a machine
profile's gear stages or ``openphm diagnose --gearbox``), at the constant speed of the reference
shaft (the context's, else the record's).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from openphm.core.diagnosis import Diagnosis
from openphm.core.errors import DataError
from openphm.core.serialize import Serializable
from openphm.diagnose.gear import diagnose_gears
from openphm.pipeline.stages import StageInput, register_stage

__all__ = ["GearDiagnoses", "gear_stage"]


@dataclass(frozen=True)
class GearDiagnoses(Serializable):
    """Gear diagnoses of one channel, by gear name (``"<stage> pinion"``, ``"<stage> sun"``...).

    Parameters
    ----------
    by_gear : Mapping of str to Diagnosis
        One diagnosis per gear assessed.
    """

    by_gear: Mapping[str, Diagnosis]

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_gear", MappingProxyType(dict(self.by_gear)))

    @property
    def worst(self) -> Diagnosis:
        """The gear with a fault verdict and the highest score (else the highest score)."""
        return max(
            self.by_gear.values(),
            key=lambda d: (d.verdict in ("tooth", "distributed"), max(d.scores.values())),
        )


@register_stage("gears", GearDiagnoses)
def gear_stage(item: StageInput) -> GearDiagnoses | None:
    """Diagnose the gears of the context's gearbox on the channel.

    Parameters
    ----------
    item : StageInput
        The measurement and the run's settings.

    Returns
    -------
    GearDiagnoses or None
        None when the context names no gearbox.

    Raises
    ------
    DataError
        A record at varying speed (the gear diagnosis needs a constant speed), or one where
        no gear can be assessed.
    """
    ctx = item.context
    if ctx.gearbox is None:
        return None
    if item.track is not None:
        raise DataError(
            f"{item.wave.source or item.wave.channel}: the gear diagnosis needs a constant speed; "
            "this record is order-tracked"
        )
    speed = ctx.speed_hz if ctx.speed_hz is not None else item.wave.speed_hz
    return GearDiagnoses(diagnose_gears(item.wave, ctx.gearbox, speed, settings=ctx.gear))

"""The ``"gears"`` stage: every gear the channel hears, diagnosed from its synchronous average.

It runs when the context names a gearbox (:attr:`ProcessingContext.gearbox`, set from a machine
profile's gear stages or ``openphm diagnose --gearbox``), at the constant speed of the reference
shaft (the context's, else the record's).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from openphm.core.diagnosis import Diagnosis
from openphm.core.errors import DataError
from openphm.core.serialize import Serializable
from openphm.diagnose.gear import diagnose_gears
from openphm.knowledge.gear_train import gear_train_from_profile
from openphm.knowledge.profiles import MachineProfile
from openphm.pipeline.context import ProcessingContext
from openphm.pipeline.stages import StageInput, register_stage

__all__ = ["GearDiagnoses", "gear_stage", "with_gears"]


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


def with_gears(
    context: ProcessingContext, profile: MachineProfile, point: str | None = None
) -> ProcessingContext:
    """The context of a measurement point, with the gears its machine has.

    Parameters
    ----------
    context : ProcessingContext
        The point's context.
    profile : MachineProfile
        Its machine's profile.
    point : str, optional
        The point: only the gear stages it hears (default: every stage of the machine).

    Returns
    -------
    ProcessingContext
        ``context`` with :attr:`~ProcessingContext.gearbox` set and ``"gears"`` added to its
        stages when the point hears a gear stage; ``context`` itself otherwise.

    Examples
    --------
    >>> from openphm.knowledge.profiles import load_profile
    >>> ctx = with_gears(ProcessingContext(), load_profile("wind_turbine"), "HSS")
    >>> ctx.stages[-1], sorted(s.name for s in ctx.gearbox.stages)
    ('gears', ['high_speed_stage', 'intermediate_stage'])
    >>> with_gears(ProcessingContext(), load_profile("cwru_rig")).gearbox is None
    True
    """
    train = gear_train_from_profile(profile, point)
    if train is None:
        return context
    stages = context.stages if "gears" in context.stages else (*context.stages, "gears")
    return replace(context, gearbox=train, stages=stages)

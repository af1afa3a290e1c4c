"""The ``"learned"`` stage: a learned model's fault location beside the physics diagnosis.

It runs when the context names a model (:attr:`ProcessingContext.model`, a model file or
``"shipped"`` for the pretrained CWRU model), on the bearing the context or the record names
(:func:`~openphm.pipeline.stages.bearing_positions`), at the context's or the record's speed
(else the physics diagnosis's estimate). Models are read once per process; scikit-learn and
LightGBM are imported then, not with the pipeline.
"""

from __future__ import annotations

from functools import cache

from openphm.core.errors import ConfigError, DataError
from openphm.diagnose.bearing import resolve_bearing
from openphm.learn.predict import LearnedModel, LearnedVerdict, shipped_model_path
from openphm.pipeline.stages import StageInput, bearing_positions, register_stage

__all__ = ["learned_model", "learned_stage"]


@cache
def learned_model(name: str) -> LearnedModel:
    """The model a context names, read once per process.

    Parameters
    ----------
    name : str
        A model file, or ``"shipped"`` for the pretrained CWRU model.

    Returns
    -------
    LearnedModel
        The model.

    Examples
    --------
    >>> learned_model("shipped").card.classes
    ('ball', 'inner', 'outer')
    """
    # scikit-learn and LightGBM load with the first model, not with the pipeline.
    from openphm.learn.persist import load_model

    return load_model(shipped_model_path() if name == "shipped" else name)


@register_stage("learned", LearnedVerdict)
def learned_stage(item: StageInput) -> LearnedVerdict | None:
    """Apply the context's learned model to the channel.

    Parameters
    ----------
    item : StageInput
        The measurement and the run's settings.

    Returns
    -------
    LearnedVerdict or None
        None when the context names no model.

    Raises
    ------
    ConfigError
        Nothing names the bearing (the model's features need its fault orders).
    DataError
        A record at varying speed.
    """
    ctx = item.context
    if ctx.model is None:
        return None
    if item.track is not None:
        raise DataError(
            f"{item.wave.source or item.wave.channel}: the learned models need a constant "
            "speed; this record is order-tracked"
        )
    positions = bearing_positions(item.recording, item.wave, ctx)
    if positions is None:
        raise ConfigError(
            f"{item.recording.source or 'record'}: the learned model needs the bearing; give it "
            "with --bearing, its geometry or --fault-orders"
        )
    position = positions[""]
    _, orders = resolve_bearing(position.bearing, position.rotating_ring)
    speed = ctx.speed_hz
    if speed is None and position.speed_ratio != 1.0 and item.wave.speed_hz is not None:
        speed = item.wave.speed_hz
    if speed is not None:
        speed *= position.speed_ratio
    waves = item.waves if len(item.waves) > 1 else item.waves[0]
    return learned_model(ctx.model).predict(waves, orders, speed)

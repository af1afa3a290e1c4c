"""A trained model applied to a vibration record: the physics detects, the learned model locates.

:class:`LearnedModel` holds a fitted classifier and its :class:`ModelCard` (what trained it, on
which windows, at which rate). Applying it to a record:

1. it refuses input it was not trained for (:class:`~openphm.core.errors.ModelError`): a
   sampling rate below the card's ``min_fs_hz`` or too low for the fault lines at this speed;
   a record above the training rate is resampled down to it (anti-aliased), so that the
   demodulation bands span what they spanned in training;
2. the physics diagnosis (:func:`~openphm.diagnose.bearing.diagnose_bearing`) on the whole
   record decides whether there is a fault at all, with its false-alarm statistics: the
   models are trained on faults only (CWRU has one healthy recording, too few to learn
   "healthy" from without testing on its own windows);
3. the classifier gives the fault location from the mean of its windows' probabilities, with
   the features that pushed that location most (:meth:`contributions`).

A record too short for one window is answered when the physics finds it healthy and refused
when it finds a fault (the location would need a window the model does not have).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from openphm import __version__
from openphm.core.bearing import FaultFrequencies
from openphm.core.errors import DataError, ModelError
from openphm.core.serialize import Serializable
from openphm.core.waveform import FloatArray, Waveform
from openphm.diagnose.bearing import diagnose_bearing
from openphm.learn.features import FeatureSettings, record_features, resample_to

__all__ = ["Classifier", "LearnedModel", "LearnedVerdict", "ModelCard", "shipped_model_path"]


class Classifier(Protocol):
    """What a learned model's estimator offers (every classifier of :mod:`openphm.learn`)."""

    classes_: npt.NDArray[Any]

    def predict_proba(self, X: npt.ArrayLike) -> FloatArray:
        """Class probabilities, shape ``(n, n_classes)``."""

    def contributions(self, X: npt.ArrayLike) -> FloatArray:
        """Per-feature contributions, shape ``(n, n_classes, n_features)``."""


@dataclass(frozen=True)
class ModelCard(Serializable):
    """What a model is and what trained it, saved beside it.

    Parameters
    ----------
    kind : str
        Classifier kind (``"lightgbm"``, ``"linear"``, ``"cnn"``).
    classes : tuple of str
        Its classes.
    feature_names : tuple of str
        The features it reads, in order.
    features : FeatureSettings
        How windows were cut and described.
    fs_hz : float
        Sampling rate of the training records, Hz (higher rates are resampled to it).
    min_fs_hz : float
        Lowest sampling rate it accepts, Hz.
    trained_on : str
        The training data, in words.
    records : tuple of str
        The training recordings.
    windows : int
        Training windows.
    params : Mapping of str to object
        The classifier's parameters.
    openphm_version : str
        Version that trained it.
    created : str
        When, ISO 8601 (UTC).
    """

    kind: str
    classes: tuple[str, ...]
    feature_names: tuple[str, ...]
    features: FeatureSettings
    fs_hz: float
    min_fs_hz: float
    trained_on: str
    records: tuple[str, ...] = ()
    windows: int = 0
    params: Mapping[str, Any] = field(default_factory=dict)
    openphm_version: str = __version__
    created: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))


@dataclass(frozen=True)
class LearnedVerdict(Serializable):
    """A learned model's answer for one record, with the physics evidence beside it.

    Parameters
    ----------
    verdict : str
        ``"healthy"`` or the fault location (``"inner"``, ``"outer"``, ``"ball"``).
    location : str or None
        The most probable location (None when the record was too short to locate).
    probabilities : Mapping of str to float
        Mean window probability of each location.
    fault_detected : bool
        Whether the physics diagnosis found a fault (its verdict is not ``"healthy"``).
    physics_verdict : str
        The physics diagnosis's verdict.
    physics_scores : Mapping of str to float
        Its score per candidate fault.
    top_features : tuple of (str, float, float)
        The features that pushed ``location`` most: name, mean value, mean contribution to
        the location's log-odds.
    windows : int
        Windows classified.
    speed_hz : float
        Shaft speed used, Hz.
    speed_source : str
        Where it came from: ``"given"``, ``"record"`` (the file's) or the physics diagnosis's
        source when it was estimated.
    fs_hz : float
        Sampling rate the model saw, Hz.
    resampled_from_hz : float or None
        The record's own rate when it was resampled.
    model : str
        The model card's ``trained_on``.
    physics_lines : tuple of str
        The physics diagnosis's most significant lines of its strongest candidate
        (``"BPFI 162.1 Hz +18 dB"``), the evidence behind ``physics_verdict``.
    """

    verdict: str
    location: str | None
    probabilities: Mapping[str, float]
    fault_detected: bool
    physics_verdict: str
    physics_scores: Mapping[str, float]
    top_features: tuple[tuple[str, float, float], ...]
    windows: int
    speed_hz: float
    speed_source: str
    fs_hz: float
    resampled_from_hz: float | None
    model: str
    physics_lines: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "probabilities", MappingProxyType(dict(self.probabilities)))
        object.__setattr__(self, "physics_scores", MappingProxyType(dict(self.physics_scores)))


def _highest_order(orders: FaultFrequencies, settings: FeatureSettings) -> float:
    return settings.harmonics * max(orders.bpfo, orders.bpfi, orders.two_bsf) + 1.0


@dataclass(frozen=True)
class LearnedModel:
    """A fitted classifier with its card.

    Parameters
    ----------
    estimator : Classifier
        The fitted classifier.
    card : ModelCard
        What it is and what trained it.
    """

    estimator: Classifier
    card: ModelCard

    def check_input(
        self, fs: float, n_samples: int, speed_hz: float, orders: FaultFrequencies
    ) -> float:
        """Refuse a rate or speed the model was not trained for; return the rate it will see.

        Parameters
        ----------
        fs : float
            The record's sampling rate, Hz.
        n_samples : int
            Samples per record (or snapshot).
        speed_hz : float
            Shaft speed, Hz.
        orders : FaultFrequencies
            The bearing's fault orders.

        Returns
        -------
        float
            ``min(fs, card.fs_hz)``.

        Raises
        ------
        ModelError
            ``fs`` below ``card.min_fs_hz``, or the fault lines (to the highest harmonic
            described) above ``fs / 5`` at this speed, or too few samples for an envelope.
        """
        c = self.card
        if fs < c.min_fs_hz:
            raise ModelError(
                f"sampling rate {fs:g} Hz is below the {c.min_fs_hz:g} Hz this model accepts "
                f"(trained at {c.fs_hz:g} Hz: it learned from demodulation bands up to "
                f"{c.fs_hz / 2:g} Hz)"
            )
        top_hz = _highest_order(orders, c.features) * speed_hz
        used = min(fs, c.fs_hz)
        if top_hz > used / 5.0:
            raise ModelError(
                f"at {speed_hz:g} Hz the fault lines reach {top_hz:.0f} Hz, above a fifth of the "
                f"{used:g} Hz rate the model sees: too fast a shaft for this model"
            )
        if n_samples < 64:
            raise ModelError(f"{n_samples} samples are too few for an envelope spectrum")
        return used

    def predict(
        self,
        waveform: Waveform | Sequence[Waveform],
        orders: FaultFrequencies,
        speed_hz: float | None = None,
    ) -> LearnedVerdict:
        """Detect with the physics, locate with the model.

        Parameters
        ----------
        waveform : Waveform or sequence of Waveform
            One record, or snapshots of one machine state (detection averages their envelope
            spectra; location uses the windows of each).
        orders : FaultFrequencies
            The bearing's fault orders (the geometry of the machine at hand, not of the
            training rig).
        speed_hz : float, optional
            Shaft speed, Hz; default the record's, else the physics diagnosis's estimate.

        Returns
        -------
        LearnedVerdict
            Verdict, probabilities, physics evidence, the features behind the location.

        Raises
        ------
        ModelError
            Input the model was not trained for (see :meth:`check_input`), features that do
            not match the card, or a fault found in a record shorter than one window.
        """
        waves = [waveform] if isinstance(waveform, Waveform) else list(waveform)
        if not waves:
            raise ModelError("no record to predict on")
        given = speed_hz if speed_hz is not None else waves[0].speed_hz
        fs = waves[0].fs
        if given is not None:
            self.check_input(fs, waves[0].samples.size, float(given), orders)
        physics = diagnose_bearing(waves if len(waves) > 1 else waves[0], orders, given)
        speed = float(given) if given is not None else physics.speed_hz
        if given is None:
            source = physics.speed_source
        else:
            source = "given" if speed_hz is not None else "record"
        used = self.check_input(fs, waves[0].samples.size, speed, orders)
        detected = physics.verdict != "healthy"
        blocks = []
        for w in waves:
            samples = resample_to(w.samples, w.fs, used)
            try:
                blocks.append(
                    record_features(Waveform(samples, used), orders, speed, self.card.features)
                )
            except DataError as exc:
                if detected:
                    raise ModelError(
                        f"the physics diagnosis finds a fault ({physics.verdict}), but the "
                        f"record is too short for this model's windows: {exc}"
                    ) from exc

        strongest = sorted(physics.best.peaks, key=lambda p: p.p_value)[:3]
        lines = tuple(f"{p.label} {p.freq_hz:.1f} Hz +{p.prominence_db:.0f} dB" for p in strongest)

        def answer(
            verdict: str,
            location: str | None,
            proba: dict[str, float],
            top: tuple[tuple[str, float, float], ...],
            windows: int,
        ) -> LearnedVerdict:
            return LearnedVerdict(
                verdict,
                location,
                proba,
                detected,
                physics.verdict,
                dict(physics.scores),
                top,
                windows,
                speed,
                source,
                used,
                None if math.isclose(fs, used) else fs,
                self.card.trained_on,
                lines,
            )

        if not blocks:
            return answer("healthy", None, {}, (), 0)
        X = np.vstack(blocks)
        if X.shape[1] != len(self.card.feature_names):
            raise ModelError(
                f"the features ({X.shape[1]}) do not match the model's "
                f"({len(self.card.feature_names)}): the model file is inconsistent"
            )
        proba = self.estimator.predict_proba(X).mean(axis=0)
        classes = [str(c) for c in self.estimator.classes_]
        best = int(proba.argmax())
        contrib = self.estimator.contributions(X)[:, best, :].mean(axis=0)
        order = np.argsort(contrib)[::-1][:5]
        top = tuple(
            (self.card.feature_names[i], float(X[:, i].mean()), float(contrib[i])) for i in order
        )
        location = classes[best]
        return answer(
            location if detected else "healthy",
            location,
            dict(zip(classes, proba.tolist(), strict=True)),
            top,
            int(X.shape[0]),
        )

    def with_card(self, **changes: Any) -> LearnedModel:
        """The same estimator with some card fields changed.

        Parameters
        ----------
        **changes
            Card fields and their new values.

        Returns
        -------
        LearnedModel
            A new model.
        """
        return LearnedModel(self.estimator, replace(self.card, **changes))


def shipped_model_path() -> str:
    """Path of the pretrained CWRU model that ships with the package.

    Returns
    -------
    str
        ``.../openphm/learn/models/cwru_lightgbm.openphm-model``.

    Examples
    --------
    >>> shipped_model_path().endswith("cwru_lightgbm.openphm-model")
    True
    """
    from importlib import resources

    return str(resources.files("openphm.learn").joinpath("models/cwru_lightgbm.openphm-model"))

"""The one configuration of the bearing diagnosis (the defaults are the benchmarked one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from openphm.core.serialize import Serializable
from openphm.core.validation import Range, validate_fields
from openphm.signal.kurtogram import LONG_RECORD_SAMPLES

__all__ = ["DiagnosisSettings"]


@dataclass(frozen=True)
class DiagnosisSettings(Serializable):
    """The one configuration of :func:`diagnose_bearing` (the defaults are the benchmarked one).

    Parameters
    ----------
    n_harmonics : int, default 4
        Harmonics of each fault frequency to match (see
        :func:`openphm.diagnose.patterns.fault_lines`).
    threshold : float, default 3.0
        Score (``-log10`` false-alarm probability) a candidate needs for a fault verdict.
    undetermined_threshold : float, default 1.5
        Best score above which the verdict is ``"undetermined"`` rather than ``"healthy"``.
    ambiguity_margin : float, default 1.0
        Two unrelated candidates above ``threshold`` whose scores differ by less than this give
        ``"undetermined"``.
    prewhiten : bool, default True
        Apply cepstrum pre-whitening before demodulation.
    use_kurtogram : bool, default True
        Also demodulate in the fast kurtogram's best band (besides the full band).
    floor_width_orders : float, default 0.5
        Narrowest width of the running-median noise floor, in orders of the shaft speed; the
        floor is widened to an eighth of BPFO for bearings with many rolling elements, whose
        high fault orders slip spreads over more orders (a line ``k f`` slipping by ``e``
        spreads over about ``k f e``, in proportion to its order).
    min_cage_revolutions : float, default 10
        Shortest record accepted, in revolutions of the cage (so that the spectrum resolves
        cage-frequency sidebands to a tenth of their spacing).
    kurtogram_max_samples : int, default 2**21
        The kurtogram chooses its band on at most this many samples from the middle of the
        record (even its narrowest band then holds about 10 000 samples, plenty for the
        kurtosis); the envelope spectra still use the whole record. Bounds time and memory on
        long records (4 minutes at 51.2 kHz took 3 GB and 18 s without it).
    max_clipped_fraction : float, default 1e-3
        Share of the samples sitting exactly at the record's maximum or minimum above which the
        record counts as clipped: a saturated sensor or converter cuts the impacts a fault
        makes, so a clipped record is not called healthy (it is "undetermined") and a fault
        verdict's confidence is at most 0.7. An unclipped record holds about one sample at
        each extreme.
    """

    n_harmonics: Annotated[int, Range(ge=1, le=50)] = 4
    threshold: Annotated[float, Range(gt=0.0)] = 3.0
    undetermined_threshold: Annotated[float, Range(ge=0.0)] = 1.5
    ambiguity_margin: Annotated[float, Range(ge=0.0)] = 1.0
    prewhiten: bool = True
    use_kurtogram: bool = True
    floor_width_orders: Annotated[float, Range(gt=0.0)] = 0.5
    min_cage_revolutions: Annotated[float, Range(gt=0.0)] = 10.0
    kurtogram_max_samples: Annotated[int, Range(ge=4096)] = LONG_RECORD_SAMPLES
    max_clipped_fraction: Annotated[float, Range(gt=0.0, le=1.0)] = 1e-3

    def __post_init__(self) -> None:
        validate_fields(self)

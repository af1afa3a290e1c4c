"""Data manipulation (ISO 13374 DM): pure functions over numpy arrays.

Modules: :mod:`~openphm.signal.spectrum` (amplitude spectrum, Welch PSD, spectrogram),
:mod:`~openphm.signal.envelope` (band-pass, envelope, squared-envelope spectrum),
:mod:`~openphm.signal.kurtogram` (spectral kurtosis, fast kurtogram),
:mod:`~openphm.signal.prewhiten` (cepstrum and AR pre-whitening),
:mod:`~openphm.signal.cepstrum` (real cepstrum), :mod:`~openphm.signal.peaks` (spectral peaks,
noise floor). Every function validates its input and raises
:class:`openphm.core.errors.DataError` or :class:`~openphm.core.errors.ConfigError`.
"""

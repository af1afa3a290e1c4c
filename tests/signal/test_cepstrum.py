"""Real cepstrum of echoes and harmonic families."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core.errors import DataError
from openphm.signal.cepstrum import quefrency_s, real_cepstrum


def test_echo_shows_at_its_delay() -> None:
    fs = 8000.0
    x = np.random.default_rng(0).standard_normal(8000)
    delay = 160
    y = x + 0.5 * np.roll(x, delay)
    c = real_cepstrum(y)
    q = quefrency_s(c.size, fs)
    peak = 20 + int(np.argmax(c[20 : c.size // 2]))
    assert peak == delay
    assert q[peak] == pytest.approx(0.02)
    # An echo of gain a adds a at its delay to the complex cepstrum, a / 2 to the real one.
    assert c[delay] == pytest.approx(0.25, abs=0.03)


def test_cepstrum_is_real_even_and_scale_shifts_only_zero_quefrency() -> None:
    x = np.random.default_rng(1).standard_normal(1000)
    c1, c2 = real_cepstrum(x), real_cepstrum(10.0 * x)
    np.testing.assert_allclose(c1[1:], c1[1:][::-1], atol=1e-12)
    np.testing.assert_allclose(c2[1:], c1[1:], atol=1e-12)
    assert c2[0] - c1[0] == pytest.approx(np.log(10.0))


def test_silence_does_not_break_the_logarithm() -> None:
    assert np.isfinite(real_cepstrum(np.zeros(64))).all()


def test_bad_input_is_refused() -> None:
    with pytest.raises(DataError):
        real_cepstrum(np.ones((2, 8)))

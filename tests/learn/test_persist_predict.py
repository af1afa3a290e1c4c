"""Safe model files, the shipped model, and refusal of input a model was not trained for."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from openphm.core.bearing import FaultFrequencies
from openphm.core.errors import ModelError
from openphm.core.waveform import Waveform
from openphm.learn.features import FeatureSettings, feature_names
from openphm.learn.persist import load_model, save_model
from openphm.learn.predict import LearnedVerdict, shipped_model_path
from openphm.learn.train import fit_model
from tests.helpers.bearing_sim import simulate_bearing

ORDERS = FaultFrequencies(ftf=0.39828, bsf=2.35675, bpfo=3.5848, bpfi=5.4152)
SETTINGS = FeatureSettings(physics=False)


def _table(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n = len(feature_names(SETTINGS))
    X = rng.normal(size=(90, n))
    y = np.array(["inner", "outer", "ball"] * 30)
    X[y == "inner", 0] += 3.0
    X[y == "outer", 1] += 3.0
    return X, y


@pytest.mark.parametrize("kind", ["lightgbm", "linear"])
def test_round_trip_keeps_every_probability(kind: str, tmp_path: Path) -> None:
    X, y = _table(np.random.default_rng(0))
    model = fit_model(
        X, y, ["r1", "r2"], kind=kind, settings=SETTINGS, fs_hz=12000.0, trained_on="t"
    )
    path = save_model(tmp_path / "m.openphm-model", model)
    back = load_model(path)
    np.testing.assert_allclose(
        back.estimator.predict_proba(X), model.estimator.predict_proba(X), rtol=0, atol=1e-12
    )
    assert back.card == model.card
    assert back.card.records == ("r1", "r2")
    with zipfile.ZipFile(path) as zf:
        assert not any(n.endswith((".pkl", ".pickle", ".joblib")) for n in zf.namelist())


def test_untrusted_skops_content_is_refused(tmp_path: Path) -> None:
    import skops.io as sio
    from sklearn.tree import DecisionTreeClassifier

    X, y = _table(np.random.default_rng(1))
    model = fit_model(X, y, [], kind="linear", settings=SETTINGS, fs_hz=12000.0, trained_on="t")
    path = save_model(tmp_path / "m.openphm-model", model)
    evil = tmp_path / "evil.openphm-model"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(evil, "w") as dst:
        dst.writestr("card.json", src.read("card.json"))
        dst.writestr("model.skops", sio.dumps(DecisionTreeClassifier().fit(X, y)))
    with pytest.raises(ModelError, match="does not trust"):
        load_model(evil)


def test_not_a_model_file_and_other_format(tmp_path: Path) -> None:
    junk = tmp_path / "junk.openphm-model"
    junk.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="not an openphm model file"):
        load_model(junk)
    other = tmp_path / "other.openphm-model"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("card.json", json.dumps({"format": "something/9"}))
    with pytest.raises(ModelError, match="format"):
        load_model(other)


@pytest.fixture(scope="module")
def shipped():  # type: ignore[no-untyped-def]
    return load_model(shipped_model_path())


def test_shipped_model_is_small_and_describes_itself(shipped) -> None:  # type: ignore[no-untyped-def]
    assert Path(shipped_model_path()).stat().st_size < 2_000_000
    card = shipped.card
    assert card.classes == ("ball", "inner", "outer")
    assert card.fs_hz == 12000.0 and card.min_fs_hz == 6000.0
    assert "CWRU" in card.trained_on and len(card.records) == 60
    assert card.features.spectral_bands == 0  # physics features only: they carry across rigs


def test_shipped_model_locates_a_simulated_outer_race_fault(shipped) -> None:  # type: ignore[no-untyped-def]
    w = simulate_bearing("outer", rng=np.random.default_rng(7), snr_db=0.0, duration_s=4.0)
    v = shipped.predict(w, ORDERS, 29.95)
    assert isinstance(v, LearnedVerdict)
    assert v.fault_detected and v.verdict == "outer"
    assert v.probabilities["outer"] > 0.5
    assert v.top_features and all(len(t) == 3 for t in v.top_features)
    assert LearnedVerdict.from_dict(v.to_dict()) == v


def test_shipped_model_resamples_a_higher_rate_and_calls_noise_healthy(shipped) -> None:  # type: ignore[no-untyped-def]
    w = Waveform(np.random.default_rng(3).normal(size=96000), 24000.0)
    v = shipped.predict(w, ORDERS, 29.95)
    assert v.verdict == "healthy" and not v.fault_detected
    assert v.fs_hz == 12000.0 and v.resampled_from_hz == 24000.0


def test_shipped_model_refuses_what_it_was_not_trained_for(shipped) -> None:  # type: ignore[no-untyped-def]
    slow = Waveform(np.random.default_rng(4).normal(size=20000), 5000.0)
    with pytest.raises(ModelError, match="below the 6000 Hz"):
        shipped.predict(slow, ORDERS, 29.95)
    w = Waveform(np.random.default_rng(5).normal(size=48000), 12000.0)
    with pytest.raises(ModelError, match="too fast a shaft"):
        shipped.predict(w, ORDERS, 200.0)


def test_short_record_healthy_answered_faulty_refused(shipped) -> None:  # type: ignore[no-untyped-def]
    quiet = Waveform(np.random.default_rng(6).normal(size=12000), 12000.0)
    v = shipped.predict(quiet, ORDERS, 29.95)
    assert v.verdict == "healthy" and v.windows == 0 and v.location is None
    loud = simulate_bearing("inner", rng=np.random.default_rng(8), snr_db=10.0, duration_s=1.0)
    with pytest.raises(ModelError, match="too short"):
        shipped.predict(loud, ORDERS, 29.95)


def test_cnn_round_trip_as_plain_arrays(tmp_path: Path) -> None:
    from openphm.learn.cnn import CnnFaultClassifier

    rng = np.random.default_rng(2)
    X = rng.normal(size=(40, 24))
    y = np.array(["inner", "outer"] * 20)
    X[y == "inner", 5] += 5.0
    s = FeatureSettings(physics=False, order_spectrum_bins=24)
    est = CnnFaultClassifier(channels=4, epochs=20).fit(X, y)
    model = fit_model(X, y, [], kind="linear", settings=s, fs_hz=12000.0, trained_on="t")
    model = type(model)(est, model.card.__class__(**{**model.card.__dict__, "kind": "cnn"}))
    path = save_model(tmp_path / "cnn.openphm-model", model)
    with zipfile.ZipFile(path) as zf:
        assert "weights.npz" in zf.namelist()
    back = load_model(path)
    np.testing.assert_allclose(back.estimator.predict_proba(X), est.predict_proba(X), atol=1e-12)
    assert back.estimator.contributions(X[:3]).shape == (3, 2, 24)

"""Safe model files: a zip of the model card (JSON) and the model in a format that runs no code.

- LightGBM: the booster's own text model (``booster.txt``), read by LightGBM's parser;
- the linear model: skops (``model.skops``), loaded only when every type in it is on a fixed
  list (:data:`TRUSTED_SKOPS_TYPES`), otherwise refused;
- the CNN: its weights as a NumPy ``.npz`` read with ``allow_pickle=False`` (torch's own
  ``.pt`` files are pickles).

Nothing is ever unpickled, so a model file handed in by a user cannot run code on load. The
card (:class:`~openphm.learn.predict.ModelCard`) says what trained the model and what input
it accepts.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from openphm.core.errors import ModelError
from openphm.learn.classifiers import LightGBMFaultClassifier, LinearFaultClassifier
from openphm.learn.predict import LearnedModel, ModelCard

__all__ = ["TRUSTED_SKOPS_TYPES", "load_model", "save_model"]

#: Types a skops model file may hold (anything else is refused before loading).
TRUSTED_SKOPS_TYPES = ("openphm.learn.classifiers.LinearFaultClassifier",)
_FORMAT = "openphm-model/1"


def save_model(path: str | Path, model: LearnedModel) -> Path:
    """Write a model file.

    Parameters
    ----------
    path : str or pathlib.Path
        The file to write (a zip; ``.openphm-model`` by convention).
    model : LearnedModel
        Fitted estimator and card.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ModelError
        An estimator of a kind this format does not hold.
    """
    out = Path(path)
    est: Any = model.estimator
    card = model.card.to_dict()
    files: dict[str, bytes] = {}
    if isinstance(est, LightGBMFaultClassifier):
        files["booster.txt"] = est.booster_.model_to_string().encode("utf-8")
        extra = {"classes": [str(c) for c in est.classes_], "n_features": int(est.n_features_in_)}
    elif isinstance(est, LinearFaultClassifier):
        import skops.io as sio

        files["model.skops"] = sio.dumps(est)
        extra = {}
    elif type(est).__name__ == "CnnFaultClassifier":
        buf = io.BytesIO()
        np.savez(buf, **est.weights())
        files["weights.npz"] = buf.getvalue()
        extra = {"classes": [str(c) for c in est.classes_], "n_features": int(est.n_features_in_)}
    else:
        raise ModelError(f"cannot save an estimator of type {type(est).__name__}")
    meta = {"format": _FORMAT, "card": card, "estimator": est.get_params(), **extra}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("card.json", json.dumps(meta, indent=1, sort_keys=True))
        for name, data in files.items():
            zf.writestr(name, data)
    return out


def _estimator(zf: zipfile.ZipFile, meta: dict[str, Any], where: str) -> Any:
    names = set(zf.namelist())
    params = meta.get("estimator", {})
    if "booster.txt" in names:
        import lightgbm as lgb

        est = LightGBMFaultClassifier(**params)
        est.booster_ = lgb.Booster(model_str=zf.read("booster.txt").decode("utf-8"))
        est.classes_ = np.asarray(meta["classes"])
        est.n_features_in_ = int(meta["n_features"])
        return est
    if "model.skops" in names:
        import skops.io as sio

        data = zf.read("model.skops")
        untrusted = set(sio.get_untrusted_types(data=data)) - set(TRUSTED_SKOPS_TYPES)
        if untrusted:
            raise ModelError(
                f"{where}: the model holds types openphm does not trust: {sorted(untrusted)}"
            )
        return sio.loads(data, trusted=list(TRUSTED_SKOPS_TYPES))
    if "weights.npz" in names:
        from openphm.learn.cnn import CnnFaultClassifier

        with np.load(io.BytesIO(zf.read("weights.npz")), allow_pickle=False) as npz:
            weights = {k: npz[k] for k in npz.files}
        return CnnFaultClassifier.from_weights(
            params, weights, np.asarray(meta["classes"]), int(meta["n_features"])
        )
    raise ModelError(f"{where}: no model inside (booster.txt, model.skops or weights.npz)")


def load_model(path: str | Path) -> LearnedModel:
    """Read a model file written by :func:`save_model`.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.

    Returns
    -------
    LearnedModel
        Estimator and card.

    Raises
    ------
    ModelError
        Not a model file, another format version, untrusted content, or a card that does not
        fit the model.
    """
    where = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            meta = json.loads(zf.read("card.json"))
            if meta.get("format") != _FORMAT:
                raise ModelError(f"{where}: format {meta.get('format')!r}, expected {_FORMAT!r}")
            est = _estimator(zf, meta, where)
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise ModelError(f"{where}: not an openphm model file ({exc})") from exc
    card = ModelCard.from_dict(meta["card"])
    if [str(c) for c in est.classes_] != list(card.classes):
        raise ModelError(f"{where}: the card's classes {card.classes} differ from the model's")
    if int(est.n_features_in_) != len(card.feature_names):
        raise ModelError(
            f"{where}: the card names {len(card.feature_names)} features, "
            f"the model reads {est.n_features_in_}"
        )
    return LearnedModel(est, card)

"""A small 1-D convolutional network over order-domain envelope spectra (extra ``dl``).

The input of each window is its squared-envelope spectrum on a fixed grid of shaft orders
(:func:`openphm.learn.features.order_envelope_spectrum`), so that a fault line sits in the same
bin at any speed and sampling rate (not for another bearing: its fault orders differ). Two
convolution blocks and a global max pool (translation-tolerant line detectors, as in the 1-D
CNNs of W. Zhang et al. 2017, "A new deep learning model for fault diagnosis with good
anti-noise and domain adaptation ability on raw vibration signals", Sensors 17(2) 425), then a
linear layer, in double precision (a row's answer must not depend on the batch it comes in).
torch is imported when a network is fitted or loaded; its weights are saved as
plain arrays (:mod:`openphm.learn.persist`), never a pickle.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from openphm.core.waveform import FloatArray
from openphm.learn.base import MostProbableClass
from openphm.learn.classifiers import _classes

__all__ = ["CnnFaultClassifier"]


def _network(n_classes: int, channels: int) -> Any:
    import torch

    return torch.nn.Sequential(
        torch.nn.Conv1d(1, channels, 7, padding=3),
        torch.nn.ReLU(),
        torch.nn.Conv1d(channels, channels, 5, padding=2),
        torch.nn.ReLU(),
        torch.nn.AdaptiveMaxPool1d(1),
        torch.nn.Flatten(),
        torch.nn.Linear(channels, n_classes),
    ).double()


@contextmanager
def _threads(n: int) -> Iterator[None]:
    """torch's intra-op threads set to ``n`` for a block, then restored (a small network on a
    shared machine runs several times faster on one thread than on contended ones)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(max(1, int(n)))
    try:
        yield
    finally:
        torch.set_num_threads(before)


class CnnFaultClassifier(MostProbableClass, ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """1-D CNN over a row of spectrum bins, with the scikit-learn interface.

    Parameters
    ----------
    channels : int, default 16
        Filters per convolution.
    epochs : int, default 60
        Full-batch Adam steps.
    learning_rate : float, default 0.01
        Adam's step size.
    random_state : int, default 0
        Seed of the weights' initialisation (torch's global generator is saved and restored).
    n_threads : int, default 1
        torch threads while fitting and predicting (restored afterwards).

    Attributes
    ----------
    network_ : torch.nn.Module
        The fitted network.
    mean_, scale_ : float
        Standardisation of the inputs (one value over all bins).
    classes_ : numpy.ndarray
        Class labels.
    n_features_in_ : int
        Bins per row.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 32)); y = np.array(["inner", "outer"] * 30)
    >>> X[y == "inner", 10] += 6.0  # a line in bin 10
    >>> clf = CnnFaultClassifier(epochs=80).fit(X, y)
    >>> float((clf.predict(X) == y).mean()) > 0.9
    True
    """

    def __init__(
        self,
        channels: int = 16,
        epochs: int = 60,
        learning_rate: float = 0.01,
        random_state: int = 0,
        n_threads: int = 1,
    ) -> None:
        self.channels = channels
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.random_state = random_state
        self.n_threads = n_threads

    def _tensor(self, Xa: FloatArray) -> Any:
        import torch

        z = (Xa - self.mean_) / self.scale_
        return torch.as_tensor(z, dtype=torch.float64).unsqueeze(1)

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike) -> CnnFaultClassifier:
        """Fit the network by full-batch Adam on the cross-entropy.

        Parameters
        ----------
        X : array_like of shape (n_windows, n_bins)
            Spectra.
        y : array_like of shape (n_windows,)
            Labels.

        Returns
        -------
        CnnFaultClassifier
            ``self``, fitted.
        """
        import torch

        Xa, ya = validate_data(self, X, y, dtype=np.float64)
        self.classes_, codes = _classes(ya)
        self.mean_ = float(Xa.mean())
        self.scale_ = float(Xa.std()) or 1.0
        with _threads(self.n_threads), torch.random.fork_rng(devices=[]):
            torch.manual_seed(int(self.random_state))
            net = _network(int(self.classes_.size), int(self.channels))
            opt = torch.optim.Adam(net.parameters(), lr=float(self.learning_rate))
            inputs = self._tensor(Xa)
            target = torch.as_tensor(codes, dtype=torch.long)
            for _ in range(int(self.epochs)):
                opt.zero_grad()
                loss = torch.nn.functional.cross_entropy(net(inputs), target)
                loss.backward()  # type: ignore[no-untyped-call]
                opt.step()
        self.network_ = net.eval()
        return self

    def _logits(self, X: npt.ArrayLike, grad: bool = False) -> tuple[Any, Any]:
        import torch

        check_is_fitted(self)
        Xa = validate_data(self, X, reset=False, dtype=np.float64)
        inputs = self._tensor(Xa).requires_grad_(grad)
        with _threads(self.n_threads), torch.set_grad_enabled(grad):
            return inputs, self.network_(inputs)

    def predict_proba(self, X: npt.ArrayLike) -> FloatArray:
        """Class probabilities (softmax of the logits).

        Parameters
        ----------
        X : array_like of shape (n_windows, n_bins)
            Spectra.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_windows, n_classes)``.
        """
        import torch

        _, logits = self._logits(X)
        return np.asarray(torch.softmax(logits, dim=1).double().numpy(), dtype=np.float64)

    def contributions(self, X: npt.ArrayLike) -> FloatArray:
        """Gradient x input of each class's log-probability, per bin (standardised input).

        Parameters
        ----------
        X : array_like of shape (n_windows, n_bins)
            Spectra.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_windows, n_classes, n_bins)``.

        Notes
        -----
        A first-order attribution (A. Shrikumar et al. 2017, "Learning important features
        through propagating activation differences", ICML, where gradient x input is the
        baseline method): it shows which spectrum bins (orders) the verdict leaned on.
        """
        import torch

        out = []
        for k in range(int(self.classes_.size)):
            inputs, logits = self._logits(X, grad=True)
            logp = torch.log_softmax(logits, dim=1)[:, k].sum()
            (g,) = torch.autograd.grad(logp, inputs)
            out.append((g * inputs).squeeze(1).detach().double().numpy())
        return np.stack(out, axis=1)

    def weights(self) -> dict[str, FloatArray]:
        """The network's weights and the standardisation, as plain arrays.

        Returns
        -------
        dict of str to numpy.ndarray
            ``state_dict`` entries, plus ``_mean`` and ``_scale``.
        """
        check_is_fitted(self)
        arrays = {k: v.detach().double().numpy() for k, v in self.network_.state_dict().items()}
        return {**arrays, "_mean": np.array(self.mean_), "_scale": np.array(self.scale_)}

    @classmethod
    def from_weights(
        cls,
        params: Mapping[str, Any],
        weights: Mapping[str, FloatArray],
        classes: npt.NDArray[Any],
        n_features: int,
    ) -> CnnFaultClassifier:
        """Rebuild a fitted network from :meth:`weights`.

        Parameters
        ----------
        params : Mapping
            The constructor's parameters.
        weights : Mapping of str to numpy.ndarray
            What :meth:`weights` returned.
        classes : numpy.ndarray
            Class labels.
        n_features : int
            Bins per row.

        Returns
        -------
        CnnFaultClassifier
            Fitted.
        """
        import torch

        est = cls(**params)
        est.classes_ = np.asarray(classes)
        est.n_features_in_ = int(n_features)
        est.mean_ = float(weights["_mean"])
        est.scale_ = float(weights["_scale"])
        net = _network(int(est.classes_.size), int(est.channels))
        state = {
            k: torch.as_tensor(np.asarray(v), dtype=torch.float64)
            for k, v in weights.items()
            if not k.startswith("_")
        }
        net.load_state_dict(state)
        est.network_ = net.eval()
        return est

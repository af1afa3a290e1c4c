"""Every learned estimator keeps scikit-learn's contract."""

from __future__ import annotations

from sklearn.utils.estimator_checks import parametrize_with_checks

from openphm.learn.classifiers import LightGBMFaultClassifier, LinearFaultClassifier
from openphm.learn.cnn import CnnFaultClassifier
from openphm.learn.hybrid import HybridClassifier


@parametrize_with_checks(
    [
        LightGBMFaultClassifier(n_estimators=10),
        LinearFaultClassifier(),
        HybridClassifier(physics_columns=(("1", 0),)),
        CnnFaultClassifier(channels=4, epochs=15, learning_rate=0.05),
    ]
)
def test_sklearn_contract(estimator, check):  # type: ignore[no-untyped-def]
    check(estimator)

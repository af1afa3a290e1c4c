"""Every learned estimator keeps scikit-learn's contract."""

from __future__ import annotations

from sklearn.utils.estimator_checks import parametrize_with_checks

from openphm.learn.classifiers import LightGBMFaultClassifier, LinearFaultClassifier


@parametrize_with_checks([LightGBMFaultClassifier(n_estimators=10), LinearFaultClassifier()])
def test_sklearn_contract(estimator, check):  # type: ignore[no-untyped-def]
    check(estimator)

"""Prognostic assessment (ISO 13374 PA): remaining useful life as a distribution.

Estimators behind one interface (:mod:`~openphm.prognose.interface`): exponential degradation
with Bayesian updating (:mod:`~openphm.prognose.exponential`), a particle filter
(:mod:`~openphm.prognose.particle`), similarity to run-to-failure histories
(:mod:`~openphm.prognose.similarity`), gradient boosting on telemetry
(:mod:`~openphm.prognose.telemetry`), and the ISO 281 prior (:mod:`~openphm.prognose.prior`);
health indicators and their selection metrics in :mod:`~openphm.prognose.indicators`.
"""

from openphm.prognose.exponential import ExponentialDegradation, ExponentialSettings
from openphm.prognose.interface import History, Observation, RulEstimator, run_history
from openphm.prognose.particle import ParticleFilter, ParticleSettings
from openphm.prognose.prior import IsoPrior, combine_with_prior
from openphm.prognose.similarity import SimilarityRul

__all__ = [
    "ExponentialDegradation",
    "ExponentialSettings",
    "History",
    "IsoPrior",
    "Observation",
    "ParticleFilter",
    "ParticleSettings",
    "RulEstimator",
    "SimilarityRul",
    "combine_with_prior",
    "run_history",
]

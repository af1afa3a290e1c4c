"""Learned health assessment: fault-location models on physics-informed order-domain features.

Feature extraction (:mod:`openphm.learn.features`), classifiers with a scikit-learn interface
(:mod:`openphm.learn.classifiers`, :mod:`openphm.learn.cnn` with the ``dl`` extra), the hybrid with
the physics verdict (:mod:`openphm.learn.hybrid`) and safe model files
(:mod:`openphm.learn.persist`). Importing this package loads neither torch nor LightGBM.
"""

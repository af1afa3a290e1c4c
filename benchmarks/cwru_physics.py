"""CWRU physics-diagnosis benchmark: same as ``openphm bench cwru-physics``.

Run: ``OPENPHM_DATA=/path/to/data python benchmarks/cwru_physics.py [--json]``.
"""

from __future__ import annotations

import sys

from openphm.cli.main import app

if __name__ == "__main__":
    app(["bench", "cwru-physics", *sys.argv[1:]])

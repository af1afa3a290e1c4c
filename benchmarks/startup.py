"""Time of the whole ``openphm diagnose`` command, and of a diagnosis in a fresh process.

Start-up is part of the product: an engineer who types ``openphm diagnose FILE`` waits for the
interpreter, the imports, reading the file, the diagnosis and the printing. Each figure is the
fastest of ``--repeats`` fresh processes; the baseline, timed in the same run, is a bare
``python -c pass`` (the interpreter alone), so the ratio is the figure to compare on these shared,
noisy machines, the absolute time beside it. Processes are timed by wall clock and by CPU time
(user + system, from ``getrusage``), which a loaded machine's waits for a core leave out.

- ``python``: ``python -c pass``, the baseline.
- ``help``: ``openphm --help``.
- ``diagnose``: ``openphm diagnose FILE --json`` as a user runs it.
- in one fresh process (``--json`` gives each): importing ``openphm.diagnose`` and reading the
  record, the first diagnosis (which builds the kurtogram's filter plan), a second one of the
  same record (the plan cached), and one ``numpy.fft.rfft`` of the record.
- the heavy libraries that ``openphm diagnose`` loaded (none of them is needed to diagnose).

The record is CWRU 105 (10 s at 12 kHz, inner-race fault) when ``$OPENPHM_DATA`` holds it,
otherwise a simulated 10 s, 12 kHz outer-race record (``tests/helpers/bearing_sim.py``) written
to a temporary WAV file.

Usage: ``python benchmarks/startup.py [--repeats R] [--json]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Libraries that a diagnosis does not need; the probe reports which of them were loaded.
HEAVY = (
    "matplotlib",
    "pandas",
    "scipy.stats",
    "scipy.signal",
    "scipy.interpolate",
    "sqlalchemy",
    "pydantic",
    "pyarrow",
)

_PROBE = """
import json, sys, time
t0 = time.perf_counter()
import numpy as np
from openphm.acquire import read
from openphm.acquire.channels import default_channel
from openphm.diagnose import diagnose_bearing
path, rpm = sys.argv[1], float(sys.argv[2])
wave = default_channel(read(path))
t1 = time.perf_counter()
diagnose_bearing(wave, "6205", speed_hz=rpm / 60.0)
t2 = time.perf_counter()
diagnose_bearing(wave, "6205", speed_hz=rpm / 60.0)
t3 = time.perf_counter()
best = min(
    (lambda s: (np.fft.rfft(wave.samples), time.perf_counter() - s)[1])(time.perf_counter())
    for _ in range(5)
)
print(json.dumps({"import_and_read_s": t1 - t0, "first_diagnosis_s": t2 - t1,
                  "second_diagnosis_s": t3 - t2, "rfft_s": best, "samples": wave.n_samples}))
"""

_LOADED = """
import json, sys
from openphm.cli.main import main
heavy, out = json.loads(sys.argv[1]), sys.argv[2]
sys.argv = ["openphm", *sys.argv[3:]]
try:
    main()
except SystemExit:
    pass
with open(out, "w") as f:
    json.dump([h for h in heavy if h in sys.modules], f)
"""


def record(tmp: Path) -> tuple[Path, float, str]:
    """The record to diagnose, its shaft speed in r/min and a description."""
    root = os.environ.get("OPENPHM_DATA", "")
    cwru = Path(root) / "cwru" / "12k_drive_end" / "105.mat"
    if root and cwru.is_file():
        return cwru, 1797.0, f"CWRU 105 ({cwru})"
    import numpy as np
    import soundfile

    sys.path.insert(0, str(ROOT))
    from tests.helpers.bearing_sim import simulate_bearing

    w = simulate_bearing("outer", rng=np.random.default_rng(1), fs=12000.0, duration_s=10.0)
    path = tmp / "simulated.wav"
    soundfile.write(path, w.samples / np.abs(w.samples).max(), 12000, subtype="FLOAT")
    return path, 60.0 * float(w.speed_hz or 25.0), "simulated outer-race record, 10 s at 12 kHz"


def best_time(cmd: list[str], repeats: int) -> tuple[float, float]:
    """Fastest wall time and fastest CPU time (user + system) of ``repeats`` runs of ``cmd``
    in fresh processes, s. On a loaded machine the wall time counts the waits for a core; the
    CPU time does not."""
    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return min(walls), min(cpus)


def run(repeats: int) -> dict[str, object]:
    """Measure every figure; return them with their ratios."""
    python = sys.executable
    openphm = str(Path(python).with_name("openphm"))
    with tempfile.TemporaryDirectory() as folder:
        path, rpm, source = record(Path(folder))
        diagnose = [openphm, "diagnose", str(path), "--rpm", f"{rpm:g}", "--json"]
        baseline = best_time([python, "-c", "pass"], repeats)
        help_s = best_time([openphm, "--help"], repeats)
        diagnose_s = best_time(diagnose, repeats)
        fresh = min(
            (
                json.loads(
                    subprocess.run(
                        [python, "-c", _PROBE, str(path), str(rpm)],
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout
                )
                for _ in range(repeats)
            ),
            key=lambda r: r["first_diagnosis_s"],
        )
        out = Path(folder) / "loaded.json"
        subprocess.run(
            [python, "-c", _LOADED, json.dumps(HEAVY), str(out), *diagnose[1:]],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        loaded = json.loads(out.read_text())
    return {
        "record": source,
        "samples": fresh["samples"],
        "python_s": baseline[0],
        "python_cpu_s": baseline[1],
        "help_s": help_s[0],
        "help_cpu_s": help_s[1],
        "help_cpu_ratio": help_s[1] / baseline[1],
        "diagnose_process_s": diagnose_s[0],
        "diagnose_process_cpu_s": diagnose_s[1],
        "diagnose_process_cpu_ratio": diagnose_s[1] / baseline[1],
        **{k: v for k, v in fresh.items() if k != "samples"},
        "first_diagnosis_ratio_to_rfft": fresh["first_diagnosis_s"] / fresh["rfft_s"],
        "second_diagnosis_ratio_to_rfft": fresh["second_diagnosis_s"] / fresh["rfft_s"],
        "heavy_loaded_by_diagnose": loaded,
        "repeats": repeats,
    }


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="processes per figure (fastest)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    r = run(args.repeats)
    if args.json:
        print(json.dumps(r, indent=2))
        return
    print(f"record: {r['record']} ({r['samples']} samples); fastest of {r['repeats']} processes")
    print("  (wall s, CPU s, CPU ratio to python)")
    print(f"  python -c pass            {r['python_s']:.3f}  {r['python_cpu_s']:.3f}  (baseline)")
    print(
        f"  openphm --help            {r['help_s']:.3f}  {r['help_cpu_s']:.3f}  "
        f"{r['help_cpu_ratio']:.1f} x"
    )
    print(
        f"  openphm diagnose --json   {r['diagnose_process_s']:.3f}  "
        f"{r['diagnose_process_cpu_s']:.3f}  {r['diagnose_process_cpu_ratio']:.1f} x"
    )
    print(f"  fresh process: import + read {r['import_and_read_s']:.3f} s")
    print(
        f"    first diagnosis  {r['first_diagnosis_s']:.3f} s  "
        f"{r['first_diagnosis_ratio_to_rfft']:.0f} x rfft ({1e3 * r['rfft_s']:.1f} ms)"
    )
    print(
        f"    second diagnosis {r['second_diagnosis_s']:.3f} s  "
        f"{r['second_diagnosis_ratio_to_rfft']:.0f} x rfft"
    )
    print(f"  heavy libraries loaded by diagnose: {', '.join(r['heavy_loaded_by_diagnose'])}")


if __name__ == "__main__":
    main()

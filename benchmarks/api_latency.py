"""API latency under concurrent clients, and upload-to-alarm time, on SQLite and PostgreSQL.

A small fleet is built in a temporary store: a CWRU rig with the demo records 105 (inner-race
fault) and 130 (outer-race fault) ingested, so that the pages have content, and a fan with a 6205
bearing for the alarm run. The service runs in its own process (``uvicorn`` on 127.0.0.1, one
worker, a free port), stopped at the end. Then ``--clients`` threads, each with its own
``httpx.Client`` and an API token, send ``--requests`` requests per route (bounded by
``--route-timeout`` seconds, so ``n`` may be fewer) and the latency of each is timed from send
to the last byte:

- ``auth/me``, the baseline: a trivial route (authentication only), timed in the same run, so
  that the others read as ratios against it;
- ``GET /`` (fleet page), ``GET /machines/{id}`` (machine page), ``GET /api/v1/status``;
- ``GET /api/v1/measurements/{id}/envelope`` (an envelope spectrum computed from a record).

Beside the percentiles: the ratio of each median to the baseline's and the throughput
(requests per second of wall time). With one server process, the latency under load is mostly
queueing: about ``clients`` times the time the server spends on one request.

*Upload-to-alarm*: on each of ``--alarm-points`` fresh points, two healthy simulated measurements
(1 s at 25.6 kHz) are posted, then faulty ones (outer-race fault, ISO zone D) until the alarm
shows in ``GET /api/v1/alarms?point=...``; the figure is the time from the start of the POST of
the measurement that raised it until the GET that first lists it has answered (one client, no
other load). The alarm rules need ``min_count`` (3) consecutive bad measurements, so the count of
faulty uploads is reported beside it.

Usage: ``python benchmarks/api_latency.py [--clients 20] [--requests 400] [--database-url URL]
[--json]`` (PostgreSQL also from ``$OPENPHM_TEST_DATABASE_URL``, in a fresh schema dropped
afterwards).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.bearing_sim import simulate_bearing

from openphm.knowledge.profiles import load_profile
from openphm.pipeline.fleet import add_machine_from_profile
from openphm.pipeline.ingest import ingest
from openphm.pipeline.transport import IncomingFile
from openphm.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo" / "cwru"
FS = 25600.0
SPEED_HZ = 29.95
#: Routes timed under load, in the order of the table; the first is the baseline.
ROUTES = ("auth/me (baseline)", "status", "fleet page", "machine page", "envelope")


@contextmanager
def _schema(url: str | None) -> Iterator[str | None]:
    """A fresh PostgreSQL schema for one run (dropped afterwards); SQLite needs none."""
    if url is None:
        yield None
        return
    base = make_url(url)
    name = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def build(home: Path, url: str | None, alarm_points: int) -> dict[str, Any]:
    """The fleet: the CWRU rig with records 105 and 130, a fan with ``alarm_points`` points, a
    user and an API token. Returns the ids the clients need."""
    store = Store.open(home / "store", url)
    try:
        rig = add_machine_from_profile(store, load_profile("cwru_rig"), "lab", "rig1")
        drop = home / "drop"
        drop.mkdir()
        start = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
        measurements = []
        for i, name in enumerate(("105.mat.xz", "130.mat.xz")):
            copy = drop / name
            shutil.copyfile(DEMO / name, copy)
            at = start + timedelta(days=i)
            os.utime(copy, (at.timestamp(), at.timestamp()))
            outcome = ingest(store, IncomingFile(copy, "lab/rig1/DE", at))
            if outcome.measurement_id is None:
                raise RuntimeError(f"demo record {name} was not stored: {outcome}")
            measurements.append(outcome.measurement_id)
        store.add_site("plant")
        store.add_machine("plant", "fan", profile="electric_motor", iso_group=2)
        store.add_component("plant/fan", "DE", kind="bearing", designation="6205")
        points = [
            store.add_point(
                "plant/fan", f"P{k}", sensor="accelerometer", unit="g", fs_hz=FS, components=["DE"]
            ).id
            for k in range(alarm_points)
        ]
        store.add_user("bench", "engineer")
        token = store.add_token("bench").secret
    finally:
        store.close()
    return {
        "machine": rig.id,
        "measurement": measurements[-1],
        "alarm_points": points,
        "token": token,
    }


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serve(home: Path, url: str | None) -> Iterator[str]:
    """The service in its own process on 127.0.0.1 and a free port; its base URL."""
    port = _free_port()
    env = {**os.environ, "OPENPHM_HOME": str(home / "store")}
    env.pop("OPENPHM_DATABASE_URL", None)
    if url is not None:
        env["OPENPHM_DATABASE_URL"] = url
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "openphm.service.app:create_app"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env, cwd=home)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60.0
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the service exited with {proc.returncode}")
            try:
                httpx.get(f"{base}/api/v1/openapi.json", timeout=2.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the service did not start within 60 s") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10.0)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _paths(ids: dict[str, Any]) -> dict[str, str]:
    return {
        "auth/me (baseline)": "/api/v1/auth/me",
        "status": "/api/v1/status",
        "fleet page": "/",
        "machine page": f"/machines/{ids['machine']}",
        "envelope": f"/api/v1/measurements/{ids['measurement']}/envelope",
    }


def _load(
    base: str, path: str, token: str, clients: int, requests: int, timeout_s: float
) -> tuple[list[float], float]:
    """``requests`` GETs of ``path`` from ``clients`` threads at once: each latency and the
    wall time of them all, s."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)
    deadline = [0.0]
    started = [0.0]
    counter = iter(range(requests))

    def client() -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60.0) as c:
            c.get(path)  # connect and warm up, untimed
            barrier.wait()
            with lock:
                if not deadline[0]:
                    started[0] = time.perf_counter()
                    deadline[0] = time.monotonic() + timeout_s
            mine = []
            while time.monotonic() < deadline[0]:
                with lock:
                    if next(counter, None) is None:
                        break
                t0 = time.perf_counter()
                r = c.get(path)
                mine.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    errors.append(f"{path}: {r.status_code} {r.text[:200]}")
                    break
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall_s = time.perf_counter() - started[0]
    if errors:
        raise RuntimeError(errors[0])
    return latencies, wall_s


def _stats(latencies: list[float], wall_s: float) -> dict[str, float]:
    ms = 1e3 * np.asarray(latencies)
    return {
        "n": int(ms.size),
        "per_s": ms.size / wall_s,
        "median_ms": float(np.median(ms)),
        "p95_ms": float(np.percentile(ms, 95)),
        "p99_ms": float(np.percentile(ms, 99)),
    }


def _payload(fault: str, at: datetime, rng: np.random.Generator) -> dict[str, Any]:
    """1 s of a simulated 6205 bearing; a fault is strong enough for ISO zone D."""
    wave = simulate_bearing(fault, rng=rng, fs=FS, duration_s=1.0, shaft_hz=SPEED_HZ)
    gain = 0.1 if fault == "healthy" else 3.0
    return {
        "acquired_at": at.isoformat(),
        "fs_hz": FS,
        "unit": "g",
        "samples": (gain * wave.samples).tolist(),
        "speed_hz": SPEED_HZ,
    }


def upload_to_alarm(
    base: str, token: str, point: int, rng: np.random.Generator, healthy: int = 2, limit: int = 8
) -> dict[str, Any]:
    """Post healthy then faulty measurements to ``point`` until an alarm on it shows in the API."""
    headers = {"Authorization": f"Bearer {token}"}
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with httpx.Client(base_url=base, headers=headers, timeout=120.0) as c:
        for i in range(healthy + limit):
            fault = "healthy" if i < healthy else "outer"
            body = json.dumps(_payload(fault, start + timedelta(minutes=i), rng))
            t0 = time.perf_counter()
            r = c.post(
                f"/api/v1/points/{point}/samples",
                content=body,
                headers={"Content-Type": "application/json"},
            )
            post_s = time.perf_counter() - t0
            if r.status_code not in (200, 201):
                raise RuntimeError(f"upload to point {point}: {r.status_code} {r.text[:200]}")
            alarms = c.get("/api/v1/alarms", params={"point": point}).json()
            total_s = time.perf_counter() - t0
            if alarms:
                if i < healthy:
                    raise RuntimeError(f"a healthy upload raised an alarm: {alarms}")
                return {
                    "faulty_uploads": i - healthy + 1,
                    "post_ms": 1e3 * post_s,
                    "upload_to_alarm_ms": 1e3 * total_s,
                    "alarm": f"{alarms[0].get('key')} {alarms[0].get('level')}",
                }
    raise RuntimeError(f"no alarm on point {point} after {limit} faulty uploads")


def measure(
    url: str | None,
    clients: int,
    requests: int,
    route_timeout_s: float,
    alarm_points: int,
    seed: int = 0,
) -> dict[str, Any]:
    """Latency of each route under ``clients`` concurrent clients and upload-to-alarm times."""
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory(prefix="openphm-bench-") as tmp, _schema(url) as scoped:
        home = Path(tmp)
        ids = build(home, scoped, alarm_points)
        with serve(home, scoped) as base:
            routes = {}
            for name, path in _paths(ids).items():
                latencies, wall_s = _load(
                    base, path, ids["token"], clients, requests, route_timeout_s
                )
                routes[name] = _stats(latencies, wall_s)
            alarms = [upload_to_alarm(base, ids["token"], p, rng) for p in ids["alarm_points"]]
    baseline = routes[ROUTES[0]]["median_ms"]
    for row in routes.values():
        row["ratio_median"] = row["median_ms"] / baseline
    return {
        "backend": "postgresql" if url else "sqlite",
        "clients": clients,
        "routes": routes,
        "upload_to_alarm": {
            "runs": alarms,
            "median_ms": float(np.median([a["upload_to_alarm_ms"] for a in alarms])),
            "max_ms": float(np.max([a["upload_to_alarm_ms"] for a in alarms])),
        },
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=400, help="timed requests per route")
    parser.add_argument("--route-timeout", type=float, default=12.0, help="time limit per route, s")
    parser.add_argument("--alarm-points", type=int, default=3, help="upload-to-alarm runs")
    parser.add_argument(
        "--database-url", default=os.environ.get("OPENPHM_TEST_DATABASE_URL") or None
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    urls: list[str | None] = [None] + ([args.database_url] if args.database_url else [])
    rows = [
        measure(url, args.clients, args.requests, args.route_timeout, args.alarm_points)
        for url in urls
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        print(f"{r['backend']}, {r['clients']} concurrent clients (latency in ms)")
        print(f"{'route':<20}{'n':>6}{'median':>9}{'p95':>9}{'p99':>9}{'x base':>8}{'req/s':>8}")
        for name, s in r["routes"].items():
            print(
                f"{name:<20}{s['n']:>6}{s['median_ms']:>9.1f}{s['p95_ms']:>9.1f}"
                f"{s['p99_ms']:>9.1f}{s['ratio_median']:>8.1f}{s['per_s']:>8.1f}"
            )
        ua = r["upload_to_alarm"]
        runs = ", ".join(
            f"{a['upload_to_alarm_ms']:.0f} ms ({a['faulty_uploads']} faulty, {a['alarm']})"
            for a in ua["runs"]
        )
        print(
            f"upload-to-alarm: median {ua['median_ms']:.0f} ms, max {ua['max_ms']:.0f} ms: {runs}"
        )
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

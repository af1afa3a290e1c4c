"""``/jobs``: a re-processing job submitted by an engineer runs on the app's executor and says
where it stands; viewers read, an unknown machine is 404, bad settings 422."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openphm.knowledge.profiles import load_profile
from openphm.pipeline.fleet import add_machine_from_profile
from openphm.service.api.jobs import JobBoard
from openphm.service.app import API_PREFIX
from openphm.store import Store
from tests.helpers.bearing_sim import simulate_bearing


def _rig(store: Store) -> list[int]:
    add_machine_from_profile(store, load_profile("cwru_rig"), "lab", "rig1")
    rng = np.random.default_rng(4)
    now = datetime.now(UTC)
    ids = []
    for age_days in (120.0, 10.0, 1.0):
        wave = simulate_bearing("inner", rng=rng, duration_s=1.5)
        added = store.add_samples(
            "lab/rig1/DE",
            wave.samples,
            fs_hz=wave.fs,
            acquired_at=now - timedelta(days=age_days),
            speed_hz=29.95,
        )
        ids.append(added.measurement_id)
    return ids


def test_an_engineer_reruns_a_machine_over_the_last_days_with_new_settings(
    app: FastAPI, service_store: Store, client_for: Callable[[str | None], TestClient]
) -> None:
    ids = _rig(service_store)
    engineer, viewer = client_for("engineer"), client_for("viewer")
    body = {"machine": "lab/rig1", "days": 90, "settings": {"diagnosis": {"n_harmonics": 4}}}
    assert viewer.post(f"{API_PREFIX}/jobs", json=body).status_code == 403
    answer = engineer.post(f"{API_PREFIX}/jobs", json=body)
    assert answer.status_code == 202, answer.text
    job = answer.json()
    assert job["state"] in ("queued", "running", "done") and job["user"] == "engineer"
    board = app.state.jobs
    assert isinstance(board, JobBoard)
    board.wait(timeout_s=120)
    done = viewer.get(f"{API_PREFIX}/jobs/{job['id']}").json()
    assert done["state"] == "done", done
    assert (done["items"], done["finished"]) == (2, 2)
    assert done["summary"]["processed"] == 2 and done["summary"]["failed"] == 0
    assert service_store.results(ids[0]) == []
    stored = service_store.results(ids[2], kind="diagnosis")
    assert stored and stored[0].payload["verdict"] == "inner"
    assert stored[0].settings is not None and stored[0].settings["diagnosis"]["n_harmonics"] == 4
    again = engineer.post(f"{API_PREFIX}/jobs", json=body).json()
    board.wait(timeout_s=120)
    second = viewer.get(f"{API_PREFIX}/jobs/{again['id']}").json()
    assert second["summary"]["skipped"] == 2 and second["summary"]["processed"] == 0
    listed = viewer.get(f"{API_PREFIX}/jobs").json()
    assert [j["id"] for j in listed] == [again["id"], job["id"]]


def test_unknown_machine_bad_settings_and_unknown_job_are_refused(
    service_store: Store, client_for: Callable[[str | None], TestClient]
) -> None:
    _rig(service_store)
    engineer = client_for("engineer")
    missing = engineer.post(f"{API_PREFIX}/jobs", json={"machine": "lab/none"})
    assert missing.status_code == 404, missing.text
    bad = engineer.post(
        f"{API_PREFIX}/jobs", json={"machine": "lab/rig1", "settings": {"diagnosis": {"x": 1}}}
    )
    assert bad.status_code == 422 and "x" in bad.text
    out_of_range = engineer.post(
        f"{API_PREFIX}/jobs",
        json={"machine": "lab/rig1", "settings": {"diagnosis": {"n_harmonics": 0}}},
    )
    assert out_of_range.status_code == 422
    assert engineer.get(f"{API_PREFIX}/jobs/99").status_code == 404
    assert client_for(None).get(f"{API_PREFIX}/jobs").status_code == 401


def test_stopping_the_app_stops_its_job_thread(
    app: FastAPI, service_store: Store, client_for: Callable[[str | None], TestClient]
) -> None:
    _rig(service_store)
    body = {"machine": "lab/rig1", "days": 90}
    with TestClient(app) as running:  # runs the app's lifespan: start, then stop
        engineer = client_for("engineer")
        running.cookies.update(engineer.cookies)
        running.headers.update(engineer.headers)
        assert running.post(f"{API_PREFIX}/jobs", json=body).status_code == 202
        board = app.state.jobs
        deadline = time.monotonic() + 60
        while board.jobs()[0].state == "queued" and time.monotonic() < deadline:
            time.sleep(0.01)
    # The running job finished before the app stopped; nothing is left to run on the thread.
    assert board.jobs()[0].state == "done"
    with pytest.raises(RuntimeError):
        board.wait(timeout_s=1)

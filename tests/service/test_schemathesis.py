"""Schemathesis over the API's OpenAPI document: no request, however odd, gets a server error.

Every operation is called, as an admin (so that the request reaches the route and not only the
authentication), with a few generated examples each, on a store holding a CWRU rig and one
measurement, so that ids 1 exist.
"""

from __future__ import annotations

import numpy as np
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

from openphm.knowledge.profiles import load_profile
from openphm.pipeline.fleet import add_machine_from_profile
from openphm.service.app import API_PREFIX
from openphm.store import Store


@pytest.fixture
def api_schema(app: FastAPI, service_store: Store, store_target):  # type: ignore[no-untyped-def]
    if store_target.backend != "sqlite":
        pytest.skip("schemathesis runs on SQLite only (the routes are the same on both)")
    add_machine_from_profile(service_store, load_profile("cwru_rig"), "lab", "rig1")
    service_store.add_samples(
        "lab/rig1/DE",
        np.random.default_rng(0).normal(size=2048),
        fs_hz=12000.0,
        acquired_at=service_store.point("lab/rig1/DE").created_at,
        speed_hz=29.95,
    )
    app.state.admin_secret = service_store.add_token("admin").secret
    return schemathesis.openapi.from_asgi(f"{API_PREFIX}/openapi.json", app)


def test_no_server_error(api_schema, app: FastAPI) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {app.state.admin_secret}"}
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 30

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=4,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
            )

        try:
            check()
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])
    assert not failures, "\n".join(failures)

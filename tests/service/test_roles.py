"""Every API route x every role (none, viewer, engineer, admin): generated from the app's routes.

A route that is not in :data:`RULES` fails the test, so a new route cannot ship without a rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openphm.service.app import API_PREFIX
from openphm.service.auth import role_rank
from tests.service.conftest import ROLES

#: (method, path under /api/v1) -> the lowest role allowed ("public": no sign-in needed).
RULES: dict[tuple[str, str], str] = {
    ("POST", "/auth/login"): "public",
    ("POST", "/auth/logout"): "public",
    ("GET", "/auth/me"): "viewer",
    ("GET", "/users"): "admin",
    ("POST", "/users"): "admin",
    ("GET", "/users/{name}"): "admin",
    ("PATCH", "/users/{name}"): "admin",
    ("GET", "/tokens"): "admin",
    ("POST", "/tokens"): "admin",
    ("DELETE", "/tokens/{token_id}"): "admin",
    ("GET", "/sites"): "viewer",
    ("POST", "/sites"): "engineer",
    ("GET", "/machines"): "viewer",
    ("POST", "/machines"): "engineer",
    ("GET", "/machines/{machine_id}"): "viewer",
    ("PATCH", "/machines/{machine_id}"): "engineer",
    ("GET", "/machines/{machine_id}/components"): "viewer",
    ("POST", "/machines/{machine_id}/components"): "engineer",
    ("GET", "/machines/{machine_id}/components/{component_id}/diagnoses"): "viewer",
    ("POST", "/machines/{machine_id}/points"): "engineer",
    ("GET", "/points"): "viewer",
    ("GET", "/points/{point_id}"): "viewer",
    ("PATCH", "/points/{point_id}"): "engineer",
    ("POST", "/points/{point_id}/measurements"): "engineer",
    ("POST", "/points/{point_id}/samples"): "engineer",
    ("GET", "/points/{point_id}/trends/{indicator}"): "viewer",
    ("GET", "/measurements"): "viewer",
    ("GET", "/measurements/{measurement_id}"): "viewer",
    ("GET", "/measurements/{measurement_id}/samples"): "viewer",
    ("GET", "/measurements/{measurement_id}/spectrum"): "viewer",
    ("GET", "/measurements/{measurement_id}/envelope"): "viewer",
    ("GET", "/measurements/{measurement_id}/spectrogram"): "viewer",
    ("GET", "/measurements/{measurement_id}/results"): "viewer",
    ("GET", "/measurements/{measurement_id}/diagnoses"): "viewer",
    ("GET", "/alarms"): "viewer",
    ("GET", "/alarms/{alarm_id}"): "viewer",
    ("POST", "/alarms/{alarm_id}/acknowledge"): "engineer",
    ("POST", "/alarms/{alarm_id}/comments"): "engineer",
    ("GET", "/status"): "viewer",
    ("GET", "/status/machines/{machine_id}"): "viewer",
    ("GET", "/reports/measurements/{measurement_id}"): "viewer",
    ("GET", "/jobs"): "viewer",
    ("POST", "/jobs"): "engineer",
    ("GET", "/jobs/{job_id}"): "viewer",
}

#: Values for path parameters: ids that do not exist (an allowed caller gets 404, not 2xx with
#: side effects), names that do not exist.
PATH_VALUES = {"name": "nobody", "indicator": "rms"}


def api_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path under /api/v1) of every API route of the app, from its OpenAPI document
    (FastAPI >= 0.16x keeps included routers lazily, so ``app.routes`` does not list them)."""
    found = []
    for path, operations in app.openapi()["paths"].items():
        if path.startswith(API_PREFIX + "/"):
            for method in operations:
                found.append((method.upper(), path.removeprefix(API_PREFIX)))
    return sorted(found)


def _url(path: str) -> str:
    return API_PREFIX + re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES.get(m.group(1), "999999"), path)


def test_every_route_has_a_rule(app: FastAPI) -> None:
    routes = set(api_routes(app))
    missing = sorted(routes - set(RULES))
    assert not missing, f"routes without a rule in RULES: {missing}"
    stale = sorted(set(RULES) - routes)
    assert not stale, f"rules for routes that do not exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_route_role_matrix(
    app: FastAPI, client_for: Callable[[str | None], TestClient], role: str | None
) -> None:
    client = client_for(role)
    wrong = []
    for method, path in api_routes(app):
        rule = RULES[(method, path)]
        body = {} if method in ("POST", "PATCH", "PUT") else None
        answer = client.request(method, _url(path), json=body)
        if rule == "public":
            expected_ok = answer.status_code not in (401, 403)
        elif role is None:
            expected_ok = answer.status_code == 401
        elif role_rank(role) < role_rank(rule):
            expected_ok = answer.status_code == 403
        else:
            expected_ok = answer.status_code not in (401, 403) and answer.status_code < 500
        if not expected_ok:
            wrong.append((method, path, rule, answer.status_code, answer.text[:120]))
    assert not wrong, f"role {role}: " + "; ".join(map(str, wrong))


def test_session_cookie_signs_in_and_logout_ends_it(app: FastAPI, service_store) -> None:  # type: ignore[no-untyped-def]
    from openphm.service.auth import hash_password

    service_store.add_user("alice", "engineer", hash_password("correct horse"))
    client = TestClient(app)
    assert (
        client.post(
            f"{API_PREFIX}/auth/login", json={"name": "alice", "password": "nope"}
        ).status_code
        == 401
    )
    assert (
        client.post(
            f"{API_PREFIX}/auth/login", json={"name": "bob", "password": "nope"}
        ).status_code
        == 401
    )
    answer = client.post(
        f"{API_PREFIX}/auth/login", json={"name": "alice", "password": "correct horse"}
    )
    assert answer.status_code == 200 and answer.json()["role"] == "engineer"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get(f"{API_PREFIX}/auth/me").json()["name"] == "alice"
    assert client.get(f"{API_PREFIX}/users").status_code == 403
    assert client.post(f"{API_PREFIX}/auth/logout").status_code == 204
    assert client.get(f"{API_PREFIX}/auth/me").status_code == 401


def test_revoked_and_deactivated_tokens_are_refused(app: FastAPI, service_store) -> None:  # type: ignore[no-untyped-def]
    admin = TestClient(
        app, headers={"Authorization": f"Bearer {service_store.add_token('admin').secret}"}
    )
    issued = admin.post(f"{API_PREFIX}/tokens", json={"user": "viewer", "label": "historian"})
    assert issued.status_code == 201
    secret = issued.json()["secret"]
    viewer = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
    assert viewer.get(f"{API_PREFIX}/status").status_code == 200
    assert "secret" not in str(admin.get(f"{API_PREFIX}/tokens").json())
    assert admin.delete(f"{API_PREFIX}/tokens/{issued.json()['token']['id']}").status_code == 204
    assert viewer.get(f"{API_PREFIX}/status").status_code == 401
    other = TestClient(
        app, headers={"Authorization": f"Bearer {service_store.add_token('engineer').secret}"}
    )
    assert admin.patch(f"{API_PREFIX}/users/engineer", json={"active": False}).status_code == 200
    assert other.get(f"{API_PREFIX}/status").status_code == 401
    assert (
        TestClient(app, headers={"Authorization": "Bearer ophm_forged"})
        .get(f"{API_PREFIX}/status")
        .status_code
        == 401
    )
    assert admin.patch(f"{API_PREFIX}/users/admin", json={"role": "viewer"}).status_code == 409

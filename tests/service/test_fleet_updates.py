"""PATCH on machines and points: only the fields given change, the rest is refused with a reason."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from openphm.knowledge.profiles import load_profile
from openphm.pipeline.fleet import add_machine_from_profile
from openphm.service.app import API_PREFIX
from openphm.store import Store


@pytest.fixture
def rig(service_store: Store) -> int:
    return add_machine_from_profile(service_store, load_profile("cwru_rig"), "lab", "rig").id


def test_a_machine_changes_only_what_is_given(
    client_for: Callable[[str | None], TestClient], rig: int
) -> None:
    engineer = client_for("engineer")
    url = f"{API_PREFIX}/machines/{rig}"
    before = engineer.get(url).json()
    answer = engineer.patch(url, json={"description": "bay 3, new foundation bolts"})
    assert answer.status_code == 200, answer.text
    after = answer.json()
    assert after["description"] == "bay 3, new foundation bolts"
    assert (after["iso_group"], after["foundation"]) == (before["iso_group"], before["foundation"])
    cleared = engineer.patch(url, json={"iso_group": None, "foundation": "flexible"}).json()
    assert (cleared["iso_group"], cleared["foundation"]) == (None, "flexible")
    assert cleared["description"] == "bay 3, new foundation bolts"


def test_a_point_changes_only_what_is_given(
    client_for: Callable[[str | None], TestClient], service_store: Store, rig: int
) -> None:
    point = service_store.points(rig)[0]
    engineer = client_for("engineer")
    answer = engineer.patch(f"{API_PREFIX}/points/{point.id}", json={"channel": "DE2"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["channel"] == "DE2"
    assert service_store.point(point.id).fs_hz == point.fs_hz
    assert service_store.point(point.id).channel == "DE2"


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        ("machines", {"name": "renamed"}, 422),  # names stay: results refer to them
        ("machines", {"iso_group": 7}, 422),
        ("points", {"unit": "mm/s"}, 422),
        ("points", {"fs_hz": -1}, 422),
    ],
)
def test_what_may_not_change_is_refused(
    client_for: Callable[[str | None], TestClient],
    service_store: Store,
    rig: int,
    path: str,
    body: dict[str, object],
    code: int,
) -> None:
    ident = rig if path == "machines" else service_store.points(rig)[0].id
    answer = client_for("engineer").patch(f"{API_PREFIX}/{path}/{ident}", json=body)
    assert answer.status_code == code, answer.text


def test_an_unknown_machine_is_404(client_for: Callable[[str | None], TestClient]) -> None:
    answer = client_for("engineer").patch(f"{API_PREFIX}/machines/999", json={"description": "x"})
    assert answer.status_code == 404

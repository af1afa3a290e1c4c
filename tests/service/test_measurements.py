"""Uploads through the API: stored, duplicate, refused with a reason; hostile input never a 500;
the end-to-end CWRU 105 diagnosis with its evidence; samples and spectra read back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from openphm.knowledge.profiles import load_profile
from openphm.pipeline.fleet import add_machine_from_profile
from openphm.service.app import API_PREFIX
from openphm.store import Store

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "cwru" / "105.mat.xz"


@pytest.fixture
def rig(service_store: Store) -> int:
    """A CWRU rig built from its profile; the id of its drive-end point."""
    add_machine_from_profile(service_store, load_profile("cwru_rig"), "lab", "rig1")
    return service_store.point("lab/rig1/DE").id


@pytest.fixture
def engineer(client_for: Callable[[str | None], TestClient]) -> TestClient:
    return client_for("engineer")


def _samples(n: int = 4096, seed: int = 0) -> list[float]:
    return np.random.default_rng(seed).normal(0.0, 0.1, n).tolist()


def _post_samples(client: TestClient, point: int | str, **changes: object):  # type: ignore[no-untyped-def]
    body: dict[str, object] = {
        "acquired_at": "2024-05-01T12:00:00Z",
        "fs_hz": 12000.0,
        "unit": "g",
        "samples": _samples(),
        "speed_hz": 29.95,
    }
    body.update(changes)
    return client.post(f"{API_PREFIX}/points/{point}/samples", json=body)


def test_samples_stored_then_duplicate_then_refused(engineer: TestClient, rig: int) -> None:
    first = _post_samples(engineer, rig)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "stored"
    again = _post_samples(engineer, rig)
    assert again.status_code == 200
    assert again.json() == {**first.json(), "status": "duplicate", "detail": again.json()["detail"]}
    wrong_rate = _post_samples(engineer, rig, fs_hz=48000.0, acquired_at="2024-05-01T13:00:00Z")
    assert wrong_rate.status_code == 422
    assert "sampling rate" in wrong_rate.json()["detail"]


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("corrupt.mat", b"MATLAB 5.0 MAT-file" + bytes(200), "corrupt"),
        ("empty.csv", b"", ""),
        ("../../../etc/passwd", b"root:x:0:0", ""),
        ("evil\x00name.mat", b"\x00\x01\x02", ""),
        ("C:\\windows\\..\\x.wav", b"RIFF\x00\x00", ""),
        ("a" * 5000 + ".csv", b"1,2,3\n", ""),
    ],
)
def test_bad_files_are_refused_with_a_reason(
    engineer: TestClient, rig: int, service_store: Store, name: str, data: bytes, needle: str
) -> None:
    answer = engineer.post(f"{API_PREFIX}/points/{rig}/measurements", files={"file": (name, data)})
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.json()["detail"]
    assert needle in answer.json()["detail"]
    assert service_store.measurements() == []
    for letter in service_store.dead_letters():
        assert "/" not in letter.source_name and "\x00" not in letter.source_name


def test_huge_file_is_413_with_a_reason(engineer: TestClient, rig: int) -> None:
    answer = engineer.post(
        f"{API_PREFIX}/points/{rig}/measurements",
        files={"file": ("huge.csv", b"0.0\n" * (300 * 1024))},
    )
    assert answer.status_code == 413
    assert "over the limit" in answer.json()["detail"]


def test_unknown_point_is_404_with_a_reason(engineer: TestClient, rig: int) -> None:
    answer = engineer.post(
        f"{API_PREFIX}/points/9999/measurements", files={"file": ("x.csv", b"1\n2\n")}
    )
    assert answer.status_code == 404
    assert "point" in answer.json()["detail"]
    assert _post_samples(engineer, 9999).status_code == 404


def test_non_finite_samples_are_422(engineer: TestClient, rig: int) -> None:
    answer = engineer.post(
        f"{API_PREFIX}/points/{rig}/samples",
        content=b'{"acquired_at":"2024-05-01T12:00:00Z","fs_hz":12000,"unit":"g",'
        b'"samples":[1.0, NaN, Infinity]}',
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 422


def test_samples_and_spectra_read_back(engineer: TestClient, rig: int) -> None:
    stored = _post_samples(engineer, rig).json()["measurement_id"]
    samples = engineer.get(f"{API_PREFIX}/measurements/{stored}/samples?max_points=100").json()
    assert samples["n_samples"] == 4096 and samples["decimated"]
    assert len(samples["values"]) <= 100
    spectrum = engineer.get(f"{API_PREFIX}/measurements/{stored}/spectrum?max_points=500").json()
    assert len(spectrum["freqs_hz"]) <= 500
    lines = {(c["component"], c["line"]) for c in spectrum["cursors"]}
    assert ("de_bearing", "bpfi") in lines and ("fe_bearing", "bpfo") in lines
    bpfi = next(c for c in spectrum["cursors"] if c["line"] == "bpfi")
    assert bpfi["freqs_hz"][0] == pytest.approx(29.95 * bpfi["order"])
    envelope = engineer.get(
        f"{API_PREFIX}/measurements/{stored}/envelope?band_low_hz=1000&band_high_hz=3000"
    ).json()
    assert envelope["band_hz"] == [1000.0, 3000.0]
    one_sided = engineer.get(f"{API_PREFIX}/measurements/{stored}/envelope?band_low_hz=1000")
    assert one_sided.status_code == 422
    gram = engineer.get(f"{API_PREFIX}/measurements/{stored}/spectrogram?nperseg=256").json()
    assert len(gram["values"]) == len(gram["freqs_hz"])
    assert all(len(row) == len(gram["times_s"]) for row in gram["values"])
    listed = engineer.get(f"{API_PREFIX}/measurements?point={rig}").json()
    assert [m["id"] for m in listed] == [stored]


def test_cwru_105_end_to_end_inner_race_with_evidence(
    client_for: Callable[[str | None], TestClient], rig: int
) -> None:
    engineer = client_for("engineer")
    answer = engineer.post(
        f"{API_PREFIX}/points/{rig}/measurements", files={"file": ("105.mat.xz", DEMO.read_bytes())}
    )
    assert answer.status_code == 201, answer.text
    measurement = answer.json()["measurement_id"]
    viewer = client_for("viewer")
    diagnoses = {
        d["component"]: d
        for d in viewer.get(f"{API_PREFIX}/measurements/{measurement}/diagnoses").json()
    }
    de = diagnoses["de_bearing"]
    assert de["verdict"] == "inner"
    inner = next(e for e in de["evidence"] if e["fault"] == "inner")
    assert any(p["label"] == "1xBPFI" for p in inner["peaks"])
    status = viewer.get(f"{API_PREFIX}/status").json()
    assert status[0]["machine"] == "lab/rig1" and status[0]["measurements"] == 1
    report = viewer.get(f"{API_PREFIX}/reports/measurements/{measurement}")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert "inner" in report.text
    trend = viewer.get(f"{API_PREFIX}/points/{rig}/trends/kurtosis").json()
    assert [v["measurement_id"] for v in trend["values"]] == [measurement]


def test_alarm_acknowledge_and_comment(
    client_for: Callable[[str | None], TestClient], rig: int, service_store: Store
) -> None:
    alarm = service_store.raise_alarm(
        "lab/rig1", "rms", "alert", source="indicator", point=rig, message="rms over alert"
    )
    viewer, engineer = client_for("viewer"), client_for("engineer")
    assert [a["id"] for a in viewer.get(f"{API_PREFIX}/alarms").json()] == [alarm.id]
    assert viewer.post(f"{API_PREFIX}/alarms/{alarm.id}/acknowledge", json={}).status_code == 403
    acked = engineer.post(
        f"{API_PREFIX}/alarms/{alarm.id}/acknowledge", json={"comment": "bearing ordered"}
    )
    assert acked.status_code == 200 and acked.json()["alarm"]["state"] == "acknowledged"
    engineer.post(f"{API_PREFIX}/alarms/{alarm.id}/comments", json={"comment": "fitted friday"})
    events = viewer.get(f"{API_PREFIX}/alarms/{alarm.id}").json()["events"]
    assert [(e["kind"], e["user"]) for e in events][-2:] == [
        ("acknowledged", "engineer"),
        ("commented", "engineer"),
    ]
    assert viewer.get(f"{API_PREFIX}/alarms/424242").status_code == 404

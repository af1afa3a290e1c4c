"""The ingest primitive: stored once, idempotent, files at their content address, self-check."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from openphm.acquire import read
from openphm.core.errors import ConfigError, DataError
from openphm.store import Store

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _add(store: Store, point: int | str, data: bytes, at: datetime = T0, name: str = "a.csv"):  # type: ignore[no-untyped-def]
    return store.add_measurement(
        point, data=data, original_name=name, acquired_at=at, fs_hz=1000.0, n_samples=3
    )


def test_same_measurement_twice_is_stored_once(store: Store, point: int) -> None:
    first = _add(store, point, b"1\n2\n3\n")
    again = _add(store, point, b"1\n2\n3\n")
    assert (first.status, again.status) == ("stored", "duplicate")
    assert again.measurement_id == first.measurement_id
    assert first.sha256 == hashlib.sha256(b"1\n2\n3\n").hexdigest()
    assert len(store.measurements(point)) == 1


def test_same_bytes_at_another_time_is_a_new_measurement_sharing_the_file(
    store: Store, point: int
) -> None:
    first = _add(store, point, b"1\n2\n3\n")
    later = _add(store, point, b"1\n2\n3\n", T0 + timedelta(hours=1))
    assert later.status == "stored"
    assert store.blob_path(first.measurement_id) == store.blob_path(later.measurement_id)


def test_file_kept_as_received_with_its_extension(store: Store, point: int, tmp_path: Path) -> None:
    source = tmp_path / "Run 7.CSV"
    source.write_bytes(b"0.5\n-0.5\n0.25\n")
    outcome = store.add_measurement(
        "fan/DE-H", data=source, original_name=source.name, acquired_at=T0, fs_hz=3.0, n_samples=3
    )
    path = store.blob_path(outcome.measurement_id)
    assert path is not None
    assert path.read_bytes() == source.read_bytes()
    assert path.name == f"{outcome.sha256}.csv"
    assert path.parent.relative_to(store.home).as_posix() == (
        f"waveforms/{outcome.sha256[:2]}/{outcome.sha256[2:4]}"
    )
    row = store.measurement(outcome.measurement_id)
    assert (row.original_name, row.status, row.unit) == ("Run 7.CSV", "stored", "g")


def test_times_are_utc_and_aware_in_and_out(store: Store, point: int) -> None:
    local = datetime(2024, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    outcome = _add(store, point, b"x", local)
    assert store.measurement(outcome.measurement_id).acquired_at == T0
    assert store.measurement(outcome.measurement_id).acquired_at.tzinfo == UTC
    assert _add(store, point, b"x", T0).status == "duplicate"
    with pytest.raises(DataError, match="timezone"):
        _add(store, point, b"y", datetime(2024, 5, 1, 12, 0))


def test_samples_become_a_parquet_file_the_readers_open(store: Store, point: int) -> None:
    samples = np.sin(np.linspace(0.0, 20.0, 512))
    outcome = store.add_samples(
        point, samples, fs_hz=256.0, acquired_at=T0, channel="DE", original_name="plant/fan"
    )
    assert store.add_samples(point, samples, fs_hz=256.0, acquired_at=T0, channel="DE").status == (
        "duplicate"
    )
    path = store.blob_path(outcome.measurement_id)
    assert path is not None and path.suffix == ".parquet"
    wave = read(path)["DE"]
    assert (wave.fs, wave.unit) == (256.0, "g")
    np.testing.assert_array_equal(wave.samples, samples)
    assert store.measurement(outcome.measurement_id).n_samples == 512


def test_scalars_measurement_has_no_file(store: Store, point: int) -> None:
    outcome = store.add_measurement(
        point,
        data=None,
        original_name="telemetry",
        acquired_at=T0,
        kind="scalars",
        scalars={"temperature_c": 61.5},
    )
    assert store.blob_path(outcome.measurement_id) is None
    assert store.measurement(outcome.measurement_id).scalars == {"temperature_c": 61.5}
    again = store.add_measurement(
        point,
        data=None,
        original_name="telemetry",
        acquired_at=T0,
        kind="scalars",
        scalars={"temperature_c": 61.5},
    )
    assert again.status == "duplicate"


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"point": "fan/NDE"}, ConfigError, "'fan/NDE'"),
        ({"kind": "image"}, ConfigError, "kind"),
        ({"fs_hz": -1.0}, DataError, "sampling rate"),
        ({"n_samples": 0}, DataError, "n_samples"),
        ({"speed_hz": float("nan")}, DataError, "speed_hz"),
        ({"data": None}, DataError, "needs its data"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(
    store: Store, point: int, change: dict[str, object], error: type[Exception], match: str
) -> None:
    args: dict[str, object] = {
        "point": point,
        "data": b"1\n",
        "original_name": "a.csv",
        "acquired_at": T0,
        "fs_hz": 1.0,
        "n_samples": 1,
    }
    args.update(change)
    with pytest.raises(error, match=match):
        store.add_measurement(**args)  # type: ignore[arg-type]
    assert store.measurements() == []
    assert list((store.home / "waveforms").rglob("*.csv")) == []


def test_pending_lists_what_is_stored_but_not_processed(store: Store, point: int) -> None:
    ids = [
        _add(store, point, bytes([i]), T0 + timedelta(seconds=i)).measurement_id for i in range(3)
    ]
    store.add_results(ids[1], indicators={"rms": 1.0})
    assert [m.id for m in store.pending()] == [ids[0], ids[2]]
    assert [m.id for m in store.measurements(status="processed")] == [ids[1]]
    assert [m.id for m in store.measurements(since=T0 + timedelta(seconds=1))] == ids[1:]


def test_check_finds_missing_and_corrupt_files_and_orphans(store: Store, point: int) -> None:
    kept, gone, bad = (_add(store, point, bytes([i]) * 10).measurement_id for i in range(3))
    assert store.check().ok
    gone_path, bad_path = store.blob_path(gone), store.blob_path(bad)
    assert gone_path is not None and bad_path is not None
    gone_path.unlink()
    bad_path.write_bytes(b"tampered")
    orphan = store.home / "waveforms" / "00" / "00" / ("00" * 32 + ".csv")
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"left by a crash")
    report = store.check()
    assert (report.missing, report.corrupt, report.orphans) == ((gone,), (bad,), (orphan,))
    assert not report.ok and report.checked == 3
    assert store.check(collect=True, grace_s=0.0).collected == (orphan,)
    assert not orphan.exists()
    assert store.blob_path(kept) is not None


def test_an_orphan_file_is_reused_by_the_next_ingest(store: Store, point: int) -> None:
    first = _add(store, point, b"same bytes")
    path = store.blob_path(first.measurement_id)
    assert path is not None
    mtime = path.stat().st_mtime_ns
    _add(store, point, b"same bytes", T0 + timedelta(days=1))
    assert path.stat().st_mtime_ns == mtime


def test_dead_letters_keep_name_reason_and_optionally_the_bytes(store: Store) -> None:
    letter = store.add_dead_letter(
        "broken.mat", "not a MATLAB file", point_ref="fan/DE-H", data=b"junk", keep=True
    )
    assert (letter.size_bytes, letter.point_ref) == (4, "fan/DE-H")
    assert letter.kept_blob is not None
    assert (store.home / letter.kept_blob).read_bytes() == b"junk"
    store.add_dead_letter("huge.bin", "file of 5 GB is over the 1 GB limit")
    assert [d.source_name for d in store.dead_letters()] == ["huge.bin", "broken.mat"]
    assert store.measurements() == []
    assert store.check().orphans == ()


def test_count_and_the_newest_first(store: Store, point: int) -> None:
    for i in range(5):
        _add(store, point, f"{i}\n".encode(), at=T0 + timedelta(hours=i), name=f"{i}.csv")
    assert store.measurement_count(point) == 5
    newest = store.measurements(point, limit=2, newest_first=True)
    assert [m.acquired_at for m in newest] == [T0 + timedelta(hours=4), T0 + timedelta(hours=3)]
    oldest = store.measurements(point, limit=2)
    assert [m.acquired_at for m in oldest] == [T0, T0 + timedelta(hours=1)]

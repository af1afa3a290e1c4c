"""The folder watcher: settled files only, once, surviving bad files, failing handlers and races."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from openphm.core.errors import ConfigError
from openphm.pipeline.transport import HandlerOutcome, Incoming, IncomingFile
from openphm.pipeline.watch import (
    LEDGER_NAME,
    WatchLedger,
    is_temporary_name,
    scan_once,
    watch_folder,
)


class Recorder:
    """A handler that remembers what it was given and stores everything."""

    def __init__(self, fail_on: set[str] | None = None) -> None:
        self.items: list[IncomingFile] = []
        self.fail_on = fail_on or set()

    def __call__(self, item: Incoming) -> HandlerOutcome:
        assert isinstance(item, IncomingFile)
        self.items.append(item)
        if item.path.name in self.fail_on:
            raise RuntimeError(f"cannot ingest {item.path.name}")
        return HandlerOutcome("stored", "", len(self.items))

    @property
    def names(self) -> list[str]:
        return [i.path.name for i in self.items]


def _ledger(folder: Path) -> WatchLedger:
    return WatchLedger(folder / LEDGER_NAME, folder)


def test_partial_file_is_not_handed_over_until_stable(tmp_path: Path) -> None:
    handler = Recorder()
    ledger = _ledger(tmp_path)
    target = tmp_path / "rec.csv"
    target.write_text("0.1\n")
    r = scan_once(tmp_path, "s/m/p", handler, ledger=ledger, now=0.0, settle_s=2.0)
    assert r.outcomes == () and set(r.pending) == {"rec.csv"}
    with target.open("a") as f:  # still being written: the size changes
        f.write("0.2\n0.3\n")
    r = scan_once(tmp_path, "s/m/p", handler, ledger=ledger, pending=r.pending, now=1.5)
    r = scan_once(tmp_path, "s/m/p", handler, ledger=ledger, pending=r.pending, now=3.0)
    assert handler.items == []  # only 1.5 s since the last change
    r = scan_once(tmp_path, "s/m/p", handler, ledger=ledger, pending=r.pending, now=3.6)
    assert handler.names == ["rec.csv"]
    assert handler.items[0].point == "s/m/p"
    assert handler.items[0].received_at.tzinfo is not None
    assert [o.status for _, o in r.outcomes] == ["stored"] and r.pending == {}


def test_temporary_names_and_empty_files_are_left_alone(tmp_path: Path) -> None:
    handler = Recorder()
    ledger = _ledger(tmp_path)
    for name in ("a.csv.part", "b.tmp", ".c.csv", "d.csv~"):
        (tmp_path / name).write_text("1\n")
    (tmp_path / "empty.csv").write_bytes(b"")
    for now in (0.0, 10.0, 20.0):
        scan_once(tmp_path, "p", handler, ledger=ledger, now=now, settle_s=1.0)
    assert handler.items == []
    (tmp_path / "a.csv.part").rename(tmp_path / "a.csv")  # the writer's final rename
    r = scan_once(tmp_path, "p", handler, ledger=ledger, now=30.0, settle_s=1.0)
    r = scan_once(tmp_path, "p", handler, ledger=ledger, pending=r.pending, now=31.0, settle_s=1.0)
    assert handler.names == ["a.csv"]


def test_is_temporary_name() -> None:
    assert is_temporary_name(".openphm-watch.jsonl")
    assert is_temporary_name("x.PART") and is_temporary_name("x.crdownload")
    assert not is_temporary_name("x.tdms") and not is_temporary_name("tmp.csv")


def test_patterns_filter_names_case_insensitively(tmp_path: Path) -> None:
    handler = Recorder()
    for name in ("a.CSV", "b.txt", "c.tdms"):
        (tmp_path / name).write_text("1\n")
    watch_folder(
        tmp_path,
        "p",
        handler,
        poll_s=0.01,
        settle_s=0.0,
        patterns=["*.csv", "*.tdms"],
        max_cycles=1,
    )
    assert sorted(handler.names) == ["a.CSV", "c.tdms"]


def test_restart_does_not_resubmit_and_changed_file_is_new(tmp_path: Path) -> None:
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text("1\n2\n")
    first = Recorder()
    summary = watch_folder(tmp_path, "p", first, poll_s=0.01, settle_s=0.0, max_cycles=3)
    assert sorted(first.names) == ["a.csv", "b.csv"]
    assert (summary.cycles, summary.stored) == (3, 2)
    # A crash can leave a torn last line: it is skipped, the rest still counts.
    with (tmp_path / LEDGER_NAME).open("a") as f:
        f.write('{"path": "c.csv", "si')
    second = Recorder()
    watch_folder(tmp_path, "p", second, poll_s=0.01, settle_s=0.0, max_cycles=2)
    assert second.items == []
    (tmp_path / "b.csv").write_text("1\n2\n3\n")  # rewritten: a new version
    third = Recorder()
    watch_folder(tmp_path, "p", third, poll_s=0.01, settle_s=0.0, max_cycles=2)
    assert third.names == ["b.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [LEDGER_NAME, "a.csv", "b.csv"]


def test_ledger_can_live_elsewhere(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a.csv").write_text("1\n")
    state = tmp_path / "state" / "ledger.jsonl"
    for expected in (["a.csv"], []):
        handler = Recorder()
        watch_folder(drop, "p", handler, settle_s=0.0, max_cycles=1, state_path=state)
        assert handler.names == expected
    assert [p.name for p in drop.iterdir()] == ["a.csv"]


def test_handler_exception_does_not_stop_the_watcher(tmp_path: Path) -> None:
    for name in ("bad.csv", "good.csv"):
        (tmp_path / name).write_text("1\n")
    handler = Recorder(fail_on={"bad.csv"})
    summary = watch_folder(
        tmp_path, "p", handler, poll_s=0.01, settle_s=0.0, max_cycles=6, max_attempts=3
    )
    assert handler.names.count("good.csv") == 1
    assert handler.names.count("bad.csv") == 3  # retried, then left alone
    assert (summary.stored, summary.failed) == (1, 3)
    assert (tmp_path / "bad.csv").exists()
    handler.fail_on.clear()  # after a restart, the file gets another chance
    watch_folder(tmp_path, "p", handler, poll_s=0.01, settle_s=0.0, max_cycles=1)
    assert handler.names.count("bad.csv") == 4


def test_on_outcome_reports_and_its_failure_is_survived(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("1\n")
    (tmp_path / "b.csv").write_text("1\n")
    seen: list[str] = []

    def on_outcome(item: Incoming, outcome: HandlerOutcome) -> None:
        assert isinstance(item, IncomingFile)
        seen.append(f"{item.path.name}:{outcome.status}")
        raise ValueError("a broken progress display")

    summary = watch_folder(
        tmp_path, "p", Recorder(), settle_s=0.0, max_cycles=1, on_outcome=on_outcome
    )
    assert seen == ["a.csv:stored", "b.csv:stored"] and summary.stored == 2


def test_vanished_files(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path)
    (tmp_path / "gone.csv").write_text("1\n")
    handler = Recorder()
    r = scan_once(tmp_path, "p", handler, ledger=ledger, now=0.0, settle_s=1.0)
    (tmp_path / "gone.csv").unlink()
    r = scan_once(tmp_path, "p", handler, ledger=ledger, pending=r.pending, now=5.0, settle_s=1.0)
    assert [p.name for p in r.vanished] == ["gone.csv"] and r.pending == {}
    assert handler.items == []

    # A file listed in this scan but deleted before it is looked at (here: by the handler).
    (tmp_path / "a.csv").write_text("1\n")
    (tmp_path / "b.csv").write_text("1\n")

    def deleting(item: Incoming) -> HandlerOutcome:
        (tmp_path / "b.csv").unlink()
        return handler(item)

    r = scan_once(tmp_path, "p", deleting, ledger=ledger, now=10.0, settle_s=0.0)
    assert handler.names == ["a.csv"]
    assert [p.name for p in r.vanished] == ["b.csv"]


def test_point_from_sub_folders(tmp_path: Path) -> None:
    (tmp_path / "fan-de" / "2024-05").mkdir(parents=True)
    (tmp_path / "pump-nde").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "fan-de" / "2024-05" / "a.csv").write_text("1\n")
    (tmp_path / "pump-nde" / "b.csv").write_text("1\n")
    (tmp_path / ".hidden" / "c.csv").write_text("1\n")
    (tmp_path / "loose.csv").write_text("1\n")
    handler = Recorder()
    r = scan_once(tmp_path, None, handler, ledger=_ledger(tmp_path), now=0.0, settle_s=0.0)
    assert sorted((i.path.name, i.point) for i in handler.items) == [
        ("a.csv", "fan-de"),
        ("b.csv", "pump-nde"),
    ]
    assert [p.name for p in r.unassigned] == ["loose.csv"]


def test_stop_event_ends_the_loop(tmp_path: Path) -> None:
    stop = threading.Event()
    handler = Recorder()
    (tmp_path / "a.csv").write_text("1\n")

    def on_outcome(item: Incoming, outcome: HandlerOutcome) -> None:
        stop.set()

    watch_folder(
        tmp_path, "p", handler, poll_s=3600.0, settle_s=0.0, stop=stop, on_outcome=on_outcome
    )
    assert handler.names == ["a.csv"]


def test_bad_configuration_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not an existing folder"):
        watch_folder(tmp_path / "missing", "p", Recorder(), max_cycles=1)
    with pytest.raises(ConfigError, match="poll_s"):
        watch_folder(tmp_path, "p", Recorder(), poll_s=0.0, max_cycles=1)
    with pytest.raises(ConfigError, match="settle_s"):
        watch_folder(tmp_path, "p", Recorder(), settle_s=-1.0, max_cycles=1)

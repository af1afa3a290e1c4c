"""``openphm rul`` on a FEMTO-layout bearing, and that the answer depends on the data only.

The command's module is driven through its own ``register(app)`` (the main application adds it
with one line in ``openphm.cli.main.COMMANDS``).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from openphm.acquire.datasets import demo_path
from openphm.cli.rul import register

pytestmark = pytest.mark.slow


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    app.command("noop", hidden=True)(lambda: None)  # keeps "rul" a sub-command
    return app


def _copy_history(root: Path, dest: Path, snapshots: range) -> Path:
    """Write snapshots of the original Bearing3_1 zip into ``dest`` (a history cut before
    failure)."""
    dest.mkdir(parents=True)
    with zipfile.ZipFile(root / "femto" / "original_csv" / "Bearing3_1.zip") as zf:
        for k in snapshots:
            member = f"Bearing3_1/acc_{k:05d}.csv"
            (dest / Path(member).name).write_bytes(zf.read(member))
    return dest


def _run(path: Path, root: Path) -> dict[str, object]:
    result = CliRunner().invoke(
        _app(), ["rul", str(path), "--json", "--train-root", str(root)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    out: dict[str, object] = json.loads(result.output)
    return out


def test_rul_json_keys_and_the_same_answer_under_another_name(
    refdata: Path, tmp_path: Path
) -> None:
    cut = range(1, 481)
    # Bearing1_3 is a challenge test bearing whose published RUL the loader's table carries;
    # Bearing1_9 is a name nothing knows. The same snapshots must give the same answer.
    known = _run(_copy_history(refdata, tmp_path / "a" / "Bearing1_3", cut), refdata)
    neutral = _run(_copy_history(refdata, tmp_path / "b" / "Bearing1_9", cut), refdata)
    assert set(known) >= {"onset_s", "rul_s", "estimator", "provenance", "status"}
    assert set(known["rul_s"]) >= {"median", "q05", "q95"}  # type: ignore[arg-type]
    for key in ("onset_s", "rul_s", "estimator", "status", "at_s"):
        assert known[key] == neutral[key]


def test_rul_plot_on_the_demo_excerpt(refdata: Path, tmp_path: Path) -> None:
    plot = tmp_path / "rul.png"
    result = CliRunner().invoke(
        _app(),
        [
            "rul",
            str(demo_path("femto/Bearing1_1.zip")),
            "--train-root",
            str(refdata),
            "--plot",
            str(plot),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "onset" in result.output and plot.stat().st_size > 0


def test_a_history_under_a_name_of_ones_own(refdata: Path, tmp_path: Path) -> None:
    # Same layout, a folder name no table knows: speed and load are unknown, so the answer rests
    # on the condition alone until --rpm and --load-n give the ISO 281 prior.
    folder = _copy_history(refdata, tmp_path / "pump_de", range(1, 61))
    alone = _run(folder, refdata)
    assert alone["status"] == "no_degradation" and alone["rul_s"]["median"] is None  # type: ignore[index]
    result = CliRunner().invoke(
        _app(),
        [
            "rul",
            str(folder),
            "--json",
            "--train-root",
            str(refdata),
            "--rpm",
            "1500",
            "--load-n",
            "5000",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    with_prior = json.loads(result.output)
    assert with_prior["status"] == "prior" and with_prior["rul_s"]["median"] > 0

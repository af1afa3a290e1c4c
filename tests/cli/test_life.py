"""``openphm life``: ISO 281 life from the catalogue or from given ratings, tables and JSON."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from openphm.cli.main import app
from openphm.core import ConfigError
from openphm.knowledge.iso281 import life_modification_factor_aiso, reference_viscosity_nu1

runner = CliRunner()


def _json(args: list[str]) -> dict[str, object]:
    result = runner.invoke(app, ["life", *args, "--json"])
    assert result.exit_code == 0, result.output
    out: dict[str, object] = json.loads(result.output)
    return out


def test_skf_6309_worked_example() -> None:
    out = _json(["--bearing", "6309", "--radial-load-kn", "10", "--rpm", "3000"])
    assert out["c_kn"] == 55.3 and out["p_kn"] == 10.0
    assert round(out["l10_mrev"]) == 169  # type: ignore[call-overload]
    assert round(out["l10_h"], -1) == 940  # type: ignore[call-overload]
    assert out["a_iso"] is None and out["lnm_mrev"] == out["l10_mrev"]


def test_ratings_given_directly() -> None:
    out = _json(["--c-kn", "55.3", "--p-kn", "10", "--rpm", "3000", "--reliability", "99"])
    assert out["a1"] == 0.25
    assert out["lnm_mrev"] == pytest.approx(0.25 * out["l10_mrev"])  # type: ignore[operator]


def test_modified_life_with_lubrication() -> None:
    args = ["--bearing", "6309", "--radial-load-kn", "10", "--rpm", "3000"]
    out = _json([*args, "--viscosity-mm2s", "20", "--contamination-factor", "0.8"])
    nu1 = reference_viscosity_nu1(72.5, 3000)
    lube = out["lubrication"]
    assert isinstance(lube, dict)
    assert lube["nu1_mm2_s"] == pytest.approx(nu1)
    assert out["kappa"] == pytest.approx(20 / nu1)
    assert lube["cu_kn"] == 1.34 and lube["cu_estimated"] is False
    assert out["a_iso"] == pytest.approx(life_modification_factor_aiso(0.8 * 1.34 / 10, 20 / nu1))
    assert out["lnm_h"] == pytest.approx(out["a_iso"] * out["l10_h"])  # type: ignore[operator]


def test_axial_load_uses_x_y_factors() -> None:
    out = _json(["--bearing", "6205", "--radial-load-kn", "2", "--axial-load-kn", "1.5"])
    assert out["x"] == 0.56 and out["p_kn"] > 2.0  # type: ignore[operator]
    # The catalogue has no f0 for the 6309 (no internal geometry): it is given here.
    small = _json(
        ["--bearing", "6309", "--radial-load-kn", "2", "--axial-load-kn", "0.2", "--f0", "13"]
    )
    assert small["p_kn"] == 2.0 and small["x"] == 1.0  # Fa/Fr = 0.1 < e
    result = runner.invoke(
        app, ["life", "--bearing", "6309", "--radial-load-kn", "2", "--axial-load-kn", "1"]
    )
    assert isinstance(result.exception, ConfigError) and "--f0" in str(result.exception)


def test_table_output() -> None:
    args = ["life", "--bearing", "6309", "--radial-load-kn", "10", "--rpm", "3000"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "L10h" in result.output and "939.5" in result.output and "169.1" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--radial-load-kn", "10"], "--c-kn"),
        (["--bearing", "6205-2RS", "--radial-load-kn", "1"], "no C for 6205-2RS JEM SKF"),
        (["--c-kn", "10"], "give the load"),
        (["--c-kn", "10", "--p-kn", "1", "--radial-load-kn", "1"], "not both"),
        (["--c-kn", "10", "--radial-load-kn", "1", "--axial-load-kn", "1"], "f0"),
        (["--c-kn", "10", "--p-kn", "1", "--viscosity-mm2s", "20"], "both"),
        (
            [
                "--c-kn",
                "10",
                "--p-kn",
                "1",
                "--viscosity-mm2s",
                "20",
                "--contamination-factor",
                "1",
            ],
            "--rpm",
        ),
        (["--c-kn", "10", "--p-kn", "1", "--reliability", "80"], "reliability"),
        (["--c-kn", "10", "--p-kn", "1", "--rpm", "0"], "--rpm must be a positive"),
    ],
)
def test_missing_or_inconsistent_inputs(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["life", *args])
    assert isinstance(result.exception, ConfigError), result.output
    assert message in str(result.exception)

"""The bearing catalogue: built-in data, look-up rules, user files and bad files."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import pytest

from openphm.core import ConfigError
from openphm.knowledge.bearings import fault_frequencies
from openphm.knowledge.catalogue import (
    ENV_VAR,
    get_bearing,
    load_catalogue,
    parse_catalogue,
)

HEADER = "designation,type,bore_mm,outer_diameter_mm,width_mm,C_kN,C0_kN,Pu_kN"


@pytest.fixture(autouse=True)
def _no_user_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def test_data_file_ships_inside_the_package() -> None:
    assert resources.files("openphm.knowledge").joinpath("data", "bearings.csv").is_file()


def test_builtin_catalogue_is_valid_and_sourced() -> None:
    entries = load_catalogue()
    assert len(entries) >= 30
    for entry in entries:
        assert entry.source, entry.designation
        if entry.bore_mm is not None and entry.outer_diameter_mm is not None:
            assert entry.bore_mm < entry.outer_diameter_mm


@pytest.mark.parametrize("series", ["62", "63"])
def test_common_deep_groove_series_are_present(series: str) -> None:
    for size in range(13):
        entry = get_bearing(f"{series}{size:02d}")
        assert entry.type == "deep_groove_ball"
        assert entry.dynamic_load_rating_kn is not None
        assert entry.static_load_rating_kn is not None
        assert entry.static_load_rating_kn < entry.dynamic_load_rating_kn


def test_cwru_bearings_carry_cwru_geometry() -> None:
    de = get_bearing("6205-2RS JEM SKF")
    fe = get_bearing("CWRU FE")
    assert de.geometry is not None and fe.geometry is not None
    assert de.geometry.n_rolling == 9 and fe.geometry.n_rolling == 8
    assert de.geometry.rolling_diameter_mm == pytest.approx(0.3126 * 25.4)
    assert de.geometry.pitch_diameter_mm == pytest.approx(1.537 * 25.4)
    assert fault_frequencies(de.geometry).bpfi == pytest.approx(5.4152, abs=1e-4)
    assert fault_frequencies(fe.geometry).bpfi == pytest.approx(4.9469, abs=1e-4)
    assert (de.bore_mm, de.outer_diameter_mm, de.width_mm) == (25, 52, 15)


def test_ntn_bearing_of_the_0028_faults_has_no_invented_geometry() -> None:
    ntn = get_bearing("CWRU 0.028 in")
    assert ntn.geometry is None
    assert "not published" in ntn.source


def test_femto_bearing() -> None:
    b = get_bearing("FEMTO")
    assert b.designation == "PRONOSTIA"
    assert (b.bore_mm, b.outer_diameter_mm, b.width_mm) == (20, 32, 7)
    assert (b.dynamic_load_rating_kn, b.static_load_rating_kn) == (4.0, 2.47)
    assert b.geometry is not None
    assert (b.geometry.n_rolling, b.geometry.rolling_diameter_mm) == (13, 3.5)
    assert b.geometry.pitch_diameter_mm == 25.6


@pytest.mark.parametrize(
    ("query", "bpfo", "bpfi"),
    [("XJTU-SY", 3.08, 4.92), ("UER204", 3.08, 4.92), ("KAt", 3.05, 4.95)],
)
def test_public_test_rig_bearings_give_their_published_orders(
    query: str, bpfo: float, bpfi: float
) -> None:
    # The fault orders the data sets' papers quote (XJTU-SY: Wang et al. 2020; Paderborn KAt:
    # Lessmeier et al. 2016), to their two decimals.
    geometry = get_bearing(query).geometry
    assert geometry is not None
    orders = fault_frequencies(geometry)
    assert round(orders.bpfo, 2) == bpfo
    assert round(orders.bpfi, 2) == bpfi


def test_skf_6309_of_the_worked_example() -> None:
    b = get_bearing("6309")
    assert (b.dynamic_load_rating_kn, b.static_load_rating_kn, b.fatigue_load_limit_kn) == (
        55.3,
        31.5,
        1.34,
    )
    assert b.mean_diameter_mm == 72.5
    assert b.life_kind == "ball"
    assert b.f0 is None


def test_f0_follows_from_iso76_when_geometry_is_known() -> None:
    # C0 = f0 Z Dw^2 cos(a): 7800 N / (9 x 7.94^2 mm^2) = 13.7 (SKF lists 14 for the 6205).
    assert get_bearing("6205").f0 == pytest.approx(13.75, abs=0.01)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("6205", "6205"),
        ("6205-2RS", "6205-2RS JEM SKF"),
        ("6205 2rs jem skf", "6205-2RS JEM SKF"),
        ("cwru de", "6205-2RS JEM SKF"),
        ("6205-2Z", "6205"),
        ("6205ZZ", "6205"),
        ("6205-2RSH/C3", "6205"),
        ("6309 C3", "6309"),
        ("6309/C3", "6309"),
        ("SKF 6205-2RSH/C3", "6205"),
        ("fag 6203-2Z", "6203"),
        ("Paderborn 6203", "Paderborn 6203"),
        ("femto-st", "PRONOSTIA"),
    ],
)
def test_lookup_rules(query: str, found: str) -> None:
    assert get_bearing(query).designation == found


def test_ambiguous_query_is_an_error_listing_candidates() -> None:
    with pytest.raises(ConfigError, match=r"ambiguous.*6203-2RS JEM SKF.*6205-2RS JEM SKF"):
        get_bearing("CWRU")


def test_unknown_designation_lists_close_matches() -> None:
    with pytest.raises(ConfigError, match=r"6299.*not in the catalogue.*close matches: .*62"):
        get_bearing("6299")


def _write(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def test_user_file_adds_and_overrides(tmp_path: Path) -> None:
    user = _write(
        tmp_path / "mine.csv",
        "# my plant\n"
        + HEADER
        + ",n_rolling,rolling_diameter_mm,pitch_diameter_mm,source\n"
        + "22220 E,spherical_roller,100,180,46,,,,,,,plant list\n"
        + "6309,deep_groove_ball,45,100,25,52.7,30,1.29,8,17.46,72.5,older SKF table\n",
    )
    b = get_bearing("22220 E", extra_files=[user])
    assert b.life_kind == "roller" and b.origin == str(user)
    replaced = get_bearing("6309", extra_files=[user])
    assert replaced.dynamic_load_rating_kn == 52.7
    assert replaced.geometry is not None and replaced.geometry.n_rolling == 8
    assert get_bearing("6309").dynamic_load_rating_kn == 55.3


def test_environment_variable_adds_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = _write(tmp_path / "a.csv", "designation,type\nXA-1,thrust_ball\n")
    b = _write(tmp_path / "b.csv", "designation,type\nXB-1,needle_roller\n")
    monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(a), str(b)]))
    assert get_bearing("xa-1").type == "thrust_ball"
    assert get_bearing("XB 1").type == "needle_roller"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (HEADER + ",colour\n", r"unknown column.*colour"),
        ("bore_mm\n25\n", r"missing required column.*designation"),
        (HEADER + "\nX,deep_groove_ball,25,52,15,abc,,\n", r"'C_kN' must be a number"),
        (HEADER + "\nX,deep_groove_ball,25,52,15,-3,,\n", r"'C_kN' must be a finite number >= 0"),
        (HEADER + "\nX,deep_groove_ball,25,52,15,0,,\n", r"'C_kN' must be > 0"),
        (HEADER + "\nX,ball,25,52,15,,,\n", r"unknown bearing type 'ball'"),
        (HEADER + "\nX,deep_groove_ball,52,25,15,,,\n", r"bore 52.0 mm must be smaller"),
        (HEADER + "\n,deep_groove_ball,25,52,15,,,\n", r"empty designation"),
        (HEADER + "\nX,deep_groove_ball,25,52,15,,,\nx,deep_groove_ball,,,,,,\n", "twice"),
        (HEADER + "\nX,deep_groove_ball,25,52,15,,,,9\n", "more cells"),
        (
            "designation,type,bore_mm,outer_diameter_mm,n_rolling,rolling_diameter_mm\n"
            "X,deep_groove_ball,25,52,9,7.9\n",
            "together",
        ),
        (
            "designation,type,bore_mm,outer_diameter_mm,n_rolling,rolling_diameter_mm,"
            "pitch_diameter_mm\nX,deep_groove_ball,25,52,9,7.9,60\n",
            "not between the bore",
        ),
        (
            "designation,type,n_rolling,rolling_diameter_mm,pitch_diameter_mm\n"
            "X,deep_groove_ball,9.5,7.9,39\n",
            "whole number",
        ),
        (
            "designation,type,n_rolling,rolling_diameter_mm,pitch_diameter_mm\n"
            "X,deep_groove_ball,9,40,39\n",
            "pitch diameter",
        ),
        ("designation,type,contact_angle_deg\nX,angular_contact_ball,40\n", "contact angle"),
    ],
)
def test_bad_catalogue_files_name_the_problem(body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_catalogue(body, origin="user.csv")


def test_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_catalogue([tmp_path / "missing.csv"])


def test_entries_are_immutable() -> None:
    b = get_bearing("6205")
    with pytest.raises(AttributeError):
        b.designation = "x"  # type: ignore[misc]
    assert b.to_dict()["C_kN"] == 14.8


def test_tapered_and_cylindrical_roller_families_with_their_source() -> None:
    from openphm.knowledge.catalogue import get_bearing as lookup

    for query, kind, dims in (
        ("30205", "tapered_roller", (25.0, 52.0, 16.25)),
        ("322/28", "tapered_roller", (28.0, 58.0, 20.25)),
        ("NU205", "cylindrical_roller", (25.0, 52.0, 15.0)),
        ("NU 304", "cylindrical_roller", (20.0, 52.0, 15.0)),
    ):
        b = lookup(query)
        assert b.type == kind
        assert (b.bore_mm, b.outer_diameter_mm, b.width_mm) == dims
        assert b.source.startswith("[CQW-")
        # internal geometry is not published in the table read: left empty, never guessed
        assert b.geometry is None
        assert b.life_kind == "roller"

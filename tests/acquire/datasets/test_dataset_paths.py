"""Data-root lookup (OPENPHM_DATA), per-data-set folders and the demo excerpt."""

from __future__ import annotations

from pathlib import Path

import pytest

from openphm.acquire.datasets import data_root, dataset_dir, demo_path
from openphm.core.errors import ConfigError, DataError


def test_data_root_unset_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENPHM_DATA", raising=False)
    with pytest.raises(ConfigError, match=r"OPENPHM_DATA is not set.*--root"):
        data_root()


def test_data_root_missing_folder_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENPHM_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(ConfigError, match="not an existing folder"):
        data_root()


def test_data_root_returns_the_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OPENPHM_DATA", str(tmp_path))
    assert data_root() == tmp_path


def test_dataset_dir_accepts_the_root_or_the_data_set_folder(tmp_path: Path) -> None:
    (tmp_path / "cwru").mkdir()
    assert dataset_dir("cwru", tmp_path) == tmp_path / "cwru"
    assert dataset_dir("cwru", tmp_path / "cwru") == tmp_path / "cwru"
    with pytest.raises(DataError, match="no such folder"):
        dataset_dir("cwru", tmp_path / "missing")


def test_dataset_dir_defaults_to_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "femto").mkdir()
    monkeypatch.setenv("OPENPHM_DATA", str(tmp_path))
    assert dataset_dir("femto") == tmp_path / "femto"


def test_demo_path_finds_the_committed_excerpt() -> None:
    assert demo_path().name == "demo"
    assert demo_path("cwru/105.mat.xz").is_file()
    with pytest.raises(DataError, match="not in the demo excerpt"):
        demo_path("cwru/999.mat")

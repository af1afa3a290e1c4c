"""Home and URL resolution, SQLite pragmas, migrations equal to the models on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from openphm.core.errors import ConfigError
from openphm.store import Store
from openphm.store.engine import resolve_home, resolve_url
from openphm.store.migrate import current_revision, head_revision, schema_differences
from tests.conftest import StoreTarget


def test_home_from_argument_environment_then_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENPHM_HOME", str(tmp_path / "env"))
    assert resolve_home(tmp_path / "arg") == tmp_path / "arg"
    assert resolve_home() == tmp_path / "env"
    monkeypatch.delenv("OPENPHM_HOME")
    assert resolve_home() == Path.cwd() / "openphm-data"


def test_url_from_argument_environment_then_sqlite_in_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("OPENPHM_DATABASE_URL", raising=False)
    assert resolve_url(tmp_path).database == str(tmp_path / "openphm.db")
    monkeypatch.setenv("OPENPHM_DATABASE_URL", "postgresql+psycopg://u:p@127.0.0.1/x")
    assert resolve_url(tmp_path).get_backend_name() == "postgresql"
    assert resolve_url(tmp_path, "sqlite:///y.db").database == "y.db"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url at all"])
def test_unsupported_or_malformed_url_is_a_config_error(url: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="database URL"):
        resolve_url(tmp_path, url)


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        assert (tmp_path / "openphm.db").is_file()
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_migrated_schema_equals_the_models(store: Store) -> None:
    assert schema_differences(store.engine) == []
    assert current_revision(store.engine) == head_revision()


def test_opening_again_is_harmless_and_keeps_data(store_target: StoreTarget) -> None:
    with store_target.open() as first:
        first.add_site("plant")
    with store_target.open() as second:
        assert [s.name for s in second.sites()] == ["plant"]
        assert schema_differences(second.engine) == []


def test_unreachable_database_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="database"):
        Store.open(tmp_path, "postgresql+psycopg://nobody:x@127.0.0.1:1/none")

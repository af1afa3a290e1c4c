"""The service's settings (pydantic-settings): where the store is, where to listen, sessions."""

from __future__ import annotations

import inspect
import ipaddress
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Host names that stay on this machine.
LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    """Whether a host name or address is this machine's loopback.

    Parameters
    ----------
    host : str
        Host name or IP address.

    Returns
    -------
    bool
        True for ``127.0.0.0/8``, ``::1`` and ``localhost``.

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0")
    (True, False)
    """
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ServiceSettings(BaseSettings):
    """Settings of the service, from arguments or ``OPENPHM_*`` environment variables.

    Parameters
    ----------
    home : pathlib.Path or None
        The store's folder (``OPENPHM_HOME``; default ``./openphm-data``).
    database_url : str or None
        Catalogue database (``OPENPHM_DATABASE_URL``; default SQLite in the home folder).
    host : str
        Address to listen on (``OPENPHM_HOST``), 127.0.0.1 by default; anything that is not a
        loopback address is refused unless ``allow_remote`` is set.
    allow_remote : bool
        Allow a non-loopback ``host`` (put the service behind a TLS proxy first).
    port : int
        TCP port (``OPENPHM_PORT``), 8000 by default.
    session_cookie : str
        Name of the session cookie of people who logged in.
    session_lifetime_s : float
        Seconds a login lasts, 12 hours by default.
    session_cookie_secure : bool
        Send the cookie over HTTPS only (set it behind a TLS proxy).
    max_upload_bytes : int
        Largest request body accepted, bytes (an upload over it gets 413), 256 MiB by default
        (the ingestion limit).
    max_plot_points : int
        Most points a samples, spectrum or spectrogram answer may hold.
    batch_executor : str
        Where re-processing jobs run (``OPENPHM_BATCH_EXECUTOR``): ``serial`` (a background
        thread of the service), ``process`` (a process pool) or a Dask scheduler's address
        (``tcp://HOST:8786``).
    batch_workers : int or None
        Worker processes of a ``process`` pool (default: the CPU count).
    """

    model_config = SettingsConfigDict(env_prefix="OPENPHM_", extra="ignore", frozen=True)

    home: Path | None = None
    database_url: str | None = None
    host: str = "127.0.0.1"
    allow_remote: bool = False
    port: int = Field(default=8000, ge=1, le=65535)
    session_cookie: str = "openphm_session"
    session_lifetime_s: float = Field(default=12 * 3600.0, gt=0)
    session_cookie_secure: bool = False
    max_upload_bytes: int = Field(default=256 * 1024 * 1024, ge=1)
    max_plot_points: int = Field(default=20_000, ge=10)
    batch_executor: str = "serial"
    batch_workers: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _local_only(self) -> ServiceSettings:
        if not self.allow_remote and not is_loopback(self.host):
            raise ValueError(
                f"host {self.host!r} is not a loopback address: the service binds to 127.0.0.1 "
                "unless allow_remote is set (OPENPHM_ALLOW_REMOTE=true, behind a TLS proxy)"
            )
        return self


# pydantic-settings adds its source options (``_env_file``, ``_cli_parse_args``...) to the
# signature; the settings' public interface is their fields, which the docstring documents.
ServiceSettings.__signature__ = inspect.Signature(
    [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=info.default)
        for name, info in ServiceSettings.model_fields.items()
    ]
)

"""Fixtures of the pipeline's tests: a real mosquitto broker on a free local port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

MOSQUITTO = os.environ.get("OPENPHM_MOSQUITTO", "/usr/sbin/mosquitto")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def mosquitto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A mosquitto broker bound to 127.0.0.1 on a free port: yields ``(host, port)``.

    Skips when the binary is missing, except in CI (``CI=true``) where that is a failure.
    """
    binary = MOSQUITTO if Path(MOSQUITTO).exists() else shutil.which("mosquitto")
    if binary is None:
        message = f"mosquitto not found at {MOSQUITTO} (Debian package 'mosquitto')"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI must install it")
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("mosquitto")
    port = _free_port()
    config = folder / "mosquitto.conf"
    config.write_text(
        f"listener {port} 127.0.0.1\n"
        "allow_anonymous true\n"
        "persistence false\n"
        f"log_dest file {folder / 'mosquitto.log'}\n"
    )
    process = subprocess.Popen(
        [binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 20.0
        while not _accepts(port):
            if process.poll() is not None:
                _, err = process.communicate()
                pytest.fail(
                    f"mosquitto exited ({process.returncode}): {err.decode(errors='replace')}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"mosquitto did not accept connections on 127.0.0.1:{port}")
            time.sleep(0.05)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

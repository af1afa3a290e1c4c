"""The dashboard in a real browser: Debian's chromium driven by playwright.

A uvicorn server on 127.0.0.1 (a free port) serves a small fleet; the test logs in, opens every
page, checks that every chart was drawn by Plotly (an SVG inside each plot's div, not an empty
div) and that no script failed, acknowledges an alarm and finds it acknowledged after a reload,
and checks that a viewer has no acknowledge button and is refused by the API. Screenshots of
every page go to ``/tmp/openphm-shots`` for people to look at.

Skips when ``/usr/bin/chromium`` is missing, except in CI (``CI=true``), where that fails.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.web_fleet import PASSWORD, WebFleet, build_fleet

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path("/tmp/openphm-shots")
#: Chromium as root on a closed network (DESIGN.md, traps).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ALL_PLOTS_DRAWN = """() => {
    const plots = [...document.querySelectorAll('.plot')];
    return plots.length > 0 && plots.every(d => d.querySelector('.main-svg'));
}"""

if not CHROMIUM.exists():
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebFleet]:
    built = build_fleet(tmp_path_factory.mktemp("web") / "home")
    yield built
    built.store.close()


@pytest.fixture(scope="module")
def base_url(fleet: WebFleet) -> Iterator[str]:
    """The service on 127.0.0.1 and a free port, in a thread."""
    from openphm.service.app import create_app
    from openphm.service.settings import ServiceSettings

    app = create_app(ServiceSettings(home=fleet.store.home), store=fleet.store)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        threading.Event().wait(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _login(browser: Any, base_url: str, role: str) -> tuple[Any, Any, list[str]]:
    """A fresh browser context signed in as ``role``; the page and the script errors seen."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=base_url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(f"{msg.text} {msg.location}") if msg.type == "error" else None,
    )
    page.goto("/alarms")
    assert page.url.startswith(f"{base_url}/login"), page.url
    page.fill("input[name=name]", role)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/alarms")
    return context, page, errors


def _shot(page: Any, name: str) -> None:
    """A screenshot of the whole page: the window is made as tall as the page first, and the
    charts given a moment to follow (Plotly redraws on resize; a screenshot taken during that
    redraw shows half-drawn charts)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = int(page.evaluate("document.documentElement.scrollHeight"))
    page.set_viewport_size({"width": 1400, "height": max(900, height)})
    page.wait_for_timeout(600)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    page.set_viewport_size({"width": 1400, "height": 900})


def _open_with_plots(page: Any, path: str, name: str) -> int:
    page.goto(path)
    page.wait_for_function(ALL_PLOTS_DRAWN, timeout=20000)
    count = page.locator(".plot").count()
    assert page.locator(".plot .main-svg").count() >= count
    _shot(page, name)
    return int(count)


def test_engineer_walks_the_dashboard_and_acknowledges(
    browser: Any, base_url: str, fleet: WebFleet
) -> None:
    context, page, errors = _login(browser, base_url, "engineer")
    _shot(page, "alarms")
    page.goto("/")
    assert page.locator("table.fleet tbody tr").count() == 1
    assert "lab/rig1" in page.inner_text("table.fleet")
    _shot(page, "fleet")

    page.click("text=lab/rig1")
    page.wait_for_function(ALL_PLOTS_DRAWN, timeout=20000)
    # Five indicators trended at the measured point.
    assert page.locator(".plot").count() >= 5
    _shot(page, "machine")

    newest = fleet.measurement_ids[-1]
    # Waveform, spectrum, envelope spectrum and waterfall.
    assert _open_with_plots(page, f"/measurements/{newest}", "measurement") == 4
    legend = page.inner_text("#plot-envelope")
    assert "de_bearing: outer" in legend

    page.goto(f"/measurements/{newest}/report")
    assert "Bearing diagnosis" in page.inner_text("h1")
    _shot(page, "report")

    page.goto("/alarms")
    row = page.locator(f"#alarm-{fleet.alarm_id}")
    assert "alarm-raised" in (row.get_attribute("class") or "")
    row.locator("input[name=comment]").fill("bearing ordered")
    row.locator("button.ack").click()
    page.wait_for_selector(f"#alarm-{fleet.alarm_id}.alarm-acknowledged")
    page.reload()
    row = page.locator(f"#alarm-{fleet.alarm_id}")
    assert "alarm-acknowledged" in (row.get_attribute("class") or "")
    assert row.locator("button.ack").count() == 0
    _shot(page, "alarms-acknowledged")
    assert any(a.id == fleet.alarm_id and a.state == "acknowledged" for a in fleet.store.alarms())
    assert not errors, errors
    context.close()


def test_viewer_sees_no_acknowledge_and_the_api_refuses(
    browser: Any, base_url: str, fleet: WebFleet
) -> None:
    alarm = fleet.store.raise_alarm(
        fleet.machine_id,
        "kurtosis",
        "danger",
        source="indicator",
        point="lab/rig1/DE",
        message="kurtosis 7.6 above its danger limit 4.1",
    )
    context, page, errors = _login(browser, base_url, "viewer")
    page.reload()
    assert page.locator(f"#alarm-{alarm.id}").count() == 1
    assert page.locator("button.ack").count() == 0
    _shot(page, "alarms-viewer")
    answer = page.request.post(
        f"/api/v1/alarms/{alarm.id}/acknowledge", data={"comment": "not mine to do"}
    )
    assert answer.status == 403, answer.text()
    page.reload()
    assert "alarm-raised" in (page.locator(f"#alarm-{alarm.id}").get_attribute("class") or "")
    assert not errors, errors
    context.close()

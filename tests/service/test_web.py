"""The dashboard's pages through FastAPI's TestClient (no browser; see test_browser.py).

Every page answers 200 for a viewer signed in on a small fleet; anonymous visitors are sent to
the login form (and back after it); a viewer gets no acknowledge button; the figures hold data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from openphm.service.app import create_app
from openphm.service.settings import ServiceSettings
from tests.helpers.web_fleet import PASSWORD, WebFleet, build_fleet

FIGURE = re.compile(r"data-figure='([^']*)'")


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebFleet]:
    built = build_fleet(tmp_path_factory.mktemp("web") / "home")
    yield built
    built.store.close()


def _signed_in(fleet: WebFleet, role: str) -> TestClient:
    client = TestClient(create_app(ServiceSettings(home=fleet.store.home), store=fleet.store))
    answer = client.post(
        "/login",
        data={"name": role, "password": PASSWORD, "next": "/alarms"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/alarms"
    return client


def _pages(fleet: WebFleet) -> list[str]:
    newest = fleet.measurement_ids[-1]
    return [
        "/",
        f"/machines/{fleet.machine_id}",
        f"/measurements/{newest}",
        "/alarms",
        "/alarms?show=all",
        f"/alarms/{fleet.alarm_id}/row",
    ]


def test_every_page_renders_for_a_viewer(fleet: WebFleet) -> None:
    client = _signed_in(fleet, "viewer")
    for path in _pages(fleet):
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.text[:500])
        assert "text/html" in answer.headers["content-type"]
    fleet_page = client.get("/").text
    assert "lab/rig1" in fleet_page and "de_bearing" in fleet_page
    # Too few measurements for the RUL's onset chart: the RUL column says so.
    assert re.search(r'<td class="num">no degradation</td>', fleet_page)


def test_anonymous_is_sent_to_login_and_back(fleet: WebFleet) -> None:
    client = TestClient(create_app(ServiceSettings(home=fleet.store.home), store=fleet.store))
    for path in _pages(fleet):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/login?next=")
    assert client.get("/login").status_code == 200
    wrong = client.post("/login", data={"name": "viewer", "password": "nope"})
    assert wrong.status_code == 401 and "Wrong user name or password" in wrong.text
    sent = client.post(
        "/login",
        data={"name": "viewer", "password": PASSWORD, "next": "https://elsewhere.example/"},
        follow_redirects=False,
    )
    assert sent.headers["location"] == "/"  # never off the site


def test_viewer_sees_no_acknowledge_button_engineer_does(fleet: WebFleet) -> None:
    viewer = _signed_in(fleet, "viewer").get("/alarms").text
    assert f'id="alarm-{fleet.alarm_id}"' in viewer
    assert "Acknowledge</button>" not in viewer
    engineer = _signed_in(fleet, "engineer").get("/alarms").text
    assert f'hx-post="/api/v1/alarms/{fleet.alarm_id}/acknowledge"' in engineer


def test_logout_ends_the_session(fleet: WebFleet) -> None:
    client = _signed_in(fleet, "viewer")
    assert client.post("/logout", follow_redirects=False).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_measurement_figures_hold_decimated_data_and_cursors(fleet: WebFleet) -> None:
    client = _signed_in(fleet, "viewer")
    page = client.get(f"/measurements/{fleet.measurement_ids[-1]}").text
    figures = [json.loads(f.replace("&#39;", "'")) for f in FIGURE.findall(page)]
    assert len(figures) == 4  # waveform, spectrum, envelope, waterfall
    for fig in figures:
        assert fig["data"] and all(len(t["x"]) <= 4000 for t in fig["data"])
        assert any(len(t["x"]) > 100 for t in fig["data"])
    names = [t["name"] for t in figures[2]["data"]]
    assert any(n.startswith("de_bearing: outer (verdict)") for n in names)
    # The waterfall stacks every measurement of the point up to this one.
    assert len(figures[3]["data"]) == len(fleet.measurement_ids)


def test_machine_page_trends_with_limits_and_zones(fleet: WebFleet) -> None:
    page = _signed_in(fleet, "viewer").get(f"/machines/{fleet.machine_id}").text
    figures = [json.loads(f) for f in FIGURE.findall(page)]
    assert len(figures) == 5  # the trended indicators at the measured point
    velocity = [f for f in figures if "velocity" in f["layout"]["title"]["text"]]
    assert len(velocity) == 1
    zones = [s for s in velocity[0]["layout"]["shapes"] if s["type"] == "rect"]
    assert len(zones) == 4  # ISO zones A-D
    assert "No measurement at this point yet" in page
    assert "Remaining useful life" in page and "no degradation detected yet" in page


@pytest.mark.slow
def test_report_of_a_measurement(fleet: WebFleet) -> None:
    client = _signed_in(fleet, "viewer")
    answer = client.get(f"/measurements/{fleet.measurement_ids[-1]}/report")
    assert answer.status_code == 200
    assert "Bearing diagnosis: outer" in answer.text


def test_static_files_and_plotly_come_from_the_service(fleet: WebFleet) -> None:
    client = TestClient(create_app(ServiceSettings(home=fleet.store.home), store=fleet.store))
    plotly = client.get("/vendor/plotly.min.js")
    assert plotly.status_code == 200 and b"plotly.js" in plotly.content[:200]
    assert client.get("/static/htmx.min.js").status_code == 200
    assert client.get("/static/dashboard.css").status_code == 200
    assert client.get("/favicon.ico").status_code == 200
    template_dir = Path(__file__).resolve().parents[2] / "src/openphm/service/web/templates"
    for template in template_dir.glob("*.html"):
        assert "://" not in template.read_text(encoding="utf-8"), f"{template}: no CDN"


def test_machine_report_is_printable_and_signed_in_only(fleet: WebFleet) -> None:
    path = f"/machines/{fleet.machine_id}/report"
    anonymous = TestClient(create_app(ServiceSettings(home=fleet.store.home), store=fleet.store))
    answer = anonymous.get(path, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=")
    client = _signed_in(fleet, "viewer")
    report = client.get(path)
    assert report.status_code == 200
    page = report.text
    assert "lab/rig1" in page and "cwru_rig" in page
    assert '<th class="num">expected Hz</th>' in page and "1xBPFO" in page
    assert "outer race fault" in page  # the open alarm's message
    assert "zone " in page and "mm/s (ISO" in page
    assert "Remaining useful life" in page and "CUSUM" in page  # what the RUL checked
    # Self-contained: no script, no style sheet or image fetched, charts as inline SVG.
    assert "<script" not in page and "/static/" not in page
    assert page.count('src="data:image/svg+xml;base64,') == 5
    machine = client.get(f"/machines/{fleet.machine_id}").text
    assert f'href="{path}"' in machine

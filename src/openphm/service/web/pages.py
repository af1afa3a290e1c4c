"""The dashboard's routes: fleet overview, machine and its report, measurement, alarms, login.

Each page asks :mod:`openphm.service.web.pagedata` for what it shows and renders one Jinja2
template. People sign in here (the session cookie is the API's: :mod:`openphm.service.auth`);
a page asked for without it redirects to ``/login``. Acknowledging an alarm is a POST to the API
(``/api/v1/alarms/{id}/acknowledge``, engineers and above) made by htmx, after which the row is
fetched again from :func:`alarm_row_fragment` and swapped in place.
"""

from __future__ import annotations

import functools
import importlib.util
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from openphm import __version__
from openphm.service.auth import authenticate_password, end_session, role_rank, start_session
from openphm.service.deps import (
    FleetCacheDep,
    OptionalUser,
    SettingsDep,
    StoreDep,
    session_secret,
)
from openphm.service.web import pagedata
from openphm.store import UserInfo

__all__ = ["PLOTLY_JS", "TEMPLATES", "router"]

_HERE = Path(__file__).resolve().parent
#: The dashboard's templates.
TEMPLATES = Jinja2Templates(directory=str(_HERE / "templates"))
#: Plotly.js as the installed ``plotly`` package ships it (no CDN).
PLOTLY_JS = "package_data/plotly.min.js"

router = APIRouter(include_in_schema=False)


@functools.cache
def _plotly_js() -> Path:
    """Where the installed plotly package keeps its bundled Plotly.js (found, not imported)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "plotly is not installed")
    return Path(spec.origin).resolve().parent / PLOTLY_JS


def _safe_next(target: str | None) -> str:
    """A local path to go back to after login (never another site)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def page_user(request: Request, user: OptionalUser) -> UserInfo:
    """The signed-in person of a page; without one, a redirect to the login form.

    Parameters
    ----------
    request : fastapi.Request
        The request (its path is where the login returns).
    user : UserInfo or None
        From the session cookie or a bearer token.

    Returns
    -------
    UserInfo
        The user.

    Raises
    ------
    fastapi.HTTPException
        303 to ``/login?next=...`` when nobody is signed in.
    """
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise HTTPException(
            status.HTTP_303_SEE_OTHER,
            "not signed in",
            headers={"Location": f"/login?next={quote(target, safe='')}"},
        )
    return user


PageUser = Annotated[UserInfo, Depends(page_user)]


def _render(request: Request, template: str, user: UserInfo | None, **context: Any) -> HTMLResponse:
    can_ack = user is not None and role_rank(user.role) >= role_rank("engineer")
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {"user": user, "can_acknowledge": can_ack, "version": __version__, **context},
    )


@router.get("/", response_class=HTMLResponse)
def fleet_page(
    request: Request, store: StoreDep, cache: FleetCacheDep, user: PageUser
) -> HTMLResponse:
    """The fleet overview: every machine, its worst state, open alarms and last diagnoses.

    Parameters
    ----------
    request : fastapi.Request
        The request.
    store : Store
        The app's store.
    cache : FleetStatusCache
        The app's fleet-status cache.
    user : UserInfo
        The person signed in.

    Returns
    -------
    fastapi.responses.HTMLResponse
        The page.
    """
    rows = pagedata.fleet_rows(store, cache.get(store))
    return _render(request, "fleet.html", user, rows=rows, title="Fleet")


@router.get("/machines/{machine_id}", response_class=HTMLResponse)
def machine_view(
    request: Request, machine_id: int, store: StoreDep, user: PageUser
) -> HTMLResponse:
    """A machine: components and points, indicator trends, latest diagnoses, alarms.

    Parameters
    ----------
    request : fastapi.Request
        The request.
    machine_id : int
        The machine.
    store : Store
        The app's store.
    user : UserInfo
        The person signed in.

    Returns
    -------
    fastapi.responses.HTMLResponse
        The page.
    """
    page = pagedata.machine_page(store, machine_id)
    return _render(request, "machine.html", user, page=page, title=page.machine.path)


@router.get("/machines/{machine_id}/report", response_class=HTMLResponse)
def machine_report(
    request: Request, machine_id: int, store: StoreDep, user: PageUser
) -> HTMLResponse:
    """A machine's printable report: one self-contained page, static charts, no script.

    Parameters
    ----------
    request : fastapi.Request
        The request.
    machine_id : int
        The machine.
    store : Store
        The app's store.
    user : UserInfo
        The person signed in.

    Returns
    -------
    fastapi.responses.HTMLResponse
        The report (:func:`openphm.service.web.pagedata.machine_report`); print it to PDF
        from the browser.
    """
    report = pagedata.machine_report(store, machine_id, datetime.now(UTC))
    title = f"Machine report: {report.machine.path}"
    return _render(request, "machine_report.html", user, report=report, title=title)


@router.get("/measurements/{measurement_id}", response_class=HTMLResponse)
def measurement_view(
    request: Request, measurement_id: int, store: StoreDep, user: PageUser
) -> HTMLResponse:
    """A measurement: waveform, spectrum, envelope spectrum with fault cursors, waterfall.

    Parameters
    ----------
    request : fastapi.Request
        The request.
    measurement_id : int
        The measurement.
    store : Store
        The app's store.
    user : UserInfo
        The person signed in.

    Returns
    -------
    fastapi.responses.HTMLResponse
        The page.
    """
    page = pagedata.measurement_page(store, measurement_id)
    title = f"Measurement {measurement_id}"
    return _render(request, "measurement.html", user, page=page, title=title)


@router.get("/measurements/{measurement_id}/report", response_class=HTMLResponse)
def measurement_report(measurement_id: int, store: StoreDep, user: PageUser) -> HTMLResponse:
    """The per-record diagnosis report of a measurement (self-contained HTML).

    Parameters
    ----------
    measurement_id : int
        The measurement.
    store : Store
        The app's store.
    user : UserInfo
        The person signed in.

    Returns
    -------
    fastapi.responses.HTMLResponse
        The report.

    Raises
    ------
    fastapi.HTTPException
        404 when the measurement has no diagnosis to report.
    """
    page = pagedata.measurement_report(store, measurement_id)
    if page is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            f"measurement {measurement_id} has no bearing diagnosis to report",
        )
    return HTMLResponse(page)


@router.get("/alarms", response_class=HTMLResponse)
def alarms_page(
    request: Request, store: StoreDep, user: PageUser, show: str = "open"
) -> HTMLResponse:
    """The alarm list, open ones by default, with acknowledge buttons for engineers and admins.

    Parameters
    ----------
    request : fastapi.Request
        The request.
    store : Store
        The app's store.
    user : UserInfo
        The person signed in.
    show : {"open", "all"}
        Which alarms.

    Returns
    -------
    fastapi.responses.HTMLResponse
        The page.
    """
    rows = pagedata.alarm_rows(store, open_only=show != "all")
    return _render(request, "alarms.html", user, rows=rows, show=show, title="Alarms")


@router.get("/alarms/{alarm_id}/row", response_class=HTMLResponse)
def alarm_row_fragment(
    request: Request, alarm_id: int, store: StoreDep, user: PageUser
) -> HTMLResponse:
    """One alarm's table row (htmx swaps it in after an acknowledgement).

    Parameters
    ----------
    request : fastapi.Request
        The request.
    alarm_id : int
        The alarm.
    store : Store
        The app's store.
    user : UserInfo
        The person signed in.

    Returns
    -------
    fastapi.responses.HTMLResponse
        The ``<tr>``.

    Raises
    ------
    fastapi.HTTPException
        404 for an unknown alarm.
    """
    row = pagedata.alarm_row(store, alarm_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"alarm {alarm_id} not found")
    return _render(request, "_alarm_row.html", user, row=row)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, user: OptionalUser, next: str = "/") -> HTMLResponse:
    """The login form.

    Parameters
    ----------
    request : fastapi.Request
        The request.
    user : UserInfo or None
        Who is signed in already, if anyone.
    next : str
        Where to go after logging in.

    Returns
    -------
    fastapi.responses.HTMLResponse
        The form.
    """
    return _render(
        request, "login.html", user, next=_safe_next(next), error="", name="", title="Log in"
    )


@router.post("/login", response_class=HTMLResponse)
async def login_submit(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Check the form's name and password, set the session cookie and go on.

    Parameters
    ----------
    request : fastapi.Request
        The form post (``name``, ``password``, ``next``; URL-encoded).
    store : Store
        The app's store.
    settings : ServiceSettings
        The session cookie's name, lifetime and security.

    Returns
    -------
    fastapi.responses.Response
        303 to ``next`` with the cookie set, or the form again (401) with the reason.
    """
    form = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=10)
    name = form.get("name", [""])[0]
    target = _safe_next(form.get("next", ["/"])[0])
    user = authenticate_password(store, name, form.get("password", [""])[0])
    if user is None:
        page = _render(
            request,
            "login.html",
            None,
            next=target,
            error="Wrong user name or password.",
            name=name,
            title="Log in",
        )
        page.status_code = status.HTTP_401_UNAUTHORIZED
        return page
    issued = start_session(store, user, settings.session_lifetime_s)
    response = RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        settings.session_cookie,
        issued.secret,
        max_age=int(settings.session_lifetime_s),
        httponly=True,
        samesite="strict",
        secure=settings.session_cookie_secure,
        path="/",
    )
    return response


@router.post("/logout")
def logout_submit(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """End the session and go back to the login form.

    Parameters
    ----------
    request : fastapi.Request
        Carries the session cookie.
    store : Store
        The app's store.
    settings : ServiceSettings
        The cookie's name.

    Returns
    -------
    fastapi.responses.Response
        303 to ``/login``, the cookie cleared.
    """
    secret = session_secret(request, settings)
    if secret is not None:
        end_session(store, secret)
    response = RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(settings.session_cookie, path="/")
    return response


@router.get("/vendor/plotly.min.js")
def plotly_js() -> FileResponse:
    """Plotly.js from the installed ``plotly`` package (the dashboard loads nothing from a CDN).

    Returns
    -------
    fastapi.responses.FileResponse
        The minified script.
    """
    return FileResponse(
        _plotly_js(),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """The dashboard's icon (an SVG; browsers ask for this path of every page, reports too).

    Returns
    -------
    fastapi.responses.FileResponse
        The icon.
    """
    return FileResponse(
        _HERE / "static" / "favicon.svg",
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )

"""The app factory: :func:`create_app` builds the FastAPI app on a store.

The REST API is mounted under ``/api/v1`` (one router per resource, :mod:`openphm.service.api`);
the dashboard (:mod:`openphm.service.web`) adds its pages when it is installed. Errors of the
library become answers with a reason: a missing thing 404, bad input 422; never a bare 500 for
what a user sent.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from openphm import __version__
from openphm.core.errors import ConfigError, OpenPHMError
from openphm.service.api import ROUTERS
from openphm.service.limits import BodyLimit
from openphm.service.settings import ServiceSettings
from openphm.store import Store

#: Where the REST API lives.
API_PREFIX = "/api/v1"


def error_status(exc: OpenPHMError) -> int:
    """The HTTP status an error of the library answers with.

    Parameters
    ----------
    exc : OpenPHMError
        The error.

    Returns
    -------
    int
        404 for a thing not found, 409 for one that exists already, else 422.

    Examples
    --------
    >>> error_status(ConfigError("point 'x' not found"))
    404
    """
    text = str(exc)
    if isinstance(exc, ConfigError) and text.endswith("not found"):
        return status.HTTP_404_NOT_FOUND
    if isinstance(exc, ConfigError) and "already exists" in text:
        return status.HTTP_409_CONFLICT
    return status.HTTP_422_UNPROCESSABLE_CONTENT


async def _library_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OpenPHMError)
    return JSONResponse({"detail": str(exc)}, status_code=error_status(exc))


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    """422 naming each invalid field; the input is not echoed back (it may hold NaN, which JSON
    cannot carry, or a megabyte of samples)."""
    assert isinstance(exc, RequestValidationError)
    detail = [
        {
            "loc": list(e.get("loc", ())),
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]
    return JSONResponse({"detail": detail}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


def create_app(settings: ServiceSettings | None = None, store: Store | None = None) -> FastAPI:
    """Build the service's app.

    Parameters
    ----------
    settings : ServiceSettings, optional
        Settings (default: from the environment).
    store : Store, optional
        The store to serve (default: opened from the settings' home and database URL; the app
        then closes it when it shuts down).

    Returns
    -------
    fastapi.FastAPI
        The app: the API under ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``, docs at
        ``/api/v1/docs``) and, when installed, the dashboard.
    """
    chosen = settings or ServiceSettings()
    owned = store is None
    served = Store.open(chosen.home, chosen.database_url) if store is None else store

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs = getattr(app.state, "jobs", None)
        if jobs is not None:  # the running re-processing job finishes, queued ones are dropped
            jobs.close()
        if owned:
            served.close()

    app = FastAPI(
        title="openphm",
        version=__version__,
        summary="Condition monitoring of rotating machinery: fleet, measurements, diagnoses, "
        "alarms.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = chosen
    app.state.store = served
    app.add_exception_handler(OpenPHMError, _library_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    _include_web(app)
    app.add_middleware(BodyLimit, max_bytes=chosen.max_upload_bytes)
    return app


def _include_web(app: FastAPI) -> None:
    """Let the dashboard add its pages, when it is installed."""
    try:
        web = importlib.import_module("openphm.service.web")
    except ModuleNotFoundError as exc:
        if exc.name != "openphm.service.web":
            raise
        return
    include = getattr(web, "include", None)
    if include is not None:  # a web package still being built has none yet
        include(app)

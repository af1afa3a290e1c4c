"""The dashboard: server-rendered pages (Jinja2 + htmx) with Plotly.js charts, no CDN.

:func:`include` adds the pages (:mod:`openphm.service.web.pages`) and the static files (the
style sheet, htmx vendored in ``static/``, Plotly.js from the installed ``plotly`` package) to
the app that :func:`openphm.service.app.create_app` builds.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

__all__ = ["STATIC", "include"]

#: The dashboard's static files (CSS, JavaScript).
STATIC = Path(__file__).resolve().parent / "static"


def include(app: FastAPI) -> None:
    """Add the dashboard's routes and its static files to an app.

    Parameters
    ----------
    app : fastapi.FastAPI
        The service's app (its ``state.store`` and ``state.settings`` are set).
    """
    from openphm.service.web.pages import router

    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
